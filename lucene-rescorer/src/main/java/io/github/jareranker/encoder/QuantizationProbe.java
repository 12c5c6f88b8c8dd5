package io.github.jareranker.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells whether an ONNX file quantizes activations dynamically ({@code DynamicQuantizeLinear} or
 * the fused {@code DynamicQuantizeMatMul}), as ONNX Runtime's and sentence-transformers' int8
 * exports do. Such a graph computes one activation scale over the whole batch, so a pair's score
 * would depend on its batch mates (and their padding); the engine then runs one pair per batch.
 * The ONNX Runtime Java API does not list graph nodes, and op types are stored as plain strings in
 * the protobuf, so this scans the file's bytes once at load time.
 */
final class QuantizationProbe {
    private static final byte[][] MARKERS = {
        "DynamicQuantizeLinear".getBytes(StandardCharsets.US_ASCII),
        "DynamicQuantizeMatMul".getBytes(StandardCharsets.US_ASCII),
    };

    private QuantizationProbe() {}

    static boolean quantizesActivationsDynamically(Path onnxFile) throws ModelLoadException {
        int overlap = 0;
        for (byte[] m : MARKERS) {
            overlap = Math.max(overlap, m.length - 1);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(onnxFile)) {
            int carried = 0;
            int read;
            while ((read = in.read(buffer, carried, buffer.length - carried)) > 0) {
                int filled = carried + read;
                for (byte[] marker : MARKERS) {
                    if (indexOf(buffer, filled, marker)) {
                        return true;
                    }
                }
                carried = Math.min(overlap, filled);
                System.arraycopy(buffer, filled - carried, buffer, 0, carried);
            }
            return false;
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + onnxFile + ": " + e.getMessage(), e);
        }
    }

    private static boolean indexOf(byte[] data, int length, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= length; i++) {
            if (data[i] != marker[0]) {
                continue;
            }
            for (int k = 1; k < marker.length; k++) {
                if (data[i + k] != marker[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
