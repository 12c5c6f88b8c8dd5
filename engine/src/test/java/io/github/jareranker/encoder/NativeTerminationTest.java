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
import java.util.concurrent.atomic.AtomicInteger;
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
    void cancellingMidCallReturnsNoScoresAndLaterCallsAreUnaffected() throws Exception {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            docs.add("東京の観光地について。".repeat(1 + i % 9));
        }
        try (CrossEncoder encoder = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                .workers(1)
                .maxBatchSize(1)
                .build())) {
            ScoredPairs before = encoder.score("観光", docs);
            long batchesBefore = encoder.pool().stats().batchesRun();
            AtomicInteger polls = new AtomicInteger();
            // Fires once the call is under way: the first checks (before tokenizing, before queueing) pass.
            Cancellation midway = () -> polls.incrementAndGet() > 3;
            assertThatThrownBy(() -> encoder.score("観光", docs, midway)).isInstanceOf(ScoringCancelledException.class);
            long ran = encoder.pool().stats().batchesRun() - batchesBefore;
            assertThat(ran)
                    .as("batches run before the cancellation took effect")
                    .isLessThan(docs.size());
            ScoredPairs after = encoder.score("観光", docs);
            for (int i = 0; i < docs.size(); i++) {
                assertThat(after.logit(i)).isEqualTo(before.logit(i));
            }
        }
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
