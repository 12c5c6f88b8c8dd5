package io.github.jareranker.optimizer;

import com.google.protobuf.InvalidProtocolBufferException;
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
 * <p>Optimizing does not prove equivalence: the engine verifies a rewritten graph against the original before it uses
 * it (ja-reranker-engine's {@code GraphVerifier}); this module only rewrites. Instances are immutable and thread-safe.
 */
public final class GraphOptimizer {
    /**
     * Changes whenever a fusion writes a different graph for the same input: the engine keys its cache of fused files
     * on it (with the original's SHA-256), so a new optimizer never serves a graph the old one wrote.
     */
    public static final String VERSION = "3";

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
     * Optimizes {@code in} into {@code out} with {@link #ALL} and rotary caches for {@link
     * #DEFAULT_MAX_POSITIONS}.
     */
    public static OptimizationReport optimize(Path in, Path out) throws IOException {
        return create(DEFAULT_MAX_POSITIONS, ALL).run(in, out);
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
    public static final Set<Fusion> BITWISE_EXACT = Collections.unmodifiableSet(
            EnumSet.of(Fusion.ATTENTION_KEEPING_ROTARY, Fusion.SKIP_LAYER_NORM, Fusion.GEGLU_SPLIT, Fusion.POOLED_ROW));

    /**
     * Every fusion that keeps a graph right for padded batches (all but {@link Fusion#UNPADDED_GLOBAL_ATTENTION} and
     * {@link Fusion#BANDED_LOCAL_ATTENTION}).
     */
    public static final Set<Fusion> ALL = Collections.unmodifiableSet(
            EnumSet.complementOf(EnumSet.of(Fusion.UNPADDED_GLOBAL_ATTENTION, Fusion.BANDED_LOCAL_ATTENTION)));

    /**
     * The fusion sets the engine tries, in this order, for an encoder that runs one unpadded pair per run: every
     * fusion; the bitwise-exact ones with both unpadded rewrites; the bitwise-exact ones with the global one only. The
     * banded attention sums in another order, which a chaotic int8 model can amplify past the verifier (measured: an
     * xsmall-shaped random-weight int8 model, 70.6 % of the pairs within 1e-3), so the last set keeps such a model on
     * the exact rewrite it had before.
     */
    public static List<Set<Fusion>> unpaddedCandidates() {
        EnumSet<Fusion> exactGlobalOnly = EnumSet.copyOf(BITWISE_EXACT);
        exactGlobalOnly.add(Fusion.UNPADDED_GLOBAL_ATTENTION);
        return List.of(
                forUnpaddedRuns(ALL), forUnpaddedRuns(BITWISE_EXACT), Collections.unmodifiableSet(exactGlobalOnly));
    }

    /**
     * {@code fusions} plus those that hold only for runs of one unpadded pair: the global layers without their padding
     * bias, and the sliding-window layers over blocks (measured on long pages: 1.04× float32, 1.05× int8 faster than
     * without it, docs/performance.md; exact in both).
     */
    public static Set<Fusion> forUnpaddedRuns(Set<Fusion> fusions) {
        EnumSet<Fusion> set = EnumSet.copyOf(fusions);
        set.add(Fusion.UNPADDED_GLOBAL_ATTENTION);
        set.add(Fusion.BANDED_LOCAL_ATTENTION);
        return Collections.unmodifiableSet(set);
    }
}
