package io.github.jareranker.encoder;

import java.nio.file.Path;

/**
 * What was loaded, for logs, admin pages and explain output.
 *
 * @param onnxFile the model's ONNX file (what runs may be its fused rewrite: {@code graph})
 * @param tokenizerFile the tokenizer.json in use
 * @param maxLength maximum tokens per pair, special tokens included
 * @param padId the token id used for padding
 * @param pairOverhead special tokens the pair template adds
 * @param feedsTokenTypes whether the graph takes token_type_ids
 * @param outputLayout how the output is read, e.g. {@code logits[batch, 1]}
 * @param dynamicallyQuantized whether the graph quantizes activations per batch (int8 exports)
 * @param maxBatchSize the pairs-per-run cap in effect
 * @param device where the model runs
 * @param graph which graph runs: the fused rewrite of {@code onnxFile} or the file as it is, and why
 */
public record ModelInfo(
        Path onnxFile,
        Path tokenizerFile,
        int maxLength,
        long padId,
        int pairOverhead,
        boolean feedsTokenTypes,
        String outputLayout,
        boolean dynamicallyQuantized,
        int maxBatchSize,
        ExecutionDevice device,
        GraphChoice graph) {

    /** The same, with another pairs-per-run cap (an encoder sharing this model with other run settings). */
    ModelInfo withMaxBatchSize(int cap) {
        return new ModelInfo(
                onnxFile,
                tokenizerFile,
                maxLength,
                padId,
                pairOverhead,
                feedsTokenTypes,
                outputLayout,
                dynamicallyQuantized,
                cap,
                device,
                graph);
    }

    @Override
    public String toString() {
        return onnxFile
                + " (output "
                + outputLayout
                + ", maxLength "
                + maxLength
                + ", pad id "
                + padId
                + (feedsTokenTypes ? ", feeds token_type_ids" : "")
                + (dynamicallyQuantized ? ", dynamic int8" : "")
                + ", max batch "
                + maxBatchSize
                + ", device "
                + device
                + (graph.fused() ? ", fused graph" : "")
                + ")";
    }
}
