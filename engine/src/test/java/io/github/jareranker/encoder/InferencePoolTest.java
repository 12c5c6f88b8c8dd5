package io.github.jareranker.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.jareranker.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The worker pool: parallelism, fairness limits, cancellation, failures, and scores equal to one worker. */
class InferencePoolTest {
    private static final String QUERY = "東京でおすすめの観光地は?";

    private static List<String> documents(int count, long seed) {
        String[] sentences = {
            "浅草の浅草寺は東京で最も古い寺です。",
            "東京スカイツリーからは関東平野を一望できます。",
            "大阪の道頓堀は食べ歩きの街です。",
            "上野公園には美術館や動物園が集まっています。",
            "Tokyo Tower is 333 m tall."
        };
        Random random = new Random(seed);
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            for (int s = random.nextInt(15); s >= 0; s--) {
                sb.append(sentences[random.nextInt(sentences.length)]);
            }
            docs.add(sb.toString());
        }
        return docs;
    }

    @Test
    void runsAsManyTasksAtOnceAsItHasWorkersAndNoMore() throws Exception {
        try (InferencePool pool = InferencePool.create(3)) {
            CyclicBarrier allThree = new CyclicBarrier(3);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            InferencePool.Task[] tasks = new InferencePool.Task[12];
            for (int i = 0; i < tasks.length; i++) {
                boolean meet = i < 3;
                tasks[i] = scratch -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        if (meet) {
                            // Completes only if the first three tasks run at the same time.
                            allThree.await(10, TimeUnit.SECONDS);
                        }
                        Thread.sleep(2);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        running.decrementAndGet();
                    }
                };
            }
            pool.runAll(tasks, Cancellation.NONE);
            assertThat(most.get()).isEqualTo(3);
            InferencePool.Stats stats = pool.stats();
            assertThat(stats.batchesRun()).isEqualTo(12);
            assertThat(stats.callsStarted()).isEqualTo(1);
            assertThat(stats.busyWorkers()).isZero();
            assertThat(stats.queuedCalls()).isZero();
            assertThat(stats.waitingCalls()).isZero();
        }
    }

    @Test
    void cancellationSkipsTheTasksNotYetStartedAndWaitsForTheRunningOne() {
        try (InferencePool pool = InferencePool.create(1)) {
            CountDownLatch firstStarted = new CountDownLatch(1);
            AtomicInteger ran = new AtomicInteger();
            InferencePool.Task[] tasks = new InferencePool.Task[50];
            for (int i = 0; i < tasks.length; i++) {
                tasks[i] = scratch -> {
                    firstStarted.countDown();
                    sleep(20);
                    ran.incrementAndGet();
                };
            }
            AtomicInteger terminateCalls = new AtomicInteger();
            assertThatThrownBy(() ->
                            pool.runAll(tasks, () -> firstStarted.getCount() == 0, terminateCalls::incrementAndGet))
                    .isInstanceOf(ScoringCancelledException.class);
            // The running task finished before runAll returned; the rest never started.
            assertThat(ran.get()).isEqualTo(1);
            assertThat(terminateCalls.get()).as("the terminate hook runs once").isEqualTo(1);
            assertThat(pool.stats().queuedCalls()).isZero();
            assertThat(pool.stats().busyWorkers()).isZero();
            // The pool keeps serving.
            pool.runAll(new InferencePool.Task[] {scratch -> ran.incrementAndGet()}, Cancellation.NONE);
            assertThat(ran.get()).isEqualTo(2);
        }
    }

    /** A cancellation that counts how often it is asked, with a fixed recheck interval. */
    private static final class CountingCancellation implements Cancellation {
        final AtomicInteger asked = new AtomicInteger();
        private final long recheckNanos;

        CountingCancellation(long recheckNanos) {
            this.recheckNanos = recheckNanos;
        }

        @Override
        public boolean isCancelled() {
            asked.incrementAndGet();
            return false;
        }

        @Override
        public long recheckNanos() {
            return recheckNanos;
        }
    }

    @Test
    void aWaitingCallerAsksItsCancellationOnlyAsOftenAsItSays() {
        try (InferencePool pool = InferencePool.create(1)) {
            InferencePool.Task[] slow = {scratch -> sleep(200)};
            // never asked again while waiting (like NONE): one look before waiting
            CountingCancellation quiet = new CountingCancellation(Long.MAX_VALUE);
            pool.runAll(slow, quiet);
            assertThat(quiet.asked.get()).isLessThanOrEqualTo(2);
            // every 50 ms: one look per 50 ms of waiting (about 4 over 200 ms), not one per millisecond
            CountingCancellation every50 = new CountingCancellation(TimeUnit.MILLISECONDS.toNanos(50));
            long start = System.nanoTime();
            pool.runAll(slow, every50);
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(every50.asked.get()).isBetween(2, (int) (waitedMillis / 50) + 3);
            // a deadline 80 ms ahead: woken at the deadline, cancelled then, not polled before it
            AtomicInteger asked = new AtomicInteger();
            Cancellation deadline = Cancellation.deadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(80));
            Cancellation counted = new Cancellation() {
                @Override
                public boolean isCancelled() {
                    asked.incrementAndGet();
                    return deadline.isCancelled();
                }

                @Override
                public long recheckNanos() {
                    return deadline.recheckNanos();
                }
            };
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> pool.runAll(new InferencePool.Task[] {scratch -> sleep(300)}, counted))
                    .isInstanceOf(ScoringCancelledException.class);
            assertThat(asked.get()).isLessThanOrEqualTo(4);
            assertThat((System.nanoTime() - t0) / 1e6).isGreaterThanOrEqualTo(80.0);
        }
    }

    @Test
    void cancellationsCombineAndSayWhenToAskAgain() {
        assertThat(Cancellation.NONE.recheckNanos()).isEqualTo(Long.MAX_VALUE);
        Cancellation lambda = () -> false;
        assertThat(lambda.recheckNanos()).isEqualTo(Cancellation.DEFAULT_RECHECK_NANOS);
        long now = System.nanoTime();
        Cancellation deadline = Cancellation.deadline(now + TimeUnit.SECONDS.toNanos(10));
        assertThat(deadline.isCancelled()).isFalse();
        assertThat(deadline.recheckNanos()).isBetween(TimeUnit.SECONDS.toNanos(9), TimeUnit.SECONDS.toNanos(10) + 1);
        Cancellation past = Cancellation.deadline(now - 1);
        assertThat(past.isCancelled()).isTrue();
        assertThat(past.recheckNanos()).isEqualTo(1L);
        assertThat(deadline.or(Cancellation.NONE)).isSameAs(deadline);
        assertThat(Cancellation.NONE.or(deadline)).isSameAs(deadline);
        boolean[] flag = {false};
        Cancellation polled = Cancellation.polled(() -> flag[0], 5_000_000L);
        Cancellation either = deadline.or(polled);
        assertThat(either.recheckNanos()).isEqualTo(5_000_000L);
        assertThat(either.isCancelled()).isFalse();
        flag[0] = true;
        assertThat(either.isCancelled()).isTrue();
        assertThatThrownBy(() -> Cancellation.polled(() -> false, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailingTaskFailsTheCallWithItsExceptionAndSkipsTheRest() {
        try (InferencePool pool = InferencePool.create(1)) {
            AtomicInteger ran = new AtomicInteger();
            InferencePool.Task[] tasks = new InferencePool.Task[10];
            for (int i = 0; i < tasks.length; i++) {
                int index = i;
                tasks[i] = scratch -> {
                    ran.incrementAndGet();
                    if (index == 2) {
                        throw new ScoringException("batch 2 broke", null);
                    }
                };
            }
            assertThatThrownBy(() -> pool.runAll(tasks, Cancellation.NONE))
                    .isInstanceOf(ScoringException.class)
                    .hasMessage("batch 2 broke");
            assertThat(ran.get()).isEqualTo(3);
        }
    }

    @Test
    void aStoppedTaskFailingAfterCancellationReportsTheCancellation() {
        try (InferencePool pool = InferencePool.create(1)) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch terminate = new CountDownLatch(1);
            InferencePool.Task stoppable = scratch -> {
                started.countDown();
                try {
                    terminate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // What ONNX Runtime does when its run is terminated: the run fails.
                throw new ScoringException("Exiting due to terminate flag being set to true.");
            };
            assertThatThrownBy(() -> pool.runAll(
                            new InferencePool.Task[] {stoppable}, () -> started.getCount() == 0, terminate::countDown))
                    .isInstanceOf(ScoringCancelledException.class);
        }
    }

    @Test
    void aFullQueueRejectsAtOnceAndALongWaitIsWithdrawn() throws Exception {
        try (InferencePool pool = InferencePool.create(new InferencePool.Settings(1, 1, 0))) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            InferencePool.Task blocker = scratch -> {
                running.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            ExecutorService callers = Executors.newFixedThreadPool(2);
            try {
                Future<?> first =
                        callers.submit(() -> pool.runAll(new InferencePool.Task[] {blocker}, Cancellation.NONE));
                assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
                AtomicInteger ran = new AtomicInteger();
                Future<?> second = callers.submit(() ->
                        pool.runAll(new InferencePool.Task[] {scratch -> ran.incrementAndGet()}, Cancellation.NONE));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (pool.stats().waitingCalls() < 1 && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                // The worker is busy and one call already waits: a third is turned away without waiting.
                assertThatThrownBy(() -> pool.runAll(
                                new InferencePool.Task[] {scratch -> ran.incrementAndGet()}, Cancellation.NONE))
                        .isInstanceOf(ScoringRejectedException.class)
                        .hasMessageContaining("maxQueuedCalls=1");
                release.countDown();
                first.get(10, TimeUnit.SECONDS);
                second.get(10, TimeUnit.SECONDS);
                assertThat(ran.get()).isEqualTo(1);
                assertThat(pool.stats().rejectedQueueFull()).isEqualTo(1);
                assertThat(pool.stats().callsStarted()).isEqualTo(2);
            } finally {
                release.countDown();
                callers.shutdownNow();
            }
        }
        try (InferencePool pool = InferencePool.create(new InferencePool.Settings(1, 0, 50))) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            ExecutorService callers = Executors.newSingleThreadExecutor();
            try {
                Future<?> first = callers.submit(() -> pool.runAll(
                        new InferencePool.Task[] {
                            scratch -> {
                                running.countDown();
                                try {
                                    release.await(10, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        },
                        Cancellation.NONE));
                assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
                AtomicInteger ran = new AtomicInteger();
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> pool.runAll(
                                new InferencePool.Task[] {scratch -> ran.incrementAndGet()}, Cancellation.NONE))
                        .isInstanceOf(ScoringRejectedException.class)
                        .hasMessageContaining("maxQueueWaitMillis=50");
                assertThat((System.nanoTime() - t0) / 1e6).isGreaterThanOrEqualTo(50.0);
                release.countDown();
                first.get(10, TimeUnit.SECONDS);
                assertThat(ran.get()).as("the withdrawn call never ran").isZero();
                assertThat(pool.stats().rejectedWaitTooLong()).isEqualTo(1);
                assertThat(pool.stats().waitingCalls()).isZero();
            } finally {
                release.countDown();
                callers.shutdownNow();
            }
        }
    }

    @Test
    void aClosedPoolRefusesWork() {
        InferencePool pool = InferencePool.create(2);
        pool.close();
        pool.close(); // idempotent
        assertThatThrownBy(() -> pool.runAll(new InferencePool.Task[] {scratch -> {}}, Cancellation.NONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> InferencePool.create(0)).hasMessageContaining("workers must be >= 1");
    }

    @Test
    void scoresOnManyWorkersEqualScoresOnOneWorker() throws Exception {
        List<String> docs = documents(60, 11);
        for (String onnxFile : new String[] {"model.onnx", "onnx/model_qint8_avx2.onnx"}) {
            CrossEncoderOptions.Builder base = CrossEncoderOptions.builder(TestModels.testModel())
                    .onnxFile(onnxFile)
                    .maxBatchTokens(600);
            try (CrossEncoder one = CrossEncoder.load(base.workers(1).build());
                    CrossEncoder three = CrossEncoder.load(base.workers(3).build())) {
                assertThat(one.pool().workers()).isEqualTo(1);
                assertThat(three.pool().workers()).isEqualTo(3);
                ScoredPairs serial = one.score(QUERY, docs);
                ScoredPairs parallel = three.score(QUERY, docs);
                assertThat(parallel.stats().batches()).isGreaterThan(3);
                for (int i = 0; i < docs.size(); i++) {
                    // Same batches, same single-threaded kernels: the same bits, whichever worker ran them.
                    assertThat(parallel.logit(i)).as("%s pair %d", onnxFile, i).isEqualTo(serial.logit(i));
                }
            }
        }
    }

    @Test
    void encodersSharingOnePoolServeConcurrentCallersCorrectly() throws Exception {
        List<List<String>> requests = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            requests.add(documents(12 + r, 100 + r));
        }
        try (InferencePool pool = InferencePool.create(2)) {
            List<float[]> fp32Expected = new ArrayList<>();
            List<float[]> int8Expected = new ArrayList<>();
            try (CrossEncoder fp32 = CrossEncoder.load(
                            CrossEncoderOptions.builder(TestModels.testModel()).build(), pool);
                    CrossEncoder int8 = CrossEncoder.load(
                            CrossEncoderOptions.builder(TestModels.testModelInt8())
                                    .build(),
                            pool)) {
                for (List<String> docs : requests) {
                    fp32Expected.add(logits(fp32.score(QUERY, docs)));
                    int8Expected.add(logits(int8.score(QUERY, docs)));
                }
                ExecutorService callers = Executors.newFixedThreadPool(12);
                try {
                    List<Future<Boolean>> checks = new ArrayList<>();
                    for (int round = 0; round < 6; round++) {
                        for (int r = 0; r < requests.size(); r++) {
                            int index = r;
                            boolean useInt8 = (round + r) % 2 == 0;
                            checks.add(callers.submit(() -> {
                                CrossEncoder enc = useInt8 ? int8 : fp32;
                                float[] expected = (useInt8 ? int8Expected : fp32Expected).get(index);
                                return java.util.Arrays.equals(logits(enc.score(QUERY, requests.get(index))), expected);
                            }));
                        }
                    }
                    for (Future<Boolean> check : checks) {
                        assertThat(check.get(120, TimeUnit.SECONDS)).isTrue();
                    }
                } finally {
                    callers.shutdownNow();
                }
            }
            // Closing the encoders left the shared pool to its owner.
            assertThat(pool.stats().queuedCalls()).isZero();
            pool.runAll(new InferencePool.Task[] {scratch -> {}}, Cancellation.NONE);
        }
    }

    private static float[] logits(ScoredPairs pairs) {
        float[] out = new float[pairs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = pairs.logit(i);
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
