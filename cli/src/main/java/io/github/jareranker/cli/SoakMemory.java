package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a {@code soak} run's memory series says (computed once, immutable): the mean RSS right after the warm-up and
 * at the end, the growth between them, and the least-squares slopes after the warm-up of the RSS and of what lies
 * beyond the committed heap (native memory), in MB per minute.
 *
 * <p>Warm-up: the first fifth of the samples. Growth: the mean of the last tenth of the samples against the mean of
 * the tenth right after the warm-up.
 */
record SoakMemory(double rssAfterWarmupMb, double rssAtEndMb, double growth, double rssSlope, double nonHeapSlope) {

    /** From the samples' {@code seconds}, {@code rssMb} and {@code nonHeapMb}. */
    static SoakMemory of(JsonNode series) {
        double[] rss = new double[series.size()];
        double[] nonHeap = new double[series.size()];
        double[] seconds = new double[series.size()];
        for (int i = 0; i < rss.length; i++) {
            rss[i] = series.get(i).path("rssMb").asDouble();
            nonHeap[i] = series.get(i).path("nonHeapMb").asDouble();
            seconds[i] = series.get(i).path("seconds").asDouble();
        }
        int warm = rss.length / 5;
        int window = Math.max(1, rss.length / 10);
        double afterWarmup = mean(rss, warm, Math.min(rss.length, warm + window));
        double atEnd = mean(rss, Math.max(warm, rss.length - window), rss.length);
        return new SoakMemory(
                afterWarmup,
                atEnd,
                (atEnd - afterWarmup) / afterWarmup,
                slopePerMinute(seconds, rss, warm),
                slopePerMinute(seconds, nonHeap, warm));
    }

    /**
     * The least-squares slope of {@code values} against {@code seconds} over the samples from {@code from} on, in units
     * per minute; 0 with fewer than two samples.
     */
    static double slopePerMinute(double[] seconds, double[] values, int from) {
        int n = seconds.length - from;
        if (n < 2) {
            return 0;
        }
        double meanT = mean(seconds, from, seconds.length);
        double meanV = mean(values, from, values.length);
        double cov = 0;
        double var = 0;
        for (int i = from; i < seconds.length; i++) {
            cov += (seconds[i] - meanT) * (values[i] - meanV);
            var += (seconds[i] - meanT) * (seconds[i] - meanT);
        }
        return var == 0 ? 0 : cov / var * 60;
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / Math.max(1, to - from);
    }
}
