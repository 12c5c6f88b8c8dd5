package io.github.jareranker.evaluation.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar with rate and ETA, redrawn in place with {@code \r} on a terminal
 * stream (normally stderr): {@code rerank [#######.............] 350/1667 21% 41.2/s ETA 0:32}.
 * Redraws at most every 200 ms; {@link #close()} draws the final state and ends the line. A
 * disabled bar ({@link #disabled()}) prints nothing, so callers need not branch. Not thread-safe.
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final LongSupplier clock;
    private final long start;
    private long done;
    private long lastDraw = Long.MIN_VALUE;
    private boolean closed;

    private ProgressBar(PrintStream out, String label, long total, LongSupplier clock) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    /** A bar for {@code total} units drawn on {@code out}. */
    public static ProgressBar on(PrintStream out, String label, long total) {
        return on(out, label, total, System::nanoTime);
    }

    static ProgressBar on(PrintStream out, String label, long total, LongSupplier nanoClock) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0");
        }
        return new ProgressBar(
                Objects.requireNonNull(out, "out"), Objects.requireNonNull(label, "label"), total, nanoClock);
    }

    /** A bar that prints nothing. */
    public static ProgressBar disabled() {
        return new ProgressBar(null, "", 0, () -> 0L);
    }

    /** Advances by {@code units} and redraws if due. */
    public void step(long units) {
        done += units;
        if (out == null) {
            return;
        }
        long now = clock.getAsLong();
        if (lastDraw == Long.MIN_VALUE || now - lastDraw >= REDRAW_NANOS || done >= total) {
            lastDraw = now;
            out.print("\r" + render(now) + "\u001b[K");
            out.flush();
        }
    }

    /** The line for the current state at time {@code now} (nanoseconds of this bar's clock). */
    String render(long now) {
        double seconds = (now - start) / 1e9;
        double fraction = total == 0 ? 1.0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        StringBuilder sb = new StringBuilder(label).append(" [");
        for (int i = 0; i < WIDTH; i++) {
            sb.append(i < filled ? '#' : '.');
        }
        sb.append("] ").append(done).append('/').append(total);
        sb.append(String.format(Locale.ROOT, " %3d%%", Math.round(fraction * 100)));
        double rate = seconds > 0 ? done / seconds : 0;
        if (rate > 0) {
            sb.append(String.format(Locale.ROOT, " %.1f/s", rate));
        }
        if (done >= total) {
            sb.append(" in ").append(duration(seconds));
        } else if (rate > 0) {
            sb.append(" ETA ").append(duration((total - done) / rate));
        } else {
            sb.append(" ETA --:--");
        }
        return sb.toString();
    }

    /** {@code m:ss} or {@code h:mm:ss}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        if (closed || out == null) {
            closed = true;
            return;
        }
        closed = true;
        out.print("\r" + render(clock.getAsLong()) + "\u001b[K" + System.lineSeparator());
        out.flush();
    }
}
