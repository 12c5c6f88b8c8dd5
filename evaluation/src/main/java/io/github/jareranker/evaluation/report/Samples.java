package io.github.jareranker.evaluation.report;

import java.util.Arrays;

/** Order statistics of measured samples (milliseconds, ratios) for the benchmarks and bench commands. Stateless. */
public final class Samples {
    private Samples() {}

    /** The {@code p}-th percentile (0..100) of {@code values} by linear interpolation between closest ranks. */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    /** The arithmetic mean, NaN for no values. */
    public static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }
}
