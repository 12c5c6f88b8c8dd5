package io.github.jareranker.benchmarks;

import io.github.jareranker.encoder.CrossEncoderOptions;
import picocli.CommandLine.Option;

/**
 * {@code --max-length N}: the most tokens of a (query, document) pair the benchmark feeds the model (a picocli mixin),
 * one declaration with one default for the mains that take it.
 */
final class MaxLengthOption {
    @Option(names = "--max-length", description = "Maximum tokens per pair (default: ${DEFAULT-VALUE}).")
    int maxLength = CrossEncoderOptions.DEFAULT_MAX_LENGTH;

    int get() {
        return maxLength;
    }
}
