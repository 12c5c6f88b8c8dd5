package io.github.jareranker.cli;

import io.github.jareranker.passage.PassageAggregation;
import io.github.jareranker.passage.PassageOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The passage-scoring flags shared by the commands that score long documents: {@code --passages
 * max|first|meanTopK} turns it on; the others tune it and are refused without it.
 */
final class PassageOptionsMixin {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--passages",
            paramLabel = "max|first|meanTopK",
            description = "Score each document by its passages: max (MaxP), first (FirstP) or meanTopK."
                    + " Default: the whole document, truncated to --max-length.")
    String passages;

    @Option(
            names = "--max-passages",
            paramLabel = "N",
            description = "Passages scored per document (default 8); more are pre-selected by query-term overlap.")
    Integer maxPassages;

    @Option(
            names = "--passage-tokens",
            paramLabel = "N",
            description = "Tokens of one (query, passage) pair incl. special tokens (default: --max-length).")
    Integer passageTokens;

    @Option(names = "--passage-top-k", paramLabel = "K", description = "Passages averaged by meanTopK (default 3).")
    Integer topK;

    /**
     * @return null without {@code --passages}
     * @throws CommandLine.ParameterException naming the flag for a bad value or a tuning flag without
     *     {@code --passages}
     */
    PassageOptions toOptions() {
        if (passages == null) {
            if (maxPassages != null || passageTokens != null || topK != null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--max-passages, --passage-tokens and --passage-top-k need --passages");
            }
            return null;
        }
        PassageOptions.Builder b = PassageOptions.builder();
        try {
            b.aggregation(PassageAggregation.parse(passages));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--passages " + e.getMessage());
        }
        if (maxPassages != null) {
            b.maxPassages(maxPassages);
        }
        if (passageTokens != null) {
            b.passageTokens(passageTokens);
        }
        if (topK != null) {
            b.topK(topK);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            String flag = e.getMessage().startsWith("maxPassages")
                    ? "--max-passages"
                    : e.getMessage().startsWith("passageTokens") ? "--passage-tokens" : "--passage-top-k";
            throw new CommandLine.ParameterException(spec.commandLine(), flag + ": " + e.getMessage());
        }
    }
}
