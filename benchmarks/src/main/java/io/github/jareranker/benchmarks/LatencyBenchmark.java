package io.github.jareranker.benchmarks;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.scoring.onnx.OnnxScoringModel;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.OrtSettings;
import io.github.jareranker.evaluation.report.ResultsFileOption;
import io.github.jareranker.evaluation.report.Samples;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Per-query latency of reranking one query's candidates, side by side in one JVM: this engine with
 * its defaults, this engine as it was configured before the worker pool (one call at a time on
 * intra-op threads), and the peer (langchain4j's {@code OnnxScoringModel}) on the same ONNX file,
 * tokenizer, pairs and cores.
 *
 * <p>The methods are interleaved query by query in a rotating order, so slow phases of a shared
 * machine hit all of them alike; ratios are taken per query (paired) and summarised by their
 * median. With {@code --peak} (the output of {@link PeakBenchmark}) it also reports the share of the
 * measured hardware peak: the time the model's useful arithmetic would take at that peak divided by
 * the measured time.
 */
@Command(
        name = "latency",
        mixinStandardHelpOptions = true,
        description = "Per-query rerank latency: ja-reranker vs its previous configuration vs langchain4j.")
public final class LatencyBenchmark implements Callable<Integer> {
    @Mixin
    ModelFilesOption model = new ModelFilesOption();

    @Option(
            names = {"-o", "--option"},
            paramLabel = "KEY=VALUE",
            description =
                    "Engine option for the ja-reranker method (EngineOption keys, as in solrconfig.xml), repeatable.")
    Map<String, String> engineOptions = new LinkedHashMap<>();

    @Option(
            names = "--workload",
            description = "jsquad (default: JSQuAD paragraphs, ~260 tokens per pair) or longpages (pages of 1,500–5,000"
                    + " characters, most cut at the maximum length).")
    String workloadName = "jsquad";

    @Option(names = "--queries", description = "Distinct JSQuAD queries (default: ${DEFAULT-VALUE}).")
    int queries = 20;

    @Option(names = "--candidates", description = "Candidates per query (default: ${DEFAULT-VALUE}).")
    int candidates = 100;

    @Option(names = "--rounds", description = "Measured passes over the queries (default: ${DEFAULT-VALUE}).")
    int rounds = 2;

    /** --max-length N, for every method. */
    @Mixin
    MaxLengthOption maxLength = new MaxLengthOption();

    @Option(names = "--threads", description = "Cores given to each method (default: all available).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--methods", split = ",", description = "Methods to run (default: ${DEFAULT-VALUE}).")
    List<String> methods = List.of("ja-reranker", "ja-reranker-previous", "langchain4j");

    @Option(
            names = "--variant",
            paramLabel = "NAME:KEY=VALUE[,KEY=VALUE...]",
            description = "An extra ja-reranker method with these engine options on top of the -o ones, repeatable,"
                    + " e.g. --variant batch8:maxBatchSize=8.")
    List<String> variants = new ArrayList<>();

    @Option(names = "--peak", description = "Peak JSON written by PeakBenchmark, for the share of peak.")
    Path peak;

    /** --out FILE: the results as JSON. */
    @Mixin
    ResultsFileOption results = new ResultsFileOption();

    @Override
    public Integer call() throws Exception {
        Path jsquad = Workload.validSplit(this);
        Workload workload = switch (workloadName) {
            case "jsquad" -> Workload.jsquad(jsquad, queries, candidates, 20261129L);
            case "longpages" -> Workload.longPages(jsquad, queries, candidates, 20261129L);
            default ->
                throw new CommandLine.ParameterException(
                        new CommandLine(this), "--workload must be jsquad or longpages, got " + workloadName);
        };
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            Map<String, Method> runners = loadMethods(workload, resources);
            TokenCounts counts = TokenCounts.of(workload, baseOptions());
            System.out.printf(
                    Locale.ROOT,
                    "%s%nworkload: %d queries x %d candidates, %.0f tokens per query%n",
                    Machine.describe(),
                    workload.queries.size(),
                    candidates,
                    counts.meanTokens());
            Map<String, double[]> millis = measure(runners, workload);
            ObjectNode result = report(workload, counts, millis);
            results.write(result);
            return 0;
        } finally {
            for (AutoCloseable c : resources) {
                c.close();
            }
        }
    }

    /** Every method of --methods and --variant, loaded, by name in that order; each model is added to resources. */
    private Map<String, Method> loadMethods(Workload workload, List<AutoCloseable> resources) throws Exception {
        Map<String, Method> runners = new LinkedHashMap<>();
        for (String name : methods) {
            switch (name) {
                case "ja-reranker" -> runners.put(name, engine(ourOptions().build(), workload, resources));
                case "ja-reranker-previous" -> runners.put(name, engine(previousOptions(), workload, resources));
                case "langchain4j" -> runners.put(name, langchain4j(workload, resources));
                default ->
                    throw new CommandLine.ParameterException(
                            new CommandLine(this),
                            "unknown method '" + name + "'; expected ja-reranker, ja-reranker-previous or langchain4j");
            }
        }
        for (String variant : variants) {
            int colon = variant.indexOf(':');
            if (colon <= 0) {
                throw new CommandLine.ParameterException(
                        new CommandLine(this), "--variant " + variant + ": expected NAME:KEY=VALUE,...");
            }
            CrossEncoderOptions.Builder b = ourOptions();
            for (String kv : variant.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                b.set(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
            runners.put(variant.substring(0, colon), engine(b.build(), workload, resources));
        }
        return runners;
    }

    /** The file, --max-length and nothing else: what the token counts and the peer's probe load. */
    private CrossEncoderOptions.Builder baseOptions() {
        return model.options().maxLength(maxLength.get());
    }

    /** ja-reranker with its defaults on --threads workers and the -o options. */
    private CrossEncoderOptions.Builder ourOptions() {
        CrossEncoderOptions.Builder b = baseOptions().workers(threads);
        engineOptions.forEach(b::set);
        return b;
    }

    /**
     * Before the worker pool and the fused graph: one call runs its batches in turn on --threads intra-op threads,
     * float graphs in batches of up to 32 pairs, the file as it is.
     */
    private CrossEncoderOptions previousOptions() throws Exception {
        CrossEncoderOptions.Builder previous =
                baseOptions().optimizeGraph(false).workers(1).intraOpThreads(threads);
        try (CrossEncoder probe = CrossEncoder.load(previous.build())) {
            if (!probe.info().dynamicallyQuantized()) {
                previous.maxBatchSize(CrossEncoderOptions.DEFAULT_MAX_BATCH_SIZE);
            }
        }
        return previous.build();
    }

    private static Method engine(CrossEncoderOptions options, Workload workload, List<AutoCloseable> resources)
            throws Exception {
        CrossEncoder enc = CrossEncoder.load(options);
        resources.add(enc);
        return q -> enc.score(workload.queries.get(q), workload.candidates.get(q));
    }

    /** The peer on the same ONNX file and tokenizer as the engine resolves them. */
    private Method langchain4j(Workload workload, List<AutoCloseable> resources) throws Exception {
        String onnx;
        String tokenizer;
        try (CrossEncoder probe =
                CrossEncoder.load(baseOptions().workers(1).intraOpThreads(1).build())) {
            onnx = probe.info().onnxFile().toString();
            tokenizer = probe.info().tokenizerFile().toString();
        }
        OnnxScoringModel peer = new OnnxScoringModel(onnx, peerOptions(), tokenizer, maxLength.get(), true);
        resources.add(peer::close);
        List<List<TextSegment>> segments = new ArrayList<>();
        for (List<String> docs : workload.candidates) {
            segments.add(docs.stream().map(TextSegment::from).toList());
        }
        return q -> peer.scoreAll(segments.get(q), workload.queries.get(q)).content();
    }

    /**
     * One warm-up pass, not recorded, then --rounds passes over the queries, the methods interleaved query by query in
     * a rotating order; each method's milliseconds by measured call, in the same order for every method.
     */
    private Map<String, double[]> measure(Map<String, Method> runners, Workload workload) throws Exception {
        for (int q = 0; q < workload.queries.size(); q++) {
            for (Method m : runners.values()) {
                m.run(q);
            }
        }
        List<String> names = new ArrayList<>(runners.keySet());
        int n = rounds * workload.queries.size();
        Map<String, double[]> millis = new LinkedHashMap<>();
        names.forEach(name -> millis.put(name, new double[n]));
        for (int r = 0, i = 0; r < rounds; r++) {
            for (int q = 0; q < workload.queries.size(); q++, i++) {
                for (int k = 0; k < names.size(); k++) {
                    String name = names.get((i + k) % names.size());
                    long t0 = System.nanoTime();
                    runners.get(name).run(q);
                    millis.get(name)[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        return millis;
    }

    /** The JSON result, with the table and the paired ratios printed as it is built. */
    private ObjectNode report(Workload workload, TokenCounts counts, Map<String, double[]> millis) throws Exception {
        ObjectNode result = new ObjectMapper().createObjectNode();
        model.describe(result);
        result.put("workload", workloadName);
        result.put("queries", workload.queries.size());
        result.put("candidates", candidates);
        result.put("rounds", rounds);
        result.put("threads", threads);
        result.put("tokensPerQuery", counts.meanTokens());
        result.put("machine", Machine.describe());
        double work = 0;
        double floorMs = Double.NaN;
        ModelShape shape = ModelShape.read(model.directory());
        Peak measuredPeak = peak == null ? null : Peak.read(peak);
        if (shape != null) {
            double[] w = shape.work(counts.meanTokens(), counts.meanSquares());
            result.put("linearOpsPerQuery", w[0]);
            result.put("attentionFlopsPerQuery", w[1]);
            work = w[0] + w[1];
            if (measuredPeak != null) {
                floorMs = 1e3
                        * (w[0] / (counts.int8() ? measuredPeak.int8OpsPerSecond() : measuredPeak.fp32FlopsPerSecond())
                                + w[1] / measuredPeak.fp32FlopsPerSecond());
                result.put("floorMsAtPeak", floorMs);
            }
        }
        methodsTable(result.putArray("methods"), millis, counts, floorMs);
        pairedRatios(result.putArray("pairedRatios"), millis);
        if (!Double.isNaN(floorMs)) {
            System.out.printf(
                    Locale.ROOT,
                    "useful work %.1f G ops per query; at the measured peak: %.0f ms%n",
                    work / 1e9,
                    floorMs);
        }
        return result;
    }

    private static void methodsTable(
            ArrayNode table, Map<String, double[]> millis, TokenCounts counts, double floorMs) {
        System.out.printf(
                Locale.ROOT,
                "%-22s %9s %9s %9s %12s %10s%n",
                "method",
                "p50 ms",
                "p95 ms",
                "mean ms",
                "tokens/s",
                "of peak");
        for (Map.Entry<String, double[]> e : millis.entrySet()) {
            String name = e.getKey();
            double[] ms = e.getValue();
            double p50 = Samples.percentile(ms, 50);
            double p95 = Samples.percentile(ms, 95);
            double mean = Samples.mean(ms);
            double tokensPerSecond = counts.meanTokens() / (mean / 1e3);
            ObjectNode row = table.addObject();
            row.put("method", name);
            row.put("p50Ms", p50);
            row.put("p95Ms", p95);
            row.put("meanMs", mean);
            row.put("tokensPerSecond", tokensPerSecond);
            String share = "";
            if (!Double.isNaN(floorMs)) {
                row.put("shareOfPeak", floorMs / p50);
                share = String.format(Locale.ROOT, "%.0f %%", 100 * floorMs / p50);
            }
            ArrayNode raw = row.putArray("millis");
            for (double v : ms) {
                raw.add(v);
            }
            System.out.printf(
                    Locale.ROOT, "%-22s %9.1f %9.1f %9.1f %12.0f %10s%n", name, p50, p95, mean, tokensPerSecond, share);
        }
    }

    /** Each other method's time over the first method's, per measured call (paired), summarised. */
    private static void pairedRatios(ArrayNode ratios, Map<String, double[]> millis) {
        List<String> names = new ArrayList<>(millis.keySet());
        String ours = names.get(0);
        for (String other : names.subList(1, names.size())) {
            double[] r = new double[millis.get(ours).length];
            for (int i = 0; i < r.length; i++) {
                r[i] = millis.get(other)[i] / millis.get(ours)[i];
            }
            ObjectNode row = ratios.addObject();
            row.put("slower", other);
            row.put("faster", ours);
            row.put("median", Samples.percentile(r, 50));
            row.put("min", Samples.percentile(r, 0));
            row.put("max", Samples.percentile(r, 100));
            System.out.printf(
                    Locale.ROOT,
                    "%s / %s per query: median %.2f (min %.2f, max %.2f)%n",
                    other,
                    ours,
                    Samples.percentile(r, 50),
                    Samples.percentile(r, 0),
                    Samples.percentile(r, 100));
        }
    }

    /**
     * The tokens of each query's pairs as the engine cuts them, and the sum of their squares (attention's cost), and
     * whether the file is dynamically quantized (int8).
     */
    private record TokenCounts(long[] tokens, long[] squares, boolean int8) {
        static TokenCounts of(Workload workload, CrossEncoderOptions.Builder options) throws Exception {
            long[] tokens = new long[workload.queries.size()];
            long[] squares = new long[workload.queries.size()];
            try (CrossEncoder counter =
                    CrossEncoder.load(options.workers(1).intraOpThreads(1).build())) {
                for (int q = 0; q < tokens.length; q++) {
                    for (int length : counter.pairLengths(workload.queries.get(q), workload.candidates.get(q))) {
                        tokens[q] += length;
                        squares[q] += (long) length * length;
                    }
                }
                return new TokenCounts(tokens, squares, counter.info().dynamicallyQuantized());
            }
        }

        double meanTokens() {
            return mean(tokens);
        }

        double meanSquares() {
            return mean(squares);
        }
    }

    /** The same session options the engine used for one call on intra-op threads. */
    private OrtSession.SessionOptions peerOptions() throws OrtException {
        return OrtSettings.cpuSessionOptions(threads, true);
    }

    private static double mean(long[] values) {
        double s = 0;
        for (long v : values) {
            s += v;
        }
        return s / values.length;
    }

    @FunctionalInterface
    interface Method {
        Object run(int query) throws Exception;
    }
}
