package io.github.jareranker.encoder;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a model <em>is</em>, apart from how it is run: the files, how pairs are cut and read, which graph runs and where.
 * Two encoders with equal identities give the same score to the same pair (up to the rounding of thread counts), so a
 * pair-score cache is keyed on it; how an encoder is run (workers, queue limits, batch sizes, ONNX Runtime threads and
 * arena) is not part of it. Get one from {@link CrossEncoderOptions#identity()}.
 *
 * @param modelDirectory the model directory (absolute, normalized)
 * @param onnxFile the ONNX file inside it, if named (else the engine picks the only one)
 * @param sha256 the SHA-256 the ONNX file must have, if set
 * @param maxLength maximum tokens per pair, if set (else the tokenizer's)
 * @param truncation how a long pair is cut
 * @param activation how a logit becomes a score
 * @param optimizeGraph whether the verified fused rewrite of the graph runs
 * @param device where it runs (CUDA and CPU kernels round differently)
 */
public record ModelIdentity(
        Path modelDirectory,
        Optional<String> onnxFile,
        Optional<String> sha256,
        OptionalInt maxLength,
        Truncation truncation,
        Activation activation,
        boolean optimizeGraph,
        ExecutionDevice device) {}
