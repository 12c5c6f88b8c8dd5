package io.github.jareranker.encoder;

/**
 * Lets a caller stop a long scoring call: checked before tokenization and before every batch. When
 * it returns true, {@link CrossEncoder#score} throws {@link ScoringCancelledException} and returns
 * no partial scores. Implementations must be cheap and thread-safe.
 */
@FunctionalInterface
public interface Cancellation {
    /** Never cancels. */
    Cancellation NONE = () -> false;

    /** True when the scoring call should stop as soon as possible. */
    boolean isCancelled();

    /** A cancellation that fires once {@code System.nanoTime()} passes {@code deadlineNanos}. */
    static Cancellation deadline(long deadlineNanos) {
        return () -> System.nanoTime() - deadlineNanos > 0;
    }
}
