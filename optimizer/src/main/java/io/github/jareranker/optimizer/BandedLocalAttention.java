package io.github.jareranker.optimizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

/**
 * Computes ModernBERT's sliding-window attention over blocks of {@code w} tokens instead of the full S × S, for graphs
 * that only ever run one unpadded pair (or batches without padding). A local layer lets the query at position i see
 * the keys j with |i − j| ≤ w, w = local_attention / 2; the exported graph builds this band into the layer's additive
 * bias as {@code Where(Greater(Abs(i − j), w), lowest, padding bias)}. With blocks of w queries, block c (positions c·w
 * .. c·w + w − 1) needs only the keys c·w − w .. c·w + 2w − 1, so
 *
 * <pre>
 *   q [B, S, H·d] → Pad to S' = ⌈S / w⌉·w → Reshape [B·nb, w, H·d]
 *   k, v → Pad w before and w + S' − S after → three Slices (offsets 0, w, 2w; length S') → Reshape [B·nb, w, H·d]
 *          each → Concat on the token axis → [B·nb, 3w, H·d]
 *   bias [B·nb, 1, w, 3w] = 0 where |(key offset − w) − query offset| ≤ w and the key's position lies in [0, S),
 *          else the exported fill (float lowest)
 *   MultiHeadAttention(q, k, v, bias; same num_heads and scale) → Reshape [B, S', H·d] → Slice to S
 * </pre>
 *
 * <p>Exact up to summation order: every query sees the very keys it saw before, with the same scores, and the keys
 * it no longer sees had the fill bias, whose softmax weight is exactly zero. No row is fully masked (a query always
 * sees itself, and a padding query of the last block sees the block's first real key), so no NaN can arise. The
 * index tensors and the bias are computed once per graph from the first matched layer's query shape, so S is dynamic.
 *
 * <p>Matches {@code com.microsoft:MultiHeadAttention} nodes as {@link Fusion#ATTENTION} makes them (query and key from
 * {@code RotaryEmbedding}, value from the QKV {@code Split}, all [B, S, H·d]) or as {@link
 * Fusion#ATTENTION_KEEPING_ROTARY} makes them (query [B, S, H·d]; the exported rotary's keys and the values [B, H, S,
 * d], which are first transposed to [B, S, H·d]) whose attention bias is the Where above; graphs of default opset below
 * 11 are left alone. The padding part of the bias is dropped, so the result is wrong for padded batches: only
 * for runs of one unpadded pair ({@link Fusion#BANDED_LOCAL_ATTENTION}, in neither {@link GraphOptimizer#ALL} nor
 * {@link GraphOptimizer#forUnpaddedRuns}).
 */
final class BandedLocalAttention implements GraphFusion {
    private static final int ATTENTION_BIAS = 5;

    @Override
    public String name() {
        return "sliding-window attention over 64-token blocks (one unpadded pair per run)";
    }

    /** One sliding-window attention node and its half window w (the block size). */
    private record Match(NodeProto attention, int block, float fill, boolean headsFirst) {}

    /** The tensors every rewritten layer of one block size shares. */
    private record Shared(
            String qPads,
            String kvPads,
            String sliceEnds0,
            String sliceEnds1,
            String sliceEnds2,
            String blockShape,
            String bias,
            String outShape,
            String length) {}

    @Override
    public int apply(OnnxGraph graph) {
        if (graph.defaultOpset() < 11) {
            return 0;
        }
        List<Match> matches = new ArrayList<>();
        for (NodeProto n : graph.nodes()) {
            match(graph, n).ifPresent(matches::add);
        }
        Map<String, Shared> shared = new HashMap<>();
        for (Match m : matches) {
            String key = m.block() + "/" + Float.floatToIntBits(m.fill());
            Shared s = shared.computeIfAbsent(key, k -> shared(graph, m));
            graph.replace(List.of(m.attention()), rewrite(graph, m, s));
        }
        if (!matches.isEmpty()) {
            graph.removeDeadNodes();
        }
        return matches.size();
    }

    private static Optional<Match> match(OnnxGraph graph, NodeProto n) {
        if (!n.getOpType().equals("MultiHeadAttention")
                || !Nodes.MS_DOMAIN.equals(n.getDomain())
                || n.getInputCount() != ATTENTION_BIAS + 1
                || !n.getInput(3).isEmpty()
                || !n.getInput(4).isEmpty()
                || n.getOutputCount() != 1
                || Nodes.intAttribute(n, "unidirectional").orElse(0L) != 0) {
            return Optional.empty();
        }
        boolean headsFirst;
        if (isRotary(graph.producer(n.getInput(0)))
                && isRotary(graph.producer(n.getInput(1)))
                && Nodes.is(graph.producer(n.getInput(2)), "Split")) {
            headsFirst = false; // Fusion.ATTENTION: q, k, v [B, S, H·d]
        } else if (exportedRotaryQuery(graph, n.getInput(0))
                && Rotary.match(graph, n.getInput(1)).isPresent()
                && Nodes.is(graph.producer(n.getInput(2)), "Squeeze")) {
            headsFirst = true; // Fusion.ATTENTION_KEEPING_ROTARY: q [B, S, H·d], rotated k and v [B, H, S, d]
        } else {
            return Optional.empty();
        }
        NodeProto where = graph.producer(n.getInput(ATTENTION_BIAS));
        if (!Nodes.is(where, "Where")) {
            return Optional.empty();
        }
        Optional<TensorProto> fill = graph.constant(where.getInput(1));
        if (fill.isEmpty()
                || fill.get().getDataType() != TensorProto.DataType.FLOAT_VALUE
                || Tensors.elementCount(fill.get()) != 1) {
            return Optional.empty();
        }
        float f = Tensors.floats(fill.get())[0];
        if (!(f <= -1e30f)) {
            return Optional.empty(); // the masked keys must get a softmax weight of exactly zero
        }
        // cond: Greater(Abs(Sub(...)), w) through shape-only Unsqueeze/Cast/Reshape/Expand
        NodeProto cond = graph.producer(where.getInput(0));
        while (Nodes.is(cond, "Unsqueeze")
                || Nodes.is(cond, "Cast")
                || Nodes.is(cond, "Reshape")
                || Nodes.is(cond, "Expand")) {
            if (Nodes.is(cond, "Cast")
                    && Nodes.intAttribute(cond, "to").orElse(-1L) != TensorProto.DataType.BOOL_VALUE) {
                return Optional.empty();
            }
            cond = graph.producer(cond.getInput(0));
        }
        if (!Nodes.is(cond, "Greater")) {
            return Optional.empty();
        }
        NodeProto abs = graph.producer(cond.getInput(0));
        Optional<TensorProto> half = graph.constant(cond.getInput(1));
        if (!Nodes.is(abs, "Abs")
                || !Nodes.is(graph.producer(abs.getInput(0)), "Sub")
                || half.isEmpty()
                || Tensors.elementCount(half.get()) != 1
                || half.get().getDataType() != TensorProto.DataType.INT64_VALUE) {
            return Optional.empty();
        }
        long w = Tensors.longs(half.get())[0];
        if (w < 1 || w > 4096) {
            return Optional.empty();
        }
        return Optional.of(new Match(n, (int) w, f, headsFirst));
    }

    /** The query as {@link AttentionFusion} passes the exported rotary result: Reshape(Transpose(0,2,1,3), [0, 0, H·d]). */
    private static boolean exportedRotaryQuery(OnnxGraph graph, String q) {
        NodeProto reshape = graph.producer(q);
        if (!Nodes.is(reshape, "Reshape")) {
            return false;
        }
        Optional<TensorProto> shape = graph.constant(reshape.getInput(1));
        NodeProto transpose = graph.producer(reshape.getInput(0));
        return shape.isPresent()
                && Tensors.elementCount(shape.get()) == 3
                && Tensors.longs(shape.get())[0] == 0
                && Tensors.longs(shape.get())[1] == 0
                && Tensors.longs(shape.get())[2] > 0
                && Nodes.is(transpose, "Transpose")
                && Nodes.intsAttribute(transpose, "perm").orElse(List.of()).equals(List.of(0L, 2L, 1L, 3L))
                && Rotary.match(graph, transpose.getInput(0)).isPresent();
    }

    private static boolean isRotary(NodeProto n) {
        return n != null && n.getOpType().equals("RotaryEmbedding") && Nodes.MS_DOMAIN.equals(n.getDomain());
    }

    /** Index tensors, pads and the blocked bias, from the query shape of {@code m}'s node. */
    private static Shared shared(OnnxGraph graph, Match m) {
        int w = m.block();
        String base = graph.uniqueName("banded_w" + w);
        List<NodeProto> nodes = new ArrayList<>();
        Builder b = new Builder(graph, base, nodes);
        String shape = b.op("Shape", List.of(m.attention().getInput(0)));
        String batch = b.op("Gather", List.of(shape, b.longs(new long[] {1}, 0)));
        String length = b.op("Gather", List.of(shape, b.longs(new long[] {1}, 1)));
        String hidden = b.op("Gather", List.of(shape, b.longs(new long[] {1}, 2)));
        // S' = ⌈S / w⌉·w (S ≥ 1), padEnd = S' − S
        String blocks = b.op(
                "Div",
                List.of(b.op("Add", List.of(length, b.longs(new long[] {1}, w - 1))), b.longs(new long[] {1}, w)));
        String padded = b.op("Mul", List.of(blocks, b.longs(new long[] {1}, w)));
        String padEnd = b.op("Sub", List.of(padded, length));
        String qPads = b.concat(List.of(b.longs(new long[] {4}, 0, 0, 0, 0), padEnd, b.longs(new long[] {1}, 0)));
        String kvPads = b.concat(List.of(
                b.longs(new long[] {4}, 0, w, 0, 0),
                b.op("Add", List.of(padEnd, b.longs(new long[] {1}, w))),
                b.longs(new long[] {1}, 0)));
        String ends1 = b.op("Add", List.of(padded, b.longs(new long[] {1}, w)));
        String ends2 = b.op("Add", List.of(padded, b.longs(new long[] {1}, 2L * w)));
        String blockShape = b.longs(new long[] {3}, -1, w, 0);
        // key positions of block c: c·w + (k − w), k = 0 .. 3w − 1
        String starts = b.op(
                "Range",
                List.of(
                        b.longs(new long[] {}, 0),
                        b.op("Reshape", List.of(padded, b.longs(new long[] {0}))),
                        b.longs(new long[] {}, w)));
        long[] offsets = new long[3 * w];
        for (int k = 0; k < 3 * w; k++) {
            offsets[k] = k - w;
        }
        String positions = b.op(
                "Add",
                List.of(
                        b.op("Reshape", List.of(starts, b.longs(new long[] {2}, -1, 1))),
                        b.longs(new long[] {1, 3L * w}, offsets)));
        String valid = b.op(
                "And",
                List.of(
                        b.op("Less", List.of(positions, length)),
                        b.op("Not", List.of(b.op("Less", List.of(positions, b.longs(new long[] {1}, 0)))))));
        float[] band = new float[w * 3 * w];
        for (int t = 0; t < w; t++) {
            for (int k = 0; k < 3 * w; k++) {
                band[t * 3 * w + k] = Math.abs(k - w - t) <= w ? 0f : m.fill();
            }
        }
        String bandName = graph.uniqueName(base + "_band");
        graph.addInitializer(Tensors.floatTensor(bandName, new long[] {1, 1, w, 3L * w}, band));
        String fillName = graph.uniqueName(base + "_fill");
        graph.addInitializer(Tensors.floatTensor(fillName, new long[] {}, new float[] {m.fill()}));
        String blockBias = b.op(
                "Where",
                List.of(
                        b.op("Reshape", List.of(valid, b.longs(new long[] {4}, -1, 1, 1, 3L * w))),
                        bandName,
                        fillName));
        String bias = b.op("Tile", List.of(blockBias, b.concat(List.of(batch, b.longs(new long[] {3}, 1, 1, 1)))));
        String outShape = b.concat(List.of(batch, b.longs(new long[] {1}, -1), hidden));
        graph.replace(List.of(), nodes);
        return new Shared(qPads, kvPads, padded, ends1, ends2, blockShape, bias, outShape, length);
    }

    private static List<NodeProto> rewrite(OnnxGraph graph, Match m, Shared s) {
        int w = m.block();
        NodeProto n = m.attention();
        String base = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
        List<NodeProto> nodes = new ArrayList<>();
        Builder b = new Builder(graph, base + "_banded", nodes);
        String q = b.op("Reshape", List.of(b.op("Pad", List.of(n.getInput(0), s.qPads())), s.blockShape()));
        String k = windows(b, m.headsFirst() ? tokensFirst(b, n.getInput(1)) : n.getInput(1), s, w);
        String v = windows(b, m.headsFirst() ? tokensFirst(b, n.getInput(2)) : n.getInput(2), s, w);
        NodeProto.Builder mha = n.toBuilder()
                .setName(graph.uniqueName(base + "_banded"))
                .clearInput()
                .addAllInput(List.of(q, k, v, "", "", s.bias()))
                .clearOutput()
                .addOutput(graph.uniqueName(base + "_banded_out"));
        nodes.add(mha.build());
        String out = b.op("Reshape", List.of(mha.getOutput(0), s.outShape()));
        nodes.add(Nodes.node(
                        "Slice",
                        "",
                        graph.uniqueName(base + "_banded_Slice"),
                        List.of(out, b.longs(new long[] {1}, 0), s.length(), b.longs(new long[] {1}, 1)),
                        List.of(n.getOutput(0)))
                .build());
        return nodes;
    }

    /** [B, H, S, d] → [B, S, H·d]. */
    private static String tokensFirst(Builder b, String x) {
        String out = b.graph().uniqueName(b.base() + "_Transpose");
        b.nodes()
                .add(Nodes.node(
                                "Transpose",
                                "",
                                b.graph().uniqueName(b.base() + "_Transpose_node"),
                                List.of(x),
                                List.of(out))
                        .addAttribute(Nodes.intsAttr("perm", 0, 2, 1, 3))
                        .build());
        return b.op("Reshape", List.of(out, b.longs(new long[] {3}, 0, 0, -1)));
    }

    /** [B, S, H·d] → [B·nb, 3w, H·d]: for block c the positions c·w − w .. c·w + 2w − 1, zeros outside [0, S). */
    private static String windows(Builder b, String x, Shared s, int w) {
        String padded = b.op("Pad", List.of(x, s.kvPads()));
        String axis = b.longs(new long[] {1}, 1);
        List<String> parts = new ArrayList<>();
        String[] ends = {s.sliceEnds0(), s.sliceEnds1(), s.sliceEnds2()};
        for (int o = 0; o < 3; o++) {
            String slice = b.op("Slice", List.of(padded, b.longs(new long[] {1}, (long) o * w), ends[o], axis));
            parts.add(b.op("Reshape", List.of(slice, s.blockShape())));
        }
        return b.concat(parts, 1);
    }

    /** Appends single-output nodes and small int64 initializers under one name prefix. */
    private record Builder(OnnxGraph graph, String base, List<NodeProto> nodes) {
        String op(String type, List<String> inputs) {
            String out = graph.uniqueName(base + "_" + type);
            nodes.add(Nodes.node(type, "", graph.uniqueName(base + "_" + type + "_node"), inputs, List.of(out))
                    .build());
            return out;
        }

        String concat(List<String> inputs) {
            return concat(inputs, 0);
        }

        String concat(List<String> inputs, long axis) {
            String out = graph.uniqueName(base + "_Concat");
            nodes.add(Nodes.node("Concat", "", graph.uniqueName(base + "_Concat_node"), inputs, List.of(out))
                    .addAttribute(Nodes.intAttr("axis", axis))
                    .build());
            return out;
        }

        String longs(long[] dims, long... values) {
            String name = graph.uniqueName(base + "_const");
            graph.addInitializer(Tensors.longTensor(name, dims, values));
            return name;
        }
    }
}
