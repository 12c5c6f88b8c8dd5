package io.github.jareranker.cli;

import picocli.CommandLine.Option;

/**
 * {@code --json}: print one JSON object on stdout instead of the human-readable output (a table, or indented JSON).
 * The one meaning of {@code --json} in every command (a picocli mixin); a results file is {@code --out FILE}
 * ({@link io.github.jareranker.evaluation.report.ResultsFileOption}).
 */
public final class JsonOption {
    @Option(
            names = "--json",
            description = "Print one JSON object on one line (numbers in full precision) on stdout instead of the"
                    + " human-readable output.")
    boolean json;

    /** Whether {@code --json} was given. */
    boolean enabled() {
        return json;
    }
}
