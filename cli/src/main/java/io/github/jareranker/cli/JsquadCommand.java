package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.evaluation.Metric;
import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.TieBreak;
import io.github.jareranker.evaluation.io.RunWriter;
import io.github.jareranker.evaluation.jsquad.JsquadBenchmark;
import io.github.jareranker.evaluation.jsquad.JsquadDataset;
import io.github.jareranker.evaluation.report.ResultTable;
import io.github.jareranker.evaluation.rerank.ModelNotes;
import io.github.jareranker.evaluation.solr.SolrSearchClient;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code eval jsquad}: the JSQuAD retrieval benchmark. Without {@code --solr} it needs nothing
 * running: it starts Solr in this JVM with the example configset and a model (as {@code demo}
 * does), indexes the paragraphs, runs the questions with BM25 and with {@code rq}, prints the
 * table and stops Solr. With {@code --solr URL} it uses that core (and the model it configures).
 */
@Command(
        name = "jsquad",
        mixinStandardHelpOptions = true,
        description = {
            // the first element is one sentence: `eval --help` lists the subcommand with it alone
            "JSQuAD retrieval benchmark: index the JSQuAD paragraphs "
                    + "into Solr (example configset), search each question"
                    + " with BM25 (top K=100), judge the question's own "
                    + "paragraph relevant, and report MAP@10, nDCG@10 and"
                    + " Recall@100 of BM25 and of BM25 reranked by the "
                    + "cross-encoder (rq={!jarerank reRankDocs=100}: the BM25"
                    + " top 100, reordered).",
            "Without --solr it starts Solr in this process and stops it at the end:",
            "  ja-reranker eval jsquad --questions 500",
            "With --solr it uses an existing core (and the model that core configures):",
            "  ja-reranker eval jsquad --solr http://localhost:8983/solr/site",
            ""
        })
final class JsquadCommand implements Callable<Integer> {
    static final String CORE = "jsquad";
    static final long DEFAULT_SEED = 42;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--solr",
            paramLabel = "URL",
            description = "Use this existing core or collection (e.g. "
                    + "http://localhost:8983/solr/site) instead of starting Solr in this process.")
    URI url;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "In-process Solr: HTTP port on localhost (default: ${DEFAULT-VALUE} = any free port).")
    int port;

    /**
     * In-process Solr: --model (default: the best model under models/, else the random-weight test
     * model) and the engine flags, which apply to --local-model too.
     */
    @Mixin
    ModelOptions engine = new ModelOptions();

    @Option(
            names = "--local-model",
            paramLabel = "DIR",
            description = "Also rerank BM25's top K in this process with this model (no plugin involved): "
                    + "a cross-check of the rq run, or reranking for a Solr without the plugin.")
    Path localModel;

    @Mixin
    JsquadDataOption data = new JsquadDataOption();

    @Option(
            names = "--questions",
            paramLabel = "N",
            description = "Evaluate a random sample of N questions (default: "
                    + "all); the sample is fixed by --seed and printed.")
    int questions;

    @Option(
            names = "--seed",
            paramLabel = "S",
            description = "Seed of the --questions sample (default: ${DEFAULT-VALUE}).")
    long seed = DEFAULT_SEED;

    @Option(names = "--no-index", description = "Skip indexing (--solr only: the paragraphs are already in the core).")
    boolean noIndex;

    @Option(names = "--title-field", paramLabel = "FIELD", description = "Title field (default: ${DEFAULT-VALUE}).")
    String titleField = "title";

    @Option(
            names = "--text-field",
            paramLabel = "FIELD",
            description = "Paragraph text field (default: ${DEFAULT-VALUE}, as in the example configset).")
    String textField = "body";

    @Option(
            names = "--restrict",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Add fq=<id-field>:jsquad-<split>-* so other "
                    + "documents in the core are not retrieved (default: on).")
    boolean restrict;

    @Option(
            names = "--run-out",
            paramLabel = "DIR",
            description = "Write the runs (bm25.trec, bm25-rq.trec, bm25-rerank-local.trec), the "
                    + "qrels (qrels.trec) and the evaluated questions (queries.tsv) to DIR.")
    Path runOut;

    @Mixin
    SolrOptions solr;

    /** --metrics, --json, --progress, --chart; equal scores keep Solr's order. */
    @Mixin
    EvalOutput output = new EvalOutput("map@10,ndcg@10,recall@100");

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        List<Metric> ms = output.metrics();
        solr.validate(cl, ms);
        boolean embedded = url == null;
        validate(cl, embedded);
        Path home = EmbeddedSolr.repoRoot();
        Path dataFile = data.validSplit(home);
        JsquadDataset full = JsquadDataset.read(dataFile);
        Inputs in = new Inputs(
                dataFile,
                full,
                full.sampleQuestions(questions, seed),
                embedded ? ModelChoice.choose(home, engine.model(), engine.onnxFile()) : null,
                localModel != null
                        && ModelChoice.isTestModel(localModel.toAbsolutePath().normalize()));
        if (localModel != null && !Files.isRegularFile(localModel.resolve("tokenizer.json"))) {
            throw new ParameterException(cl, "--local-model " + localModel + ": no tokenizer.json there");
        }
        PrintWriter out = cl.getOut();
        if (!output.json()) {
            printHeader(out, in);
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        if (!embedded) {
            printSolrLine(out, "  solr:      " + url);
            return evaluate(out, in, url, false, ms, seconds);
        }
        long t0 = System.nanoTime();
        try (WorkloadSolr server =
                WorkloadSolr.builder(CORE, in.chosen(), engine).port(port).start()) {
            seconds.put("solr start", (System.nanoTime() - t0) / 1e9);
            URI core = URI.create(server.coreUrl());
            printSolrLine(out, "  solr:      in-process Solr at " + core + " (example configset; stopped at the end)");
            return evaluate(out, in, core, true, ms, seconds);
        }
    }

    /** The data, the sample and the models one run evaluates. */
    private record Inputs(
            Path dataFile, JsquadDataset full, JsquadDataset ds, ModelChoice chosen, boolean localRandom) {
        boolean sampled() {
            return ds.questions().size() < full.questions().size();
        }
    }

    /** Usage errors of the combination of options. */
    private void validate(CommandLine cl, boolean embedded) {
        if (questions < 0) {
            throw new ParameterException(cl, "--questions must be >= 0, got " + questions);
        }
        if (!embedded && (engine.model() != null || engine.onnxFile() != null)) {
            throw new ParameterException(
                    cl,
                    "--model/--onnx-file choose the model of the in-process Solr; with --solr the core reranks"
                            + " with the model it configures (use --local-model "
                            + "DIR to rerank in this process as well)");
        }
        if (embedded && noIndex) {
            throw new ParameterException(cl, "--no-index needs --solr: the in-process Solr starts empty");
        }
    }

    private void printHeader(PrintWriter out, Inputs in) {
        JsquadDataset ds = in.ds();
        List<String> header = new ArrayList<>();
        header.add("data:      " + in.dataFile() + " (" + ds.split() + ": "
                + in.full().paragraphs().size() + " paragraphs, "
                + in.full().questions().size() + " questions)");
        header.add("questions: "
                + (in.sampled()
                        ? ds.questions().size() + " of " + in.full().questions().size() + ", sampled with --seed "
                                + seed + " (java.util.Random shuffle, kept in file order; first: " + firstQids(ds, 3)
                                + ")"
                        : "all " + ds.questions().size()));
        if (in.chosen() != null) {
            header.add("model:     " + in.chosen().describe() + " (in Solr"
                    + (in.chosen().randomWeights() ? ", RANDOM WEIGHTS" : "") + ")");
        }
        if (localModel != null) {
            header.add("local:     " + localModel.toAbsolutePath().normalize() + " (in this process"
                    + (in.localRandom() ? ", RANDOM WEIGHTS" : "") + ")");
        }
        header.add("search:    " + solr.handler
                + " (the core's defaults: edismax over title^2 body in the example configset), top " + solr.k
                + (solr.noRerank ? "" : "; reranked: " + solr.describeRerank()));
        out.println("JSQuAD retrieval benchmark");
        for (String h : header) {
            out.println("  " + h);
        }
        if (in.chosen() != null && !solr.noRerank) {
            in.chosen().printNotice(out, "the benchmark");
        }
        out.flush();
    }

    /** The line that says which Solr is searched, in the human-readable output only. */
    private void printSolrLine(PrintWriter out, String line) {
        if (!output.json()) {
            out.println(line);
            out.flush();
        }
    }

    /** Indexes (unless --no-index), runs the searches and prints the result: a table, or one JSON object. */
    private int evaluate(
            PrintWriter out, Inputs in, URI core, boolean embedded, List<Metric> ms, Map<String, Double> seconds)
            throws IOException {
        JsquadBenchmark.Result result = run(core, in.ds(), ms, output, seconds);
        List<String> notes = notes(in.chosen(), in.localRandom(), result);
        if (runOut != null) {
            writeRunOut(in.ds(), result);
            notes.add("runs, qrels and questions written to " + runOut);
        }
        if (output.json()) {
            out.println(ResultTable.toJson(toJson(result, in, core, embedded, seconds, notes)));
        } else {
            out.print(ResultTable.table(result.evaluations(), true));
            out.println(EvalReport.summary(result.evaluations().get(0), TieBreak.INPUT_ORDER));
            out.println("timings: " + timings(seconds, in.ds().questions().size()));
            for (String n : notes) {
                out.println(n);
            }
        }
        out.flush();
        EvalReport.warnCoverage(spec.commandLine().getErr(), result.evaluations());
        EvalReport.chart(spec.commandLine().getErr(), output, result.evaluations());
        return 0;
    }

    private JsquadBenchmark.Result run(
            URI core, JsquadDataset ds, List<Metric> ms, EvalOutput output, Map<String, Double> seconds)
            throws IOException {
        SolrSearchClient client = solr.client(core);
        JsquadBenchmark bench = new JsquadBenchmark(
                client,
                solr.handler,
                solr.k,
                new JsquadBenchmark.Fields(solr.idField, titleField, textField),
                output.progressBars());
        if (!noIndex) {
            long t0 = System.nanoTime();
            bench.index(ds, 500);
            seconds.put("index", (System.nanoTime() - t0) / 1e9);
        }
        List<Map.Entry<String, String>> base = new ArrayList<>(solr.baseParams());
        if (restrict) {
            base.add(Map.entry("fq", solr.idField + ":jsquad\\-" + ds.split() + "\\-*"));
        }
        JsquadBenchmark.Result result;
        if (localModel != null) {
            try (CrossEncoder encoder = CrossEncoder.load(engine.toOptions(localModel))) {
                result = bench.run(ds, base, solr.rerankParams(), encoder, ms);
            }
        } else {
            result = bench.run(ds, base, solr.rerankParams(), null, ms);
        }
        seconds.putAll(result.seconds());
        return result;
    }

    private List<String> notes(ModelChoice chosen, boolean localRandom, JsquadBenchmark.Result result) {
        List<String> notes = new ArrayList<>();
        boolean reranked = result.runs().size() > 1;
        if (!solr.noRerank) {
            notes.add("Recall@" + solr.k + " of a run that reorders the BM25 top " + solr.k
                    + " equals BM25's: it is the ceiling of any reranking of these candidates.");
        }
        boolean solrRandom = chosen != null && chosen.randomWeights() && !solr.noRerank;
        if (solrRandom || localRandom) {
            notes.add(ModelNotes.RANDOM_WEIGHTS_CAVEAT);
        }
        if (chosen == null && !solr.noRerank) {
            notes.add(SolrOptions.SOLR_MODEL_CAVEAT);
        }
        if (!reranked) {
            notes.add("BM25 only (--no-rerank).");
        }
        return notes;
    }

    private static String firstQids(JsquadDataset ds, int n) {
        return ds.questions().stream().limit(n).map(JsquadDataset.Question::qid).collect(Collectors.joining(", "))
                + (ds.questions().size() > n ? ", ..." : "");
    }

    static String timings(Map<String, Double> seconds, int questions) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Double> e : seconds.entrySet()) {
            String s = String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue());
            if (!e.getKey().equals("index") && !e.getKey().equals("solr start") && questions > 0) {
                s += String.format(Locale.ROOT, " (%.1f ms/question)", e.getValue() * 1000 / questions);
            }
            parts.add(s);
        }
        return String.join(", ", parts);
    }

    private ObjectNode toJson(
            JsquadBenchmark.Result result,
            Inputs in,
            URI core,
            boolean embedded,
            Map<String, Double> seconds,
            List<String> notes) {
        JsquadDataset full = in.full();
        JsquadDataset ds = in.ds();
        ModelChoice chosen = in.chosen();
        ObjectNode json = ResultTable.runsJson(result.evaluations(), true);
        ObjectNode d = json.putObject("dataset");
        d.put("file", in.dataFile().toString());
        d.put("split", ds.split());
        d.put("paragraphs", full.paragraphs().size());
        d.put("questions", full.questions().size());
        ObjectNode sample = json.putObject("sample");
        sample.put("questions", ds.questions().size());
        if (ds.questions().size() < full.questions().size()) {
            sample.put("seed", seed);
            ArrayNode qids = sample.putArray("qids");
            ds.questions().forEach(q -> qids.add(q.qid()));
        } else {
            sample.putNull("seed");
        }
        ObjectNode s = json.putObject("solr");
        s.put("url", core.toString());
        s.put("in_process", embedded);
        s.put("handler", solr.handler);
        s.put("k", solr.k);
        if (!solr.noRerank) {
            s.put("rerank", solr.describeRerank());
            s.put("rerank_docs", solr.reRankDocs());
        }
        if (chosen != null) {
            ObjectNode m = json.putObject("model");
            m.put("dir", chosen.dir().toString());
            m.put("onnx_file", chosen.onnxFile());
            m.put("random_weights", chosen.randomWeights());
        }
        if (localModel != null) {
            json.put("local_model", localModel.toAbsolutePath().normalize().toString());
        }
        ObjectNode t = json.putObject("seconds");
        seconds.forEach(t::put);
        ArrayNode n = json.putArray("notes");
        notes.forEach(n::add);
        return json;
    }

    /** File name of a run written by --run-out. */
    static String runFileName(String runName) {
        switch (runName) {
            case JsquadBenchmark.BM25:
                return "bm25.trec";
            case JsquadBenchmark.SOLR_RERANK:
                return "bm25-rq.trec";
            case JsquadBenchmark.LOCAL_RERANK:
                return "bm25-rerank-local.trec";
            default:
                return runName.replaceAll("[^A-Za-z0-9._-]+", "_") + ".trec";
        }
    }

    private void writeRunOut(JsquadDataset ds, JsquadBenchmark.Result result) throws IOException {
        Files.createDirectories(runOut);
        for (Run r : result.runs()) {
            RunWriter.writeTrec(r, runOut.resolve(runFileName(r.name())), TieBreak.INPUT_ORDER);
        }
        try (BufferedWriter w = Files.newBufferedWriter(runOut.resolve("qrels.trec"), StandardCharsets.UTF_8)) {
            for (JsquadDataset.Question q : ds.questions()) {
                w.write(q.qid() + " 0 " + q.paragraphId() + " 1\n");
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(runOut.resolve("queries.tsv"), StandardCharsets.UTF_8)) {
            for (JsquadDataset.Question q : ds.questions()) {
                w.write(q.qid() + "\t"
                        + q.question().replaceAll("[\\t\\r\\n]+", " ").strip() + "\n");
            }
        }
    }
}
