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
 * gives up its unclaimed batches at once and waits only for the batches already running.
 *
 * <p>Thread-safety: all methods may be called from any thread. Ownership: whoever {@link #create
 * created} the pool closes it, after the encoders that use it stop scoring; {@link #close()} lets
 * queued work finish, then stops the threads. Worker threads are daemon threads, so a pool that is
 * never closed does not keep the JVM alive.
 */
public final class InferencePool implements AutoCloseable {
  private static final AtomicLong POOL_IDS = new AtomicLong();
  /** How often a waiting caller looks at its {@link Cancellation}. */
  private static final long CANCELLATION_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workAvailable = lock.newCondition();
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private final Thread[] threads;
  private int busy;
  private boolean closed;
  private long batchesRun;

  private InferencePool(int workers, String name) {
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
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    return new InferencePool(workers, "ja-reranker-inference-" + POOL_IDS.incrementAndGet());
  }

  /** Number of worker threads. */
  public int workers() {
    return threads.length;
  }

  /** Calls whose batches are not all claimed yet. */
  public int queuedCalls() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Workers running a batch right now. */
  public int busyWorkers() {
    lock.lock();
    try {
      return busy;
    } finally {
      lock.unlock();
    }
  }

  /** Batches run since the pool started (skipped batches of cancelled calls do not count). */
  public long batchesRun() {
    lock.lock();
    try {
      return batchesRun;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs every task of {@code tasks} on the workers (in array order of claiming) and returns when
   * all have finished.
   *
   * @throws ScoringCancelledException if {@code cancellation} fired first (tasks not yet started
   *     are skipped; tasks already running are waited for)
   * @throws ScoringException or another unchecked exception thrown by a task (the first one; the
   *     remaining tasks are skipped)
   * @throws IllegalStateException if the pool is closed
   */
  void runAll(Task[] tasks, Cancellation cancellation) {
    if (tasks.length == 0) {
      return;
    }
    Job job = new Job(tasks);
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the inference pool is closed");
      }
      queue.addLast(job);
      workAvailable.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    boolean cancelled = false;
    while (!job.isDone()) {
      if (!cancelled && cancellation.isCancelled()) {
        cancelled = true;
        withdraw(job);
      }
      try {
        job.awaitDone(cancelled || cancellation == Cancellation.NONE ? Long.MAX_VALUE : CANCELLATION_POLL_NANOS);
      } catch (InterruptedException e) {
        interrupted = true;
        cancelled = true;
        withdraw(job);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (job.failure != null) {
      throw job.failure;
    }
    if (cancelled) {
      throw new ScoringCancelledException("scoring cancelled by the caller (time limit reached)");
    }
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
    return "InferencePool{workers=" + threads.length + ", queuedCalls=" + queuedCalls() + ", busy=" + busyWorkers() + '}';
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
        b = ByteBuffer.allocateDirect(Math.multiplyExact(capacity, Long.BYTES)).order(ByteOrder.nativeOrder()).asLongBuffer();
        buffers[slot] = b;
      }
      b.clear();
      return b;
    }
  }

  /** One call's tasks and their completion. Claiming ({@link #next}) is guarded by the pool lock. */
  private static final class Job {
    final Task[] tasks;
    int next;
    volatile boolean cancelled;
    volatile RuntimeException failure;
    private final ReentrantLock doneLock = new ReentrantLock();
    private final Condition doneCondition = doneLock.newCondition();
    private int remaining;

    Job(Task[] tasks) {
      this.tasks = tasks;
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
