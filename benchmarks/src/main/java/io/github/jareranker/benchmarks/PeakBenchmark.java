package io.github.jareranker.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.evaluation.report.ResultsFileOption;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The hardware limit for this model's arithmetic, measured through the same ONNX Runtime as the
 * engine: single-GEMM graphs at the model's own layer shapes (made by {@code
 * benchmarks/peak/make_gemm_graphs.py}), float32 {@code MatMul} and int8 {@code
 * DynamicQuantizeMatMul}, at one pair's row count and at a large one, run three ways: one thread,
 * one run on all cores' intra-op threads (spinning on), and one single-threaded run per core at once
 * (what the engine's worker pool does). The peak of each type is the best of all of them, so the
 * share of peak that {@link LatencyBenchmark} reports is, if anything, conservative.
 */
@Command(name = "peak", mixinStandardHelpOptions = true, description = "GEMM peak of this CPU at a model's shapes.")
public final class PeakBenchmark implements Callable<Integer> {
    @Option(names = "--graphs", required = true, description = "Directory of fp32-KxN.onnx and int8-KxN.onnx graphs.")
    Path graphs;

    @Option(names = "--rows", split = ",", description = "Row counts M (default: ${DEFAULT-VALUE}).")
    List<Integer> rows = List.of(263, 2048);

    @Option(names = "--seconds", description = "Measured seconds per configuration (default: ${DEFAULT-VALUE}).")
    double seconds = 0.6;

    /** --out FILE: the result as JSON (the input of LatencyBenchmark --peak). */
    @Mixin
    ResultsFileOption results = new ResultsFileOption();

    @Override
    public Integer call() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        List<Path> files;
        try (Stream<Path> s = Files.list(graphs)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".onnx"))
                    .sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "no .onnx graphs in " + graphs);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        ObjectMapper json = new ObjectMapper();
        ObjectNode result = json.createObjectNode();
        result.put("machine", Machine.describe());
        ArrayNode table = result.putArray("measurements");
        double bestFp32 = 0;
        double bestInt8 = 0;
        System.out.printf(
                Locale.ROOT,
                "%s%n%-20s %6s %14s %14s %14s   (G ops/s)%n",
                Machine.describe(),
                "graph",
                "M",
                "1 thread",
                cores + " intra-op",
                cores + " x 1 thread");
        for (Path file : files) {
            String name = file.getFileName().toString().replace(".onnx", "");
            String[] kn = name.substring(name.indexOf('-') + 1).split("x");
            int k = Integer.parseInt(kn[0]);
            int n = Integer.parseInt(kn[1]);
            boolean int8 = name.startsWith("int8");
            for (int m : rows) {
                double ops = 2.0 * m * k * n;
                double one;
                double intra;
                double concurrent;
                try (OrtSession single = session(env, file, 1, false);
                        OrtSession wide = session(env, file, cores, true)) {
                    one = ops * runsPerSecond(env, List.of(single), m, k);
                    intra = ops * runsPerSecond(env, List.of(wide), m, k);
                    List<OrtSession> shared = new ArrayList<>();
                    for (int c = 0; c < cores; c++) {
                        shared.add(single);
                    }
                    concurrent = ops * runsPerSecond(env, shared, m, k);
                }
                ObjectNode row = table.addObject();
                row.put("graph", name);
                row.put("rows", m);
                row.put("oneThread", one);
                row.put("intraOpAllCores", intra);
                row.put("concurrentSingleThreaded", concurrent);
                double best = Math.max(one, Math.max(intra, concurrent));
                if (int8) {
                    bestInt8 = Math.max(bestInt8, best);
                } else {
                    bestFp32 = Math.max(bestFp32, best);
                }
                System.out.printf(
                        Locale.ROOT,
                        "%-20s %6d %14.0f %14.0f %14.0f%n",
                        name,
                        m,
                        one / 1e9,
                        intra / 1e9,
                        concurrent / 1e9);
            }
        }
        result.put("fp32FlopsPerSecond", bestFp32);
        result.put("int8OpsPerSecond", bestInt8);
        System.out.printf(Locale.ROOT, "peak: fp32 %.0f GFLOP/s, int8 %.0f GOP/s%n", bestFp32 / 1e9, bestInt8 / 1e9);
        results.write(result);
        return 0;
    }

    private static OrtSession session(OrtEnvironment env, Path file, int threads, boolean spin) throws OrtException {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setInterOpNumThreads(1);
            so.setIntraOpNumThreads(threads);
            so.addConfigEntry("session.intra_op.allow_spinning", spin ? "1" : "0");
            // The options only configure session creation here (no custom ops), so closing them after is safe.
            return env.createSession(file.toString(), so);
        }
    }

    /**
     * Runs of {@code [m, k]} inputs per second, summed over one thread per session in {@code
     * sessions} running at once: best of five rounds after a warm-up.
     */
    private double runsPerSecond(OrtEnvironment env, List<OrtSession> sessions, int m, int k) throws Exception {
        float[] data = new float[m * k];
        Random random = new Random(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        double best = 0;
        for (int round = -1; round < 5; round++) {
            double budget = round < 0 ? seconds / 2 : seconds;
            CyclicBarrier start = new CyclicBarrier(sessions.size());
            long[] counts = new long[sessions.size()];
            double[] elapsed = new double[sessions.size()];
            List<Thread> threads = new ArrayList<>();
            Exception[] failure = new Exception[1];
            for (int t = 0; t < sessions.size(); t++) {
                int index = t;
                OrtSession session = sessions.get(t);
                Thread thread = new Thread(() -> {
                    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {m, k})) {
                        start.await();
                        long t0 = System.nanoTime();
                        long deadline = t0 + (long) (budget * 1e9);
                        long count = 0;
                        while (System.nanoTime() < deadline) {
                            try (OrtSession.Result r = session.run(Map.of("X", x))) {
                                count++;
                            }
                        }
                        counts[index] = count;
                        elapsed[index] = (System.nanoTime() - t0) / 1e9;
                    } catch (Exception e) {
                        failure[0] = e;
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (failure[0] != null) {
                throw failure[0];
            }
            double rate = 0;
            for (int t = 0; t < counts.length; t++) {
                rate += counts[t] / elapsed[t];
            }
            if (round >= 0) {
                best = Math.max(best, rate);
            }
        }
        return best;
    }
}
