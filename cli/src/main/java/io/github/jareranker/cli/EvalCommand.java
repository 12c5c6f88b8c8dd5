package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.evaluation.Evaluation;
import io.github.jareranker.evaluation.Evaluator;
import io.github.jareranker.evaluation.Metric;
import io.github.jareranker.evaluation.OracleRun;
import io.github.jareranker.evaluation.Qrels;
import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.io.QrelsReader;
import io.github.jareranker.evaluation.io.RunReader;
import io.github.jareranker.evaluation.report.ResultTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code eval}: ranking-quality evaluation with ranx-compatible metrics.
 *
 * <ul>
 *   <li>{@code eval --qrels FILE --run FILE [--run FILE ...]}: scores run files (TREC, ranx .lz4,
 *       ranx .json) against TREC qrels;
 *   <li>{@code eval rerank}: scores a candidate-list JSONL dataset with a model and evaluates it
 *       against its first-stage order ({@link EvalRerankCommand});
 *   <li>{@code eval solr}: runs a query set against Solr with and without reranking ({@link EvalSolrCommand});
 *   <li>{@code eval jsquad}: the JSQuAD retrieval benchmark ({@link JsquadCommand}).
 * </ul>
 *
 * Tables go to stdout for people; {@code --json} prints one JSON object instead; a progress bar
 * with ETA goes to stderr on a terminal (or with {@code --progress}). The subcommands share their
 * option groups ({@link EvalOutput}, {@link SolrOptions}) and printing ({@link EvalReport}), not this class.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate rankings with ranx-compatible metrics (nDCG@k, MRR@k, MAP@k, Recall@k, Precision@k).",
            "Without a subcommand: score run files against qrels.",
            "  ja-reranker eval --qrels qrels.trec --run bm25.lz4 --metrics ndcg@10,mrr@10 --json"
        },
        subcommands = {EvalRerankCommand.class, EvalSolrCommand.class, JsquadCommand.class, LongPagesCommand.class})
public final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--qrels",
            paramLabel = "FILE",
            description = "Relevance judgments: TREC qrels (qid 0 docid rel) or ranx .json.")
    Path qrels;

    @Option(
            names = "--run",
            paramLabel = "FILE",
            description =
                    "A run: TREC run, ranx .lz4 or ranx .json. Repeat to compare runs (the first is the baseline).")
    List<Path> runs = new ArrayList<>();

    @Option(
            names = "--oracle",
            description = "Also report the oracle of each run's candidate lists: the metrics of the best reordering"
                    + " (by judged relevance) any reranker could reach on them, and the gap to the run.")
    boolean oracle;

    @Mixin
    EvalOutput output;

    @Mixin
    TieBreakOption tieBreak;

    @Override
    public Integer call() throws IOException {
        if (qrels == null || runs.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "give --qrels and at least one --run, or a subcommand (rerank, solr, jsquad); see --help");
        }
        List<Metric> metrics = output.metrics();
        Qrels q = QrelsReader.read(qrels);
        Evaluator evaluator = new Evaluator(tieBreak.value());
        List<Evaluation> evaluations = new ArrayList<>();
        List<Run> read = new ArrayList<>();
        for (Path r : runs) {
            read.add(RunReader.read(r));
            evaluations.add(evaluator.evaluate(q, read.get(read.size() - 1), metrics));
        }
        List<Evaluation> oracles = new ArrayList<>();
        if (oracle) {
            for (Run candidates : read) {
                oracles.add(evaluator.evaluate(q, OracleRun.of(q, candidates, tieBreak.value()), metrics));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            ObjectNode json = evaluations.size() == 1
                    ? ResultTable.meansJson(evaluations.get(0))
                    : ResultTable.runsJson(evaluations, true);
            if (oracle) {
                json.set("oracle", ResultTable.oracleJson(evaluations, oracles));
            }
            out.println(ResultTable.toJson(json));
        } else {
            out.print(ResultTable.table(evaluations, evaluations.size() > 1));
            out.println(EvalReport.summary(evaluations.get(0), tieBreak.value()));
            if (oracle) {
                out.println("Oracle of the candidate lists (the best reordering any reranker could reach; gap = oracle"
                        + " - run):");
                out.print(ResultTable.table(oracles, false));
                out.println(ResultTable.toJson(ResultTable.oracleJson(evaluations, oracles)));
            }
        }
        EvalReport.warnCoverage(spec.commandLine().getErr(), evaluations);
        EvalReport.chart(spec.commandLine().getErr(), output, evaluations);
        out.flush();
        return 0;
    }
}
