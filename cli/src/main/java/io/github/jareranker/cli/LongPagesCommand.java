package io.github.jareranker.cli;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.evaluation.Evaluation;
import io.github.jareranker.evaluation.Evaluator;
import io.github.jareranker.evaluation.Metric;
import io.github.jareranker.evaluation.Qrels;
import io.github.jareranker.evaluation.longpages.LongPageBenchmark;
import io.github.jareranker.evaluation.longpages.LongPageSet;
import io.github.jareranker.evaluation.longpages.PassageCoverage;
import io.github.jareranker.lucene.RescorerOptions;
import io.github.jareranker.passage.PassageAggregation;
import io.github.jareranker.passage.PassageOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code eval longpages}: the long-page benchmark of passage scoring. Builds pages of 4–8 consecutive
 * JSQuAD paragraphs ({@link LongPageSet}), then reports (1) answer coverage and cost, from the
 * tokenizer alone (weight-independent): truncation vs passages (first; max with maxPassages 4/8/16);
 * and (2) unless {@code --coverage-only}, retrieval quality and scoring cost per query: BM25 vs BM25
 * reranked with truncation vs with passages (Lucene in this process, the plugin's rescorer).
 */
@Command(
        name = "longpages",
        mixinStandardHelpOptions = true,
        description = {
            "Long pages (4-8 JSQuAD paragraphs, 1,500-5,000 characters): answer coverage and cost of "
                    + "truncation vs passage scoring, and BM25 vs reranked with truncation vs passages.",
            "  ja-reranker eval longpages --coverage-only",
            "  ja-reranker eval longpages --model models/japanese-reranker-xsmall-v2 --questions 500",
            ""
        })
final class LongPagesCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions engine = new ModelOptions();

    @Mixin
    JsquadDataOption data = new JsquadDataOption();

    @Option(names = "--questions", paramLabel = "N", description = "The first N questions (default: all).")
    int questions;

    /** The BM25 hits reranked per question. */
    @Mixin
    RerankDocsOption window = new RerankDocsOption(20);

    @Option(
            names = "--passage-tokens",
            paramLabel = "N",
            description = "Pair budget of a passage (default: the model's maximum length).")
    int passageTokens;

    @Option(names = "--coverage-only", description = "Only the coverage and cost table (no model run).")
    boolean coverageOnly;

    @Mixin
    MetricsOption metrics = new MetricsOption("mrr@10,ndcg@10,recall@20");

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        int k = window.value();
        if (questions < 0 || k < 1) {
            throw new ParameterException(cl, "--questions must be >= 0 and --rerank-docs >= 1");
        }
        List<Metric> ms = metrics.parsed();
        Path home = EmbeddedSolr.repoRoot();
        Path file = data.validSplit(home);
        ModelChoice chosen = ModelChoice.choose(home, engine.model(), engine.onnxFile());
        CrossEncoderOptions options = engine.toOptions(chosen.dir()).toBuilder()
                .onnxFile(chosen.onnxFile())
                .build();
        PassageOptions base;
        try {
            base = PassageOptions.builder().passageTokens(passageTokens).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--passage-tokens: " + e.getMessage());
        }
        LongPageSet all = LongPageSet.build(file);
        LongPageSet set = questions > 0 ? all.limitQuestions(questions) : all;
        PrintWriter out = cl.getOut();
        out.printf(
                Locale.ROOT,
                "long pages from %s: %d pages (%d-%d paragraphs, %d-%d characters), %d questions"
                        + " (%d paragraphs and %d questions in no page)%n",
                file,
                all.pages().size(),
                LongPageSet.MIN_PARAGRAPHS,
                LongPageSet.MAX_PARAGRAPHS,
                LongPageSet.MIN_CHARS,
                LongPageSet.MAX_CHARS,
                set.questions().size(),
                all.paragraphsLeftOut(),
                all.questionsLeftOut());
        out.printf(Locale.ROOT, "model: %s%s%n", chosen.describe(), chosen.randomWeights() ? " (RANDOM WEIGHTS)" : "");
        try (CrossEncoder encoder = CrossEncoder.load(options)) {
            out.printf(
                    Locale.ROOT,
                    "%nanswer coverage and cost for the relevant page (tokenizer only, weight-independent;"
                            + " maxLength %d, passageTokens %s):%n",
                    encoder.info().maxLength(),
                    passageTokens == 0 ? "= maxLength" : Integer.toString(passageTokens));
            PassageCoverage coverage = new PassageCoverage(encoder);
            List<PassageCoverage.Row> rows = new ArrayList<>();
            rows.add(coverage.truncation(set));
            rows.add(coverage.passages(
                    set, base.toBuilder().aggregation(PassageAggregation.FIRST).build(), "passages=first"));
            for (int n : new int[] {4, 8, 16}) {
                rows.add(coverage.passages(
                        set, base.toBuilder().maxPassages(n).build(), "passages=max maxPassages=" + n));
            }
            out.printf(
                    Locale.ROOT,
                    "%-32s %9s %10s %11s %12s%n",
                    "setting",
                    "coverage",
                    "pairs/page",
                    "tokens/page",
                    "x truncation");
            double truncTokens = rows.get(0).tokensPerPage();
            for (PassageCoverage.Row r : rows) {
                out.printf(
                        Locale.ROOT,
                        "%-32s %8.2f%% %10.2f %11.1f %12.2f%n",
                        r.setting(),
                        100 * r.coverage(),
                        r.pairsPerPage(),
                        r.tokensPerPage(),
                        r.tokensPerPage() / truncTokens);
            }
            out.flush();
            if (!coverageOnly) {
                quality(out, set, encoder, base, ms, chosen.randomWeights());
            }
        }
        out.flush();
        return 0;
    }

    private void quality(
            PrintWriter out,
            LongPageSet set,
            CrossEncoder encoder,
            PassageOptions base,
            List<Metric> ms,
            boolean random)
            throws IOException {
        out.printf(
                Locale.ROOT,
                "%nBM25 top %d reranked (Lucene in this process, %d questions):%n",
                window.value(),
                set.questions().size());
        if (random) {
            out.println("NOTE: random-weight test model: the quality figures below are MEANINGLESS (mechanics only);"
                    + " use --model with a real model.");
        }
        try (LongPageBenchmark bench = new LongPageBenchmark(set)) {
            Qrels qrels = bench.qrels();
            List<String> names = List.of("bm25", "rerank truncation", "rerank passages=max maxPassages=8");
            List<RescorerOptions> settings = new ArrayList<>();
            settings.add(null);
            settings.add(RescorerOptions.defaults());
            settings.add(RescorerOptions.builder().passages(base).build());
            StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-36s", "run"));
            ms.forEach(m -> header.append(String.format(Locale.ROOT, " %10s", m.label())));
            header.append(String.format(Locale.ROOT, " %10s %12s %9s", "pairs/q", "tokens/q", "ms/q"));
            out.println(header);
            for (int i = 0; i < names.size(); i++) {
                LongPageBenchmark.Outcome o = bench.run(names.get(i), window.value(), encoder, settings.get(i));
                Evaluation e = Evaluator.ranx().evaluate(qrels, o.run(), ms);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-36s", names.get(i)));
                ms.forEach(m -> line.append(String.format(Locale.ROOT, " %10.4f", e.mean(m))));
                int n = Math.max(1, set.questions().size());
                line.append(String.format(
                        Locale.ROOT,
                        " %10.1f %12.1f %9.1f",
                        (double) o.stats().pairs() / n,
                        (double) o.stats().tokens() / n,
                        o.nanos() / 1e6 / n));
                out.println(line);
                out.flush();
            }
        }
        out.println("(ms/q: wall time of the reranking alone; measure it on an otherwise idle machine)");
    }
}
