package io.github.jareranker.cli;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.evaluation.Evaluation;
import io.github.jareranker.evaluation.Evaluator;
import io.github.jareranker.evaluation.Metric;
import io.github.jareranker.evaluation.Qrels;
import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.io.QrelsReader;
import io.github.jareranker.evaluation.io.RunWriter;
import io.github.jareranker.evaluation.report.ProgressBar;
import io.github.jareranker.evaluation.rerank.CandidateDataset;
import io.github.jareranker.evaluation.rerank.CandidateReranker;
import io.github.jareranker.evaluation.rerank.ModelNotes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code eval rerank}: score a candidate-list dataset with a model. */
@Command(
        name = "rerank",
        mixinStandardHelpOptions = true,
        description = "Score a candidate-list dataset with a cross-encoder, write a TREC run and print "
                + "the metrics of the first-stage order and the reranked order side by side, with "
                + "per-query wins/ties/losses. Dataset: JSONL, one {\"qid\", \"query\", \"candidates\": "
                + "[{\"id\", \"title\"?, \"text\", \"relevance\"?, \"score\"?}]} per line.")
final class EvalRerankCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--dataset",
            required = true,
            paramLabel = "FILE.jsonl",
            description = "Candidate lists (see above).")
    Path dataset;

    @Option(
            names = "--qrels",
            paramLabel = "FILE",
            description = "Judgments (default: the candidates' inline \"relevance\").")
    Path qrels;

    @Option(names = "--run-out", paramLabel = "FILE", description = "Write the reranked run here (TREC format).")
    Path runOut;

    @Option(
            names = "--score",
            paramLabel = "KIND",
            description = "Run score: logit (default) or score (after the activation).")
    String score = "logit";

    @Option(names = "--without-title", description = "Score the text alone instead of title + \" \" + text.")
    boolean withoutTitle;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    EvalOutput output;

    @Mixin
    TieBreakOption tieBreak;

    @Override
    public Integer call() throws IOException {
        List<Metric> metrics = output.metrics();
        CandidateReranker.ScoreKind kind;
        switch (score) {
            case "logit":
                kind = CandidateReranker.ScoreKind.LOGIT;
                break;
            case "score":
                kind = CandidateReranker.ScoreKind.SCORE;
                break;
            default:
                throw new ParameterException(spec.commandLine(), "--score must be logit or score, not '" + score + "'");
        }
        CandidateDataset data = CandidateDataset.read(dataset);
        Qrels q;
        if (qrels != null) {
            q = QrelsReader.read(qrels);
        } else if (data.hasInlineJudgments()) {
            q = data.inlineQrels();
        } else {
            throw new ParameterException(
                    spec.commandLine(), dataset + " has no inline \"relevance\" judgments: give --qrels");
        }
        Run first = data.firstStageRun("first-stage");
        CrossEncoderOptions engineOptions = modelOptions.toOptions();
        String modelName = engineOptions.modelDirectory().getFileName().toString();
        Run reranked;
        try (CrossEncoder encoder = CrossEncoder.load(engineOptions);
                ProgressBar bar = output.progressBars()
                        .apply("rerank", (long) data.queries().size())) {
            reranked = new CandidateReranker(encoder, !withoutTitle, kind).rerank(data, modelName, bar);
        }
        if (runOut != null) {
            RunWriter.writeTrec(reranked, runOut, tieBreak.value());
        }
        Evaluator evaluator = new Evaluator(tieBreak.value());
        List<Evaluation> evaluations =
                List.of(evaluator.evaluate(q, first, metrics), evaluator.evaluate(q, reranked, metrics));
        List<String> notes = new ArrayList<>();
        if (ModelNotes.isRandomWeights(engineOptions.modelDirectory())) {
            notes.add(ModelNotes.RANDOM_WEIGHTS_CAVEAT);
        }
        if (runOut != null) {
            notes.add("reranked run written to " + runOut);
        }
        EvalReport.print(spec.commandLine().getOut(), output, evaluations, notes, tieBreak.value());
        EvalReport.chart(spec.commandLine().getErr(), output, evaluations);
        return 0;
    }
}
