package io.github.jareranker.encoder;

/** Scoring failed at run time (tokenizer or ONNX Runtime error, or a closed encoder). */
public class ScoringException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScoringException(String message) {
        super(message);
    }

    public ScoringException(String message, Throwable cause) {
        super(message, cause);
    }
}
