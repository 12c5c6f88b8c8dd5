package io.github.jareranker.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * What the CPU under the tests can do, where an independent reference depends on it.
 *
 * <p>The int8 references (models/test-model/reference.json, {@code logit_int8}) are exact-integer numpy evaluations
 * of the int8 graph. ONNX Runtime computes those exactly on x86 CPUs with an int8 dot-product instruction (VNNI).
 * Without it, its MLAS U8S8 kernel on AVX2 adds pairs of u8 x s8 products in 16 bits with saturation
 * ({@code vpmaddubsw}), so its int8 logits are not the exact ones. Measured on an AMD EPYC with AVX2 and no VNNI
 * (2026-12-03, ONNX Runtime 1.23.2): 141 of the 142 reference pairs of the random-weight test model off by more than
 * 1e-3, up to 2.57 (its random activations are extreme); the same tests pass on CPUs with VNNI.
 */
public final class CpuFeatures {
    public static final String NO_VNNI_REASON = "known limit: this CPU has no VNNI, and ONNX Runtime's AVX2 int8"
            + " kernel saturates 16-bit pair sums, so int8 logits differ from the exact-integer numpy reference"
            + " (io.github.jareranker.testing.CpuFeatures)";

    private CpuFeatures() {}

    /** True on a Linux x86 CPU with AVX2 and neither AVX512-VNNI nor AVX-VNNI; false elsewhere or when unknown. */
    public static boolean lacksVnni() {
        try {
            String flags = Files.readString(Path.of("/proc/cpuinfo"));
            return flags.contains(" avx2") && !flags.contains("avx512_vnni") && !flags.contains("avx_vnni");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** JUnit 5: skips the rest of the test, with {@link #NO_VNNI_REASON}, where the int8 reference cannot hold. */
    public static void assumeExactInt8() {
        Assumptions.assumeFalse(lacksVnni(), NO_VNNI_REASON);
    }
}
