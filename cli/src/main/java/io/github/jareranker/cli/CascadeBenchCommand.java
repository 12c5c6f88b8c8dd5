package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.evaluation.jsquad.JsquadBenchmark;
import io.github.jareranker.evaluation.jsquad.JsquadDataset;
import io.github.jareranker.evaluation.report.ProgressBar;
import io.github.jareranker.evaluation.report.Samples;
import io.github.jareranker.evaluation.solr.SolrSearchClient;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code bench-cascade}: what a cascade ({@code model=FIRST reRankDocs=N then=SECOND thenDocs=M})
 * costs and returns against one pass of the second model over the same {@code N} hits, in one
 * in-process Solr holding both models (example configset, JSQuAD paragraphs indexed).
 *
 * <p>Per question the methods run back to back in a rotating order (so a slow phase of the machine
 * hits all of them alike): BM25 only, the first model alone over N, the cascade, the second model
 * alone over N. Each request's wall time is taken at the client; the pairs each request made the
 * models score are read from the core's metrics; the final top 10 of the cascade is compared with the
 * second model's single pass (overlap of the two top-10 sets) and every method's top 10 is checked
 * for the question's own paragraph. With random-weight models the agreement and the paragraph hits
 * measure nothing about ranking quality; the timings and pair counts do not depend on the weights.
 */
@Command(
        name = "bench-cascade",
        mixinStandardHelpOptions = true,
        description = {
            "Cascade (first model over N, second over the top M of that) vs one pass of the second model over N,"
                    + " on JSQuAD in one in-process Solr: latency, pairs, top-10 agreement. Measure on a quiet machine.",
            "  ja-reranker bench-cascade --model models/bench-tiny-v2 --then-model models/bench-xsmall-v2 \\",
            "      --onnx-file onnx/model_qint8_avx2.onnx --then-onnx-file onnx/model_qint8_avx2.onnx"
        })
public final class CascadeBenchCommand implements Callable<Integer> {
    private static final String CORE = "jsquad";
    /** The second model's name in the configset (the first is the example configset's {@code ja}). */
    private static final String SECOND = "second";

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", description = "JSQuAD v1.3 file (default: the valid split).")
    Path data;

    @Option(
            names = "--then-model",
            required = true,
            paramLabel = "DIR",
            description = "The cascade's second (better, slower) model: a directory with tokenizer.json and ONNX.")
    Path thenModel;

    @Option(
            names = "--then-onnx-file",
            paramLabel = "FILE",
            description = "The ONNX file inside --then-model (default: the engine's choice).")
    String thenOnnxFile;

    @Option(
            names = "--queries",
            paramLabel = "N",
            description = "Measured questions (sampled from the file; default: ${DEFAULT-VALUE}).")
    int queries = 30;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            description = "Questions run first and not measured (default: ${DEFAULT-VALUE}).")
    int warmup = 3;

    @Option(
            names = "--rerank-docs",
            paramLabel = "N",
            description = "reRankDocs: hits the first stage (and the single pass) scores (default: ${DEFAULT-VALUE}).")
    int reRankDocs = 200;

    @Option(
            names = "--then-docs",
            paramLabel = "M",
            description = "thenDocs: the head of stage 1 the second model reorders (default: ${DEFAULT-VALUE}).")
    int thenDocs = 30;

    @Option(names = "--seed", description = "Seed of the question sample (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--json", description = "Print one JSON object on one line.")
    boolean json;

    @Mixin
    ModelOptions engine = new ModelOptions();

    /** One compared way of answering a question. */
    private enum Method {
        BM25("bm25", "/select"),
        FIRST("first", "/search"),
        CASCADE("cascade", "/search"),
        SECOND_ONLY("then", "/search");

        final String key;
        final String handler;

        Method(String key, String handler) {
            this.key = key;
            this.handler = handler;
        }
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (queries < 1 || warmup < 0 || reRankDocs < 1 || thenDocs < 1 || thenDocs > reRankDocs) {
            throw new ParameterException(
                    cl,
                    "--queries, --rerank-docs and --then-docs must be >= 1, --then-docs <= --rerank-docs,"
                            + " --warmup >= 0");
        }
        EmbeddedSolr.quietLogging();
        Path home = EmbeddedSolr.repoRoot();
        Path file = JsquadFile.validSplit(data, home, cl);
        JsquadDataset ds = JsquadDataset.read(file).sampleQuestions(warmup + queries, seed);
        List<JsquadDataset.Question> questions = ds.questions();
        ModelChoice first = ModelChoice.choose(home, engine.model(), engine.onnxFile());
        ModelChoice second = ModelChoice.choose(home, thenModel, thenOnnxFile);
        Path conf =
                EmbeddedSolr.configsetWithModels(EmbeddedSolr.configset(home), Map.of(SECOND, second), engine.given());
        int n = questions.size() - warmup;
        Map<Method, double[]> millis = new LinkedHashMap<>();
        Map<Method, long[]> pairs = new LinkedHashMap<>();
        Map<Method, Integer> paragraphInTop10 = new LinkedHashMap<>();
        for (Method m : Method.values()) {
            millis.put(m, new double[n]);
            pairs.put(m, new long[n]);
            paragraphInTop10.put(m, 0);
        }
        double[] overlap = new double[n];
        double[] cascadeOverSecond = new double[n];
        try (AutoCloseable noPairCache = EmbeddedSolr.pairCacheSize(0); // every pair is model work
                EmbeddedSolr solr = EmbeddedSolr.start(conf, CORE, 0, first, engine.given())) {
            SolrSearchClient client = new SolrSearchClient(URI.create(solr.coreUrl()), Duration.ofMinutes(10));
            new JsquadBenchmark(
                            client,
                            "/search",
                            10,
                            new JsquadBenchmark.Fields("id", "title", "body"),
                            (l, c) -> ProgressBar.disabled())
                    .index(ds, 500);
            CoreMetrics metrics = new CoreMetrics(solr.baseUrl(), CORE);
            Method[] methods = Method.values();
            for (int qi = 0; qi < questions.size(); qi++) {
                JsquadDataset.Question question = questions.get(qi);
                int row = qi - warmup;
                Map<Method, List<String>> top10 = new LinkedHashMap<>();
                for (int k = 0; k < methods.length; k++) {
                    Method m = methods[(qi + k) % methods.length];
                    long p0 = metrics.count("pairs");
                    long t0 = System.nanoTime();
                    List<SolrSearchClient.Hit> hits = client.search(m.handler, params(m, question.question()), "id");
                    double ms = (System.nanoTime() - t0) / 1e6;
                    long scored = metrics.count("pairs") - p0;
                    List<String> ids = new ArrayList<>();
                    hits.forEach(h -> ids.add(h.id()));
                    top10.put(m, ids);
                    if (row >= 0) {
                        millis.get(m)[row] = ms;
                        pairs.get(m)[row] = scored;
                        if (ids.contains(question.paragraphId())) {
                            paragraphInTop10.merge(m, 1, Integer::sum);
                        }
                    }
                }
                if (row >= 0) {
                    overlap[row] = overlap(top10.get(Method.CASCADE), top10.get(Method.SECOND_ONLY));
                    cascadeOverSecond[row] = millis.get(Method.CASCADE)[row] / millis.get(Method.SECOND_ONLY)[row];
                }
            }
        } finally {
            EmbeddedSolr.deleteTree(conf.getParent());
        }
        ObjectNode result = JSON.createObjectNode();
        result.put("data", file.toString());
        result.put("paragraphs", ds.paragraphs().size());
        result.put("queries", n);
        result.put("warmup", warmup);
        result.put("reRankDocs", reRankDocs);
        result.put("thenDocs", thenDocs);
        result.put("firstModel", first.describe());
        result.put("secondModel", second.describe());
        result.put("randomWeights", first.randomWeights() || second.randomWeights());
        ObjectNode byMethod = result.putObject("methods");
        for (Method m : Method.values()) {
            ObjectNode node = byMethod.putObject(m.key);
            node.put("request", describe(m));
            double[] ms = millis.get(m);
            node.put("p50Ms", Samples.percentile(ms, 50));
            node.put("p95Ms", Samples.percentile(ms, 95));
            node.put("meanMs", Samples.mean(ms));
            node.put("pairsPerQuery", Arrays.stream(pairs.get(m)).average().orElse(0));
            node.put("paragraphInTop10", paragraphInTop10.get(m) / (double) n);
        }
        ObjectNode cmp = result.putObject("cascadeVsSecondModel");
        cmp.put("timeRatioMedian", Samples.percentile(cascadeOverSecond, 50));
        cmp.put("timeRatioMin", Samples.percentile(cascadeOverSecond, 0));
        cmp.put("timeRatioMax", Samples.percentile(cascadeOverSecond, 100));
        // the cascade's pairs beyond stage 1 (the first model alone) are the second model's
        long secondModelPairs = Arrays.stream(pairs.get(Method.CASCADE)).sum()
                - Arrays.stream(pairs.get(Method.FIRST)).sum();
        cmp.put(
                "pairsOfSecondModel",
                secondModelPairs
                        / (double) Arrays.stream(pairs.get(Method.SECOND_ONLY)).sum());
        cmp.put("top10Overlap", Samples.mean(overlap));
        PrintWriter out = cl.getOut();
        out.println(
                json
                        ? JSON.writeValueAsString(result)
                        : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        out.flush();
        return 0;
    }

    /** The request parameters of one method (the question escaped, so it stays text). */
    private List<Map.Entry<String, String>> params(Method m, String question) {
        List<Map.Entry<String, String>> p = new ArrayList<>();
        p.add(Map.entry("q", SolrSearchClient.escapeQueryChars(question)));
        p.add(Map.entry("rows", "10"));
        if (m != Method.BM25) {
            p.add(Map.entry("rq", describe(m)));
        }
        return p;
    }

    private String describe(Method m) {
        return switch (m) {
            case BM25 -> "(none: /select)";
            case FIRST -> "{!jarerank model=ja reRankDocs=" + reRankDocs + "}";
            case CASCADE ->
                "{!jarerank model=ja reRankDocs=" + reRankDocs + " then=" + SECOND + " thenDocs=" + thenDocs + "}";
            case SECOND_ONLY -> "{!jarerank model=" + SECOND + " reRankDocs=" + reRankDocs + "}";
        };
    }

    /** |a ∩ b| / max(|a|, |b|): 1 when both lists hold the same hits, in any order. */
    static double overlap(List<String> a, List<String> b) {
        int size = Math.max(a.size(), b.size());
        if (size == 0) {
            return 1.0;
        }
        Set<String> set = new HashSet<>(a);
        return b.stream().filter(set::contains).count() / (double) size;
    }
}
