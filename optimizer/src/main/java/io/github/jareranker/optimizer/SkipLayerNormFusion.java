package io.github.jareranker.optimizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

/**
 * Residual {@code Add(a, b)} followed by {@code LayerNormalization} over the last axis becomes one
 * {@code com.microsoft:SkipLayerNormalization(a, b, gamma[, beta])}, which ONNX Runtime runs on the
 * CPU in one pass over the rows. When the sum is read elsewhere too (ModernBERT's residual stream
 * goes on to the next residual Add), the fused node also writes it through its optional fourth
 * output ({@code input_skip_bias_sum}), so no separate Add remains. An all-zero LayerNorm bias
 * (exported for bias-free norms) is dropped, since the kernel then skips the addition.
 *
 * <p>Only Adds of two non-constant tensors are fused (a constant operand would be a bias that the
 * kernel would treat as a broadcast skip), and only when LayerNormalization normalizes the last
 * axis and has no mean/inv-std outputs in use. Shapes are not inferred here: the two operands are
 * assumed to have the same shape, as a transformer's residual stream and branch output do (the
 * output takes the shape of the first operand); {@link OptimizationVerifier} checks the result.
 */
final class SkipLayerNormFusion implements GraphFusion {
    @Override
    public String name() {
        return "SkipLayerNormalization";
    }

    @Override
    public int apply(OnnxGraph graph) {
        int fused = 0;
        for (NodeProto ln : graph.nodes()) {
            if (!Nodes.is(ln, "LayerNormalization") || ln.getInputCount() < 2) {
                continue;
            }
            long axis = Nodes.intAttribute(ln, "axis").orElse(-1L);
            if (axis != -1) {
                continue;
            }
            if (ln.getOutputCount() > 1
                    && ln.getOutputList().subList(1, ln.getOutputCount()).stream()
                            .anyMatch(o -> !o.isEmpty())) {
                continue;
            }
            NodeProto add = graph.producer(ln.getInput(0));
            if (!Nodes.is(add, "Add") || add.getInputCount() != 2) {
                continue;
            }
            String a = add.getInput(0);
            String b = add.getInput(1);
            if (graph.isConstant(a) || graph.isConstant(b)) {
                continue;
            }
            String sum = add.getOutput(0);
            boolean sumNeeded = graph.usedElsewhere(sum, List.of(ln));
            List<String> inputs = new ArrayList<>(List.of(a, b, ln.getInput(1)));
            if (ln.getInputCount() > 2 && !ln.getInput(2).isEmpty()) {
                Optional<TensorProto> beta = graph.constant(ln.getInput(2));
                if (beta.isEmpty() || !Tensors.allZero(beta.get())) {
                    inputs.add(ln.getInput(2));
                }
            }
            List<String> outputs = sumNeeded ? List.of(ln.getOutput(0), "", "", sum) : List.of(ln.getOutput(0));
            NodeProto skipLn = Nodes.node(
                            "SkipLayerNormalization",
                            Nodes.MS_DOMAIN,
                            graph.uniqueName(ln.getName() + "_SkipLayerNorm"),
                            inputs,
                            outputs)
                    .addAttribute(Nodes.floatAttr(
                            "epsilon", Nodes.floatAttribute(ln, "epsilon").orElse(1e-5f)))
                    .build();
            graph.replace(List.of(add, ln), List.of(skipLn));
            fused++;
        }
        if (fused > 0) {
            graph.requireOpset(Nodes.MS_DOMAIN, 1);
        }
        return fused;
    }
}
