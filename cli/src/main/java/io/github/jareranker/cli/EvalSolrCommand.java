package io.github.jareranker.cli;

import io.github.jareranker.evaluation.Evaluation;
import io.github.jareranker.evaluation.Evaluator;
import io.github.jareranker.evaluation.Metric;
import io.github.jareranker.evaluation.Qrels;
import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.TieBreak;
import io.github.jareranker.evaluation.io.QrelsReader;
import io.github.jareranker.evaluation.io.RunWriter;
import io.github.jareranker.evaluation.report.ProgressBar;
import io.github.jareranker.evaluation.solr.QuerySet;
import io.github.jareranker.evaluation.solr.SolrRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code eval solr}: BM25 vs BM25 + rq on a Solr core. */
@Command(
        name = "solr",
        mixinStandardHelpOptions = true,
        description = "Run a query set against a Solr core with and without "
                + "reranking (rq), collect the top k and print the metrics "
                + "side by side with per-query wins/ties/losses. Queries: "
                + "TSV (qid<TAB>text) or JSONL ({\"qid\", \"query\"}).")
final class EvalSolrCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--solr",
            required = true,
            paramLabel = "URL",
            description = "Core or collection URL, e.g. http://localhost:8983/solr/site.")
    URI url;

    @Option(names = "--queries", required = true, paramLabel = "FILE", description = "The query set.")
    Path queries;

    @Option(
            names = "--qrels",
            required = true,
            paramLabel = "FILE",
            description = "Judgments (TREC qrels or ranx .json).")
    Path qrels;

    @Option(names = "--run-out", paramLabel = "DIR", description = "Write each run as DIR/<name>.trec.")
    Path runOut;

    @Option(
            names = "--per-query",
            description = "Also list every query whose first metric changed with reranking (losses first).")
    boolean perQuery;

    @Mixin
    SolrOptions solr;

    @Mixin
    EvalOutput output;

    /** Accepted as by the other evaluations; Solr's run scores are rank-derived, so Solr's order is evaluated. */
    @Mixin
    TieBreakOption tieBreak;

    @Override
    public Integer call() throws IOException {
        List<Metric> metrics = output.metrics();
        solr.validate(spec.commandLine(), metrics);
        QuerySet qs = QuerySet.read(queries);
        Qrels q = QrelsReader.read(qrels);
        SolrRunner runner = new SolrRunner(solr.client(url), solr.handler, solr.idField, solr.k, !solr.noEscape);
        BiFunction<String, Long, ProgressBar> bars = output.progressBars();
        List<Run> runs = new ArrayList<>();
        try (ProgressBar bar = bars.apply("bm25", (long) qs.queries().size())) {
            runs.add(runner.run(qs, solr.baseParams(), "bm25", bar));
        }
        List<Map.Entry<String, String>> rr = solr.rerankParams();
        if (!rr.isEmpty()) {
            List<Map.Entry<String, String>> p = new ArrayList<>(solr.baseParams());
            p.addAll(rr);
            try (ProgressBar bar = bars.apply("bm25+rq", (long) qs.queries().size())) {
                runs.add(runner.run(qs, p, "bm25+rq", bar));
            }
        }
        // Run scores are rank-derived, so the evaluated order is Solr's order.
        Evaluator evaluator = new Evaluator(TieBreak.INPUT_ORDER);
        List<Evaluation> evaluations = new ArrayList<>();
        for (Run r : runs) {
            evaluations.add(evaluator.evaluate(q, r, metrics));
            if (runOut != null) {
                RunWriter.writeTrec(r, runOut.resolve(r.name().replace('+', '_') + ".trec"), TieBreak.INPUT_ORDER);
            }
        }
        List<String> notes = new ArrayList<>();
        notes.add("top " + solr.k + " per query from " + url + solr.handler
                + (rr.isEmpty() ? "" : "; reranked run: " + solr.describeRerank()));
        if (!rr.isEmpty()) {
            notes.add(SolrOptions.SOLR_MODEL_CAVEAT);
        }
        PrintWriter out = spec.commandLine().getOut();
        EvalReport.print(out, output, evaluations, notes, TieBreak.INPUT_ORDER);
        if (perQuery && !output.json() && evaluations.size() > 1) {
            EvalReport.printPerQuery(out, evaluations.get(0), evaluations.get(1), metrics.get(0));
        }
        EvalReport.warnCoverage(spec.commandLine().getErr(), evaluations);
        EvalReport.chart(spec.commandLine().getErr(), output, evaluations);
        return 0;
    }
}
