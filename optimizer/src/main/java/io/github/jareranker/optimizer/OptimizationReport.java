package io.github.jareranker.optimizer;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@link GraphOptimizer#optimize} did to one file.
 *
 * @param input the original ONNX file
 * @param output the optimized ONNX file written
 * @param fusions fused nodes created, by fusion name, in the order the fusions ran (0 = the pattern
 *     was not found)
 * @param nodesBefore node count of the original graph
 * @param nodesAfter node count of the optimized graph
 * @param opsBefore node count by op type ({@code domain:op} outside the default domain), original
 * @param opsAfter the same for the optimized graph
 */
public record OptimizationReport(
        Path input,
        Path output,
        Map<String, Integer> fusions,
        int nodesBefore,
        int nodesAfter,
        Map<String, Integer> opsBefore,
        Map<String, Integer> opsAfter) {

    public OptimizationReport {
        fusions = Collections.unmodifiableMap(new LinkedHashMap<>(fusions));
        opsBefore = Collections.unmodifiableMap(new TreeMap<>(opsBefore));
        opsAfter = Collections.unmodifiableMap(new TreeMap<>(opsAfter));
    }

    /** Fused nodes of that kind created (0 if none or unknown). */
    public int fused(String fusion) {
        return fusions.getOrDefault(fusion, 0);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(input).append(" -> ").append(output).append('\n');
        sb.append("nodes: ")
                .append(nodesBefore)
                .append(" -> ")
                .append(nodesAfter)
                .append('\n');
        fusions.forEach(
                (k, v) -> sb.append("fused ").append(k).append(": ").append(v).append('\n'));
        TreeSet<String> ops = new TreeSet<>(opsBefore.keySet());
        ops.addAll(opsAfter.keySet());
        for (String op : ops) {
            int a = opsBefore.getOrDefault(op, 0);
            int b = opsAfter.getOrDefault(op, 0);
            if (a != b) {
                sb.append("  ")
                        .append(op)
                        .append(": ")
                        .append(a)
                        .append(" -> ")
                        .append(b)
                        .append('\n');
            }
        }
        return sb.toString();
    }
}
