package io.github.jareranker.evaluation.report;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --out FILE}: where a measuring command (soak, bench-solr, the benchmark mains) also writes its results as a
 * JSON file through {@link ResultsFile}, provenance first. The one spelling and meaning of a results file in the CLI
 * and the benchmarks (a picocli mixin); printing JSON instead of the human-readable output is {@code --json}, a flag,
 * elsewhere.
 */
public final class ResultsFileOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path file;

    /** The checkout when the command was made, i.e. when the run started (ResultsFile.Checkout). */
    private final ResultsFile.Checkout started = ResultsFile.checkout();

    /** The file given with {@code --out}, or null. */
    public Path file() {
        return file;
    }

    /**
     * Writes {@code result} to the {@code --out} file, recording the command as the root command's name followed by
     * the arguments it was given ({@code benchmarks latency --model ...} for a benchmark run through the jar's entry);
     * does nothing without {@code --out}.
     *
     * @return whether a file was written
     */
    public boolean write(Object result) throws IOException {
        return write(command.root().name(), result);
    }

    /**
     * Writes {@code result} to the {@code --out} file, recording the command as {@code name} followed by the
     * arguments it was given; does nothing without {@code --out}.
     *
     * @return whether a file was written
     */
    public boolean write(String name, Object result) throws IOException {
        if (file == null) {
            return false;
        }
        String typed =
                ResultsFile.command(name, command.commandLine().getParseResult().originalArgs());
        ResultsFile.write(file, started, typed, null, result);
        return true;
    }
}
