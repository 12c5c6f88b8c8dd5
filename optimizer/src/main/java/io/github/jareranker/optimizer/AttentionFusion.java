package io.github.jareranker.optimizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

/**
 * Rewrites ModernBERT's self-attention, as torch.onnx exports it, into ONNX Runtime's fused CPU
 * operators:
 *
 * <pre>
 *   X = Wqkv projection [B, S, 3·N·D] (fp32 MatMul, or the dynamic-int8 MatMulInteger chain)
 *   Reshape(X, [B, -1, 3, N, D]) → Transpose(0,3,2,1,4) → Split(axis 2) → Squeeze → q, k, v [B, N, S, D]
 *   q' = q·cos + rotate_half(q)·sin,  k' likewise   (rotate_half = Concat(−x[…, D/2:], x[…, :D/2]))
 *   P = Softmax(MatMul(q', Transpose(k')) · scale + mask)      mask: additive [B, 1, S, S]
 *   O = Reshape(Transpose(MatMul(P, v), 0,2,1,3), [B, -1, N·D])
 * </pre>
 *
 * becomes
 *
 * <pre>
 *   Split(X, [N·D]×3, axis −1) → xq, xk, xv
 *   com.microsoft:RotaryEmbedding(xq | xk, position_ids = [0], cos_cache, sin_cache)   (interleaved = 0)
 *   O = com.microsoft:MultiHeadAttention(q', k', xv, attention_bias = mask; num_heads N, scale)
 * </pre>
 *
 * The cos/sin caches [maxPositions, D/2] are computed once by ONNX Runtime from the graph's own
 * sin/cos subgraph (see {@link SubgraphEvaluator}), so they hold the values the original computes at
 * run time; a layer is left alone unless those tables have the rotate_half layout (both halves of
 * every row equal). Global and sliding-window layers differ only in their additive mask, which is
 * passed through unchanged as MultiHeadAttention's attention bias; the mask subgraph stays.
 * Sequences longer than {@code maxPositions} would index past the caches, so it must be at least
 * the model's maximum position count (ModernBERT: 8192).
 */
final class AttentionFusion implements GraphFusion {
    private final int maxPositions;
    private final boolean fuseRotary;

    /**
     * @param fuseRotary true: RotaryEmbedding + MultiHeadAttention as above; false: keep the exported
     *     rotary subgraph and pass its results to MultiHeadAttention (query reshaped to [B, S, N·D],
     *     rotated keys and the values as [B, N, S, D], which the kernel takes as they are), which
     *     reproduces the original's logits bit for bit
     */
    AttentionFusion(int maxPositions, boolean fuseRotary) {
        if (maxPositions < 1) {
            throw new IllegalArgumentException("maxPositions must be positive, got " + maxPositions);
        }
        this.maxPositions = maxPositions;
        this.fuseRotary = fuseRotary;
    }

    @Override
    public String name() {
        return fuseRotary ? "MultiHeadAttention+RotaryEmbedding" : "MultiHeadAttention (exported rotary kept)";
    }

    /** One matched attention block. */
    private record Match(
            NodeProto outputReshape,
            String qkv,
            int heads,
            int headSize,
            float scale,
            String mask,
            String cos,
            String sin,
            String rotatedQ,
            String rotatedK,
            String v) {}

    @Override
    public int apply(OnnxGraph graph) {
        List<Match> matches = new ArrayList<>();
        for (NodeProto n : graph.nodes()) {
            if (Nodes.is(n, "Softmax")) {
                match(graph, n).ifPresent(matches::add);
            }
        }
        if (matches.isEmpty()) {
            return 0;
        }
        if (!fuseRotary) {
            for (Match m : matches) {
                graph.replace(List.of(m.outputReshape()), attentionOnly(graph, m));
            }
            graph.requireOpset(Nodes.MS_DOMAIN, 1);
            graph.removeDeadNodes();
            return matches.size();
        }
        LinkedHashSet<String> tables = new LinkedHashSet<>();
        for (Match m : matches) {
            tables.add(m.cos());
            tables.add(m.sin());
        }
        Map<String, SubgraphEvaluator.Value> values =
                new SubgraphEvaluator(graph).evaluate(new ArrayList<>(tables), maxPositions);
        Map<String, String> caches = new LinkedHashMap<>();
        String positionIds = null;
        int fused = 0;
        for (Match m : matches) {
            Optional<String> cosCache = cache(graph, caches, m.cos(), values.get(m.cos()), m.headSize());
            Optional<String> sinCache = cache(graph, caches, m.sin(), values.get(m.sin()), m.headSize());
            if (cosCache.isEmpty() || sinCache.isEmpty()) {
                continue;
            }
            if (positionIds == null) {
                // One scalar-like position id: the kernel then uses positions start + 0 .. S-1.
                positionIds = graph.uniqueName("rotary_position_start");
                graph.addInitializer(Tensors.longTensor(positionIds, new long[] {1}, new long[] {0}));
            }
            graph.replace(List.of(m.outputReshape()), rewrite(graph, m, positionIds, cosCache.get(), sinCache.get()));
            fused++;
        }
        if (fused > 0) {
            graph.requireOpset(Nodes.MS_DOMAIN, 1);
            graph.removeDeadNodes();
        }
        return fused;
    }

    private List<NodeProto> rewrite(OnnxGraph graph, Match m, String positionIds, String cosCache, String sinCache) {
        String base = m.outputReshape().getName().isEmpty()
                ? m.outputReshape().getOutput(0)
                : m.outputReshape().getName();
        int hidden = m.heads() * m.headSize();
        List<NodeProto> out = new ArrayList<>();
        String q = graph.uniqueName(base + "_q");
        String k = graph.uniqueName(base + "_k");
        String v = graph.uniqueName(base + "_v");
        NodeProto.Builder split = Nodes.node(
                        "Split", "", graph.uniqueName(base + "_SplitQKV"), List.of(m.qkv()), List.of(q, k, v))
                .addAttribute(Nodes.intAttr("axis", -1));
        if (graph.defaultOpset() >= 13) {
            String sizes = graph.uniqueName(base + "_qkv_sizes");
            graph.addInitializer(Tensors.longTensor(sizes, new long[] {3}, new long[] {hidden, hidden, hidden}));
            split.addInput(sizes);
        } else {
            split.addAttribute(onnx.Onnx.AttributeProto.newBuilder()
                    .setName("split")
                    .setType(onnx.Onnx.AttributeProto.AttributeType.INTS)
                    .addInts(hidden)
                    .addInts(hidden)
                    .addInts(hidden));
        }
        out.add(split.build());
        String qr = graph.uniqueName(base + "_q_rotary");
        String kr = graph.uniqueName(base + "_k_rotary");
        for (String[] io : new String[][] {{q, qr}, {k, kr}}) {
            out.add(Nodes.node(
                            "RotaryEmbedding",
                            Nodes.MS_DOMAIN,
                            graph.uniqueName(base + "_RotaryEmbedding"),
                            List.of(io[0], positionIds, cosCache, sinCache),
                            List.of(io[1]))
                    .addAttribute(Nodes.intAttr("interleaved", 0))
                    .addAttribute(Nodes.intAttr("num_heads", m.heads()))
                    .build());
        }
        out.add(Nodes.node(
                        "MultiHeadAttention",
                        Nodes.MS_DOMAIN,
                        graph.uniqueName(base + "_MultiHeadAttention"),
                        List.of(qr, kr, v, "", "", m.mask()),
                        List.of(m.outputReshape().getOutput(0)))
                .addAttribute(Nodes.intAttr("num_heads", m.heads()))
                .addAttribute(Nodes.floatAttr("scale", m.scale()))
                .build());
        return out;
    }

    /** MultiHeadAttention on the exported rotary results: query [B, S, N·D], key/value [B, N, S, D]. */
    private static List<NodeProto> attentionOnly(OnnxGraph graph, Match m) {
        String base = m.outputReshape().getName().isEmpty()
                ? m.outputReshape().getOutput(0)
                : m.outputReshape().getName();
        String qT = graph.uniqueName(base + "_q_bsnh");
        String q3 = graph.uniqueName(base + "_q_bsd");
        String shape = graph.uniqueName(base + "_q_shape");
        graph.addInitializer(Tensors.longTensor(
                shape, new long[] {3}, new long[] {0, 0, (long) m.heads() * m.headSize()}));
        return List.of(
                Nodes.node("Transpose", "", graph.uniqueName(base + "_q_Transpose"), List.of(m.rotatedQ()), List.of(qT))
                        .addAttribute(Nodes.intsAttr("perm", 0, 2, 1, 3))
                        .build(),
                Nodes.node("Reshape", "", graph.uniqueName(base + "_q_Reshape"), List.of(qT, shape), List.of(q3))
                        .build(),
                Nodes.node(
                                "MultiHeadAttention",
                                Nodes.MS_DOMAIN,
                                graph.uniqueName(base + "_MultiHeadAttention"),
                                List.of(q3, m.rotatedK(), m.v(), "", "", m.mask()),
                                List.of(m.outputReshape().getOutput(0)))
                        .addAttribute(Nodes.intAttr("num_heads", m.heads()))
                        .addAttribute(Nodes.floatAttr("scale", m.scale()))
                        .build());
    }

    /**
     * The [maxPositions, D/2] cache for a [.., maxPositions, D] table, made once per table; empty if
     * the table is not the rotate_half layout (each row's two halves equal) or has another shape.
     */
    private Optional<String> cache(
            OnnxGraph graph, Map<String, String> caches, String table, SubgraphEvaluator.Value value, int headSize) {
        if (caches.containsKey(table)) {
            return Optional.of(caches.get(table));
        }
        long[] shape = value.shape();
        if (shape.length < 2
                || shape[shape.length - 1] != headSize
                || shape[shape.length - 2] != maxPositions
                || value.data().length != (long) maxPositions * headSize) {
            return Optional.empty();
        }
        int half = headSize / 2;
        float[] data = new float[maxPositions * half];
        for (int p = 0; p < maxPositions; p++) {
            for (int i = 0; i < half; i++) {
                float first = value.data()[p * headSize + i];
                if (Float.floatToIntBits(first) != Float.floatToIntBits(value.data()[p * headSize + half + i])) {
                    return Optional.empty();
                }
                data[p * half + i] = first;
            }
        }
        String name = graph.uniqueName(table.replaceAll("[^A-Za-z0-9_.]", "_") + "_cache");
        graph.addInitializer(Tensors.floatTensor(name, new long[] {maxPositions, half}, data));
        caches.put(table, name);
        return Optional.of(name);
    }

    private static Optional<Match> match(OnnxGraph graph, NodeProto softmax) {
        if (Nodes.intAttribute(softmax, "axis").map(a -> a != -1 && a != 3).orElse(false)) {
            return Optional.empty();
        }
        NodeProto add = graph.producer(softmax.getInput(0));
        if (!Nodes.is(add, "Add")) {
            return Optional.empty();
        }
        for (int side = 0; side < 2; side++) {
            NodeProto scaled = graph.producer(add.getInput(side));
            String mask = add.getInput(1 - side);
            Optional<Float> scale = Optional.empty();
            NodeProto qk = null;
            if (Nodes.is(scaled, "Mul") || Nodes.is(scaled, "Div")) {
                for (int i = 0; i < 2; i++) {
                    Optional<TensorProto> c = graph.constant(scaled.getInput(i));
                    NodeProto other = graph.producer(scaled.getInput(1 - i));
                    if (c.isPresent()
                            && Tensors.elementCount(c.get()) == 1
                            && Nodes.is(other, "MatMul")
                            && (Nodes.is(scaled, "Mul") || i == 1)) {
                        float f = Tensors.floats(c.get())[0];
                        scale = Optional.of(Nodes.is(scaled, "Mul") ? f : 1.0f / f);
                        qk = other;
                    }
                }
            }
            if (scale.isEmpty()) {
                continue;
            }
            Optional<Match> m = matchRest(graph, softmax, qk, scale.get(), mask);
            if (m.isPresent()) {
                return m;
            }
        }
        return Optional.empty();
    }

    private static Optional<Match> matchRest(
            OnnxGraph graph, NodeProto softmax, NodeProto qk, float scale, String mask) {
        NodeProto kt = graph.producer(qk.getInput(1));
        if (!Nodes.is(kt, "Transpose")
                || !Nodes.intsAttribute(kt, "perm").orElse(List.of()).equals(List.of(0L, 1L, 3L, 2L))) {
            return Optional.empty();
        }
        Optional<Rotary> q = Rotary.match(graph, qk.getInput(0));
        Optional<Rotary> k = Rotary.match(graph, kt.getInput(0));
        if (q.isEmpty()
                || k.isEmpty()
                || !q.get().cos().equals(k.get().cos())
                || !q.get().sin().equals(k.get().sin())) {
            return Optional.empty();
        }
        // softmax → [Cast to float] → MatMul(P, v) → Transpose(0,2,1,3) → Reshape
        String probs = softmax.getOutput(0);
        List<NodeProto> next = graph.consumers(probs);
        if (next.size() == 1
                && Nodes.is(next.get(0), "Cast")
                && Nodes.intAttribute(next.get(0), "to").orElse(-1L) == TensorProto.DataType.FLOAT_VALUE) {
            probs = next.get(0).getOutput(0);
            next = graph.consumers(probs);
        }
        if (next.size() != 1
                || !Nodes.is(next.get(0), "MatMul")
                || !next.get(0).getInput(0).equals(probs)) {
            return Optional.empty();
        }
        NodeProto pv = next.get(0);
        List<NodeProto> afterPv = graph.consumers(pv.getOutput(0));
        if (afterPv.size() != 1
                || !Nodes.is(afterPv.get(0), "Transpose")
                || !Nodes.intsAttribute(afterPv.get(0), "perm")
                        .orElse(List.of())
                        .equals(List.of(0L, 2L, 1L, 3L))) {
            return Optional.empty();
        }
        List<NodeProto> afterT = graph.consumers(afterPv.get(0).getOutput(0));
        if (afterT.size() != 1 || !Nodes.is(afterT.get(0), "Reshape")) {
            return Optional.empty();
        }
        NodeProto outputReshape = afterT.get(0);
        // q, k, v: Squeeze(axis 2) of the three outputs of one Split(axis 2) of Transpose(0,3,2,1,4) of Reshape(X,
        // [B,-1,3,N,D]).
        Optional<NodeProto> splitQ = squeezedSplitOutput(graph, q.get().input(), 0);
        Optional<NodeProto> splitK = squeezedSplitOutput(graph, k.get().input(), 1);
        Optional<NodeProto> splitV = squeezedSplitOutput(graph, pv.getInput(1), 2);
        if (splitQ.isEmpty() || splitQ.get() != splitK.orElse(null) || splitQ.get() != splitV.orElse(null)) {
            return Optional.empty();
        }
        NodeProto split = splitQ.get();
        if (split.getOutputCount() != 3 || Nodes.intAttribute(split, "axis").orElse(0L) != 2) {
            return Optional.empty();
        }
        NodeProto transpose = graph.producer(split.getInput(0));
        if (!Nodes.is(transpose, "Transpose")
                || !Nodes.intsAttribute(transpose, "perm").orElse(List.of()).equals(List.of(0L, 3L, 2L, 1L, 4L))) {
            return Optional.empty();
        }
        NodeProto reshape = graph.producer(transpose.getInput(0));
        if (!Nodes.is(reshape, "Reshape")) {
            return Optional.empty();
        }
        Optional<long[]> dims = trailingShape(graph, reshape.getInput(1));
        if (dims.isEmpty() || dims.get()[0] != 3) {
            return Optional.empty();
        }
        int heads = (int) dims.get()[1];
        int headSize = (int) dims.get()[2];
        if (heads < 1 || headSize < 2 || headSize % 2 != 0) {
            return Optional.empty();
        }
        return Optional.of(new Match(
                outputReshape,
                reshape.getInput(0),
                heads,
                headSize,
                scale,
                mask,
                q.get().cos(),
                q.get().sin(),
                qk.getInput(0),
                kt.getInput(0),
                pv.getInput(1)));
    }

    /** The Split whose output {@code index}, squeezed on axis 2, is {@code tensor}. */
    private static Optional<NodeProto> squeezedSplitOutput(OnnxGraph graph, String tensor, int index) {
        NodeProto squeeze = graph.producer(tensor);
        if (!Nodes.is(squeeze, "Squeeze")) {
            return Optional.empty();
        }
        List<Long> axes = squeeze.getInputCount() > 1
                ? graph.constant(squeeze.getInput(1))
                        .map(t -> Arrays.stream(Tensors.longs(t)).boxed().toList())
                        .orElse(List.of())
                : Nodes.intsAttribute(squeeze, "axes").orElse(List.of());
        if (!axes.equals(List.of(2L))) {
            return Optional.empty();
        }
        NodeProto split = graph.producer(squeeze.getInput(0));
        if (!Nodes.is(split, "Split")
                || split.getOutputCount() <= index
                || !split.getOutput(index).equals(squeeze.getInput(0))) {
            return Optional.empty();
        }
        return Optional.of(split);
    }

    /** The last three entries of a [B, -1, 3, N, D] shape built by Concat of constants (B may be dynamic). */
    private static Optional<long[]> trailingShape(OnnxGraph graph, String shape) {
        Optional<TensorProto> whole = graph.constant(shape);
        if (whole.isPresent()) {
            long[] s = Tensors.longs(whole.get());
            return s.length == 5 ? Optional.of(new long[] {s[2], s[3], s[4]}) : Optional.empty();
        }
        NodeProto concat = graph.producer(shape);
        if (!Nodes.is(concat, "Concat") || concat.getInputCount() != 5) {
            return Optional.empty();
        }
        long[] out = new long[3];
        for (int i = 0; i < 3; i++) {
            Optional<TensorProto> c = graph.constant(concat.getInput(2 + i));
            if (c.isEmpty() || Tensors.elementCount(c.get()) != 1) {
                return Optional.empty();
            }
            out[i] = Tensors.longs(c.get())[0];
        }
        return Optional.of(out);
    }
}
