package io.github.jareranker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.ModifiableSolrParams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code demo}: starts Solr in this JVM (Solr's own Jetty runner) on localhost with the example
 * configset in a core named {@code site}, indexes the sample Japanese site (or {@code --docs}),
 * prints the BM25 top 5 next to the reranked top 5 for a few queries, prints curl examples and
 * serves Solr and the search page ({@link DemoPage}) until Ctrl-C ({@code --no-serve}: exit
 * after printing; the console output is the same up to that point).
 *
 * <p>Without {@code --model} and without a real model under {@code models/}, it first tries to download the pinned
 * {@link ModelCatalog#DEMO_MODEL} into {@code models/} ({@link #firstRunDownload}; {@code --no-download} skips it)
 * and otherwise uses the random-weight test model.
 *
 * <p>The Solr home is a temporary directory removed on exit; apart from that download, nothing is written into the
 * checkout.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        // One element: picocli's command list shows a description's first element only (it wraps long ones itself).
        description = "Start Solr with the ja-reranker plugin on localhost, index a small Japanese sample site,"
                + " compare BM25 with cross-encoder reranking, then keep serving until Ctrl-C.")
public final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORE = "site";
    private static final List<String> SAMPLE_QUERIES = List.of("粗大ごみを捨てたい", "子どもを一時的に預けたい", "地震に備えて家で準備しておくもの");

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "HTTP port on localhost (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port = 8983;

    /**
     * --model (default: the best model found under models/, else the downloaded tiny-v2, else the random-weight test
     * model) and the engine flags.
     */
    @Mixin
    ModelOptions engine = new ModelOptions();

    @Option(
            names = "--docs",
            paramLabel = "FILE.jsonl",
            description = "Documents to index: one {\"id\", \"title\", \"body\", "
                    + "\"url\"?} per line (default: the sample site).")
    Path docs;

    @Option(
            names = "--query",
            paramLabel = "TEXT",
            description = "A query to compare (repeatable; default: three sample queries).")
    List<String> queries;

    /** reRankDocs of the comparison queries and the search page's starting value. */
    @Mixin
    RerankDocsOption window = new RerankDocsOption(50);

    @Option(names = "--no-serve", description = "Exit after printing the comparison instead of serving until Ctrl-C.")
    boolean noServe;

    @Option(
            names = "--no-download",
            description = "Without --model and without a real model under models/, use the random-weight test model"
                    + " at once instead of first trying to download the pinned " + ModelCatalog.DEMO_MODEL
                    + " (int8, about 36 MB; models/pins.tsv) from Hugging Face.")
    boolean noDownload;

    @Option(
            names = "--solr-version",
            paramLabel = "9|10",
            description = "The Solr major to run: bin/ja-reranker picks the build for it (Solr 10 needs Java 21+;"
                    + " default: 10 when the Java at hand is 21 or newer, else 9); this build must match it.")
    Integer solrVersion;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EmbeddedSolr.quietLogging();
        PrintWriter out = spec.commandLine().getOut();
        Path home = EmbeddedSolr.repoRoot();
        Path confSource = EmbeddedSolr.configset(home);
        Path docsFile = docs != null ? docs : home.resolve("example-configset/sample-docs.jsonl");
        List<SolrInputDocument> documents = readDocs(docsFile);
        ModelChoice chosen = chooseModel(home);
        int reRankDocs = window.value();
        if (reRankDocs < 1 || reRankDocs > 1000) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--rerank-docs must be between 1 and 1000, got " + reRankDocs);
        }
        if (solrVersion != null && solrVersion != SolrMajor.RUNNING) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--solr-version " + solrVersion + ": this build runs Solr " + SolrMajor.RUNNING
                            + "; start the demo through bin/ja-reranker, which picks the build for the version asked");
        }
        EmbeddedSolr.checkPortFree(port);

        out.println("ja-reranker demo");
        out.println("  solr:      " + SolrMajor.describe());
        if (chosen.randomWeights() && !chosen.explicit() && !noDownload) {
            chosen = firstRunDownload(home, out, chosen, hub(), System.getProperty("os.arch"));
        }
        out.println("  model:     " + chosen.describe());
        chosen.printNotice(out, "the demo");
        out.println("  documents: " + documents.size() + " from " + docsFile);
        out.flush();

        DemoPage page = new DemoPage(CORE, reRankDocs, chosen.describe(home), chosen.randomWeights());
        try (WorkloadSolr solr = WorkloadSolr.builder(CORE, chosen, engine)
                .configset(confSource)
                .port(port)
                .pages(Map.of(page, DemoPage.PATH + "/*"))
                .documents(documents)
                .start()) {
            String base = solr.baseUrl();
            List<String> qs = queries == null || queries.isEmpty() ? SAMPLE_QUERIES : queries;
            for (String q : qs) {
                compare(solr.client(), out, q);
            }
            printCurlExamples(out, base, qs.get(0));
            out.flush();
            if (noServe) {
                return 0;
            }
            out.println("Solr is running at " + solr.coreUrl() + "  (admin UI: " + base + "/)");
            out.println("Search page: " + DemoPage.url(base) + "  (BM25 and reranked side by side)");
            out.println("Press Ctrl-C to stop.");
            out.flush();
            serveUntilStopped(solr.solr());
            return 0;
        }
    }

    /**
     * Blocks until Ctrl-C, when a shutdown hook closes Solr (this thread stays blocked while the JVM
     * exits), or until this thread is interrupted (then the caller closes Solr: how tests stop the demo).
     */
    private static void serveUntilStopped(EmbeddedSolr solr) {
        Thread hook = new Thread(solr::close, "ja-reranker-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException stop) {
            // The interrupt is the stop signal and is consumed here: left set, it would cut Jetty's shutdown short.
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting and the hook closes Solr.
            }
        }
    }

    private void compare(SolrClient client, PrintWriter out, String q) throws SolrServerException, IOException {
        SolrDocumentList bm25 = query(client, "/select", q, "fl", "id,title,score", "rows", "5");
        SolrDocumentList reranked = query(
                client,
                "/search",
                q,
                "fl",
                "id,title,score,originalScore(),[jarerank]",
                "rows",
                "5",
                "rq",
                "{!jarerank reRankDocs=" + window.value() + "}");
        out.println();
        out.println("Query: " + q + "   (" + bm25.getNumFound() + " matches; reranking the BM25 top " + window.value()
                + ")");
        out.println(String.format(
                Locale.ROOT, "  %-50s | %s", "BM25 (edismax over title^2 body)", "reranked: model score (BM25 score)"));
        for (int i = 0; i < Math.max(bm25.size(), reranked.size()); i++) {
            String left = i < bm25.size()
                    ? String.format(
                            Locale.ROOT, "%d. %6.3f  %s", i + 1, score(bm25.get(i), "score"), label(bm25.get(i)))
                    : "";
            String right = "";
            if (i < reranked.size()) {
                SolrDocument d = reranked.get(i);
                Object model = d.getFieldValue("[jarerank]");
                right = String.format(
                        Locale.ROOT,
                        "%d. %s (%6.3f)  %s",
                        i + 1,
                        model == null ? "  -   " : String.format(Locale.ROOT, "%6.4f", ((Number) model).floatValue()),
                        score(d, "originalScore()"),
                        label(d));
            }
            out.println("  " + padToWidth(left, 50) + " | " + right);
        }
        out.flush();
    }

    private static SolrDocumentList query(SolrClient client, String handler, String q, String... kv)
            throws SolrServerException, IOException {
        ModifiableSolrParams p = new ModifiableSolrParams();
        p.set("q", q);
        for (int i = 0; i < kv.length; i += 2) {
            p.set(kv[i], kv[i + 1]);
        }
        QueryRequest req = new QueryRequest(p, SolrRequest.METHOD.POST);
        req.setPath(handler);
        return req.process(client, CORE).getResults();
    }

    private static float score(SolrDocument d, String field) {
        Object v = d.getFieldValue(field);
        return v == null ? Float.NaN : ((Number) v).floatValue();
    }

    private static String label(SolrDocument d) {
        String title = String.valueOf(d.getFieldValue("title"));
        return d.getFieldValue("id") + " " + truncateToWidth(title, 26);
    }

    private static void printCurlExamples(PrintWriter out, String base, String q) {
        String core = base + "/" + CORE;
        out.println();
        out.println("Try it yourself (while the demo is serving):");
        out.println("  # BM25 only");
        out.println("  curl -G '" + core + "/select' --data-urlencode 'q=" + q + "' -d 'fl=id,title,score'");
        out.println("  # reranked (the /search handler applies rq={!jarerank reRankDocs=100} by default)");
        out.println("  curl -G '" + core + "/search' --data-urlencode 'q=" + q
                + "' -d 'fl=id,title,score,originalScore(),[jarerank]'");
        out.println("  # rerank parameters, explain output, metrics");
        out.println("  curl -G '" + core + "/search' --data-urlencode 'q=" + q
                + "' --data-urlencode 'rq={!jarerank reRankDocs=20 "
                + "reRankOperator=add reRankWeight=10}' -d 'debugQuery=true'");
        out.println("  curl '" + base + SolrMajor.METRICS_QUERY + "'");
    }

    // ---------------------------------------------------------------- model and documents

    /** The model: --model, else the best real model under models/, else the random-weight test model. */
    ModelChoice chooseModel(Path home) throws IOException {
        return ModelChoice.choose(home, engine.model(), engine.onnxFile());
    }

    private ModelDownload hub() {
        try {
            return ModelDownload.forDemo();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "-D" + ModelDownload.HUB_PROPERTY + ": not a URL: " + e.getMessage());
        }
    }

    /**
     * No real model under models/ and none given: tries to download the pinned int8 {@link
     * ModelCatalog#DEMO_MODEL} for this CPU into {@code models/} and returns it, verified; on any failure (offline,
     * HTTP error, timeout, size or checksum) says why in the same one line and returns {@code fallback}, the test
     * model.
     */
    ModelChoice firstRunDownload(
            Path home, PrintWriter out, ModelChoice fallback, ModelDownload download, String osArch) {
        String model = ModelCatalog.DEMO_MODEL;
        out.print("  download:  no real model under models/: ");
        out.flush();
        long start = System.nanoTime();
        int[] dots = {0};
        try {
            List<ModelCatalog.PinnedFile> files;
            try {
                files = ModelCatalog.int8Files(ModelCatalog.read(home), model, osArch);
            } catch (IOException e) {
                throw new ModelDownload.Failure(e.getMessage());
            }
            long total =
                    files.stream().mapToLong(ModelCatalog.PinnedFile::bytes).sum();
            out.print(String.format(
                    Locale.ROOT,
                    "%s (%s, %.1f MB) from %s ",
                    model,
                    files.get(files.size() - 1).path(),
                    total / 1e6,
                    download.hub()));
            out.flush();
            download.download(files, home.resolve("models").resolve(model), n -> {
                // A dot per tenth, so a slow download shows it is moving.
                for (int tenth = (int) (n * 10 / Math.max(1, total)); dots[0] < tenth; dots[0]++) {
                    out.print('.');
                    out.flush();
                }
            });
            ModelChoice got = ModelChoice.choose(home, null, engine.onnxFile());
            if (got.randomWeights()) {
                out.println((dots[0] > 0 ? " " : "") + "downloaded, but not chosen; using the test model");
                return fallback;
            }
            out.println(String.format(
                    Locale.ROOT,
                    "%sdone in %.1f s, sizes and SHA-256 verified; the demo uses it",
                    dots[0] > 0 ? " " : "",
                    (System.nanoTime() - start) / 1e9));
            return got;
        } catch (ModelDownload.Failure | IOException e) {
            out.println(String.format(
                    Locale.ROOT,
                    "%sfailed after %.1f s: %s; using the test model (--no-download skips this attempt)",
                    dots[0] > 0 ? " " : "",
                    (System.nanoTime() - start) / 1e9,
                    e.getMessage()));
            return fallback;
        } finally {
            out.flush();
        }
    }

    /** Reads JSON lines of {id, title, body, url?}; errors name the file and line. */
    static List<SolrInputDocument> readDocs(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("--docs " + file + " does not exist or is not readable");
        }
        List<SolrInputDocument> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IOException(file + " line " + (i + 1) + ": not valid JSON: " + e.getOriginalMessage());
            }
            SolrInputDocument doc = new SolrInputDocument();
            for (String field : List.of("id", "title", "body")) {
                JsonNode v = node.get(field);
                if (v == null || !v.isTextual() || v.asText().isBlank()) {
                    throw new IOException(file + " line " + (i + 1) + ": \"" + field + "\" must be a non-empty string");
                }
                doc.addField(field, v.asText());
            }
            if (node.hasNonNull("url")) {
                doc.addField("url", node.get("url").asText());
            }
            out.add(doc);
        }
        if (out.isEmpty()) {
            throw new IOException(file + " holds no documents");
        }
        return out;
    }

    // ---------------------------------------------------------------- small helpers

    /** Display width: East Asian wide characters count 2. */
    static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            w += isWide(cp) ? 2 : 1;
            i += Character.charCount(cp);
        }
        return w;
    }

    private static boolean isWide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F)
                || (cp >= 0x2E80 && cp <= 0xA4CF)
                || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0xFE30 && cp <= 0xFE4F)
                || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6)
                || (cp >= 0x20000 && cp <= 0x3FFFD);
    }

    static String padToWidth(String s, int w) {
        String t = truncateToWidth(s, w);
        return t + " ".repeat(Math.max(0, w - width(t)));
    }

    static String truncateToWidth(String s, int w) {
        if (width(s) <= w) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        int used = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int cw = isWide(cp) ? 2 : 1;
            if (used + cw > w - 1) {
                break;
            }
            sb.appendCodePoint(cp);
            used += cw;
            i += Character.charCount(cp);
        }
        return sb.append('…').toString();
    }
}
