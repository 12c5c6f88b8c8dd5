package io.github.jareranker.optimizer;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

/**
 * A matched non-interleaved rotary embedding {@code x·cos + Concat(−Slice(x), Slice(x), axis −1)·sin}
 * (HF's {@code rotate_half}), as torch.onnx exports it. Which half each Slice takes comes from a
 * run-time shape computation and is not re-derived here; the tables' rotate_half layout is checked
 * by {@link AttentionFusion}, and the end-to-end logit check catches anything else.
 *
 * @param input x
 * @param cos the cos table tensor multiplied with x
 * @param sin the sin table tensor multiplied with the rotated x
 */
record Rotary(String input, String cos, String sin) {
    static Optional<Rotary> match(OnnxGraph graph, String output) {
        NodeProto add = graph.producer(output);
        if (!Nodes.is(add, "Add")) {
            return Optional.empty();
        }
        NodeProto m0 = graph.producer(add.getInput(0));
        NodeProto m1 = graph.producer(add.getInput(1));
        if (!Nodes.is(m0, "Mul") || !Nodes.is(m1, "Mul")) {
            return Optional.empty();
        }
        for (NodeProto[] pair : new NodeProto[][] {{m0, m1}, {m1, m0}}) {
            NodeProto plain = pair[0];
            NodeProto rotated = pair[1];
            for (int r = 0; r < 2; r++) {
                NodeProto concat = graph.producer(rotated.getInput(r));
                if (!Nodes.is(concat, "Concat") || concat.getInputCount() != 2) {
                    continue;
                }
                long axis = Nodes.intAttribute(concat, "axis").orElse(0L);
                String sin = rotated.getInput(1 - r);
                NodeProto neg = graph.producer(concat.getInput(0));
                NodeProto secondHalfSlice = Nodes.is(neg, "Neg") ? graph.producer(neg.getInput(0)) : null;
                NodeProto firstHalfSlice = graph.producer(concat.getInput(1));
                if (axis != -1 && axis != 3
                        || !Nodes.is(secondHalfSlice, "Slice")
                        || !Nodes.is(firstHalfSlice, "Slice")
                        || secondHalfSlice == firstHalfSlice) {
                    continue;
                }
                String x = secondHalfSlice.getInput(0);
                if (!firstHalfSlice.getInput(0).equals(x)
                        || !lastAxisSlice(graph, secondHalfSlice)
                        || !lastAxisSlice(graph, firstHalfSlice)) {
                    continue;
                }
                for (int p = 0; p < 2; p++) {
                    if (plain.getInput(p).equals(x)) {
                        return Optional.of(new Rotary(x, plain.getInput(1 - p), sin));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean lastAxisSlice(OnnxGraph graph, NodeProto slice) {
        if (slice.getInputCount() < 4) {
            return false;
        }
        Optional<TensorProto> axes = graph.constant(slice.getInput(3));
        if (axes.isEmpty()) {
            return false;
        }
        long[] a = Tensors.longs(axes.get());
        boolean unitSteps = slice.getInputCount() < 5
                || slice.getInput(4).isEmpty()
                || graph.constant(slice.getInput(4))
                        .map(s -> List.of(1L)
                                .equals(Arrays.stream(Tensors.longs(s)).boxed().toList()))
                        .orElse(false);
        return a.length == 1 && (a[0] == -1 || a[0] == 3) && unitSteps;
    }
}
