package io.github.jareranker.encoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts pairs into ONNX Runtime batches. Padding, not batch size, dominates CPU cost (see
 * docs/performance.md), so pairs are sorted by length and each batch holds pairs of similar length,
 * bounded by a token budget (pairs times the batch's longest pair) and a pair count. A pair longer
 * than the budget runs alone. Stateless.
 */
final class BatchPlanner {
    private BatchPlanner() {}

    /**
     * Returns batches of indices into {@code lengths}; each batch lists its pairs shortest first,
     * every index appears exactly once, and equal lengths keep input order.
     */
    static List<int[]> plan(int[] lengths, int maxBatchTokens, int maxBatchSize) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) -> lengths[a] != lengths[b] ? Integer.compare(lengths[a], lengths[b]) : Integer.compare(a, b));
        List<int[]> batches = new ArrayList<>();
        int start = 0;
        while (start < order.length) {
            int end = start + 1;
            // Sorted ascending, so the last pair added is the batch's longest.
            while (end < order.length
                    && end - start < maxBatchSize
                    && (long) (end - start + 1) * lengths[order[end]] <= maxBatchTokens) {
                end++;
            }
            int[] batch = new int[end - start];
            for (int i = start; i < end; i++) {
                batch[i - start] = order[i];
            }
            batches.add(batch);
            start = end;
        }
        return batches;
    }
}
