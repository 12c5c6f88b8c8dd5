package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.encoder.EngineOption;
import io.github.jareranker.evaluation.data.DataLocations;
import io.github.jareranker.evaluation.longpages.LongPageSet;
import io.github.jareranker.evaluation.report.ResultsFileOption;
import io.github.jareranker.evaluation.report.Samples;
import io.github.jareranker.solr.client.SolrClients;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.util.NamedList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code bench-ab}: this build's Solr plugin against an older build's, at user level, in one run. One Solr node (a JVM
 * of its own, {@link AbSolrNode}) serves two cores over the same long pages and the same model: {@code baseline} with
 * the older build's plugin jars and configset, {@code current} with this build's. One client asks each question of
 * both cores, one request at a time, alternating which goes first, and compares the latencies it sees (BM25 top
 * {@code reRankDocs} reranked through {@code /search}). {@code benchmarks/ab-solr.sh REV} builds the older commit and
 * runs this command.
 */
@Command(
        name = "bench-ab",
        mixinStandardHelpOptions = true,
        description = {
            "Solr A/B at user level: this build's plugin against an older build's (its jars and configset), one"
                    + " client, requests alternating, long pages reranked top reRankDocs. benchmarks/ab-solr.sh REV"
                    + " builds the older commit and runs it.",
            "  ja-reranker bench-ab --baseline-lib DIR --baseline-conf DIR --model models/bench-tiny-v2"
                    + " --onnx-file onnx/model_qint8_avx2.onnx",
            ""
        })
final class BenchAbCommand implements Callable<Integer> {
    static final String BASELINE = "baseline";
    static final String CURRENT = "current";
    private static final String MORE_PREFIX = "more-";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 10;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions engine = new ModelOptions();

    @Option(
            names = "--baseline-lib",
            required = true,
            paramLabel = "DIR",
            description = "The older build's plugin jars (its ja-reranker-*.jar), put in the baseline core's lib/.")
    Path baselineLib;

    @Option(
            names = "--baseline-conf",
            required = true,
            paramLabel = "DIR",
            description = "The older build's configset conf folder (its example-configset/conf).")
    Path baselineConf;

    @Option(
            names = "--baseline-name",
            paramLabel = "TEXT",
            description = "What the baseline is, for the report (e.g. its commit; default: the lib folder).")
    String baselineName;

    @Option(
            names = "--queries",
            paramLabel = "N",
            description = "Measured questions, each asked of both builds (default: ${DEFAULT-VALUE}).")
    int queries = 100;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            description = "Questions asked of both builds first, not measured (default: ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Option(
            names = "--node-heap",
            paramLabel = "SIZE",
            description = "Heap of the Solr node's JVM (default: ${DEFAULT-VALUE}).")
    String nodeHeap = "2g";

    @Option(
            names = "--more-pages",
            paramLabel = "FILE",
            description = "A JSQuAD file whose long pages are indexed too (ids prefixed more-), so that the first pass"
                    + " has reRankDocs candidates: the questions' own split has about 60 long pages (default: the"
                    + " test split of the full data when it is there; 'none' for none).")
    String morePages;

    @Option(
            names = "--copies",
            paramLabel = "N",
            description = "Index each long page N times under ids of its own, so that the first pass has about"
                    + " reRankDocs hits: the JSQuAD long pages are 131 in all and a question matches about half of"
                    + " them (default: ${DEFAULT-VALUE}). Copies are scored like any page; the pair cache keys on the"
                    + " id, so no copy is served from it.")
    int copies = 2;

    @Mixin
    RerankDocsOption window = new RerankDocsOption(100);

    @Mixin
    JsquadDataOption data = new JsquadDataOption();

    @Mixin
    ResultsFileOption results = new ResultsFileOption();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int reRankDocs = window.value();
        if (queries < 1 || warmup < 0 || reRankDocs < 1 || copies < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--queries, --copies and --rerank-docs must be >= 1, --warmup >= 0");
        }
        List<Path> baselineJars = jarsIn(baselineLib, "--baseline-lib");
        if (!Files.isRegularFile(baselineConf.resolve("solrconfig.xml"))) {
            throw new ParameterException(spec.commandLine(), "--baseline-conf: no solrconfig.xml in " + baselineConf);
        }
        Path home = EmbeddedSolr.repoRoot();
        ModelChoice chosen = ModelChoice.choose(home, engine.model(), engine.onnxFile());
        Path file = data.validSplitOrCommittedSlice(home);
        LongPageSet pages = LongPageSet.build(file);
        List<String> questions = distinctQuestions(pages, warmup + queries);
        List<LongPageSet.Page> all = new ArrayList<>(pages.pages());
        Path more = morePagesFile(home);
        if (more != null) {
            for (LongPageSet.Page p : LongPageSet.build(more).pages()) {
                all.add(new LongPageSet.Page(MORE_PREFIX + p.id(), p.title(), p.body(), p.paragraphIds()));
            }
        }
        List<SolrInputDocument> documents = documents(all, copies);
        RuntimeJars jars = RuntimeJars.ofRunningCli();
        String baseline = baselineName != null ? baselineName : baselineLib.toString();
        out.printf(
                Locale.ROOT,
                "Solr A/B: %s (baseline) vs this build, one client, alternating%n  model: %s%s%n"
                        + "  data:  %s (%d long pages, %d with %s, indexed %d times: %d documents; %d measured"
                        + " questions after %d warm-up)%n",
                baseline,
                chosen.describe(),
                chosen.randomWeights() ? " (RANDOM WEIGHTS: speed only)" : "",
                file,
                pages.pages().size(),
                all.size(),
                more == null ? "no more pages" : more,
                copies,
                documents.size(),
                queries,
                warmup);
        out.flush();
        Path work = Files.createTempDirectory("ja-reranker-ab-");
        try {
            Path solrHome = work.resolve("home");
            Files.createDirectories(solrHome);
            Files.writeString(solrHome.resolve("solr.xml"), "<solr/>\n", StandardCharsets.UTF_8);
            writeCore(solrHome.resolve(BASELINE), baselineConf, baselineJars);
            writeCore(solrHome.resolve(CURRENT), EmbeddedSolr.configset(home), jars.project());
            List<Path> nodeClassPath = new ArrayList<>();
            nodeClassPath.add(jars.cliJar());
            nodeClassPath.addAll(jars.thirdParty());
            try (AbNodeProcess node = AbNodeProcess.start(
                            solrHome,
                            nodeClassPath,
                            nodeProperties(chosen, solrHome),
                            nodeHeap,
                            Duration.ofMinutes(10));
                    SolrClient client = SolrClients.http(node.baseUrl(), Duration.ofMinutes(5))) {
                for (String core : List.of(BASELINE, CURRENT)) {
                    client.add(core, documents);
                    client.commit(core);
                }
                AbRun run = new AbRun(client, reRankDocs);
                for (String q : questions.subList(0, warmup)) {
                    run.ask(q, true);
                }
                run.clear();
                for (String q : questions.subList(warmup, questions.size())) {
                    run.ask(q, false);
                }
                ObjectNode result = report(out, run, baseline, chosen, reRankDocs, documents.size());
                if (results.write(spec.root().name(), result)) {
                    out.println("  results written to " + results.file());
                }
                return run.problems().isEmpty() ? 0 : 1;
            }
        } finally {
            EmbeddedSolr.deleteTree(work);
        }
    }

    private List<Path> jarsIn(Path dir, String option) throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                        .sorted()
                        .forEach(found::add);
            }
        }
        if (found.isEmpty()) {
            throw new ParameterException(spec.commandLine(), option + ": no jar in " + dir);
        }
        return found;
    }

    /** A core folder: {@code conf} copied, the plugin jars copied into {@code lib/}, a core.properties. */
    private static void writeCore(Path core, Path conf, List<Path> pluginJars) throws IOException {
        EmbeddedSolr.copyTree(conf, core.resolve("conf"));
        Path lib = Files.createDirectories(core.resolve("lib"));
        for (Path jar : pluginJars) {
            Files.copy(jar, lib.resolve(jar.getFileName().toString()));
        }
        Files.writeString(core.resolve("core.properties"), "name=" + core.getFileName() + "\n", StandardCharsets.UTF_8);
    }

    /**
     * The node's system properties: the configsets' {@code ${jareranker.*}} placeholders (model, ONNX file and the
     * engine flags given, the same for both cores), Solr's host and folders, quiet logging, and this JVM's offline
     * and native-cache settings.
     */
    private Map<String, String> nodeProperties(ModelChoice chosen, Path solrHome) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("jareranker.model.dir", chosen.dir().toAbsolutePath().toString());
        p.put("jareranker.onnx.file", chosen.onnxFile());
        engine.given().forEach((option, value) -> {
            if (option != EngineOption.ONNX_FILE) {
                p.put("jareranker." + option.key(), value);
            }
        });
        p.put("host", "127.0.0.1");
        p.put("solr.log.dir", solrHome.resolve("logs").toString());
        p.put("solr.install.dir", solrHome.toString());
        p.put("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        p.put("org.slf4j.simpleLogger.log.org.apache.solr", "error");
        p.put("org.slf4j.simpleLogger.log.ai.djl", "error");
        for (String inherited : List.of("ai.djl.offline", "OPT_OUT_TRACKING", "ja-reranker.native.cache")) {
            String value = System.getProperty(inherited);
            if (value != null) {
                p.put(inherited, value);
            }
        }
        return p;
    }

    /** The first {@code n} distinct question texts of the long pages, or a usage error when there are fewer. */
    private List<String> distinctQuestions(LongPageSet pages, int n) {
        Set<String> distinct = new LinkedHashSet<>();
        for (LongPageSet.PageQuestion q : pages.questions()) {
            if (distinct.size() == n) {
                break;
            }
            distinct.add(q.question().trim());
        }
        if (distinct.size() < n) {
            throw new ParameterException(
                    spec.commandLine(),
                    "the long pages have " + distinct.size() + " distinct questions; this run needs " + n
                            + " (lower --queries or --warmup, or give the full data with --data)");
        }
        return List.copyOf(distinct);
    }

    /** {@code --more-pages}, else the test split of the full data if it is there; null for none. */
    private Path morePagesFile(Path home) {
        if ("none".equals(morePages)) {
            return null;
        }
        if (morePages != null) {
            Path given = Path.of(morePages);
            if (!Files.isRegularFile(given)) {
                throw new ParameterException(spec.commandLine(), "--more-pages: no file " + given);
            }
            return given;
        }
        return DataLocations.jsquad(home, "test").orElse(null);
    }

    /**
     * The pages as documents of the example configset (id, title, body), each {@code copies} times: the first under
     * the page's id, the others under {@code id#2}, {@code id#3}, ...
     */
    static List<SolrInputDocument> documents(List<LongPageSet.Page> pages, int copies) {
        List<SolrInputDocument> docs = new ArrayList<>();
        for (int copy = 1; copy <= copies; copy++) {
            for (LongPageSet.Page page : pages) {
                SolrInputDocument d = new SolrInputDocument();
                d.addField("id", copy == 1 ? page.id() : page.id() + "#" + copy);
                d.addField("title", page.title());
                d.addField("body", page.body());
                docs.add(d);
            }
        }
        return docs;
    }

    private static ObjectNode report(
            PrintWriter out, AbRun run, String baseline, ModelChoice chosen, int reRankDocs, int pages) {
        ObjectNode result = JSON.createObjectNode();
        result.put("baseline", baseline);
        result.put("model", chosen.describe());
        result.put("workload", "long pages (4-8 JSQuAD paragraphs joined), " + pages + " documents indexed");
        result.put("reRankDocs", reRankDocs);
        result.put("meanCandidates", run.meanCandidates());
        result.put("queries", run.latencies(CURRENT).length);
        result.put(
                "order",
                "one client, one request at a time; each question asked of both cores, first core" + " alternating");
        out.printf(Locale.ROOT, "%n%-9s %9s %9s %9s %11s%n", "build", "p50 ms", "p90 ms", "mean ms", "QTime p50");
        ObjectNode builds = result.putObject("builds");
        for (String core : List.of(BASELINE, CURRENT)) {
            double[] ms = run.latencies(core);
            double p50 = Samples.percentile(ms, 50);
            double p90 = Samples.percentile(ms, 90);
            double mean = Samples.mean(ms);
            double qtimeP50 = Samples.percentile(run.qtimes(core), 50);
            ObjectNode b = builds.putObject(core);
            b.put("p50Ms", p50);
            b.put("p90Ms", p90);
            b.put("meanMs", mean);
            b.put("qtimeP50Ms", qtimeP50);
            ArrayNode raw = b.putArray("latenciesMs");
            for (double v : ms) {
                raw.add(v);
            }
            out.printf(Locale.ROOT, "%-9s %9.1f %9.1f %9.1f %11.1f%n", core, p50, p90, mean, qtimeP50);
        }
        AbRun.Comparison c = run.compare();
        ObjectNode speedup = result.putObject("speedup");
        speedup.put("p50", c.p50Ratio());
        speedup.put("mean", c.meanRatio());
        speedup.put("pairedMedian", c.pairedMedian());
        speedup.put("pairedP25", c.pairedP25());
        speedup.put("pairedP75", c.pairedP75());
        speedup.put("currentFasterShare", c.currentFasterShare());
        result.put("sameTop10", run.sameTop10());
        result.put("problems", run.problems().size());
        result.putPOJO(
                "problemExamples",
                run.problems().subList(0, Math.min(5, run.problems().size())));
        out.printf(
                Locale.ROOT,
                "this build is %.2fx the baseline at p50 (%.2fx mean; per question median %.2fx, IQR %.2f-%.2f;"
                        + " faster in %.0f%% of questions)%n  %.1f candidates reranked per request;"
                        + " same top %d in %d of %d questions; %d problems%n",
                c.p50Ratio(),
                c.meanRatio(),
                c.pairedMedian(),
                c.pairedP25(),
                c.pairedP75(),
                100 * c.currentFasterShare(),
                run.meanCandidates(),
                ROWS,
                run.sameTop10(),
                run.latencies(CURRENT).length,
                run.problems().size());
        run.problems().stream().limit(5).forEach(p -> out.println("  problem: " + p));
        return result;
    }

    /**
     * The requests of one A/B run and what they measured: per core, the client-side latency and Solr's QTime of each
     * measured question, the top {@link #ROWS} ids, and every response that was not a complete rerank. Not
     * thread-safe (one client, one request at a time).
     */
    static final class AbRun {
        private final SolrClient client;
        private final int reRankDocs;
        private final Map<String, List<Double>> latencies = new LinkedHashMap<>();
        private final Map<String, List<Double>> qtimes = new LinkedHashMap<>();
        private final Map<String, List<List<String>>> tops = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();
        private long candidates;
        private int measured;
        private int asked;

        AbRun(SolrClient client, int reRankDocs) {
            this.client = client;
            this.reRankDocs = reRankDocs;
            clear();
        }

        /** Forgets what was measured so far (after the warm-up); the alternation goes on. */
        void clear() {
            for (String core : List.of(BASELINE, CURRENT)) {
                latencies.put(core, new ArrayList<>());
                qtimes.put(core, new ArrayList<>());
                tops.put(core, new ArrayList<>());
            }
            problems.clear();
            candidates = 0;
            measured = 0;
        }

        /** Asks {@code q} of both cores, the first one alternating question by question. */
        void ask(String q, boolean warmup) throws Exception {
            List<String> order =
                    firstCore(asked++).equals(BASELINE) ? List.of(BASELINE, CURRENT) : List.of(CURRENT, BASELINE);
            for (String core : order) {
                long start = System.nanoTime();
                QueryResponse r = SolrWorkload.search(client, core, q, reRankDocs, ROWS, "id,score");
                double ms = (System.nanoTime() - start) / 1e6;
                String problem = problem(r);
                if (problem != null) {
                    problems.add(core + ", question '" + q + "': " + problem);
                }
                if (!warmup) {
                    candidates += Math.min(reRankDocs, r.getResults().getNumFound());
                    measured++;
                    latencies.get(core).add(ms);
                    qtimes.get(core).add((double) r.getQTime());
                    List<String> ids = new ArrayList<>();
                    for (SolrDocument d : r.getResults()) {
                        ids.add((String) d.getFieldValue("id"));
                    }
                    tops.get(core).add(ids);
                }
            }
        }

        /** The core asked first for the {@code i}-th question (from 0): baseline on even, current on odd. */
        static String firstCore(int i) {
            return i % 2 == 0 ? BASELINE : CURRENT;
        }

        /** Why {@code r} is not a complete rerank (partial results, no rerank header, no hits), or null. */
        static String problem(QueryResponse r) {
            NamedList<?> header = r.getResponseHeader();
            if (Boolean.TRUE.equals(header.get("partialResults"))) {
                return "partialResults (the rerank fell back to first-pass order)";
            }
            if (header.get("jarerank") == null) {
                return "no responseHeader.jarerank (not reranked)";
            }
            if (r.getResults() == null || r.getResults().isEmpty()) {
                return "no hits";
            }
            return null;
        }

        /** The mean number of first-pass hits reranked per measured request. */
        double meanCandidates() {
            return measured == 0 ? Double.NaN : (double) candidates / measured;
        }

        double[] latencies(String core) {
            return latencies.get(core).stream().mapToDouble(Double::doubleValue).toArray();
        }

        double[] qtimes(String core) {
            return qtimes.get(core).stream().mapToDouble(Double::doubleValue).toArray();
        }

        List<String> problems() {
            return problems;
        }

        /** In how many measured questions both cores answered the same ids in the same order. */
        int sameTop10() {
            List<List<String>> a = tops.get(BASELINE);
            List<List<String>> b = tops.get(CURRENT);
            int same = 0;
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).equals(b.get(i))) {
                    same++;
                }
            }
            return same;
        }

        Comparison compare() {
            return Comparison.of(latencies(BASELINE), latencies(CURRENT));
        }

        /**
         * How much faster the current build is than the baseline (above 1: faster): the ratio of their p50s and
         * means, and the quartiles of the per-question ratios baseline/current.
         */
        record Comparison(
                double p50Ratio,
                double meanRatio,
                double pairedMedian,
                double pairedP25,
                double pairedP75,
                double currentFasterShare) {
            static Comparison of(double[] baseline, double[] current) {
                if (baseline.length != current.length || baseline.length == 0) {
                    throw new IllegalArgumentException(
                            "paired samples needed, got " + baseline.length + " and " + current.length);
                }
                double[] ratios = new double[baseline.length];
                int faster = 0;
                for (int i = 0; i < ratios.length; i++) {
                    ratios[i] = baseline[i] / current[i];
                    if (current[i] < baseline[i]) {
                        faster++;
                    }
                }
                return new Comparison(
                        Samples.percentile(baseline, 50) / Samples.percentile(current, 50),
                        Samples.mean(baseline) / Samples.mean(current),
                        Samples.percentile(ratios, 50),
                        Samples.percentile(ratios, 25),
                        Samples.percentile(ratios, 75),
                        (double) faster / ratios.length);
            }
        }
    }
}
