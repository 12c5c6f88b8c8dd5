package io.github.jareranker.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.jareranker.encoder.OrtSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Paired, interleaved timing of two ONNX files on one pair: {@code paired-timing A.onnx B.onnx
 * [TOKENS=260] [RUNS=300] [THREADS=1]}. Both sessions use the engine's settings (ALL optimizations,
 * sequential, spinning off, {@code threads} intra-op threads) and the same synthetic pair (random
 * ordinary token ids framed as {@code <s> q </s> <s> d </s>}, all attended). Each round runs A and
 * B back to back, alternating which goes first, so load drifts hit both alike; it prints the
 * medians and the median of the per-round ratios B/A with its interquartile range, for wall time
 * and for the calling thread's CPU time. With one intra-op thread ONNX Runtime computes on the
 * calling thread, so the CPU time leaves out the time the thread waited for a core: on a machine
 * that other processes share it is the steadier of the two (cache contention still shows).
 */
@Command(
        name = "paired-timing",
        mixinStandardHelpOptions = true,
        description = "Two ONNX files timed against each other, interleaved, on one synthetic pair.")
public final class PairedTiming implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A.onnx", description = "The first ONNX file.")
    Path a;

    @Parameters(index = "1", paramLabel = "B.onnx", description = "The second ONNX file.")
    Path b;

    @Parameters(index = "2", arity = "0..1", paramLabel = "TOKENS", description = "Pair length (${DEFAULT-VALUE}).")
    int tokens = 260;

    @Parameters(index = "3", arity = "0..1", paramLabel = "RUNS", description = "Paired runs (${DEFAULT-VALUE}).")
    int runs = 300;

    @Parameters(
            index = "4",
            arity = "0..1",
            paramLabel = "THREADS",
            description = "Intra-op threads (${DEFAULT-VALUE}).")
    int threads = 1;

    @Override
    public Integer call() throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] ids = syntheticPair(tokens);
        long[] mask = new long[tokens];
        Arrays.fill(mask, 1);
        try (OrtSession.SessionOptions so = options(threads);
                OrtSession sa = env.createSession(a.toString(), so);
                OrtSession sb = env.createSession(b.toString(), so);
                OnnxTensor idsT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, tokens});
                OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {1, tokens})) {
            Map<String, OnnxTensor> in = Map.of("input_ids", idsT, "attention_mask", maskT);
            float la = logit(sa, in);
            float lb = logit(sb, in);
            for (int i = 0; i < 30; i++) {
                time(sa, in);
                time(sb, in);
            }
            double[][] ta = new double[2][runs];
            double[][] tb = new double[2][runs];
            double[][] ratio = new double[2][runs];
            for (int r = 0; r < runs; r++) {
                double[] x;
                double[] y;
                if (r % 2 == 0) {
                    x = time(sa, in);
                    y = time(sb, in);
                } else {
                    y = time(sb, in);
                    x = time(sa, in);
                }
                for (int k = 0; k < 2; k++) {
                    ta[k][r] = x[k];
                    tb[k][r] = y[k];
                    ratio[k][r] = y[k] / x[k];
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "pair of %d tokens, %d paired runs, %d intra-op thread(s); logits A %.6f B %.6f (|Δ| %.2g)%n",
                    tokens,
                    runs,
                    threads,
                    la,
                    lb,
                    Math.abs(la - lb));
            System.out.printf(Locale.ROOT, "A = %s%nB = %s%n", a, b);
            String[] kinds = {"wall", "thread CPU"};
            for (int k = 0; k < 2; k++) {
                Arrays.sort(ta[k]);
                Arrays.sort(tb[k]);
                Arrays.sort(ratio[k]);
                System.out.printf(
                        Locale.ROOT,
                        "%-10s A median %.3f ms (p10 %.3f) | B median %.3f ms (p10 %.3f) "
                                + "| B/A per round: median %.3f (IQR %.3f-%.3f), p10 ratio %.3f%n",
                        kinds[k],
                        q(ta[k], .5),
                        q(ta[k], .1),
                        q(tb[k], .5),
                        q(tb[k], .1),
                        q(ratio[k], .5),
                        q(ratio[k], .25),
                        q(ratio[k], .75),
                        q(tb[k], .1) / q(ta[k], .1));
            }
        }
        return 0;
    }

    private static OrtSession.SessionOptions options(int threads) throws OrtException {
        return OrtSettings.cpuSessionOptions(threads, true);
    }

    /** {@code <s> q </s> <s> d </s>} with a 20-token query and ordinary piece ids (271..2996). */
    private static long[] syntheticPair(int tokens) {
        SplittableRandom rnd = new SplittableRandom(7);
        long[] ids = new long[tokens];
        for (int i = 0; i < tokens; i++) {
            ids[i] = 271 + rnd.nextInt(2997 - 271);
        }
        int q = Math.min(20, Math.max(1, tokens / 4));
        ids[0] = 1;
        ids[q + 1] = 2;
        ids[q + 2] = 1;
        ids[tokens - 1] = 2;
        return ids;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** {wall ms, calling thread CPU ms} of one run. */
    private static double[] time(OrtSession s, Map<String, OnnxTensor> in) throws OrtException {
        long c0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        OrtSession.Result r = s.run(in);
        long t1 = System.nanoTime();
        long c1 = THREADS.getCurrentThreadCpuTime();
        r.close(); // outside the timed span: freeing the output is not inference work
        return new double[] {(t1 - t0) / 1e6, (c1 - c0) / 1e6};
    }

    private static float logit(OrtSession s, Map<String, OnnxTensor> in) throws OrtException {
        try (OrtSession.Result r = s.run(in)) {
            return ((float[][]) r.get(0).getValue())[0][0];
        }
    }

    private static double q(double[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))];
    }
}
