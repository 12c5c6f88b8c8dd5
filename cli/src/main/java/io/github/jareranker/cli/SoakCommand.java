package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.EngineOption;
import io.github.jareranker.evaluation.jsquad.JsquadDataset;
import io.github.jareranker.evaluation.report.ResultsFile;
import io.github.jareranker.solr.client.SolrClients;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.request.CoreAdminRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code soak}: a long run against Solr in this process, to show that memory stays flat and nothing
 * fails. Clients send unique JSQuAD questions (no cache answers) reranked by the model while the
 * core is reloaded on a schedule; documents range from a title (~10 tokens) to several paragraphs
 * (~2,000 tokens, cut to the model's maximum length). Every few seconds it prints the process's
 * resident memory (RSS), heap use, queries, fallbacks and errors; at the end the RSS growth after
 * the warm-up and the least-squares slope (MB per minute) of the RSS and of what lies beyond the committed heap
 * (native memory); {@code --max-slope} turns a slope above it into a failed run. A sample of responses is checked against the model run in this process: each hit's
 * model score and the order of the reranked page must match it.
 */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description = "Long run against in-process Solr: clients, core reloads, RSS/heap series, growth after warm-up.")
final class SoakCommand implements Callable<Integer> {
    private static final String CORE = "soak";
    private static final String MODEL_FIELDS_SEPARATOR = " ";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --model (default: as the demo chooses) and the engine flags of the in-process Solr's model. */
    @Mixin
    ModelOptions engine = new ModelOptions();

    @Option(
            names = "--duration",
            paramLabel = "D",
            description = "Run time, e.g. 10m, 90s (default: ${DEFAULT-VALUE}).")
    String duration = "10m";

    @Option(names = "--clients", paramLabel = "N", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients = 16;

    @Option(
            names = "--reloads",
            paramLabel = "N",
            description = "Core reloads spread over the run (default: ${DEFAULT-VALUE}).")
    int reloads = 50;

    @Option(names = "--rerank-docs", paramLabel = "N", description = "reRankDocs (default: ${DEFAULT-VALUE}).")
    int reRankDocs = 50;

    @Option(
            names = "--sample-seconds",
            paramLabel = "S",
            description = "Seconds between samples (default: ${DEFAULT-VALUE}).")
    int sampleSeconds = 10;

    @Option(
            names = "--check-every",
            paramLabel = "N",
            description = "Check every N-th response against the model (default: ${DEFAULT-VALUE}).")
    int checkEvery = 10;

    @Option(
            names = "--data",
            paramLabel = "FILE",
            description = "JSQuAD v1.3 JSON (default: the full validation set if present, else the committed subset).")
    Path data;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the series and summary as JSON here.")
    Path json;

    @Option(
            names = "--max-slope",
            paramLabel = "MB_PER_MIN",
            description = "Fail (exit 1) when the least-squares RSS slope after the warm-up exceeds this many MB per"
                    + " minute (default: report only).")
    Double maxSlope;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Duration runTime = parseDuration(duration);
        if (clients < 1 || reloads < 0 || reRankDocs < 1 || sampleSeconds < 1 || checkEvery < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--clients, --rerank-docs, --sample-seconds, --check-every must be >= 1");
        }
        Path home = EmbeddedSolr.repoRoot();
        Path file = data != null ? data : BenchSolrCommand.defaultData(home);
        JsquadDataset dataset = JsquadDataset.read(file);
        ModelChoice chosen = ModelChoice.choose(home, engine.model(), engine.onnxFile());
        EmbeddedSolr.quietLogging();
        long maxHeap = Runtime.getRuntime().maxMemory();
        out.printf(
                Locale.ROOT,
                "soak: %s, %d clients, %d reloads, reRankDocs %d, max heap %d MB%n  model: %s%s%n",
                runTime,
                clients,
                reloads,
                reRankDocs,
                maxHeap >> 20,
                chosen.describe(),
                chosen.randomWeights() ? " (random weights)" : "");
        out.flush();
        // The configset's model with the same engine flags, for the checks.
        CrossEncoderOptions.Builder reference =
                engine.toOptions(chosen.dir()).toBuilder().onnxFile(chosen.onnxFile());
        if (engine.given().get(EngineOption.MAX_LENGTH) == null) {
            reference.maxLength(512); // the configset's default
        }
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode result = mapper.createObjectNode();
        ArrayNode series = result.putArray("series");
        AtomicLong queries = new AtomicLong();
        AtomicLong fallbacks = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong checked = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        AtomicInteger reloadsDone = new AtomicInteger();
        AtomicLong reloadErrors = new AtomicLong();
        List<String> problems = new ArrayList<>();
        try (EmbeddedSolr solr = EmbeddedSolr.start(EmbeddedSolr.configset(home), CORE, 0, chosen, engine.given());
                SolrClient client = SolrClients.http(solr.baseUrl(), Duration.ofMinutes(2));
                CrossEncoder checker = CrossEncoder.load(reference.build())) {
            SolrWorkload.index(client, CORE, dataset, lengthExtremes(dataset));
            long start = System.nanoTime();
            long end = start + runTime.toNanos();
            AtomicLong nextQuery = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        long n = nextQuery.getAndIncrement();
                        String q = uniqueQuery(dataset, n);
                        try {
                            boolean check = n % checkEvery == 0;
                            QueryResponse r = SolrWorkload.search(
                                    client, CORE, q, reRankDocs, 10, check ? "id,score,[jarerank]" : "id,score");
                            queries.incrementAndGet();
                            if (Boolean.TRUE.equals(r.getResponseHeader().get("partialResults"))) {
                                fallbacks.incrementAndGet();
                            } else if (check) {
                                checked.incrementAndGet();
                                String problem = checkOrder(client, checker, q, r);
                                if (problem != null) {
                                    wrong.incrementAndGet();
                                    synchronized (problems) {
                                        if (problems.size() < 10) {
                                            problems.add(problem);
                                        }
                                    }
                                }
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            synchronized (problems) {
                                if (problems.size() < 10) {
                                    problems.add("query '" + q + "': " + e);
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            if (reloads > 0) {
                long every = runTime.toNanos() / (reloads + 1);
                running.add(pool.submit(() -> {
                    for (int i = 1; i <= reloads; i++) {
                        sleepUntil(start + i * every);
                        try {
                            CoreAdminRequest.reloadCore(CORE, client);
                            reloadsDone.incrementAndGet();
                        } catch (Exception e) {
                            reloadErrors.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            out.printf(
                    Locale.ROOT,
                    "%8s %9s %9s %9s %9s %7s %7s %8s%n",
                    "seconds",
                    "RSS MB",
                    "heap MB",
                    "queries",
                    "fallback",
                    "errors",
                    "wrong",
                    "reloads");
            while (true) {
                boolean last = System.nanoTime() >= end;
                ObjectNode s = series.addObject();
                double t = (System.nanoTime() - start) / 1e9;
                long rss = rssBytes();
                MemoryUsage heapUsage = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                long heap = heapUsage.getUsed();
                s.put("seconds", t);
                s.put("rssMb", rss / 1048576.0);
                s.put("heapMb", heap / 1048576.0);
                s.put("heapCommittedMb", heapUsage.getCommitted() / 1048576.0);
                // What the process holds beyond the heap it has committed: native memory (ONNX Runtime, tokenizers,
                // thread stacks, metaspace, code) -- the part a leak in native code would grow.
                s.put("nonHeapMb", (rss - heapUsage.getCommitted()) / 1048576.0);
                s.put("queries", queries.get());
                out.printf(
                        Locale.ROOT,
                        "%8.0f %9.1f %9.1f %9d %9d %7d %7d %8d%n",
                        t,
                        rss / 1048576.0,
                        heap / 1048576.0,
                        queries.get(),
                        fallbacks.get(),
                        errors.get(),
                        wrong.get(),
                        reloadsDone.get());
                out.flush();
                if (last) {
                    break;
                }
                sleepUntil(Math.min(end, System.nanoTime() + TimeUnit.SECONDS.toNanos(sampleSeconds)));
            }
            for (Future<?> f : running) {
                f.get();
            }
            pool.shutdown();
        }
        double[] rss = new double[series.size()];
        double[] nonHeap = new double[series.size()];
        double[] seconds = new double[series.size()];
        for (int i = 0; i < rss.length; i++) {
            rss[i] = series.get(i).path("rssMb").asDouble();
            nonHeap[i] = series.get(i).path("nonHeapMb").asDouble();
            seconds[i] = series.get(i).path("seconds").asDouble();
        }
        // Warm-up: the first fifth of the run. Growth: the mean of the last tenth of the samples against
        // the mean of the tenth right after the warm-up.
        int warm = rss.length / 5;
        int window = Math.max(1, rss.length / 10);
        double afterWarmup = mean(rss, warm, Math.min(rss.length, warm + window));
        double atEnd = mean(rss, Math.max(warm, rss.length - window), rss.length);
        double growth = (atEnd - afterWarmup) / afterWarmup;
        double rssSlope = slopePerMinute(seconds, rss, warm);
        double nonHeapSlope = slopePerMinute(seconds, nonHeap, warm);
        boolean heapFixed = heapFixedAndPreTouched();
        result.put("durationSeconds", runTime.toSeconds());
        result.put("clients", clients);
        result.put("queries", queries.get());
        result.put("fallbacks", fallbacks.get());
        result.put("errors", errors.get());
        result.put("checked", checked.get());
        result.put("wrongOrders", wrong.get());
        result.put("reloads", reloadsDone.get());
        result.put("reloadErrors", reloadErrors.get());
        result.put("rssAfterWarmupMb", afterWarmup);
        result.put("rssAtEndMb", atEnd);
        result.put("rssGrowth", growth);
        result.put("rssSlopeMbPerMin", rssSlope);
        result.put("nonHeapSlopeMbPerMin", nonHeapSlope);
        result.put("heapFixedAndPreTouched", heapFixed);
        if (maxSlope != null) {
            result.put("maxSlopeMbPerMin", maxSlope);
        }
        result.put("maxHeapMb", maxHeap >> 20);
        out.printf(
                Locale.ROOT,
                "%nsummary: %d queries, %d fallbacks, %d errors, %d "
                        + "of %d checked orders wrong, %d reloads (%d failed)%n"
                        + "RSS after warm-up %.1f MB, at the end %.1f MB: growth %+.2f %%%n",
                queries.get(),
                fallbacks.get(),
                errors.get(),
                wrong.get(),
                checked.get(),
                reloadsDone.get(),
                reloadErrors.get(),
                afterWarmup,
                atEnd,
                100 * growth);
        out.printf(
                Locale.ROOT,
                "least-squares slope after warm-up: RSS %+.3f MB/min, beyond the committed heap %+.3f MB/min%n",
                rssSlope,
                nonHeapSlope);
        if (!heapFixed) {
            out.println("  note: the heap is not fixed and pre-touched (-Xms = -Xmx and -XX:+AlwaysPreTouch in"
                    + " JA_RERANKER_JAVA_OPTS), so RSS also grows as the heap touches pages for the first time;"
                    + " the slope beyond the committed heap separates that out");
        }
        boolean slopeTooHigh = maxSlope != null && rssSlope > maxSlope;
        if (slopeTooHigh) {
            problems.add(String.format(
                    Locale.ROOT, "RSS slope %.3f MB/min after warm-up is above --max-slope %.3f", rssSlope, maxSlope));
        }
        for (String p : problems) {
            out.println("  problem: " + p);
        }
        if (json != null) {
            ResultsFile.write(
                    json,
                    ResultsFile.command(
                            spec.qualifiedName(),
                            spec.commandLine().getParseResult().originalArgs()),
                    null,
                    result);
        }
        return errors.get() == 0 && wrong.get() == 0 && reloadErrors.get() == 0 && !slopeTooHigh ? 0 : 1;
    }

    /**
     * Checks a reranked page against the model run here: each hit's {@code [jarerank]} score equals
     * the model's score of its text, and the page holds the highest model scores of the first-pass
     * top {@code reRankDocs}, in order (equal within 1e-4 position by position, so exact ties may swap).
     * Returns a description of the first mismatch, or null.
     */
    private String checkOrder(SolrClient client, CrossEncoder checker, String q, QueryResponse reranked)
            throws Exception {
        QueryResponse firstPass = SolrWorkload.search(client, CORE, q, 0, reRankDocs, "id,title,body");
        List<String> texts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (SolrDocument d : firstPass.getResults()) {
            ids.add((String) d.getFieldValue("id"));
            texts.add(modelText(d));
        }
        // The plugin reads the user's query text trimmed (CrossEncoderRerankQParser).
        float[] scores = checker.score(q.trim(), texts).scores();
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        int i = 0;
        for (SolrDocument d : reranked.getResults()) {
            Object m = d.getFieldValue("[jarerank]");
            int at = ids.indexOf((String) d.getFieldValue("id"));
            if (m == null || at < 0) {
                return "query '" + q + "': hit " + d.getFieldValue("id")
                        + " has no model score or was not in the first pass";
            }
            float model = ((Number) m).floatValue();
            float expected = sorted[sorted.length - 1 - i];
            if (Math.abs(model - scores[at]) > 1e-4 || Math.abs(model - expected) > 1e-4) {
                return "query '" + q + "': rank " + (i + 1) + " is " + d.getFieldValue("id") + " with model score "
                        + model + "; the model gives it " + scores[at] + " and the rank-" + (i + 1) + " score is "
                        + expected;
            }
            i++;
        }
        return null;
    }

    /**
     * The text the plugin's model reads for a hit, assembled as the rescorer does: the configset's
     * fields (title, body) in order, empty values skipped, joined with a space.
     */
    private static String modelText(SolrDocument d) {
        List<String> parts = new ArrayList<>();
        for (String field : List.of("title", "body")) {
            Object v = d.getFieldValue(field);
            if (v != null && !v.toString().isEmpty()) {
                parts.add(v.toString());
            }
        }
        return String.join(MODEL_FIELDS_SEPARATOR, parts);
    }

    /** Questions in file order, then pairs of questions, so that no two requests of a run are equal. */
    private static String uniqueQuery(JsquadDataset dataset, long n) {
        List<JsquadDataset.Question> qs = dataset.questions();
        int size = qs.size();
        String first = qs.get((int) (n % size)).question();
        long round = n / size;
        return round == 0
                ? first
                : first + " " + qs.get((int) ((n + round) % size)).question();
    }

    /** 200 title-only documents (~10 tokens) and 200 of six paragraphs each (~2,000 tokens). */
    private static List<SolrInputDocument> lengthExtremes(JsquadDataset dataset) {
        List<SolrInputDocument> docs = new ArrayList<>();
        List<JsquadDataset.Paragraph> ps = dataset.paragraphs();
        for (int i = 0; i < 200 && i < ps.size(); i++) {
            SolrInputDocument shortDoc = new SolrInputDocument();
            shortDoc.addField("id", "soak-short-" + i);
            shortDoc.addField("title", ps.get(i).title());
            shortDoc.addField("body", "");
            docs.add(shortDoc);
            StringBuilder body = new StringBuilder();
            for (int k = 0; k < 6; k++) {
                body.append(ps.get((i * 6 + k) % ps.size()).text()).append('\n');
            }
            SolrInputDocument longDoc = new SolrInputDocument();
            longDoc.addField("id", "soak-long-" + i);
            longDoc.addField("title", ps.get(i).title());
            longDoc.addField("body", body.toString());
            docs.add(longDoc);
        }
        return docs;
    }

    /** This process's resident set size from /proc (Linux); 0 elsewhere. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
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

    /** Whether this JVM's heap is fixed (-Xms equal to -Xmx) and pre-touched (-XX:+AlwaysPreTouch). */
    static boolean heapFixedAndPreTouched() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        String xms = null;
        String xmx = null;
        boolean preTouch = false;
        for (String a : args) {
            if (a.startsWith("-Xms")) {
                xms = a.substring(4);
            } else if (a.startsWith("-Xmx")) {
                xmx = a.substring(4);
            } else if (a.equals("-XX:+AlwaysPreTouch")) {
                preTouch = true;
            }
        }
        return preTouch && xms != null && xms.equalsIgnoreCase(xmx);
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / Math.max(1, to - from);
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(t.endsWith("s") ? t.substring(0, t.length() - 1) : t));
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--duration " + text + ": expected e.g. 10m, 90s or 1h");
        }
    }
}
