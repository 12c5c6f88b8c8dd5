package io.github.jareranker.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --rerank-docs N}: reRankDocs, how many of the first-pass hits the model rescores per query. The one spelling
 * and meaning in every command that reranks (a picocli mixin). Each command sets its default by constructing the
 * mixin with it, so that {@code --help} shows it; {@link #derived} is for a command that derives the default from
 * another option ({@code eval solr} and {@code eval jsquad}: the hits collected, {@code -k}). Each command checks the
 * value with its other numbers.
 */
final class RerankDocsOption {
    @Option(
            names = "--rerank-docs",
            paramLabel = "N",
            converter = Count.Converter.class,
            description = "reRankDocs: how many first-pass hits the model rescores per query"
                    + " (default: ${DEFAULT-VALUE}).")
    Count reRankDocs;

    /** With the command's default count. */
    RerankDocsOption(int defaultValue) {
        this.reRankDocs = new Count(defaultValue, null);
    }

    private RerankDocsOption(String derivedDefault) {
        this.reRankDocs = new Count(null, derivedDefault);
    }

    /** Without a default count: the command derives it; {@code help} names what from, e.g. "K, the hits collected". */
    static RerankDocsOption derived(String help) {
        return new RerankDocsOption(help);
    }

    /** The value given, or the command's default count; null where the command derives the default. */
    Integer given() {
        return reRankDocs.value();
    }

    /** The value given, or the command's default count. */
    int value() {
        if (reRankDocs.value() == null) {
            throw new IllegalStateException("--rerank-docs has no default count here: use orElse");
        }
        return reRankDocs.value();
    }

    /** The value given, else {@code derived}. */
    int orElse(int derived) {
        return reRankDocs.value() != null ? reRankDocs.value() : derived;
    }

    /**
     * A value of {@code --rerank-docs}: a count, or none with the words that say where the default comes from; its
     * text is what {@code --help} shows as the default (picocli prints an option's initial value).
     */
    record Count(Integer value, String derivedFrom) {
        @Override
        public String toString() {
            return value != null ? value.toString() : derivedFrom;
        }

        /** Parses a count with picocli's own message for a value that is not a whole number. */
        static final class Converter implements ITypeConverter<Count> {
            @Override
            public Count convert(String text) {
                try {
                    return new Count(Integer.valueOf(text), null);
                } catch (NumberFormatException e) {
                    throw new TypeConversionException("'" + text + "' is not an int");
                }
            }
        }
    }
}
