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
        tasks[i] =
            scratch -> {
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
      assertThat(pool.batchesRun()).isEqualTo(12);
      assertThat(pool.busyWorkers()).isZero();
      assertThat(pool.queuedCalls()).isZero();
    }
  }

  @Test
  void cancellationSkipsTheTasksNotYetStartedAndWaitsForTheRunningOne() {
    try (InferencePool pool = InferencePool.create(1)) {
      CountDownLatch firstStarted = new CountDownLatch(1);
      AtomicInteger ran = new AtomicInteger();
      InferencePool.Task[] tasks = new InferencePool.Task[50];
      for (int i = 0; i < tasks.length; i++) {
        tasks[i] =
            scratch -> {
              firstStarted.countDown();
              sleep(20);
              ran.incrementAndGet();
            };
      }
      assertThatThrownBy(() -> pool.runAll(tasks, () -> firstStarted.getCount() == 0))
          .isInstanceOf(ScoringCancelledException.class);
      // The running task finished before runAll returned; the rest never started.
      assertThat(ran.get()).isEqualTo(1);
      assertThat(pool.queuedCalls()).isZero();
      assertThat(pool.busyWorkers()).isZero();
      // The pool keeps serving.
      pool.runAll(new InferencePool.Task[] {scratch -> ran.incrementAndGet()}, Cancellation.NONE);
      assertThat(ran.get()).isEqualTo(2);
    }
  }

  @Test
  void aFailingTaskFailsTheCallWithItsExceptionAndSkipsTheRest() {
    try (InferencePool pool = InferencePool.create(1)) {
      AtomicInteger ran = new AtomicInteger();
      InferencePool.Task[] tasks = new InferencePool.Task[10];
      for (int i = 0; i < tasks.length; i++) {
        int index = i;
        tasks[i] =
            scratch -> {
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
      CrossEncoderOptions.Builder base = CrossEncoderOptions.builder(TestModels.testModel()).onnxFile(onnxFile).maxBatchTokens(600);
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
      try (CrossEncoder fp32 = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel()).build(), pool);
          CrossEncoder int8 = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModelInt8()).build(), pool)) {
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
              checks.add(
                  callers.submit(
                      () -> {
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
      assertThat(pool.queuedCalls()).isZero();
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
