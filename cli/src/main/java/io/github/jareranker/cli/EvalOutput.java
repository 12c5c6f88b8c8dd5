package io.github.jareranker.cli;

import io.github.jareranker.evaluation.Metric;
import io.github.jareranker.evaluation.TieBreak;
import io.github.jareranker.evaluation.report.ProgressBar;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Output options every evaluation mode shares (a picocli mixin): metrics, JSON or table, tie-break, progress, chart.
 */
public final class EvalOutput {
    @Option(
            names = "--metrics",
            paramLabel = "LIST",
            description = "Comma-separated ranx metric names (default: ${DEFAULT-VALUE}).")
    String metrics = "ndcg@10,mrr@10";

    @Option(
            names = "--json",
            description = "Print one JSON object (metric names as given, full precision) instead of a table.")
    boolean json;

    @Option(
            names = "--tie-break",
            paramLabel = "MODE",
            converter = EvalOutput.TieBreakConverter.class,
            description =
                    "Order of equal scores: ranx (default: exactly as ranx/Numba sorts), input (file order) or docid.")
    TieBreak tieBreak = TieBreak.RANX;

    @Option(
            names = "--progress",
            negatable = true,
            description = "Show a progress bar with ETA on stderr (default: only when attached to a terminal).")
    Boolean progress;

    @Option(
            names = "--chart",
            paramLabel = "FILE.png",
            converter = EvalOutput.PngFile.class,
            description = "Also draw each metric's mean per run as a PNG bar chart into FILE.png.")
    Path chart;

    List<Metric> metrics() {
        return Metric.parseList(metrics);
    }

    BiFunction<String, Long, ProgressBar> progressBars() {
        boolean on = progress != null ? progress : System.console() != null;
        return on
                ? (label, total) -> ProgressBar.on(System.err, label, total)
                : (label, total) -> ProgressBar.disabled();
    }

    /** {@code --chart}: a path ending in {@code .png}, checked before any evaluation runs. */
    static final class PngFile implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (!value.toLowerCase(Locale.ROOT).endsWith(".png")) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "': the chart is a PNG file, name it *.png");
            }
            return Path.of(value);
        }
    }

    static final class TieBreakConverter implements CommandLine.ITypeConverter<TieBreak> {
        @Override
        public TieBreak convert(String value) {
            return TieBreak.parse(value);
        }
    }
}
