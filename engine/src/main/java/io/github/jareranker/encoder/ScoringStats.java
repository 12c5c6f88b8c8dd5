package io.github.jareranker.encoder;

/**
 * What one scoring call did. Times are wall-clock nanoseconds.
 *
 * @param pairs number of (query, document) pairs scored
 * @param tokens real (unpadded) tokens fed to the model, special tokens included
 * @param paddedTokens token positions fed to the model including padding (batch size times the
 *     batch's longest pair, summed over batches)
 * @param batches number of ONNX Runtime runs
 * @param truncatedPairs pairs that were cut to the maximum sequence length
 * @param tokenizeNanos time spent tokenizing
 * @param inferenceNanos time spent in ONNX Runtime, tensor creation included
 */
public record ScoringStats(
        int pairs,
        long tokens,
        long paddedTokens,
        int batches,
        int truncatedPairs,
        long tokenizeNanos,
        long inferenceNanos) {

    /** Stats of a call that scored nothing. */
    public static final ScoringStats EMPTY = new ScoringStats(0, 0, 0, 0, 0, 0, 0);
}
