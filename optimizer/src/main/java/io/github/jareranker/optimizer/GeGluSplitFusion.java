package io.github.jareranker.optimizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

/**
 * ModernBERT's GeGLU input projection {@code Wi} [H, 2I] is followed by {@code chunk(2, dim=-1)},
 * exported as two Slices whose bounds come from a run-time shape computation ({@code Shape → Gather
 * → Add → Div → Mul}). This splits the weight instead: two projections {@code Wi[:, :I]} and {@code
 * Wi[:, I:]} write the two halves directly, so the Slices (two copies of [B, S, I]) and their shape
 * arithmetic disappear. Every output column of a matrix product is computed independently, so the
 * halves are bitwise what the Slices returned. Handles the fp32 {@code MatMul} and the dynamic-int8
 * chain {@code DynamicQuantizeLinear → MatMulInteger → Cast → Mul(x_scale · w_scale)} with
 * per-column weight scales and zero points (each half gets its own DynamicQuantizeLinear, so ONNX
 * Runtime still fuses each into DynamicQuantizeMatMul; both quantize the same x identically).
 */
final class GeGluSplitFusion implements GraphFusion {
    @Override
    public String name() {
        return "GeGLU projection split";
    }

    @Override
    public int apply(OnnxGraph graph) {
        int done = 0;
        for (NodeProto n : graph.nodes()) {
            if (n.getOutputCount() != 1) {
                continue;
            }
            String y = n.getOutput(0);
            // The two Slices read y; so may Shape nodes, which only feed the Slices' bounds.
            List<NodeProto> users = graph.consumers(y).stream()
                    .filter(c -> !Nodes.is(c, "Shape"))
                    .toList();
            if (users.size() != 2 || graph.graphOutputNames().contains(y)) {
                continue;
            }
            Optional<Projection> p = Projection.match(graph, n);
            if (p.isEmpty()) {
                continue;
            }
            long width = p.get().columns();
            if (width % 2 != 0) {
                continue;
            }
            long half = width / 2;
            NodeProto first = null;
            NodeProto second = null;
            for (NodeProto s : users) {
                OptionalLong start = sliceBound(graph, s, 1, width);
                OptionalLong end = sliceBound(graph, s, 2, width);
                if (!Nodes.is(s, "Slice")
                        || !s.getInput(0).equals(y)
                        || !lastAxisUnitStep(graph, s)
                        || start.isEmpty()
                        || end.isEmpty()) {
                    break;
                }
                if (start.getAsLong() == 0 && end.getAsLong() == half) {
                    first = s;
                } else if (start.getAsLong() == half && end.getAsLong() >= width) {
                    second = s;
                }
            }
            if (first == null || second == null) {
                continue;
            }
            List<NodeProto> add = new ArrayList<>();
            add.addAll(p.get().half(graph, 0, half, first.getOutput(0)));
            add.addAll(p.get().half(graph, half, half, second.getOutput(0)));
            graph.replace(List.of(first, second), add);
            // Whatever still reads y (its Shape) must have died with the Slices, or y is computed twice.
            graph.removeDeadNodes();
            if (graph.consumers(y).isEmpty()) {
                done++;
            } else {
                throw new IllegalStateException(
                        "after splitting " + y + " something besides the chunk Slices still reads it");
            }
        }
        if (done > 0) {
            graph.removeDeadNodes();
        }
        return done;
    }

    private static boolean lastAxisUnitStep(OnnxGraph graph, NodeProto slice) {
        if (slice.getInputCount() < 4) {
            return false;
        }
        Optional<TensorProto> axes = graph.constant(slice.getInput(3));
        if (axes.isEmpty() || !Arrays.equals(Tensors.longs(axes.get()), new long[] {-1})) {
            return false;
        }
        return slice.getInputCount() < 5
                || slice.getInput(4).isEmpty()
                || graph.constant(slice.getInput(4))
                        .map(t -> Arrays.equals(Tensors.longs(t), new long[] {1}))
                        .orElse(false);
    }

    /**
     * The value of a Slice start/end (input {@code index}): a constant, or the scalar arithmetic that
     * torch's chunk exports over the sliced tensor's last dimension ({@code width}).
     */
    private static OptionalLong sliceBound(OnnxGraph graph, NodeProto slice, int index, long width) {
        if (!Nodes.is(slice, "Slice") || slice.getInputCount() <= index) {
            return OptionalLong.empty();
        }
        return ScalarArithmetic.evaluate(graph, slice.getInput(index), slice.getInput(0), width);
    }

    /** The matched projection producing the chunked tensor. */
    private interface Projection {
        long columns();

        /** Nodes computing columns [from, from + count) of the projection into {@code output}. */
        List<NodeProto> half(OnnxGraph graph, long from, long count, String output);

        static Optional<Projection> match(OnnxGraph graph, NodeProto n) {
            if (Nodes.is(n, "MatMul")) {
                return graph.constant(n.getInput(1))
                        .filter(w -> w.getDimsCount() == 2 && w.getDataType() == TensorProto.DataType.FLOAT_VALUE)
                        .map(w -> new FloatProjection(n, w));
            }
            if (Nodes.is(n, "Mul")) {
                return Int8Projection.match(graph, n);
            }
            return Optional.empty();
        }
    }

    private record FloatProjection(NodeProto matMul, TensorProto weight) implements Projection {
        @Override
        public long columns() {
            return weight.getDims(1);
        }

        @Override
        public List<NodeProto> half(OnnxGraph graph, long from, long count, String output) {
            String w = graph.uniqueName(weight.getName() + "_cols" + from);
            graph.addInitializer(Columns.of(weight, from, count, w));
            return List.of(Nodes.node(
                            "MatMul",
                            "",
                            graph.uniqueName(matMul.getName() + "_cols" + from),
                            List.of(matMul.getInput(0), w),
                            List.of(output))
                    .build());
        }
    }

    /** {@code Mul(Cast(MatMulInteger(xq, Wq, xzp, Wzp)), Mul(x_scale, w_scale))}, x from DynamicQuantizeLinear. */
    private record Int8Projection(
            NodeProto outMul,
            NodeProto scaleMul,
            NodeProto cast,
            NodeProto mmi,
            NodeProto dql,
            String xScale,
            TensorProto wq,
            TensorProto wzp,
            TensorProto wScale)
            implements Projection {
        static Optional<Projection> match(OnnxGraph graph, NodeProto outMul) {
            for (int i = 0; i < 2; i++) {
                NodeProto cast = graph.producer(outMul.getInput(i));
                NodeProto scaleMul = graph.producer(outMul.getInput(1 - i));
                if (!Nodes.is(cast, "Cast") || !Nodes.is(scaleMul, "Mul")) {
                    continue;
                }
                NodeProto mmi = graph.producer(cast.getInput(0));
                if (!Nodes.is(mmi, "MatMulInteger") || mmi.getInputCount() != 4) {
                    continue;
                }
                NodeProto dql = graph.producer(mmi.getInput(0));
                if (!Nodes.is(dql, "DynamicQuantizeLinear") || !mmi.getInput(2).equals(dql.getOutput(2))) {
                    continue;
                }
                Optional<TensorProto> wq = graph.constant(mmi.getInput(1));
                Optional<TensorProto> wzp = graph.constant(mmi.getInput(3));
                for (int j = 0; j < 2; j++) {
                    Optional<TensorProto> wScale = graph.constant(scaleMul.getInput(j));
                    if (scaleMul.getInput(1 - j).equals(dql.getOutput(1))
                            && wq.isPresent()
                            && wzp.isPresent()
                            && wScale.isPresent()
                            && wq.get().getDimsCount() == 2
                            && Tensors.elementCount(wzp.get()) == wq.get().getDims(1)
                            && Tensors.elementCount(wScale.get()) == wq.get().getDims(1)) {
                        return Optional.of(new Int8Projection(
                                outMul, scaleMul, cast, mmi, dql, dql.getOutput(1), wq.get(), wzp.get(), wScale.get()));
                    }
                }
            }
            return Optional.empty();
        }

        @Override
        public long columns() {
            return wq.getDims(1);
        }

        @Override
        public List<NodeProto> half(OnnxGraph graph, long from, long count, String output) {
            String tag = "_cols" + from;
            String q = graph.uniqueName(wq.getName() + tag);
            String zp = graph.uniqueName(wzp.getName() + tag);
            String sc = graph.uniqueName(wScale.getName() + tag);
            graph.addInitializer(Columns.of(wq, from, count, q));
            graph.addInitializer(Columns.of(wzp, from, count, zp));
            graph.addInitializer(Columns.of(wScale, from, count, sc));
            String x = dql.getInput(0);
            String xq = graph.uniqueName(x + tag + "_quantized");
            String xs = graph.uniqueName(x + tag + "_scale");
            String xz = graph.uniqueName(x + tag + "_zero_point");
            String acc = graph.uniqueName(output + "_int32");
            String accF = graph.uniqueName(output + "_float");
            String scales = graph.uniqueName(output + "_scales");
            return List.of(
                    Nodes.node(
                                    "DynamicQuantizeLinear",
                                    "",
                                    graph.uniqueName(dql.getName() + tag),
                                    List.of(x),
                                    List.of(xq, xs, xz))
                            .build(),
                    Nodes.node(
                                    "MatMulInteger",
                                    "",
                                    graph.uniqueName(mmi.getName() + tag),
                                    List.of(xq, q, xz, zp),
                                    List.of(acc))
                            .build(),
                    cast.toBuilder()
                            .setName(graph.uniqueName(cast.getName() + tag))
                            .clearInput()
                            .addInput(acc)
                            .clearOutput()
                            .addOutput(accF)
                            .build(),
                    Nodes.node("Mul", "", graph.uniqueName(scaleMul.getName() + tag), List.of(xs, sc), List.of(scales))
                            .build(),
                    Nodes.node(
                                    "Mul",
                                    "",
                                    graph.uniqueName(outMul.getName() + tag),
                                    List.of(accF, scales),
                                    List.of(output))
                            .build());
        }
    }
}
