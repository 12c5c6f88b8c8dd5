package io.github.jareranker.benchmarks;

import java.util.Arrays;

/** Order statistics of a sample. Stateless. */
final class Stats {
    private Stats() {}

    /** The {@code p}-th percentile (0..100) by linear interpolation between closest ranks. */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }
}
