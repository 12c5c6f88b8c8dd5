package io.github.jareranker.optimizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a ModernBERT cross-encoder ONNX graph (fp32, or the dynamic-int8 form with
 * DynamicQuantizeLinear + MatMulInteger) into ONNX Runtime contrib operators that have CPU kernels:
 * {@code RotaryEmbedding} + {@code MultiHeadAttention} for each attention block and
 * {@code SkipLayerNormalization} for each residual Add + LayerNorm. The inputs and outputs of the
 * graph stay as they are, so the engine loads the result like any other model file; it also still
 * accepts the original. The int8 projections are left in their standard form, which ONNX Runtime
 * fuses into DynamicQuantizeMatMul itself.
 *
 * <p>Optimizing does not prove equivalence: run {@link OptimizationVerifier} on the result (the
 * {@link #main} entry point does both).
 */
public final class GraphOptimizer {
  /** ModernBERT's max_position_embeddings: rotary caches cover positions 0 .. 8191. */
  public static final int DEFAULT_MAX_POSITIONS = 8192;

  private final List<GraphFusion> fusions;

  private GraphOptimizer(int maxPositions) {
    this.fusions = List.of(new AttentionFusion(maxPositions), new SkipLayerNormFusion());
  }

  /** An optimizer whose rotary caches cover {@code maxPositions} positions. */
  public static GraphOptimizer withMaxPositions(int maxPositions) {
    return new GraphOptimizer(maxPositions);
  }

  /** Optimizes {@code in} into {@code out} with rotary caches for {@link #DEFAULT_MAX_POSITIONS}. */
  public static OptimizationReport optimize(Path in, Path out) throws IOException {
    return withMaxPositions(DEFAULT_MAX_POSITIONS).run(in, out);
  }

  /**
   * Reads {@code in}, applies every fusion that matches, and writes {@code out} (its parent
   * directories are created; an existing file is replaced). {@code in} and {@code out} must differ.
   *
   * @throws IOException if a file cannot be read or written
   * @throws IllegalArgumentException if {@code in} is not an ONNX model this optimizer can read
   */
  public OptimizationReport run(Path in, Path out) throws IOException {
    if (Files.exists(out) && Files.isSameFile(in, out)) {
      throw new IllegalArgumentException("input and output are the same file: " + in);
    }
    OnnxGraph graph;
    try {
      graph = OnnxGraph.read(in);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(in + " is not an ONNX model: " + e.getMessage(), e);
    }
    int before = graph.nodeCount();
    Map<String, Integer> opsBefore = graph.opCounts();
    Map<String, Integer> applied = new LinkedHashMap<>();
    for (GraphFusion f : fusions) {
      applied.put(f.name(), f.apply(graph));
    }
    graph.removeDeadNodes();
    graph.write(out);
    return new OptimizationReport(in, out, applied, before, graph.nodeCount(), opsBefore, graph.opCounts());
  }

  /**
   * {@code GraphOptimizer MODEL_DIR IN_ONNX OUT_ONNX REFERENCE_JSON}: optimizes MODEL_DIR/IN_ONNX into
   * MODEL_DIR/OUT_ONNX (paths relative to the model directory, which holds tokenizer.json), then
   * verifies the two on the golden pairs of REFERENCE_JSON; exits 1 if they disagree.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: GraphOptimizer MODEL_DIR IN_ONNX OUT_ONNX REFERENCE_JSON");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    OptimizationReport report = optimize(dir.resolve(args[1]), dir.resolve(args[2]));
    System.out.print(report);
    OptimizationVerifier.Result result =
        OptimizationVerifier.fromReference(Path.of(args[3])).verify(dir, args[1], args[2]);
    System.out.println(result);
    System.exit(result.passed() ? 0 : 1);
  }
}
