package io.github.jareranker.cli;

import io.github.jareranker.evaluation.Metric;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --metrics LIST}: the ranx metrics an evaluation reports (a picocli mixin). Each command sets its default by
 * constructing the mixin with it, so that {@code --help} shows that default.
 */
final class MetricsOption {
    @Option(
            names = "--metrics",
            paramLabel = "LIST",
            description = "Comma-separated ranx metric names (default: ${DEFAULT-VALUE}).")
    String metrics;

    MetricsOption(String defaultMetrics) {
        this.metrics = defaultMetrics;
    }

    /** The metrics given (or the default), parsed. */
    List<Metric> parsed() {
        return Metric.parseList(metrics);
    }
}
