package io.github.jareranker.encoder;

/** Scoring stopped because the caller's {@link Cancellation} asked it to (e.g. a time limit). */
public final class ScoringCancelledException extends ScoringException {
    private static final long serialVersionUID = 1L;

    public ScoringCancelledException(String message) {
        super(message);
    }
}
