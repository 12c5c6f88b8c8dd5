package io.github.jareranker.encoder;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Lets a caller stop a long scoring call: checked before tokenization and before every batch, and
 * by a caller waiting for the inference workers every {@link #recheckNanos()}. When it returns true,
 * {@link CrossEncoder#score} throws {@link ScoringCancelledException} and returns no partial scores.
 * Implementations must be cheap and thread-safe.
 */
@FunctionalInterface
public interface Cancellation {
    /** How often a waiting caller asks a condition that may turn true at any moment: 1 ms. */
    long DEFAULT_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Never cancels; a waiting caller never wakes up to ask. */
    Cancellation NONE = new Cancellation() {
        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public long recheckNanos() {
            return Long.MAX_VALUE;
        }
    };

    /** True when the scoring call should stop as soon as possible. */
    boolean isCancelled();

    /**
     * How long (nanoseconds, at least 1) a caller waiting for scoring to finish may sleep before it
     * asks {@link #isCancelled()} again: how late a cancellation may be noticed while waiting, and
     * what the waiting costs (every wake-up is a context switch on cores the inference workers use).
     * {@link Long#MAX_VALUE}: never ask again while waiting. The default, {@link
     * #DEFAULT_RECHECK_NANOS}, suits a condition that may turn true at any moment.
     */
    default long recheckNanos() {
        return DEFAULT_RECHECK_NANOS;
    }

    /** Cancels when this or {@code other} does; asks again at the sooner of their recheck times. */
    default Cancellation or(Cancellation other) {
        Cancellation self = this;
        if (other == NONE) {
            return self;
        }
        if (self == NONE) {
            return other;
        }
        return new Cancellation() {
            @Override
            public boolean isCancelled() {
                return self.isCancelled() || other.isCancelled();
            }

            @Override
            public long recheckNanos() {
                return Math.min(self.recheckNanos(), other.recheckNanos());
            }
        };
    }

    /**
     * A cancellation that fires once {@code System.nanoTime()} passes {@code deadlineNanos}; a
     * waiting caller sleeps until the deadline instead of asking again and again.
     */
    static Cancellation deadline(long deadlineNanos) {
        return new Cancellation() {
            @Override
            public boolean isCancelled() {
                return System.nanoTime() - deadlineNanos > 0;
            }

            @Override
            public long recheckNanos() {
                return Math.max(1L, deadlineNanos - System.nanoTime() + 1);
            }
        };
    }

    /**
     * A condition asked every {@code intervalNanos} while waiting (e.g. a server's request limits that
     * can only be polled).
     */
    static Cancellation polled(BooleanSupplier condition, long intervalNanos) {
        if (intervalNanos < 1) {
            throw new IllegalArgumentException("intervalNanos must be at least 1, got " + intervalNanos);
        }
        return new Cancellation() {
            @Override
            public boolean isCancelled() {
                return condition.getAsBoolean();
            }

            @Override
            public long recheckNanos() {
                return intervalNanos;
            }
        };
    }
}
