package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.evaluation.jsquad.JsquadDataset;
import io.github.jareranker.evaluation.solr.SolrSearchClient;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code bench-pipeline}: counts what the rerank-pipeline features save on a JSQuAD workload, in one
 * run against one in-process Solr (example configset, JSQuAD paragraphs indexed): the pair-score
 * cache for paging and for a replayed query log with Zipf-distributed repetition, each pass once
 * without the cache ({@code reRankCache=false}) and once with it. Reports counts read from the core's
 * metrics (pairs the model scored, cache hits and misses), not timings; {@code --timings} adds the
 * wall time of each pass for whoever measures latency on a quiet machine.
 */
@Command(
        name = "bench-pipeline",
        mixinStandardHelpOptions = true,
        description = {
            "Count the model pairs the pair-score cache saves on JSQuAD: paging (pages 1-3) and a replayed"
                    + " query log with Zipf repetition, each without and with the cache, in one run.",
            "  ja-reranker bench-pipeline --queries 500 --requests 2000 --json"
        })
public final class PipelineBenchCommand implements Callable<Integer> {
    private static final String CORE = "jsquad";
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    JsquadDataOption data = new JsquadDataOption();

    @Option(
            names = "--queries",
            paramLabel = "N",
            description = "Distinct queries (JSQuAD questions, sampled; default: ${DEFAULT-VALUE}).")
    int queries = 500;

    @Option(
            names = "--requests",
            paramLabel = "N",
            description = "Requests in the replayed log (default: ${DEFAULT-VALUE}).")
    int requests = 2000;

    @Option(
            names = "--zipf",
            paramLabel = "S",
            description = "Zipf exponent of the log: query of popularity rank r is drawn with weight 1/r^S"
                    + " (default: ${DEFAULT-VALUE}).")
    double zipf = 1.0;

    /** reRankDocs of every request. */
    @Mixin
    RerankDocsOption window = new RerankDocsOption(30);

    @Option(
            names = "--cache-size",
            paramLabel = "N",
            description = "pairCacheSize, entries (default: ${DEFAULT-VALUE}).")
    int cacheSize = 100_000;

    @Option(names = "--seed", description = "Seed of the query sample and the log (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--port", description = "Port of the in-process Solr (default: any free port).")
    int port;

    @Option(names = "--timings", description = "Also print the wall time of each pass (meaningful on a quiet machine).")
    boolean timings;

    /** --json: one line; without it, the same object indented. */
    @Mixin
    JsonOption json = new JsonOption();

    @Mixin
    ModelOptions engine = new ModelOptions();

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        int reRankDocs = window.value();
        if (queries < 1 || requests < 1 || reRankDocs < 1 || cacheSize < 1 || !(zipf >= 0)) {
            throw new ParameterException(
                    cl, "--queries, --requests, --rerank-docs, --cache-size must be >= 1 and --zipf >= 0");
        }
        Path home = EmbeddedSolr.repoRoot();
        Path file = data.validSplit(home);
        JsquadDataset ds = JsquadDataset.read(file).sampleQuestions(queries, seed);
        List<String> texts = new ArrayList<>();
        ds.questions().forEach(q -> texts.add(q.question()));
        ModelChoice chosen = ModelChoice.choose(home, engine.model(), engine.onnxFile());
        PrintWriter out = cl.getOut();
        ObjectNode result = JSON.createObjectNode();
        result.put("data", file.toString());
        result.put("paragraphs", ds.paragraphs().size());
        result.put("queries", texts.size());
        result.put("model", chosen.describe());
        result.put("reRankDocs", reRankDocs);
        // Paging: each query's pages 1, 2 and 3 (rows 10) in turn, as a user pages. Solr's queryResultCache
        // (queryResultWindowSize 20 in the example configset) answers page 2; page 3 needs a new search.
        result.set("paging", compare(chosen, ds, texts, true, null));
        // The log: Zipf over the distinct queries (popularity = sample order). As is, repeats may be answered
        // by the queryResultCache; with a per-request filter that keeps every document (facet clicks,
        // per-user filters) they are not.
        List<String> log = zipfLog(texts, requests, zipf, new Random(seed));
        result.put("requests", log.size());
        result.put("distinctInLog", log.stream().distinct().count());
        result.set("zipfReplay", compare(chosen, ds, log, false, null));
        result.set("zipfReplayVaryingFilter", compare(chosen, ds, log, false, "*:* -id:none-"));
        if (json.enabled()) {
            out.println(JSON.writeValueAsString(result));
        } else {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        }
        out.flush();
        return 0;
    }

    /** {@code n} queries drawn from {@code texts} (popularity rank = list order) with weight 1/rank^s. */
    static List<String> zipfLog(List<String> texts, int n, double s, Random random) {
        double[] cumulative = new double[texts.size()];
        double sum = 0;
        for (int r = 0; r < cumulative.length; r++) {
            sum += 1 / Math.pow(r + 1, s);
            cumulative[r] = sum;
        }
        List<String> log = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble() * sum;
            int lo = 0;
            int hi = cumulative.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            log.add(texts.get(lo));
        }
        return log;
    }

    /**
     * Runs {@code log} twice, without and with the pair cache, each on a freshly started Solr (so each pass
     * starts with empty caches: the pair cache lives while a core uses its model) and counts.
     *
     * @param paging whether each request is followed by its pages 2 and 3 (counted per page)
     * @param filterPrefix a filter prefix made unique per request, or null for none
     */
    private ObjectNode compare(
            ModelChoice chosen, JsquadDataset ds, List<String> log, boolean paging, String filterPrefix)
            throws Exception {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode without = pass(chosen, ds, log, paging, filterPrefix, false);
        ObjectNode with = pass(chosen, ds, log, paging, filterPrefix, true);
        node.set("noCache", without);
        node.set("pairCache", with);
        long a = without.get("pairsScored").asLong();
        long b = with.get("pairsScored").asLong();
        node.put("pairsSavedFraction", a == 0 ? 0.0 : (a - b) / (double) a);
        return node;
    }

    private ObjectNode pass(
            ModelChoice chosen, JsquadDataset ds, List<String> log, boolean paging, String filterPrefix, boolean cache)
            throws Exception {
        try (WorkloadSolr solr = WorkloadSolr.builder(CORE, chosen, engine)
                .port(port)
                .documents(SolrWorkload.documents(ds))
                .pairCacheSize(cacheSize)
                .start()) {
            SolrSearchClient client = new SolrSearchClient(URI.create(solr.coreUrl()), Duration.ofMinutes(5));
            CoreMetrics metrics = new CoreMetrics(solr.baseUrl(), CORE);
            int pages = paging ? 3 : 1;
            long[] pairs = new long[pages];
            long[] hits = new long[pages];
            long[] misses = new long[pages];
            int serial = 0;
            long t0 = System.nanoTime();
            for (String q : log) {
                for (int page = 0; page < pages; page++) {
                    long p0 = metrics.count("pairs");
                    long h0 = metrics.count("pairCache.hits");
                    long m0 = metrics.count("pairCache.misses");
                    List<Map.Entry<String, String>> p = new ArrayList<>();
                    p.add(Map.entry("q", SolrSearchClient.escapeQueryChars(q)));
                    p.add(Map.entry("start", String.valueOf(page * 10)));
                    p.add(Map.entry("rows", "10"));
                    p.add(Map.entry("rq", "{!jarerank reRankDocs=" + window.value() + " reRankCache=" + cache + "}"));
                    if (filterPrefix != null) {
                        p.add(Map.entry("fq", filterPrefix + (serial++)));
                    }
                    client.search("/search", p, "id");
                    pairs[page] += metrics.count("pairs") - p0;
                    hits[page] += metrics.count("pairCache.hits") - h0;
                    misses[page] += metrics.count("pairCache.misses") - m0;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            ObjectNode n = JSON.createObjectNode();
            n.put("requests", log.size() * pages);
            n.put("pairsScored", Arrays.stream(pairs).sum());
            long h = Arrays.stream(hits).sum();
            long m = Arrays.stream(misses).sum();
            n.put("cacheHits", h);
            n.put("cacheMisses", m);
            n.put("hitRate", h + m == 0 ? 0.0 : h / (double) (h + m));
            if (paging) {
                for (int page = 0; page < pages; page++) {
                    ObjectNode pn = n.putObject("page" + (page + 1));
                    pn.put("pairsScored", pairs[page]);
                    pn.put("cacheHits", hits[page]);
                    pn.put("cacheMisses", misses[page]);
                }
            }
            if (timings) {
                n.put("wallSeconds", seconds);
            }
            return n;
        }
    }
}
