package io.github.jareranker.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession;
import io.github.jareranker.testing.TestModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A cancelled call stops ONNX Runtime's native work through its run options, and the encoder goes on. */
class NativeTerminationTest {
    @Test
    void aTerminatedRunOptionsStopsTheNativeRun() throws Exception {
        CrossEncoderOptions options =
                CrossEncoderOptions.builder(TestModels.testModel()).build();
        try (OnnxModel model = OnnxModel.load(TestModels.testModel().resolve("model.onnx"), options)) {
            int seqLen = 16;
            LongBuffer ids = longs(seqLen, 7);
            LongBuffer mask = longs(seqLen, 1);
            try (OrtSession.RunOptions fresh = OnnxModel.newRunOptions()) {
                assertThat(model.run(ids, mask, null, 1, seqLen, fresh)).hasSize(1);
            }
            try (OrtSession.RunOptions stopped = OnnxModel.newRunOptions()) {
                OnnxModel.terminate(stopped);
                assertThatThrownBy(() -> model.run(longs(seqLen, 7), longs(seqLen, 1), null, 1, seqLen, stopped))
                        .isInstanceOf(ScoringException.class)
                        .hasMessageContaining("terminate");
            }
        }
    }

    @Test
    void cancellingBetweenBatchesSkipsTheRestAndLaterCallsAreUnaffected() throws Exception {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // ~150 to ~250 tokens: a batch takes milliseconds, so the caller, asking every millisecond, sees the
            // third batch end long before the worker reaches the twentieth
            docs.add("東京の観光地について。".repeat(20 + i % 9));
        }
        try (CrossEncoder encoder = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                .workers(1)
                .maxBatchSize(1)
                .build())) {
            ScoredPairs before = encoder.score("観光", docs);
            long batchesBefore = encoder.pool().stats().batchesRun();
            // Fires once three of the call's 40 batches have run.
            Cancellation afterThreeBatches = () -> encoder.pool().stats().batchesRun() - batchesBefore >= 3;
            assertThatThrownBy(() -> encoder.score("観光", docs, afterThreeBatches))
                    .isInstanceOf(ScoringCancelledException.class);
            long ran = encoder.pool().stats().batchesRun() - batchesBefore;
            assertThat(ran)
                    .as("batches run before the cancellation took effect (of %d)", docs.size())
                    .isBetween(3L, (long) docs.size() / 2);
            ScoredPairs after = encoder.score("観光", docs);
            for (int i = 0; i < docs.size(); i++) {
                assertThat(after.logit(i)).isEqualTo(before.logit(i));
            }
        }
    }

    /**
     * A run that is already inside ONNX Runtime stops when the call is cancelled: a single long run (one batch of
     * long pairs on one worker) is measured uncancelled, then the same call is cancelled once the worker thread has
     * been inside {@code OrtSession.run} for a fifth of that duration. The call must end with {@link
     * ScoringCancelledException} well before the uncancelled run would have (ONNX Runtime checks the terminate flag
     * between operators, so stopping costs at most the operator under way), and the encoder must
     * give the same logits afterwards. Bounds are relative to the duration measured in this test, so a slow or busy
     * machine slows both sides alike.
     */
    @Test
    void cancellingARunInsideOnnxRuntimeStopsItMidway() throws Exception {
        int rows = 6;
        int tokens = 1536;
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            docs.add(("東京の観光地について" + i + "。").repeat(tokens / 6));
        }
        Set<Thread> earlier = Thread.getAllStackTraces().keySet();
        try (CrossEncoder encoder = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                .workers(1)
                .intraOpThreads(1)
                .maxLength(tokens)
                .maxBatchSize(rows)
                .maxBatchTokens(rows * tokens)
                .build())) {
            ScoredPairs before = encoder.score("観光", docs); // warm-up, and the logits to compare with
            assertThat(before.stats().batches()).as("one ONNX Runtime run").isEqualTo(1);
            assertThat(before.stats().truncatedPairs())
                    .as("every pair at the full length")
                    .isEqualTo(rows);
            long t0 = System.nanoTime();
            encoder.score("観光", docs);
            long uncancelled = System.nanoTime() - t0;

            Thread worker = newWorker(earlier);
            AtomicLong enteredNative = new AtomicLong();
            AtomicLong fired = new AtomicLong();
            // Polled every millisecond by the waiting caller, as a server's request limits are.
            Cancellation onceAFifthIntoTheRun = Cancellation.polled(
                    () -> {
                        long now = System.nanoTime();
                        if (fired.get() != 0) {
                            return true;
                        }
                        if (!insideOrtRun(worker)) {
                            return false;
                        }
                        enteredNative.compareAndSet(0, now);
                        if (now - enteredNative.get() < uncancelled / 5) {
                            return false;
                        }
                        fired.set(now);
                        return true;
                    },
                    TimeUnit.MILLISECONDS.toNanos(1));
            long batchesBefore = encoder.pool().stats().batchesRun();
            long start = System.nanoTime();
            assertThatThrownBy(() -> encoder.score("観光", docs, onceAFifthIntoTheRun))
                    .isInstanceOf(ScoringCancelledException.class);
            long end = System.nanoTime();

            assertThat(fired.get())
                    .as("the cancellation fired while the worker was inside OrtSession.run")
                    .isNotZero();
            assertThat(insideOrtRun(worker)).as("the worker left ONNX Runtime").isFalse();
            // Uncancelled, the run had about four fifths of its time left when the cancellation fired. Stopping waits
            // for the operator under way (up to about a quarter of the run, measured here): the run must stop within
            // half of the uncancelled duration, and the whole call within three quarters of it.
            assertThat(end - fired.get())
                    .as("stop latency %.0f ms, uncancelled run %.0f ms", (end - fired.get()) / 1e6, uncancelled / 1e6)
                    .isLessThan(uncancelled / 2);
            assertThat(end - start).isLessThan(uncancelled * 3 / 4);
            assertThat(encoder.pool().stats().batchesRun() - batchesBefore)
                    .as("the stopped run does not count as run")
                    .isZero();

            ScoredPairs after = encoder.score("観光", docs);
            for (int i = 0; i < rows; i++) {
                assertThat(after.logit(i)).isEqualTo(before.logit(i));
            }
        }
    }

    /** The encoder's only inference worker: the one thread of its pool that did not exist before it was loaded. */
    private static Thread newWorker(Set<Thread> earlier) {
        List<Thread> workers = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("ja-reranker-inference-") && !earlier.contains(t)) {
                workers.add(t);
            }
        }
        assertThat(workers).as("the encoder's inference worker").hasSize(1);
        return workers.get(0);
    }

    /** Whether {@code thread} is in ONNX Runtime's native {@code OrtSession.run}. */
    private static boolean insideOrtRun(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return stack.length > 0
                && stack[0].isNativeMethod()
                && stack[0].getClassName().equals(OrtSession.class.getName())
                && stack[0].getMethodName().equals("run");
    }

    private static LongBuffer longs(int n, long value) {
        LongBuffer b = ByteBuffer.allocateDirect(n * Long.BYTES)
                .order(ByteOrder.nativeOrder())
                .asLongBuffer();
        for (int i = 0; i < n; i++) {
            b.put(value);
        }
        b.flip();
        return b;
    }
}
