package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.evaluation.jsquad.JsquadDataset;
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

    @Mixin
    JsquadDataOption data = new JsquadDataOption();

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

    /** reRankDocs: the hits the first stage (and the single pass) scores. */
    @Mixin
    RerankDocsOption window = new RerankDocsOption(200);

    @Option(
            names = "--then-docs",
            paramLabel = "M",
            description = "thenDocs: the head of stage 1 the second model reorders (default: ${DEFAULT-VALUE}).")
    int thenDocs = 30;

    @Option(names = "--seed", description = "Seed of the question sample (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    /** --json: one line; without it, the same object indented. */
    @Mixin
    JsonOption json = new JsonOption();

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
        int reRankDocs = window.value();
        if (queries < 1 || warmup < 0 || reRankDocs < 1 || thenDocs < 1 || thenDocs > reRankDocs) {
            throw new ParameterException(
                    cl,
                    "--queries, --rerank-docs and --then-docs must be >= 1, --then-docs <= --rerank-docs,"
                            + " --warmup >= 0");
        }
        Path home = EmbeddedSolr.repoRoot();
        Path file = data.validSplit(home);
        JsquadDataset ds = JsquadDataset.read(file).sampleQuestions(warmup + queries, seed);
        ModelChoice first = ModelChoice.choose(home, engine.model(), engine.onnxFile());
        ModelChoice second = ModelChoice.choose(home, thenModel, thenOnnxFile);
        Path conf =
                EmbeddedSolr.configsetWithModels(EmbeddedSolr.configset(home), Map.of(SECOND, second), engine.given());
        Measurements measured = new Measurements(ds.questions().size() - warmup);
        try (WorkloadSolr solr = WorkloadSolr.builder(CORE, first, engine)
                .configset(conf)
                .documents(SolrWorkload.documents(ds))
                .pairCacheSize(0) // every pair is model work
                .start()) {
            SolrSearchClient client = new SolrSearchClient(URI.create(solr.coreUrl()), Duration.ofMinutes(10));
            CoreMetrics metrics = new CoreMetrics(solr.baseUrl(), CORE);
            List<JsquadDataset.Question> questions = ds.questions();
            for (int qi = 0; qi < questions.size(); qi++) {
                ask(client, metrics, questions.get(qi), qi, measured);
            }
        } finally {
            EmbeddedSolr.deleteTree(conf.getParent());
        }
        ObjectNode result = JSON.createObjectNode();
        result.put("data", file.toString());
        result.put("paragraphs", ds.paragraphs().size());
        result.put("queries", measured.n);
        result.put("warmup", warmup);
        result.put("reRankDocs", reRankDocs);
        result.put("thenDocs", thenDocs);
        result.put("firstModel", first.describe());
        result.put("secondModel", second.describe());
        result.put("randomWeights", first.randomWeights() || second.randomWeights());
        result.set("methods", methodsJson(measured));
        result.set("cascadeVsSecondModel", comparisonJson(measured));
        PrintWriter out = cl.getOut();
        out.println(
                json.enabled()
                        ? JSON.writeValueAsString(result)
                        : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        out.flush();
        return 0;
    }

    /**
     * Asks question number {@code qi} by every method, back to back in an order that rotates with {@code qi}; records
     * it in {@code measured} unless it is one of the warm-up questions.
     */
    private void ask(
            SolrSearchClient client,
            CoreMetrics metrics,
            JsquadDataset.Question question,
            int qi,
            Measurements measured)
            throws Exception {
        Method[] methods = Method.values();
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
                measured.millis.get(m)[row] = ms;
                measured.pairs.get(m)[row] = scored;
                if (ids.contains(question.paragraphId())) {
                    measured.paragraphInTop10.merge(m, 1, Integer::sum);
                }
            }
        }
        if (row >= 0) {
            measured.overlap[row] = overlap(top10.get(Method.CASCADE), top10.get(Method.SECOND_ONLY));
            measured.cascadeOverSecond[row] =
                    measured.millis.get(Method.CASCADE)[row] / measured.millis.get(Method.SECOND_ONLY)[row];
        }
    }

    private ObjectNode methodsJson(Measurements measured) {
        ObjectNode byMethod = JSON.createObjectNode();
        for (Method m : Method.values()) {
            ObjectNode node = byMethod.putObject(m.key);
            node.put("request", describe(m));
            double[] ms = measured.millis.get(m);
            node.put("p50Ms", Samples.percentile(ms, 50));
            node.put("p95Ms", Samples.percentile(ms, 95));
            node.put("meanMs", Samples.mean(ms));
            node.put(
                    "pairsPerQuery",
                    Arrays.stream(measured.pairs.get(m)).average().orElse(0));
            node.put("paragraphInTop10", measured.paragraphInTop10.get(m) / (double) measured.n);
        }
        return byMethod;
    }

    private static ObjectNode comparisonJson(Measurements measured) {
        ObjectNode cmp = JSON.createObjectNode();
        cmp.put("timeRatioMedian", Samples.percentile(measured.cascadeOverSecond, 50));
        cmp.put("timeRatioMin", Samples.percentile(measured.cascadeOverSecond, 0));
        cmp.put("timeRatioMax", Samples.percentile(measured.cascadeOverSecond, 100));
        // the cascade's pairs beyond stage 1 (the first model alone) are the second model's
        long secondModelPairs =
                Arrays.stream(measured.pairs.get(Method.CASCADE)).sum()
                        - Arrays.stream(measured.pairs.get(Method.FIRST)).sum();
        cmp.put(
                "pairsOfSecondModel",
                secondModelPairs
                        / (double) Arrays.stream(measured.pairs.get(Method.SECOND_ONLY))
                                .sum());
        cmp.put("top10Overlap", Samples.mean(measured.overlap));
        return cmp;
    }

    /** What the measured (not warm-up) questions gave, by method and question. */
    private static final class Measurements {
        final int n;
        final Map<Method, double[]> millis = new LinkedHashMap<>();
        final Map<Method, long[]> pairs = new LinkedHashMap<>();
        final Map<Method, Integer> paragraphInTop10 = new LinkedHashMap<>();
        final double[] overlap;
        final double[] cascadeOverSecond;

        Measurements(int n) {
            this.n = n;
            for (Method m : Method.values()) {
                millis.put(m, new double[n]);
                pairs.put(m, new long[n]);
                paragraphInTop10.put(m, 0);
            }
            overlap = new double[n];
            cascadeOverSecond = new double[n];
        }
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
            case FIRST -> "{!jarerank model=ja reRankDocs=" + window.value() + "}";
            case CASCADE ->
                "{!jarerank model=ja reRankDocs=" + window.value() + " then=" + SECOND + " thenDocs=" + thenDocs + "}";
            case SECOND_ONLY -> "{!jarerank model=" + SECOND + " reRankDocs=" + window.value() + "}";
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
