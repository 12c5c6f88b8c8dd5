package io.github.jareranker.solr;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.FileDigest;
import io.github.jareranker.encoder.ModelIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The identity of a loaded model for the pair-score cache: the SHA-256 of its ONNX file and of its
 * {@code tokenizer.json}, and its {@link ModelIdentity} (maximum length, truncation, activation, graph, device change
 * scores too; workers, queue limits and ONNX Runtime threads do not). Two cores share a cache exactly when they share
 * this, so a model
 * file replaced in place (same path, new content) gets a new, empty cache. A file's checksum is
 * read once per version of the file and JVM ({@link FileDigest}, which the engine's load reads it through too).
 *
 * @param onnxSha256 hex SHA-256 of the ONNX file
 * @param tokenizerSha256 hex SHA-256 of tokenizer.json
 * @param identity what the model is, apart from how it is run (paths included)
 */
record ModelFingerprint(String onnxSha256, String tokenizerSha256, ModelIdentity identity) {
    static ModelFingerprint of(CrossEncoder encoder) {
        return new ModelFingerprint(
                sha256(encoder.info().onnxFile()),
                sha256(encoder.info().tokenizerFile()),
                encoder.options().identity());
    }

    private static String sha256(Path file) {
        try {
            return FileDigest.sha256(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + file, e);
        }
    }
}
