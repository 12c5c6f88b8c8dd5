package io.github.jareranker.encoder;

import java.io.IOException;

/**
 * A model directory, ONNX file or tokenizer that cannot be used. The message names the path, what
 * was expected and how to fix it.
 */
public final class ModelLoadException extends IOException {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
