package io.github.jareranker.optimizer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.github.jareranker.encoder.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a ModernBERT cross-encoder ONNX graph (fp32, or the dynamic-int8 form with
 * DynamicQuantizeLinear + MatMulInteger) into ONNX Runtime contrib operators that have CPU kernels:
 * {@code RotaryEmbedding} + {@code MultiHeadAttention} for each attention block,
 * {@code SkipLayerNormalization} for each residual Add + LayerNorm, the GeGLU projection split into
 * its two halves, and (fp32 only) the last layer computed for the pooled CLS row alone; see {@link
 * Fusion}. The inputs and outputs of the graph stay as they are, so the engine loads the result like
 * any other model file; it also still accepts the original. The int8 projections are left in their
 * standard form, which ONNX Runtime fuses into DynamicQuantizeMatMul itself.
 *
 * <p>Optimizing does not prove equivalence: run {@link OptimizationVerifier} on the result (the
 * {@link #main} entry point does both).
 */
public final class GraphOptimizer {
    /** ModernBERT's max_position_embeddings: rotary caches cover positions 0 .. 8191. */
    public static final int DEFAULT_MAX_POSITIONS = 8192;

    private final List<GraphFusion> fusions;

    private GraphOptimizer(int maxPositions, Set<Fusion> enabled) {
        List<GraphFusion> list = new ArrayList<>();
        for (Fusion f : Fusion.values()) {
            if (enabled.contains(f)) {
                list.add(f.create(maxPositions));
            }
        }
        this.fusions = List.copyOf(list);
    }

    /**
     * An optimizer applying {@code enabled} (in {@link Fusion} order) whose rotary caches cover
     * {@code maxPositions} positions.
     */
    public static GraphOptimizer create(int maxPositions, Set<Fusion> enabled) {
        return new GraphOptimizer(maxPositions, EnumSet.copyOf(enabled));
    }

    /**
     * Optimizes {@code in} into {@code out} with every {@link Fusion} and rotary caches for {@link
     * #DEFAULT_MAX_POSITIONS}.
     */
    public static OptimizationReport optimize(Path in, Path out) throws IOException {
        return create(DEFAULT_MAX_POSITIONS, EnumSet.allOf(Fusion.class)).run(in, out);
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
        } catch (InvalidProtocolBufferException e) {
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
     * Every fusion but {@link Fusion#ATTENTION}'s RotaryEmbedding: on the int8 test graphs these give
     * the very same logits as the original ({@link Fusion#POOLED_ROW} leaves int8 graphs alone), so
     * they also pass where a chaotic int8 model amplifies RotaryEmbedding's different rounding past
     * the int8 tolerance.
     */
    public static final Set<Fusion> BITWISE_EXACT =
            EnumSet.of(Fusion.ATTENTION_KEEPING_ROTARY, Fusion.SKIP_LAYER_NORM, Fusion.GEGLU_SPLIT, Fusion.POOLED_ROW);

    /** A verified optimization: the report of the file written and the check it passed. */
    public record Verified(OptimizationReport report, OptimizationVerifier.Result verification, Set<Fusion> fusions) {}

    /**
     * Optimizes {@code modelDir/inOnnx} into {@code modelDir/outOnnx} with every fusion and verifies
     * it; if that fails (typically an int8 graph whose rounding differences from the attention fusion
     * grow past the int8 tolerance), tries again with the {@link #BITWISE_EXACT} fusions only. Returns
     * the first that passes; if none does, deletes the output and throws.
     *
     * @throws IllegalStateException naming both verification results when neither passes
     */
    public static Verified optimizeVerified(Path modelDir, String inOnnx, String outOnnx, OptimizationVerifier verifier)
            throws IOException, ModelLoadException {
        List<String> failures = new ArrayList<>();
        for (Set<Fusion> set : List.of(EnumSet.allOf(Fusion.class), BITWISE_EXACT)) {
            OptimizationReport report =
                    create(DEFAULT_MAX_POSITIONS, set).run(modelDir.resolve(inOnnx), modelDir.resolve(outOnnx));
            OptimizationVerifier.Result result = verifier.verify(modelDir, inOnnx, outOnnx);
            if (result.passed()) {
                return new Verified(report, result, Collections.unmodifiableSet(EnumSet.copyOf(set)));
            }
            failures.add(set + ": " + result);
        }
        Files.deleteIfExists(modelDir.resolve(outOnnx));
        throw new IllegalStateException("no optimization of " + inOnnx + " scores like the original: " + failures);
    }

    /**
     * {@code GraphOptimizer MODEL_DIR IN_ONNX OUT_ONNX REFERENCE_JSON [FUSION,...]}: optimizes MODEL_DIR/IN_ONNX into
     * MODEL_DIR/OUT_ONNX (paths relative to the model directory, which holds tokenizer.json), then
     * verifies the two on the golden pairs of REFERENCE_JSON; exits 1 if they disagree. The optional
     * last argument names the {@link Fusion}s to apply; without it, {@link #optimizeVerified} picks
     * all fusions or, failing those, the bitwise-exact ones.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4 && args.length != 5) {
            System.err.println("usage: GraphOptimizer MODEL_DIR IN_ONNX OUT_ONNX REFERENCE_JSON [FUSION,...]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        OptimizationVerifier verifier = OptimizationVerifier.fromReference(Path.of(args[3]));
        if (args.length == 4) {
            try {
                Verified v = optimizeVerified(dir, args[1], args[2], verifier);
                System.out.print(v.report());
                System.out.println("fusions " + v.fusions() + ": " + v.verification());
                System.exit(0);
            } catch (IllegalStateException e) {
                System.err.println(e.getMessage());
                System.exit(1);
            }
        }
        Set<Fusion> enabled = EnumSet.noneOf(Fusion.class);
        for (String f : args[4].split(",")) {
            enabled.add(Fusion.valueOf(f.trim()));
        }
        OptimizationReport report =
                create(DEFAULT_MAX_POSITIONS, enabled).run(dir.resolve(args[1]), dir.resolve(args[2]));
        System.out.print(report);
        OptimizationVerifier.Result result = verifier.verify(dir, args[1], args[2]);
        System.out.println(result);
        System.exit(result.passed() ? 0 : 1);
    }
}
