package io.github.jareranker.optimizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.junit.jupiter.api.Test;

/** Which Add + LayerNormalization pairs become SkipLayerNormalization, on small hand-built graphs. */
class SkipLayerNormFusionTest {
    @Test
    void residualAddWhoseSumIsReusedKeepsTheSumAsFourthOutput() {
        // s = x + y; out1 = LN(s); out2 = s + out1 (the residual stream goes on)
        OnnxGraph g = OnnxGraph.of(model(
                List.of(
                        Nodes.node("Add", "", "add", List.of("x", "y"), List.of("s"))
                                .build(),
                        ln("ln", "s", "zero_bias", "n"),
                        Nodes.node("Add", "", "next", List.of("s", "n"), List.of("out"))
                                .build()),
                List.of(Tensors.floatTensor("zero_bias", new long[] {4}, new float[4]))));
        assertThat(new SkipLayerNormFusion().apply(g)).isEqualTo(1);
        NodeProto fused = g.nodes().stream()
                .filter(n -> n.getOpType().equals("SkipLayerNormalization"))
                .findFirst()
                .orElseThrow();
        assertThat(fused.getDomain()).isEqualTo("com.microsoft");
        assertThat(fused.getInputList()).containsExactly("x", "y", "gamma"); // all-zero bias dropped
        assertThat(fused.getOutputList()).containsExactly("n", "", "", "s");
        assertThat(Nodes.floatAttribute(fused, "epsilon")).contains(1e-5f);
        assertThat(g.opCounts()).containsEntry("Add", 1).doesNotContainKey("LayerNormalization");
    }

    @Test
    void addOfAConstantBiasAndANonZeroBetaAreHandledConservatively() {
        // x + constant is a bias add, not a residual: left alone. A non-zero beta is passed through.
        OnnxGraph g = OnnxGraph.of(model(
                List.of(
                        Nodes.node("Add", "", "bias_add", List.of("x", "c"), List.of("s"))
                                .build(),
                        ln("ln", "s", "beta", "n"),
                        Nodes.node("Add", "", "res", List.of("n", "y"), List.of("t"))
                                .build(),
                        ln("ln2", "t", "beta", "out")),
                List.of(
                        Tensors.floatTensor("c", new long[] {4}, new float[] {1, 2, 3, 4}),
                        Tensors.floatTensor("beta", new long[] {4}, new float[] {0, 0, 0.5f, 0}))));
        assertThat(new SkipLayerNormFusion().apply(g)).isEqualTo(1);
        NodeProto fused = g.nodes().stream()
                .filter(n -> n.getOpType().equals("SkipLayerNormalization"))
                .findFirst()
                .orElseThrow();
        assertThat(fused.getInputList()).containsExactly("n", "y", "gamma", "beta");
        assertThat(fused.getOutputList()).containsExactly("out");
        assertThat(g.opCounts()).containsEntry("Add", 1).containsEntry("LayerNormalization", 1);
    }

    private static NodeProto ln(String name, String in, String beta, String out) {
        return Nodes.node("LayerNormalization", "", name, List.of(in, "gamma", beta), List.of(out))
                .addAttribute(Nodes.intAttr("axis", -1))
                .addAttribute(Nodes.floatAttr("epsilon", 1e-5f))
                .build();
    }

    private static ModelProto model(List<NodeProto> nodes, List<TensorProto> inits) {
        GraphProto.Builder g = GraphProto.newBuilder()
                .setName("t")
                .addAllNode(nodes)
                .addAllInitializer(inits)
                .addInitializer(Tensors.floatTensor("gamma", new long[] {4}, new float[] {1, 1, 1, 1}))
                .addInput(input("x"))
                .addInput(input("y"))
                .addOutput(input("out"));
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .build();
    }

    private static ValueInfoProto input(String name) {
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE);
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(t))
                .build();
    }
}
