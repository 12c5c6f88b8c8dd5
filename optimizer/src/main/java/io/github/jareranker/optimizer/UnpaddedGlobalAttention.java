package io.github.jareranker.optimizer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import onnx.Onnx.NodeProto;

/**
 * Drops the attention bias of the global-attention layers, for graphs that only ever run one pair without padding
 * (how the engine runs pairs on a CPU). ModernBERT's global layers add a bias built from {@code attention_mask} alone
 * (0 where a key is a real token, the float minimum where it is padding): with no padding it is all zeros, so {@code
 * MultiHeadAttention} without it computes the same, and ONNX Runtime's CPU kernel can take its unmasked path (its
 * flash-attention kernel needs no bias and no key padding mask). The sliding-window layers' bias also bands positions
 * (its subgraph computes distances with {@code Range} and {@code Abs}), so it is kept.
 *
 * <p>Runs after {@link AttentionFusion}; matches {@code com.microsoft:MultiHeadAttention} nodes whose sixth input
 * (attention_bias) is computed from {@code attention_mask} by no positional operator. The result is wrong for padded
 * batches: apply it only for runs of one unpadded pair ({@link Fusion#UNPADDED_GLOBAL_ATTENTION}).
 */
final class UnpaddedGlobalAttention implements GraphFusion {
    private static final int ATTENTION_BIAS = 5;
    /** Operators that make a bias depend on positions, not only on which tokens are padding. */
    private static final Set<String> POSITIONAL = Set.of("Range", "Abs", "Trilu", "CumSum");

    private static final String MASK_INPUT = "attention_mask";

    @Override
    public String name() {
        return "global attention without its padding bias (one unpadded pair per run)";
    }

    @Override
    public int apply(OnnxGraph graph) {
        int dropped = 0;
        for (NodeProto n : List.copyOf(graph.nodes())) {
            if (!n.getOpType().equals("MultiHeadAttention")
                    || !Nodes.MS_DOMAIN.equals(n.getDomain())
                    || n.getInputCount() <= ATTENTION_BIAS
                    || n.getInput(ATTENTION_BIAS).isEmpty()
                    || !paddingOnly(graph, n.getInput(ATTENTION_BIAS))) {
                continue;
            }
            // The bias becomes "absent"; trailing optional inputs after it (past key/value) keep their places.
            List<String> inputs = new ArrayList<>(n.getInputList());
            inputs.set(ATTENTION_BIAS, "");
            while (!inputs.isEmpty() && inputs.get(inputs.size() - 1).isEmpty()) {
                inputs.remove(inputs.size() - 1);
            }
            NodeProto.Builder b = n.toBuilder().clearInput().addAllInput(inputs);
            graph.replace(List.of(n), List.of(b.build()));
            dropped++;
        }
        if (dropped > 0) {
            graph.removeDeadNodes();
        }
        return dropped;
    }

    /**
     * Whether {@code tensor} is computed from the attention_mask input, constants and shapes by no positional operator.
     */
    private static boolean paddingOnly(OnnxGraph graph, String tensor) {
        Deque<String> todo = new ArrayDeque<>(List.of(tensor));
        Set<String> seen = new HashSet<>();
        boolean readsMask = false;
        while (!todo.isEmpty()) {
            String t = todo.pop();
            if (t.isEmpty() || !seen.add(t)) {
                continue;
            }
            if (t.equals(MASK_INPUT)) {
                readsMask = true;
                continue;
            }
            NodeProto p = graph.producer(t);
            if (p == null) {
                if (!graph.isConstant(t)) {
                    return false; // another graph input: not a function of the mask alone
                }
                continue;
            }
            if (POSITIONAL.contains(p.getOpType())) {
                return false;
            }
            if (Nodes.is(p, "Shape")) {
                continue; // reads only the shape of its input (e.g. input_ids for [B, S]), never its values
            }
            todo.addAll(p.getInputList());
        }
        return readsMask;
    }
}
