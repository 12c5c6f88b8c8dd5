package io.github.jareranker.optimizer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * Computes tensors of a graph that depend only on the shape of {@code input_ids} (rotary sin/cos
 * tables, position ranges) by cutting out the nodes they depend on and running that small model in
 * ONNX Runtime with an all-zero {@code input_ids} of a chosen length. Running ONNX Runtime itself
 * (rather than re-deriving the formula) gives the very values the original graph computes at run
 * time, whatever constants the exporter baked in.
 */
final class SubgraphEvaluator {
    private final OnnxGraph graph;

    SubgraphEvaluator(OnnxGraph graph) {
        this.graph = graph;
    }

    /** Result of one evaluation: each requested float tensor with its shape. */
    record Value(long[] shape, float[] data) {}

    /**
     * Evaluates {@code outputs} (float tensors) for {@code input_ids} of shape [1, sequenceLength].
     *
     * @throws IllegalArgumentException if an output depends on a graph input other than input_ids's
     *     shape, i.e. on token values or the attention mask
     */
    Map<String, Value> evaluate(List<String> outputs, int sequenceLength) {
        List<NodeProto> cone = cone(outputs);
        Set<String> initializerNames = new HashSet<>();
        GraphProto.Builder g = GraphProto.newBuilder().setName("subgraph");
        for (NodeProto n : cone) {
            for (String in : n.getInputList()) {
                graph.constant(in).filter(t -> graph.producer(in) == null).ifPresent(t -> {
                    if (initializerNames.add(in)) {
                        g.addInitializer(t);
                    }
                });
            }
        }
        g.addAllNode(cone);
        g.addInput(int64Input("input_ids"));
        for (String o : outputs) {
            g.addOutput(ValueInfoProto.newBuilder().setName(o).setType(floatType()));
        }
        ModelProto.Builder m = graph.modelHeader().clone().clearGraph().setGraph(g);
        m.clearMetadataProps();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(m.build().toByteArray(), so);
                    OnnxTensor ids = OnnxTensor.createTensor(
                            env, LongBuffer.allocate(sequenceLength), new long[] {1, sequenceLength});
                    OrtSession.Result result = session.run(Map.of("input_ids", ids))) {
                Map<String, Value> values = new HashMap<>();
                for (int i = 0; i < outputs.size(); i++) {
                    OnnxTensor t = (OnnxTensor) result.get(i);
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] data = new float[fb.remaining()];
                    fb.get(data);
                    values.put(outputs.get(i), new Value(t.getInfo().getShape(), data));
                }
                return values;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot evaluate " + outputs + ": " + e.getMessage(), e);
        }
    }

    /** The nodes that {@code outputs} depend on, in graph order; only input_ids may feed them. */
    private List<NodeProto> cone(List<String> outputs) {
        Set<NodeProto> needed = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<String> pending = new ArrayDeque<>(outputs);
        while (!pending.isEmpty()) {
            String t = pending.pop();
            if (t.isEmpty()) {
                continue;
            }
            NodeProto p = graph.producer(t);
            if (p == null) {
                if (graph.isConstant(t)) {
                    continue;
                }
                if (!t.equals("input_ids")) {
                    throw new IllegalArgumentException(
                            outputs + " depend on graph input " + t + ", not only on input_ids");
                }
                continue;
            }
            if (needed.add(p)) {
                pending.addAll(p.getInputList());
            }
        }
        // input_ids may only be read through Shape: the values must not depend on the token ids.
        for (NodeProto n : needed) {
            if (n.getInputList().contains("input_ids") && !Nodes.is(n, "Shape")) {
                throw new IllegalArgumentException(
                        outputs + " depend on the values of input_ids (via " + n.getOpType() + ")");
            }
        }
        List<NodeProto> ordered = new ArrayList<>();
        for (NodeProto n : graph.nodes()) {
            if (needed.contains(n)) {
                ordered.add(n);
            }
        }
        return ordered;
    }

    private static ValueInfoProto int64Input(String name) {
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.INT64_VALUE);
        t.getShapeBuilder()
                .addDim(onnx.Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        t.getShapeBuilder()
                .addDim(onnx.Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("sequence"));
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(t))
                .build();
    }

    private static TypeProto floatType() {
        return TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))
                .build();
    }
}
