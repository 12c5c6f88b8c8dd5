package io.github.jareranker.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The measured peak of this machine, as written by {@link PeakBenchmark}.
 *
 * @param fp32FlopsPerSecond best float32 GEMM throughput at the model's shapes
 * @param int8OpsPerSecond best int8 (DynamicQuantizeMatMul) throughput at the model's shapes
 */
record Peak(double fp32FlopsPerSecond, double int8OpsPerSecond) {
    static Peak read(Path file) throws IOException {
        JsonNode n = new ObjectMapper().readTree(file.toFile());
        return new Peak(
                n.path("fp32FlopsPerSecond").asDouble(),
                n.path("int8OpsPerSecond").asDouble());
    }
}
