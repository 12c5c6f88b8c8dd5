package io.github.jareranker.solr;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.ModelIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identity of a loaded model for the pair-score cache: the SHA-256 of its ONNX file and of its
 * {@code tokenizer.json}, and its {@link ModelIdentity} (maximum length, truncation, activation, graph, device change
 * scores too; workers, queue limits and ONNX Runtime threads do not). Two cores share a cache exactly when they share
 * this, so a model
 * file replaced in place (same path, new content) gets a new, empty cache. A file's checksum is
 * computed once per (path, size, modification time) and JVM.
 *
 * @param onnxSha256 hex SHA-256 of the ONNX file
 * @param tokenizerSha256 hex SHA-256 of tokenizer.json
 * @param identity what the model is, apart from how it is run (paths included)
 */
record ModelFingerprint(String onnxSha256, String tokenizerSha256, ModelIdentity identity) {
    private static final Map<String, String> CHECKSUMS = new ConcurrentHashMap<>();

    static ModelFingerprint of(CrossEncoder encoder) {
        return new ModelFingerprint(
                sha256(encoder.info().onnxFile()),
                sha256(encoder.info().tokenizerFile()),
                encoder.options().identity());
    }

    private static String sha256(Path file) {
        try {
            String memo = file.toAbsolutePath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file);
            return CHECKSUMS.computeIfAbsent(memo, k -> digest(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + file, e);
        }
    }

    private static String digest(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 16];
            while (in.read(buffer) >= 0) {
                // the digest reads along
            }
            return HexFormat.of()
                    .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
