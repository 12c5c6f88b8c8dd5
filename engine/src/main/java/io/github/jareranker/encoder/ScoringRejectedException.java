package io.github.jareranker.encoder;

/**
 * Scoring did not start: the {@link InferencePool} was saturated (its queue of waiting calls was
 * full, or no worker became free within the maximum wait). Nothing was scored; the caller should
 * fall back (e.g. keep the first-pass order) or report the service as overloaded.
 */
public final class ScoringRejectedException extends ScoringException {
    private static final long serialVersionUID = 1L;

    public ScoringRejectedException(String message) {
        super(message);
    }
}
