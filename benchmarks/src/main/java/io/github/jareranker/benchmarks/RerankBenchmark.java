package io.github.jareranker.benchmarks;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.scoring.onnx.OnnxScoringModel;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reranking one query's candidates (JSQuAD questions and paragraphs), side by side in one run:
 *
 * <ul>
 *   <li>{@code jaReranker}: this project's engine (length-sorted batches under a token budget);
 *   <li>{@code jaRerankerOnePaddedBatch}: the same engine forced to one batch padded to the longest
 *       pair, to isolate the batching strategy;
 *   <li>{@code langchain4j}: the peer, {@code dev.langchain4j:langchain4j-onnx-scoring}'s
 *       OnnxScoringModel, on the same ONNX file, tokenizer, ONNX Runtime version, session options
 *       and thread count.
 * </ul>
 *
 * One operation scores all candidates of one query; queries rotate. Run with benchmarks/run.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-DOPT_OUT_TRACKING=true", "-Dai.djl.offline=true", "-Xmx4g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class RerankBenchmark {
  /** Model directory, relative to the repository root. */
  @Param("models/test-model")
  public String model;

  /** ONNX file inside the model directory; empty = the default choice. */
  @Param("")
  public String onnxFile;

  /** Candidates per query (Solr's reRankDocs). */
  @Param("100")
  public int candidates;

  /** ONNX Runtime intra-op threads for both sides (0 = ONNX Runtime default). */
  @Param("2")
  public int threads;

  /** Maximum tokens per pair for both sides. */
  @Param("512")
  public int maxLength;

  /**
   * Pairs per ONNX Runtime run for {@code jaReranker} only; 0 = the engine's default (32 for float
   * graphs, 1 for int8 graphs that quantize activations per batch). Setting it on an int8 graph
   * measures what the batch-invariance rule costs, e.g. {@code -p maxBatchSize=0,32}.
   */
  @Param("0")
  public int maxBatchSize;

  private Workload workload;
  private List<List<TextSegment>> segments;
  private CrossEncoder engine;
  private CrossEncoder onePaddedBatch;
  private OnnxScoringModel peer;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path home = Path.of(System.getProperty("ja-reranker.home", ".")).toAbsolutePath();
    Path data = Path.of(System.getProperty("ja-reranker.data", home.resolve("../shared/data").toString()));
    workload = Workload.jsquad(data.resolve("jsquad-v1.3/valid-v1.3.json"), 16, candidates, 20261129L);
    segments = new ArrayList<>();
    for (List<String> docs : workload.candidates) {
      List<TextSegment> s = new ArrayList<>();
      for (String d : docs) {
        s.add(TextSegment.from(d));
      }
      segments.add(s);
    }
    CrossEncoderOptions options =
        CrossEncoderOptions.builder(home.resolve(model))
            .onnxFile(onnxFile)
            .maxLength(maxLength)
            .intraOpThreads(threads)
            .build();
    engine =
        CrossEncoder.load(maxBatchSize > 0 ? options.toBuilder().maxBatchSize(maxBatchSize).build() : options);
    onePaddedBatch =
        CrossEncoder.load(options.toBuilder().maxBatchTokens(Integer.MAX_VALUE).maxBatchSize(Integer.MAX_VALUE).build());
    peer =
        new OnnxScoringModel(
            engine.info().onnxFile().toString(),
            peerSessionOptions(),
            engine.info().tokenizerFile().toString(),
            maxLength,
            true);
    describeWorkload();
  }

  /**
   * Prints what one pass over the queries feeds the model, once per trial, without running it: pair
   * lengths from the model's tokenizer.json (longest-first truncation to maxLength, as the engine
   * does), padded positions for the engine's length-sorted plan (same rule as its BatchPlanner,
   * with its effective maxBatchSize) and for one batch padded to the longest pair.
   */
  private void describeWorkload() throws Exception {
    Map<String, String> tokOptions = new HashMap<>();
    tokOptions.put("addSpecialTokens", "true");
    tokOptions.put("truncation", "LONGEST_FIRST");
    tokOptions.put("padding", "false");
    tokOptions.put("maxLength", Integer.toString(maxLength));
    tokOptions.put("modelMaxLength", Integer.toString(maxLength));
    long pairs = 0;
    long tokens = 0;
    long sorted = 0;
    long oneBatch = 0;
    long runs = 0;
    int batchSize = engine.info().maxBatchSize();
    int batchTokens = engine.options().maxBatchTokens();
    try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(engine.info().tokenizerFile(), tokOptions)) {
      for (int q = 0; q < workload.queries.size(); q++) {
        List<String> docs = workload.candidates.get(q);
        int[] lengths = new int[docs.size()];
        for (int i = 0; i < lengths.length; i++) {
          lengths[i] = tokenizer.encode(workload.queries.get(q), docs.get(i)).getIds().length;
          tokens += lengths[i];
        }
        pairs += lengths.length;
        Arrays.sort(lengths);
        oneBatch += (long) lengths.length * lengths[lengths.length - 1];
        for (int start = 0; start < lengths.length; runs++) {
          int end = start + 1;
          while (end < lengths.length
              && end - start < batchSize
              && (long) (end - start + 1) * lengths[end] <= batchTokens) {
            end++;
          }
          sorted += (long) (end - start) * lengths[end - 1];
          start = end;
        }
      }
    }
    int queries = workload.queries.size();
    System.out.printf(
        "%nworkload: %d queries x %d candidates; per query: %.0f real tokens (%.1f per pair);"
            + " jaReranker (maxBatchSize %d, maxBatchTokens %d, dynamic int8 %s) feeds %.0f token"
            + " positions in %.1f runs; one padded batch feeds %.0f%n",
        queries,
        candidates,
        (double) tokens / queries,
        (double) tokens / pairs,
        batchSize,
        batchTokens,
        engine.info().dynamicallyQuantized(),
        (double) sorted / queries,
        (double) runs / queries,
        (double) oneBatch / queries);
  }

  /** The same settings our engine uses (see OnnxModel), so only the scoring strategy differs. */
  private OrtSession.SessionOptions peerSessionOptions() throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    so.setInterOpNumThreads(1);
    if (threads > 0) {
      so.setIntraOpNumThreads(threads);
    }
    so.addConfigEntry("session.intra_op.allow_spinning", "0");
    return so;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
    onePaddedBatch.close();
    peer.close();
  }

  private int nextQuery() {
    int q = next;
    next = (next + 1) % workload.queries.size();
    return q;
  }

  @Benchmark
  public float[] jaReranker() {
    int q = nextQuery();
    return engine.score(workload.queries.get(q), workload.candidates.get(q)).scores();
  }

  @Benchmark
  public float[] jaRerankerOnePaddedBatch() {
    int q = nextQuery();
    return onePaddedBatch.score(workload.queries.get(q), workload.candidates.get(q)).scores();
  }

  @Benchmark
  public List<Double> langchain4j() {
    int q = nextQuery();
    return peer.scoreAll(segments.get(q), workload.queries.get(q)).content();
  }
}
