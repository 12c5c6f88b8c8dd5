package io.github.jareranker.cli;

import io.github.jareranker.evaluation.Metric;
import io.github.jareranker.evaluation.report.ProgressBar;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Output options every evaluation mode shares (a picocli mixin): metrics, JSON or table, progress, chart. The
 * evaluations whose order of equal scores is the user's choice add {@link TieBreakOption}.
 */
public final class EvalOutput {
    @Mixin
    MetricsOption metrics;

    @Mixin
    JsonOption json = new JsonOption();

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

    /** With the default metrics of {@code eval}, {@code eval rerank} and {@code eval solr}. */
    EvalOutput() {
        this("ndcg@10,mrr@10");
    }

    /** With the command's own default metrics. */
    EvalOutput(String defaultMetrics) {
        this.metrics = new MetricsOption(defaultMetrics);
    }

    List<Metric> metrics() {
        return metrics.parsed();
    }

    /** Whether to print one JSON object instead of the tables ({@code --json}). */
    boolean json() {
        return json.enabled();
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
}
