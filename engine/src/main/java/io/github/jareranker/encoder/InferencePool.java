package io.github.jareranker.encoder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of worker threads that run ONNX Runtime batches for every scoring call in flight.
 *
 * <p>Why: on CPU, one pair's matrix products are too small to split well over threads (a 256×256
 * int8 product runs slower on two threads than on one), while independent pairs parallelise
 * perfectly. So each worker runs single-threaded ONNX Runtime calls, and a call's batches are
 * spread over whichever workers are idle, longest first. Concurrent calls queue here instead of
 * each bringing its own threads, so sixteen search threads on two cores run two inferences at a
 * time, not thirty-two.
 *
 * <p>Scheduling: calls are served in arrival order at batch granularity: idle workers take the next
 * unclaimed batch of the oldest call, then of the next one. A call whose {@link Cancellation} fires
 * gives up its unclaimed batches at once, asks its running batches to stop (the caller's terminate
 * hook, e.g. ONNX Runtime's {@code RunOptions.setTerminate}) and waits only for them.
 *
 * <p>Admission control ({@link Settings}): at most {@code maxQueuedCalls} calls may wait for their
 * first batch to start; one more is rejected at once, and a call whose first batch has not started
 * within {@code maxQueueWaitMillis} is withdrawn. Both raise {@link ScoringRejectedException}, so
 * under overload a search falls back quickly instead of piling up threads and native buffers.
 *
 * <p>Thread-safety: all methods may be called from any thread. Ownership: whoever {@link #create
 * created} the pool closes it, after the encoders that use it stop scoring; {@link #close()} lets
 * queued work finish, then stops the threads. Worker threads are daemon threads, so a pool that is
 * never closed does not keep the JVM alive.
 */
public final class InferencePool implements AutoCloseable {
    private static final AtomicLong POOL_IDS = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final Settings settings;
    private final Thread[] threads;
    private int busy;
    private int waitingCalls;
    private boolean closed;
    private long batchesRun;
    private long callsStarted;
    private long rejectedQueueFull;
    private long rejectedWaitTooLong;
    private long queueWaitNanos;

    /**
     * How a pool runs and admits work.
     *
     * @param workers worker threads, each running one batch at a time (at least 1)
     * @param maxQueuedCalls calls that may wait for their first batch at once; 0 = no limit
     * @param maxQueueWaitMillis longest a call may wait for its first batch to start; 0 = no limit
     */
    public record Settings(int workers, int maxQueuedCalls, long maxQueueWaitMillis) {
        public Settings {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be >= 1, got " + workers);
            }
            if (maxQueuedCalls < 0) {
                throw new IllegalArgumentException("maxQueuedCalls must be >= 0 (0 = no limit), got " + maxQueuedCalls);
            }
            if (maxQueueWaitMillis < 0) {
                throw new IllegalArgumentException(
                        "maxQueueWaitMillis must be >= 0 (0 = no limit), got " + maxQueueWaitMillis);
            }
        }

        /** {@code workers} threads, no admission limits. */
        public static Settings unbounded(int workers) {
            return new Settings(workers, 0, 0);
        }
    }

    /**
     * A consistent snapshot of the pool's counters, for metrics.
     *
     * @param workers worker threads
     * @param busyWorkers workers running a batch
     * @param waitingCalls calls whose first batch has not started
     * @param queuedCalls calls with batches not yet claimed (waiting or partly running)
     * @param callsStarted calls whose first batch started, since the pool was created
     * @param rejectedQueueFull calls rejected because {@code maxQueuedCalls} were waiting
     * @param rejectedWaitTooLong calls withdrawn after {@code maxQueueWaitMillis}
     * @param queueWaitNanos total time started calls waited for their first batch
     * @param batchesRun batches run (skipped ones of cancelled calls do not count)
     */
    public record Stats(
            int workers,
            int busyWorkers,
            int waitingCalls,
            int queuedCalls,
            long callsStarted,
            long rejectedQueueFull,
            long rejectedWaitTooLong,
            long queueWaitNanos,
            long batchesRun) {}

    private InferencePool(Settings settings, String name) {
        this.settings = settings;
        int workers = settings.workers();
        threads = new Thread[workers];
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::work, name + "-" + i);
            t.setDaemon(true);
            threads[i] = t;
        }
        for (Thread t : threads) {
            t.start();
        }
    }

    /**
     * Starts a pool of {@code workers} threads.
     *
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static InferencePool create(int workers) {
        return create(Settings.unbounded(workers));
    }

    /** Starts a pool with these settings. */
    public static InferencePool create(Settings settings) {
        return new InferencePool(settings, "ja-reranker-inference-" + POOL_IDS.incrementAndGet());
    }

    /** How this pool runs and admits work. */
    public Settings settings() {
        return settings;
    }

    /** The pool's counters, read together. */
    public Stats stats() {
        lock.lock();
        try {
            return new Stats(
                    threads.length,
                    busy,
                    waitingCalls,
                    queue.size(),
                    callsStarted,
                    rejectedQueueFull,
                    rejectedWaitTooLong,
                    queueWaitNanos,
                    batchesRun);
        } finally {
            lock.unlock();
        }
    }

    /** Number of worker threads. */
    public int workers() {
        return threads.length;
    }

    /**
     * Runs every task of {@code tasks} on the workers (in array order of claiming) and returns when
     * all have finished.
     *
     * @param onCancel called once, from the calling thread, when {@code cancellation} fires or the
     *     thread is interrupted while tasks may be running: a hook that makes running tasks return early
     * @throws ScoringCancelledException if {@code cancellation} fired first (tasks not yet started
     *     are skipped; tasks already running are asked to stop and waited for); takes precedence over
     *     failures of tasks that were stopped
     * @throws ScoringRejectedException if admission control turned the call away (nothing ran)
     * @throws ScoringException or another unchecked exception thrown by a task (the first one; the
     *     remaining tasks are skipped)
     * @throws IllegalStateException if the pool is closed
     */
    void runAll(Task[] tasks, Cancellation cancellation, Runnable onCancel) {
        if (tasks.length == 0) {
            return;
        }
        Job job = new Job(tasks, System.nanoTime());
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the inference pool is closed");
            }
            if (settings.maxQueuedCalls() > 0 && waitingCalls >= settings.maxQueuedCalls()) {
                rejectedQueueFull++;
                throw new ScoringRejectedException(
                        "inference queue full: " + waitingCalls + " calls are already waiting for " + threads.length
                                + " workers (maxQueuedCalls=" + settings.maxQueuedCalls() + ")");
            }
            waitingCalls++;
            queue.addLast(job);
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        long maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(settings.maxQueueWaitMillis());
        boolean interrupted = false;
        boolean cancelled = false;
        while (!job.isDone()) {
            if (!cancelled
                    && maxWaitNanos > 0
                    && !job.started
                    && System.nanoTime() - job.submittedNanos > maxWaitNanos) {
                if (withdrawUnstarted(job)) {
                    throw new ScoringRejectedException("no inference worker became free within maxQueueWaitMillis="
                            + settings.maxQueueWaitMillis() + " (" + threads.length + " workers busy)");
                }
            }
            if (!cancelled && cancellation.isCancelled()) {
                cancelled = true;
                withdraw(job);
                onCancel.run();
            }
            try {
                // Sleep until the job is done or something may have changed: the cancellation's next check
                // (a deadline's own time; never for NONE) or the end of the queue wait. Each wake-up is a
                // context switch on the workers' cores, so waiting callers must not poll more than needed.
                long sleep = cancelled ? Long.MAX_VALUE : cancellation.recheckNanos();
                if (!cancelled && maxWaitNanos > 0 && !job.started) {
                    long queueWaitLeft = job.submittedNanos + maxWaitNanos - System.nanoTime() + 1;
                    sleep = Math.min(sleep, Math.max(1L, queueWaitLeft));
                }
                job.awaitDone(sleep);
            } catch (InterruptedException e) {
                interrupted = true;
                if (!cancelled) {
                    cancelled = true;
                    withdraw(job);
                    onCancel.run();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (cancelled) {
            throw new ScoringCancelledException("scoring cancelled by the caller (time limit reached)");
        }
        if (job.failure != null) {
            throw job.failure;
        }
    }

    /** Equivalent to {@code runAll(tasks, cancellation, () -> {})}. */
    void runAll(Task[] tasks, Cancellation cancellation) {
        runAll(tasks, cancellation, () -> {});
    }

    /** Withdraws a call none of whose tasks has started; false if one has (the call goes on). */
    private boolean withdrawUnstarted(Job job) {
        lock.lock();
        try {
            if (job.started || !queue.remove(job)) {
                return false;
            }
            waitingCalls--;
            rejectedWaitTooLong++;
            job.next = job.tasks.length;
        } finally {
            lock.unlock();
        }
        job.cancelled = true;
        job.finished(job.tasks.length);
        return true;
    }

    /** Takes a job's unclaimed tasks back (they will not run) and marks it cancelled. */
    private void withdraw(Job job) {
        job.cancelled = true;
        int unclaimed = 0;
        lock.lock();
        try {
            if (queue.remove(job)) {
                unclaimed = job.tasks.length - job.next;
                job.next = job.tasks.length;
                if (!job.started) {
                    waitingCalls--;
                }
            }
        } finally {
            lock.unlock();
        }
        job.finished(unclaimed);
    }

    private void work() {
        Scratch scratch = new Scratch();
        while (true) {
            Job job;
            int index;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    workAvailable.awaitUninterruptibly();
                }
                job = queue.peekFirst();
                if (job == null) {
                    return; // closed and drained
                }
                index = job.next++;
                if (job.next == job.tasks.length) {
                    queue.pollFirst();
                }
                if (!job.started) {
                    job.started = true;
                    waitingCalls--;
                    callsStarted++;
                    queueWaitNanos += System.nanoTime() - job.submittedNanos;
                }
                busy++;
            } finally {
                lock.unlock();
            }
            boolean ran = false;
            try {
                if (!job.cancelled) {
                    job.tasks[index].run(scratch);
                    ran = true;
                }
            } catch (RuntimeException | Error e) {
                job.fail(e instanceof RuntimeException ? (RuntimeException) e : new ScoringException(e.toString(), e));
            } finally {
                lock.lock();
                try {
                    busy--;
                    if (ran) {
                        batchesRun++;
                    }
                } finally {
                    lock.unlock();
                }
                job.finished(1);
            }
        }
    }

    /** Lets queued work finish, then stops the workers. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            if (t == Thread.currentThread()) {
                continue;
            }
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "InferencePool{" + settings + ", " + stats() + '}';
    }

    /** One unit of work: typically one ONNX Runtime batch. Runs on a worker thread. */
    @FunctionalInterface
    interface Task {
        void run(Scratch scratch);
    }

    /**
     * A worker's reusable direct buffers (ONNX Runtime wraps direct buffers without copying). Owned
     * by one worker thread; grows to the largest batch it has seen.
     */
    static final class Scratch {
        private final LongBuffer[] buffers = new LongBuffer[3];

        /** Buffer {@code slot} (0..2), cleared, with room for at least {@code capacity} longs. */
        LongBuffer longs(int slot, int capacity) {
            LongBuffer b = buffers[slot];
            if (b == null || b.capacity() < capacity) {
                b = ByteBuffer.allocateDirect(Math.multiplyExact(capacity, Long.BYTES))
                        .order(ByteOrder.nativeOrder())
                        .asLongBuffer();
                buffers[slot] = b;
            }
            b.clear();
            return b;
        }
    }

    /** One call's tasks and their completion. Claiming ({@link #next}) is guarded by the pool lock. */
    private static final class Job {
        final Task[] tasks;
        final long submittedNanos;
        int next;
        /** Set under the pool lock when a worker claims the first task. */
        volatile boolean started;

        volatile boolean cancelled;
        volatile RuntimeException failure;
        private final ReentrantLock doneLock = new ReentrantLock();
        private final Condition doneCondition = doneLock.newCondition();
        private int remaining;

        Job(Task[] tasks, long submittedNanos) {
            this.tasks = tasks;
            this.submittedNanos = submittedNanos;
            this.remaining = tasks.length;
        }

        void fail(RuntimeException e) {
            doneLock.lock();
            try {
                if (failure == null) {
                    failure = e;
                }
            } finally {
                doneLock.unlock();
            }
            cancelled = true;
        }

        void finished(int count) {
            if (count == 0) {
                return;
            }
            doneLock.lock();
            try {
                remaining -= count;
                if (remaining <= 0) {
                    doneCondition.signalAll();
                }
            } finally {
                doneLock.unlock();
            }
        }

        boolean isDone() {
            doneLock.lock();
            try {
                return remaining <= 0;
            } finally {
                doneLock.unlock();
            }
        }

        void awaitDone(long nanos) throws InterruptedException {
            doneLock.lock();
            try {
                long left = nanos;
                while (remaining > 0 && left > 0) {
                    left = doneCondition.awaitNanos(left);
                }
            } finally {
                doneLock.unlock();
            }
        }
    }
}
