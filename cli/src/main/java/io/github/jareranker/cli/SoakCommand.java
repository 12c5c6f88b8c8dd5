package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.EngineOption;
import io.github.jareranker.evaluation.jsquad.JsquadDataset;
import io.github.jareranker.evaluation.report.ResultsFileOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.solr.common.SolrInputDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MB = 1048576.0;

    @Spec
    CommandSpec spec;

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

    @Mixin
    RerankDocsOption reRankDocs = new RerankDocsOption(50);

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

    @Mixin
    JsquadDataOption data = new JsquadDataOption();

    /** --out FILE: the series and summary as JSON. */
    @Mixin
    ResultsFileOption results = new ResultsFileOption();

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
        int rerank = reRankDocs.value();
        if (clients < 1 || reloads < 0 || rerank < 1 || sampleSeconds < 1 || checkEvery < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--clients, --rerank-docs, --sample-seconds, --check-every must be >= 1");
        }
        Path home = EmbeddedSolr.repoRoot();
        JsquadDataset dataset = JsquadDataset.read(data.validSplitOrCommittedSlice(home));
        ModelChoice chosen = ModelChoice.choose(home, engine.model(), engine.onnxFile());
        long maxHeap = Runtime.getRuntime().maxMemory();
        out.printf(
                Locale.ROOT,
                "soak: %s, %d clients, %d reloads, reRankDocs %d, max heap %d MB%n  model: %s%s%n",
                runTime,
                clients,
                reloads,
                rerank,
                maxHeap >> 20,
                chosen.describe(),
                chosen.randomWeights() ? " (random weights)" : "");
        out.flush();
        List<SolrInputDocument> documents = new ArrayList<>(SolrWorkload.documents(dataset));
        documents.addAll(lengthExtremes(dataset));
        ArrayNode series;
        SoakLoad load;
        try (WorkloadSolr solr = WorkloadSolr.builder(CORE, chosen, engine)
                        .documents(documents)
                        .requestTimeout(Duration.ofMinutes(2))
                        .start();
                CrossEncoder checker = CrossEncoder.load(checkerOptions(chosen))) {
            load = new SoakLoad(
                    solr.client(),
                    CORE,
                    dataset,
                    new RerankedPageCheck(solr.client(), CORE, checker, rerank),
                    rerank,
                    checkEvery);
            long start = System.nanoTime();
            long end = start + runTime.toNanos();
            load.start(clients, reloads, start, end);
            series = sampleUntil(out, load, start, end);
            load.await();
        }
        SoakMemory memory = SoakMemory.of(series);
        boolean heapFixed = heapFixedAndPreTouched();
        ObjectNode result = summary(series, runTime, load, memory, heapFixed, maxHeap);
        printSummary(out, load, memory, heapFixed);
        boolean slopeTooHigh = maxSlope != null && memory.rssSlope() > maxSlope;
        List<String> problems = load.problems();
        if (slopeTooHigh) {
            problems.add(String.format(
                    Locale.ROOT,
                    "RSS slope %.3f MB/min after warm-up is above --max-slope %.3f",
                    memory.rssSlope(),
                    maxSlope));
        }
        for (String p : problems) {
            out.println("  problem: " + p);
        }
        results.write(spec.root().name(), result);
        return load.clean() && !slopeTooHigh ? 0 : 1;
    }

    /** The configset's model with the same engine flags, for the checks. */
    private CrossEncoderOptions checkerOptions(ModelChoice chosen) {
        CrossEncoderOptions.Builder reference =
                engine.toOptions(chosen.dir()).toBuilder().onnxFile(chosen.onnxFile());
        if (engine.given().get(EngineOption.MAX_LENGTH) == null) {
            reference.maxLength(512); // the configset's default
        }
        return reference.build();
    }

    /** Prints and records a memory sample every --sample-seconds until {@code end}, the last one at the end. */
    private ArrayNode sampleUntil(PrintWriter out, SoakLoad load, long start, long end) {
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
        ArrayNode series = JSON.createArrayNode();
        while (true) {
            boolean last = System.nanoTime() >= end;
            sample(out, series.addObject(), load, start);
            if (last) {
                return series;
            }
            SoakLoad.sleepUntil(Math.min(end, System.nanoTime() + TimeUnit.SECONDS.toNanos(sampleSeconds)));
        }
    }

    private static void sample(PrintWriter out, ObjectNode s, SoakLoad load, long start) {
        double t = (System.nanoTime() - start) / 1e9;
        long rss = rssBytes();
        MemoryUsage heapUsage = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long heap = heapUsage.getUsed();
        s.put("seconds", t);
        s.put("rssMb", rss / MB);
        s.put("heapMb", heap / MB);
        s.put("heapCommittedMb", heapUsage.getCommitted() / MB);
        // What the process holds beyond the heap it has committed: native memory (ONNX Runtime, tokenizers,
        // thread stacks, metaspace, code) -- the part a leak in native code would grow.
        s.put("nonHeapMb", (rss - heapUsage.getCommitted()) / MB);
        s.put("queries", load.queries.get());
        out.printf(
                Locale.ROOT,
                "%8.0f %9.1f %9.1f %9d %9d %7d %7d %8d%n",
                t,
                rss / MB,
                heap / MB,
                load.queries.get(),
                load.fallbacks.get(),
                load.errors.get(),
                load.wrong.get(),
                load.reloadsDone.get());
        out.flush();
    }

    /** The JSON result: the series, then the counts and the memory figures (field names pinned by the tests). */
    private ObjectNode summary(
            ArrayNode series, Duration runTime, SoakLoad load, SoakMemory memory, boolean heapFixed, long maxHeap) {
        ObjectNode result = JSON.createObjectNode();
        result.set("series", series);
        result.put("durationSeconds", runTime.toSeconds());
        result.put("clients", clients);
        result.put("queries", load.queries.get());
        result.put("fallbacks", load.fallbacks.get());
        result.put("errors", load.errors.get());
        result.put("checked", load.checked.get());
        result.put("wrongOrders", load.wrong.get());
        result.put("reloads", load.reloadsDone.get());
        result.put("reloadErrors", load.reloadErrors.get());
        result.put("rssAfterWarmupMb", memory.rssAfterWarmupMb());
        result.put("rssAtEndMb", memory.rssAtEndMb());
        result.put("rssGrowth", memory.growth());
        result.put("rssSlopeMbPerMin", memory.rssSlope());
        result.put("nonHeapSlopeMbPerMin", memory.nonHeapSlope());
        result.put("heapFixedAndPreTouched", heapFixed);
        if (maxSlope != null) {
            result.put("maxSlopeMbPerMin", maxSlope);
        }
        result.put("maxHeapMb", maxHeap >> 20);
        return result;
    }

    private static void printSummary(PrintWriter out, SoakLoad load, SoakMemory memory, boolean heapFixed) {
        out.printf(
                Locale.ROOT,
                "%nsummary: %d queries, %d fallbacks, %d errors, %d "
                        + "of %d checked orders wrong, %d reloads (%d failed)%n"
                        + "RSS after warm-up %.1f MB, at the end %.1f MB: growth %+.2f %%%n",
                load.queries.get(),
                load.fallbacks.get(),
                load.errors.get(),
                load.wrong.get(),
                load.checked.get(),
                load.reloadsDone.get(),
                load.reloadErrors.get(),
                memory.rssAfterWarmupMb(),
                memory.rssAtEndMb(),
                100 * memory.growth());
        out.printf(
                Locale.ROOT,
                "least-squares slope after warm-up: RSS %+.3f MB/min, beyond the committed heap %+.3f MB/min%n",
                memory.rssSlope(),
                memory.nonHeapSlope());
        if (!heapFixed) {
            out.println("  note: the heap is not fixed and pre-touched (-Xms = -Xmx and -XX:+AlwaysPreTouch in"
                    + " JA_RERANKER_JAVA_OPTS), so RSS also grows as the heap touches pages for the first time;"
                    + " the slope beyond the committed heap separates that out");
        }
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
