package io.github.jareranker.benchmarks;

import io.github.jareranker.encoder.Cancellation;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.ScoringCancelledException;
import io.github.jareranker.evaluation.data.DataLocations;
import io.github.jareranker.evaluation.report.Samples;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How soon a scoring call stops after its deadline when the deadline falls inside one long ONNX
 * Runtime run (the case that checking between batches cannot help): one batch of many long pairs,
 * a deadline at a random point of it, and the time from the deadline to the call's return. Before
 * native termination that time was the rest of the run; now the run is terminated inside ONNX
 * Runtime at its next operator boundary.
 */
@Command(
        name = "stop-latency",
        mixinStandardHelpOptions = true,
        description = "Time from deadline to return inside one long run.")
public final class StopLatencyBenchmark implements Callable<Integer> {
    @Mixin
    ModelFilesOption model = new ModelFilesOption();

    @Option(names = "--pairs", description = "Pairs in the one batch (default: ${DEFAULT-VALUE}).")
    int pairs = 32;

    @Option(names = "--trials", description = "Deadlines tried (default: ${DEFAULT-VALUE}).")
    int trials = 20;

    @Override
    public Integer call() throws Exception {
        Path home = Workload.home();
        Workload w = Workload.jsquad(
                DataLocations.jsquad(home, "valid").orElse(DataLocations.vendoredJsquad(home)), 1, pairs, 7L);
        List<String> docs = new ArrayList<>();
        for (String d : w.candidates.get(0)) {
            docs.add(d + d + d); // long pairs: every one reaches the maximum length
        }
        String query = w.queries.get(0);
        CrossEncoderOptions options = model.options()
                .workers(1)
                .maxBatchSize(pairs)
                .maxBatchTokens(Integer.MAX_VALUE)
                .build();
        try (CrossEncoder encoder = CrossEncoder.load(options)) {
            encoder.score(query, docs); // warm-up
            long t0 = System.nanoTime();
            int batches = encoder.score(query, docs).stats().batches();
            double runMs = (System.nanoTime() - t0) / 1e6;
            Random random = new Random(3);
            double[] overshoot = new double[trials];
            double[] remaining = new double[trials];
            for (int i = 0; i < trials; i++) {
                long start = System.nanoTime();
                double at = 0.2 + 0.6 * random.nextDouble();
                long deadline = start + (long) (at * runMs * 1e6);
                try {
                    encoder.score(query, docs, Cancellation.deadline(deadline));
                    overshoot[i] = Double.NaN;
                } catch (ScoringCancelledException e) {
                    overshoot[i] = (System.nanoTime() - deadline) / 1e6;
                }
                remaining[i] = (1 - at) * runMs;
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s%none run of %d pairs in %d batch(es): %.0f ms%n",
                    Machine.describe(),
                    pairs,
                    batches,
                    runMs);
            System.out.printf(
                    Locale.ROOT,
                    "deadline -> return: p50 %.1f ms, max %.1f ms (the rest "
                            + "of the run at the deadline: p50 %.0f ms, max %.0f ms)%n",
                    Samples.percentile(overshoot, 50),
                    Samples.percentile(overshoot, 100),
                    Samples.percentile(remaining, 50),
                    Samples.percentile(remaining, 100));
        }
        return 0;
    }
}
