package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.evaluation.jsquad.JsquadDataset;
import io.github.jareranker.evaluation.report.ResultsFileOption;
import io.github.jareranker.evaluation.report.Samples;
import io.github.jareranker.lucene.RescorerOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench-solr}: Solr end to end under concurrent clients. Starts Solr in this process with
 * the example configset and the chosen model, indexes the JSQuAD paragraphs, then for each client
 * count sends JSQuAD questions over HTTP, BM25 only and BM25 + {@code rq={!jarerank}}, and reports
 * latency percentiles, queries per second and, for reranking, scored pairs per second, against the
 * engine alone in the same run. Every cell asks the same questions (so their pairs compare); every
 * request carries a filter of its own that keeps all documents, so Solr's caches never answer.
 */
@Command(
        name = "bench-solr",
        mixinStandardHelpOptions = true,
        description = "Solr end to end: latency and throughput with 1, 4, 16 concurrent clients, BM25 vs reranked.")
final class BenchSolrCommand implements Callable<Integer> {
    private static final String CORE = "bench";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    /** --model (default: as the demo chooses) and the engine flags of the in-process Solr's model. */
    @Mixin
    ModelOptions engine = new ModelOptions();

    @Option(
            names = "--clients",
            split = ",",
            paramLabel = "N,N,...",
            description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    List<Integer> clients = List.of(1, 4, 16);

    @Option(
            names = "--requests",
            paramLabel = "N",
            description = "Requests per (clients, mode) cell (default: ${DEFAULT-VALUE}).")
    int requests = 100;

    @Mixin
    RerankDocsOption window = new RerankDocsOption(100);

    @Mixin
    JsquadDataOption data = new JsquadDataOption();

    /** --out FILE: the results as JSON. */
    @Mixin
    ResultsFileOption results = new ResultsFileOption();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int reRankDocs = window.value();
        if (requests < 1 || reRankDocs < 1 || clients.stream().anyMatch(c -> c < 1)) {
            throw new ParameterException(spec.commandLine(), "--requests, --rerank-docs and --clients must be >= 1");
        }
        Path home = EmbeddedSolr.repoRoot();
        Path file = data.validSplitOrCommittedSlice(home);
        JsquadDataset dataset = JsquadDataset.read(file);
        List<String> questions = questions(dataset, file);
        ModelChoice chosen = ModelChoice.choose(home, engine.model(), engine.onnxFile());
        out.printf(
                Locale.ROOT,
                "Solr end-to-end benchmark%n  model: %s%s%n  data:  %s (%d paragraphs)%n",
                chosen.describe(),
                chosen.randomWeights() ? " (RANDOM WEIGHTS: speed only)" : "",
                file,
                dataset.paragraphs().size());
        out.flush();
        ObjectNode result = JSON.createObjectNode();
        result.put("model", chosen.describe());
        result.put("reRankDocs", reRankDocs);
        result.put("requestsPerCell", requests);
        int cores = Runtime.getRuntime().availableProcessors();
        result.put("cores", cores);
        try (WorkloadSolr solr = WorkloadSolr.builder(CORE, chosen, engine)
                .documents(SolrWorkload.documents(dataset))
                .pairCacheSize(0) // every pair is model work
                .requestTimeout(Duration.ofMinutes(10))
                .start()) {
            runCells(out, solr.client(), questions, chosen, result, cores);
        }
        if (results.write(spec.root().name(), result)) {
            out.println("  results written to " + results.file());
        }
        return 0;
    }

    /**
     * The questions every cell asks: a fixed sample of warm-up + {@link #requests}, the same in every cell, so that
     * their pairs are the same and pairs/s compare across cells (each request carries a filter of its own that keeps
     * every document, so Solr's caches never answer).
     */
    private List<String> questions(JsquadDataset dataset, Path file) {
        int needed = requests + warmup();
        if (dataset.questions().size() < needed) {
            throw new ParameterException(
                    spec.commandLine(),
                    file + " has " + dataset.questions().size() + " questions; this run needs " + needed
                            + " (lower --requests)");
        }
        List<String> questions = new ArrayList<>(needed);
        dataset.sampleQuestions(needed, 42).questions().forEach(q -> questions.add(q.question()));
        return questions;
    }

    /**
     * The engine alone, then every (clients, mode) cell, then the engine alone again: each printed and added to
     * {@code result}'s {@code cells}, with each reranked cell's pairs/s as a share of the engine alone.
     */
    private void runCells(
            PrintWriter out,
            SolrClient client,
            List<String> questions,
            ModelChoice chosen,
            ObjectNode result,
            int cores)
            throws Exception {
        ArrayNode rows = result.putArray("cells");
        out.printf(
                Locale.ROOT,
                "%8s %-8s %9s %9s %9s %9s %11s %7s%n",
                "clients",
                "mode",
                "p50 ms",
                "p99 ms",
                "mean ms",
                "queries/s",
                "pairs/s",
                "errors");
        // The engine alone before and after the Solr cells: the single-stream throughput they are compared
        // with, in the same run (the mean of the two, so that a machine drifting during the run shows).
        Cell before = runEngineCell(client, questions, chosen);
        report(out, rows.addObject(), 1, "engine", before, cores);
        List<Map.Entry<ObjectNode, Cell>> reranked = new ArrayList<>();
        for (int c : clients) {
            for (boolean rerank : new boolean[] {false, true}) {
                Cell cell = runCell(client, questions, c, rerank);
                ObjectNode row = rows.addObject();
                report(out, row, c, rerank ? "rerank" : "bm25", cell, cores);
                if (rerank) {
                    reranked.add(Map.entry(row, cell));
                }
            }
        }
        Cell after = runEngineCell(client, questions, chosen);
        report(out, rows.addObject(), 1, "engine", after, cores);
        double engineAlone = (before.pairsPerSecond() + after.pairsPerSecond()) / 2;
        result.put("engineAlonePairsPerSecond", engineAlone);
        out.printf(Locale.ROOT, "  reranked pairs/s as a share of the engine alone (%.0f pairs/s):", engineAlone);
        for (Map.Entry<ObjectNode, Cell> e : reranked) {
            double share = e.getValue().pairsPerSecond() / engineAlone;
            e.getKey().put("ofEngineAlone", share);
            out.printf(
                    Locale.ROOT, " %d clients %.2f;", e.getKey().get("clients").asInt(), share);
        }
        out.println();
    }

    /** One cell as a JSON row and a printed line (and its CPU line). */
    private static void report(PrintWriter out, ObjectNode row, int clients, String mode, Cell cell, int cores) {
        boolean scores = !mode.equals("bm25");
        row.put("clients", clients);
        row.put("mode", mode);
        row.put("p50Ms", cell.percentile(50));
        row.put("p99Ms", cell.percentile(99));
        row.put("meanMs", cell.mean());
        row.put("queriesPerSecond", cell.queriesPerSecond());
        row.put("pairsPerSecond", cell.pairsPerSecond());
        row.put("errors", cell.errors);
        row.put("partialResults", cell.partial);
        if (!cell.cpuSeconds().isEmpty()) {
            ObjectNode cpu = row.putObject("cpuShare");
            cell.cpuShares(cores).forEach(cpu::put);
            if (scores) {
                row.put("workerCpuMsPerPair", cell.workerCpuMsPerPair());
            }
        }
        out.printf(
                Locale.ROOT,
                "%8d %-8s %9.1f %9.1f %9.1f %9.1f %11s %7d%n",
                clients,
                mode,
                cell.percentile(50),
                cell.percentile(99),
                cell.mean(),
                cell.queriesPerSecond(),
                scores ? String.format(Locale.ROOT, "%.0f", cell.pairsPerSecond()) : "-",
                cell.errors + cell.partial);
        if (!cell.cpuSeconds().isEmpty()) {
            out.println("         CPU, share of " + cores + " cores x wall: " + describe(cell.cpuShares(cores))
                    + (scores
                            ? String.format(Locale.ROOT, "; workers %.2f CPU ms per pair", cell.workerCpuMsPerPair())
                            : ""));
        }
        out.flush();
    }

    /**
     * The engine alone, single stream: for each of {@link #requests} questions (after a warm-up), the
     * texts of its BM25 top --rerank-docs (fetched from Solr, untimed) scored in one call of a
     * {@link CrossEncoder} loaded with the same model and engine options as the core's, timed around
     * that call only. What the Solr cells would reach if nothing but the model cost anything.
     */
    private Cell runEngineCell(SolrClient client, List<String> questions, ModelChoice chosen) throws Exception {
        CrossEncoderOptions options = engine.toOptions(chosen.dir()).toBuilder()
                .onnxFile(chosen.onnxFile())
                .build();
        try (CrossEncoder encoder = CrossEncoder.load(options)) {
            List<String[]> warm = new ArrayList<>();
            List<String[]> measured = new ArrayList<>();
            for (int i = 0; i < warmup() + requests; i++) {
                (i < warmup() ? warm : measured).add(candidates(client, questions.get(i)));
            }
            for (String[] w : warm) {
                encoder.score(w[0], List.of(w).subList(1, w.length));
            }
            double[] millis = new double[requests];
            long pairs = 0;
            Optional<ThreadCpu> cpuBefore = ThreadCpu.snapshot();
            long t0 = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                String[] m = measured.get(i);
                long start = System.nanoTime();
                encoder.score(m[0], List.of(m).subList(1, m.length));
                millis[i] = (System.nanoTime() - start) / 1e6;
                pairs += m.length - 1;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Optional<ThreadCpu> cpuAfter = ThreadCpu.snapshot();
            Map<String, Double> cpu = cpuBefore.isPresent() && cpuAfter.isPresent()
                    ? cpuAfter.get().secondsSince(cpuBefore.get())
                    : Map.of();
            return new Cell(millis, pairs, seconds, 0, 0, cpu);
        }
    }

    /** {question, text of hit 1, text of hit 2, ...}: the BM25 top reRankDocs as the model reads them (title body). */
    private String[] candidates(SolrClient client, String question) throws Exception {
        QueryResponse r = SolrWorkload.search(client, CORE, question, 0, window.value(), "title,body");
        List<String> out = new ArrayList<>();
        out.add(question);
        for (SolrDocument d : r.getResults()) {
            StringBuilder text = new StringBuilder();
            for (String field : RescorerOptions.DEFAULT_FIELDS) {
                Object v = d.getFirstValue(field);
                if (v != null && !v.toString().isEmpty()) {
                    text.append(text.length() > 0 ? " " : "").append(v);
                }
            }
            out.add(text.toString());
        }
        return out.toArray(new String[0]);
    }

    /** Numbers the requests, so that each one's filter is its own. */
    private final AtomicLong requestSerial = new AtomicLong();

    private int warmup() {
        return 8;
    }

    /** One (clients, mode) cell: a warm-up, then {@link #requests} requests over {@code clients} threads. */
    private Cell runCell(SolrClient client, List<String> questions, int clients, boolean rerank) throws Exception {
        for (int i = 0; i < warmup(); i++) {
            query(client, questions.get(i), rerank);
        }
        double[] millis = new double[requests];
        long[] pairs = new long[requests];
        AtomicInteger next = new AtomicInteger();
        int[] errors = new int[1];
        int[] partial = new int[1];
        AtomicInteger clientIds = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(
                clients, r -> new Thread(r, "bench-client-" + clientIds.incrementAndGet()));
        Optional<ThreadCpu> cpuBefore = ThreadCpu.snapshot();
        Map<String, Double> cpuSeconds = Map.of();
        long t0 = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        String q = questions.get(warmup() + i);
                        long start = System.nanoTime();
                        try {
                            QueryResponse r = query(client, q, rerank);
                            millis[i] = (System.nanoTime() - start) / 1e6;
                            pairs[i] = rerank
                                    ? Math.min(window.value(), r.getResults().getNumFound())
                                    : 0;
                            if (Boolean.TRUE.equals(r.getResponseHeader().get("partialResults"))) {
                                synchronized (partial) {
                                    partial[0]++;
                                }
                            }
                        } catch (Exception e) {
                            millis[i] = (System.nanoTime() - start) / 1e6;
                            synchronized (errors) {
                                errors[0]++;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            // before the client threads stop, so that their CPU time is still readable
            Optional<ThreadCpu> cpuAfter = ThreadCpu.snapshot();
            if (cpuBefore.isPresent() && cpuAfter.isPresent()) {
                cpuSeconds = cpuAfter.get().secondsSince(cpuBefore.get());
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Cell(millis, Arrays.stream(pairs).sum(), seconds, errors[0], partial[0], cpuSeconds);
    }

    /** The largest shares as "name 81%, name 9%, ..., (idle) 2%" (groups under 1% left out). */
    private static String describe(Map<String, Double> shares) {
        StringBuilder sb = new StringBuilder();
        shares.forEach((group, share) -> {
            if (share >= 0.01 || group.equals("(idle)")) {
                sb.append(sb.length() > 0 ? ", " : "")
                        .append(group)
                        .append(' ')
                        .append(Math.round(share * 100))
                        .append('%');
            }
        });
        return sb.toString();
    }

    private QueryResponse query(SolrClient client, String question, boolean rerank) throws Exception {
        // a filter that keeps every document and differs per request: no cache answers a repeated question
        String filter = "-id:\"bench-none-" + requestSerial.incrementAndGet() + "\"";
        return SolrWorkload.search(client, CORE, question, rerank ? window.value() : 0, 10, "id,score", filter);
    }

    /**
     * One cell's measurements.
     *
     * @param cpuSeconds CPU seconds of this process's threads during the cell by thread group, largest
     *     first (empty where not measurable: {@link ThreadCpu})
     */
    private record Cell(
            double[] millis, long pairs, double seconds, int errors, int partial, Map<String, Double> cpuSeconds) {
        /** The inference workers' thread group (Linux keeps 15 characters of "ja-reranker-inference-N-M"). */
        static final String WORKERS = "ja-reranker-inf";

        /** Each group's CPU seconds as a share of all cores over the cell's wall time, and the idle rest. */
        Map<String, Double> cpuShares(int cores) {
            Map<String, Double> shares = new LinkedHashMap<>();
            double capacity = cores * seconds;
            double used = 0;
            for (Map.Entry<String, Double> e : cpuSeconds.entrySet()) {
                shares.put(e.getKey(), e.getValue() / capacity);
                used += e.getValue();
            }
            shares.put("(idle)", Math.max(0, 1 - used / capacity));
            return shares;
        }

        /** The inference workers' CPU milliseconds per scored pair (NaN without pairs or CPU figures). */
        double workerCpuMsPerPair() {
            Double worker = cpuSeconds.get(WORKERS);
            return worker == null || pairs == 0 ? Double.NaN : worker * 1000 / pairs;
        }

        double percentile(double p) {
            return Samples.percentile(millis, p);
        }

        double mean() {
            return Arrays.stream(millis).average().orElse(0);
        }

        double queriesPerSecond() {
            return millis.length / seconds;
        }

        double pairsPerSecond() {
            return pairs / seconds;
        }
    }
}
