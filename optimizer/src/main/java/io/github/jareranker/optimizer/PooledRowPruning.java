package io.github.jareranker.optimizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

/**
 * A cross-encoder reads only the first token's row of the last hidden state (CLS pooling: {@code
 * Gather(h, 0, axis 1)}), yet the exported graph computes the whole last layer for every token.
 * This pass computes only row 0 wherever nothing else needs the other rows: in the last layer the
 * query projection's rotary embedding, attention for one query row (keys and values still cover all
 * tokens, the additive mask is cut to its first row), the output projection, the MLP and the norms.
 *
 * <p>Row-wise is decided backwards from the pooling Gather: a tensor is needed only for row 0 if
 * every reader is a row-wise node (MatMul with a constant weight, SkipLayerNormalization,
 * LayerNormalization, Split on the last axis, RotaryEmbedding with positions starting at 0, an
 * elementwise op whose other operand is a constant or also row-wise, MultiHeadAttention through its
 * query) whose outputs are in turn needed only for row 0. Such nodes are recomputed on {@code
 * Slice(x, 0:1, axis 1)}; the full-width originals die. Every row of these ops is computed
 * independently of the others, so the pooled values are those of the full computation up to the
 * summation order of a one-row matrix product. Dynamic quantization is <em>not</em> row-wise (its
 * scale spans the whole tensor), so in an int8 graph this pass stops at the first
 * DynamicQuantizeLinear and changes nothing unless a matrix product is spared.
 */
final class PooledRowPruning implements GraphFusion {
    /**
     * Model metadata key set once the pass has run: its output has the same shape as its input, so
     * without the mark a second run would slice the already single rows again.
     */
    static final String MARK = "ja_reranker.optimizer.pooled_row";

    private enum Need {
        NONE,
        ROW,
        FULL
    }

    @Override
    public String name() {
        return "last layer on the pooled row only";
    }

    @Override
    public int apply(OnnxGraph graph) {
        if (graph.modelHeader().getMetadataPropsList().stream()
                .anyMatch(p -> p.getKey().equals(MARK))) {
            return 0;
        }
        List<NodeProto> nodes = graph.nodes();
        Optional<NodeProto> pooling =
                nodes.stream().filter(n -> isRowZeroGather(graph, n)).findFirst();
        if (pooling.isEmpty()
                || nodes.stream().filter(n -> isRowZeroGather(graph, n)).count() != 1) {
            return 0;
        }
        Map<String, Need> need = new HashMap<>();
        for (String o : graph.graphOutputNames()) {
            need.put(o, Need.FULL);
        }
        Set<NodeProto> rowNodes = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = nodes.size() - 1; i >= 0; i--) {
            NodeProto n = nodes.get(i);
            Need out = Need.NONE;
            for (String o : n.getOutputList()) {
                out = max(out, need.getOrDefault(o, Need.NONE));
            }
            if (out == Need.NONE) {
                continue;
            }
            if (n == pooling.get()) {
                merge(need, n.getInput(0), Need.ROW);
                continue;
            }
            List<Integer> rowInputs = out == Need.ROW ? rowWiseInputs(graph, n) : null;
            if (rowInputs == null) {
                for (String in : n.getInputList()) {
                    merge(need, in, Need.FULL);
                }
                continue;
            }
            rowNodes.add(n);
            for (int k = 0; k < n.getInputCount(); k++) {
                String in = n.getInput(k);
                if (in.isEmpty() || graph.isConstant(in)) {
                    continue;
                }
                merge(need, in, rowInputs.contains(k) ? Need.ROW : Need.FULL);
            }
        }
        if (rowNodes.stream().noneMatch(n -> Nodes.is(n, "MatMul"))) {
            return 0; // nothing expensive spared (e.g. an int8 graph): leave the graph as it is
        }
        // Rewrite in topological order: row versions of the row nodes, Slices where a full tensor feeds one.
        Map<String, String> rowName = new HashMap<>();
        List<NodeProto> added = new ArrayList<>();
        String starts = null;
        for (NodeProto n : nodes) {
            if (!rowNodes.contains(n) && n != pooling.get()) {
                continue;
            }
            if (starts == null) {
                starts = graph.uniqueName("pooled_row_start");
                graph.addInitializer(Tensors.longTensor(starts, new long[] {1}, new long[] {0}));
                graph.addInitializer(Tensors.longTensor(starts + "_end", new long[] {1}, new long[] {1}));
                graph.addInitializer(Tensors.longTensor(starts + "_axis1", new long[] {1}, new long[] {1}));
                graph.addInitializer(Tensors.longTensor(starts + "_axis2", new long[] {1}, new long[] {2}));
            }
            List<Integer> rowInputs = n == pooling.get() ? List.of(0) : rowWiseInputs(graph, n);
            NodeProto.Builder b = n.toBuilder()
                    .setName(graph.uniqueName(n.getName() + "_row0"))
                    .clearInput()
                    .clearOutput();
            for (int k = 0; k < n.getInputCount(); k++) {
                String in = n.getInput(k);
                if (in.isEmpty() || graph.isConstant(in) || !rowInputs.contains(k)) {
                    boolean attentionBias = n.getDomain().equals(Nodes.MS_DOMAIN)
                            && n.getOpType().equals("MultiHeadAttention")
                            && k == 5
                            && !in.isEmpty();
                    b.addInput(attentionBias ? slice(graph, rowName, added, in, starts, "_axis2") : in);
                } else {
                    b.addInput(
                            rowName.containsKey(in)
                                    ? rowName.get(in)
                                    : slice(graph, rowName, added, in, starts, "_axis1"));
                }
            }
            if (n == pooling.get()) {
                // Gather(row0, 0, axis 1) on the [B, 1, H] row gives the same [B, H]
                b.addOutput(n.getOutput(0));
            } else {
                for (String o : n.getOutputList()) {
                    if (o.isEmpty()) {
                        b.addOutput("");
                    } else {
                        String r = graph.uniqueName(o + "_row0");
                        rowName.put(o, r);
                        b.addOutput(r);
                    }
                }
            }
            added.add(b.build());
        }
        graph.replace(List.of(pooling.get()), added);
        graph.removeDeadNodes();
        graph.modelHeader()
                .addMetadataProps(onnx.Onnx.StringStringEntryProto.newBuilder()
                        .setKey(MARK)
                        .setValue("row 0 (CLS)"));
        return (int) rowNodes.stream().filter(n -> Nodes.is(n, "MatMul")).count();
    }

    private static String slice(
            OnnxGraph graph,
            Map<String, String> rowName,
            List<NodeProto> added,
            String full,
            String starts,
            String axis) {
        String key = full + axis;
        if (rowName.containsKey(key)) {
            return rowName.get(key);
        }
        String out = graph.uniqueName(full + "_row0" + axis);
        added.add(Nodes.node(
                        "Slice",
                        "",
                        graph.uniqueName(out + "_Slice"),
                        List.of(full, starts, starts + "_end", starts + axis),
                        List.of(out))
                .build());
        rowName.put(key, out);
        return out;
    }

    /** The inputs through which {@code n} is row-wise, or null if it is not a row-wise node. */
    private static List<Integer> rowWiseInputs(OnnxGraph graph, NodeProto n) {
        String op = n.getOpType();
        boolean ms = n.getDomain().equals(Nodes.MS_DOMAIN);
        if (Nodes.is(n, "MatMul")) {
            return graph.constant(n.getInput(1))
                    .filter(w -> w.getDimsCount() == 2)
                    .map(w -> List.of(0))
                    .orElse(null);
        }
        if (ms && op.equals("SkipLayerNormalization")) {
            return n.getInputCount() > 4 && !n.getInput(4).isEmpty() && !graph.isConstant(n.getInput(4))
                    ? null
                    : List.of(0, 1);
        }
        if (Nodes.is(n, "LayerNormalization")) {
            return Nodes.intAttribute(n, "axis").orElse(-1L) == -1 && n.getOutputCount() == 1 ? List.of(0) : null;
        }
        if (Nodes.is(n, "Split")) {
            long axis = Nodes.intAttribute(n, "axis").orElse(0L);
            return axis == -1 ? List.of(0) : null;
        }
        if (ms && op.equals("RotaryEmbedding")) {
            Optional<TensorProto> pos = graph.constant(n.getInput(1));
            boolean startsAtZero =
                    pos.isPresent() && Tensors.elementCount(pos.get()) == 1 && Tensors.longs(pos.get())[0] == 0;
            return startsAtZero ? List.of(0) : null;
        }
        if (ms && op.equals("MultiHeadAttention")) {
            // query rows are independent; key/value (1, 2) stay full; 3/4 (bias, key padding mask) unsupported
            boolean plain = n.getInputCount() >= 3
                    && n.getInputCount() <= 6
                    && (n.getInputCount() < 4 || n.getInput(3).isEmpty())
                    && (n.getInputCount() < 5 || n.getInput(4).isEmpty())
                    && n.getOutputCount() == 1;
            return plain ? List.of(0) : null;
        }
        if (ms && op.equals("Gelu")
                || Nodes.is(n, "Erf")
                || Nodes.is(n, "Relu")
                || Nodes.is(n, "Tanh")
                || Nodes.is(n, "Sigmoid")) {
            return List.of(0);
        }
        if (Nodes.is(n, "Add") || Nodes.is(n, "Mul") || Nodes.is(n, "Sub") || Nodes.is(n, "Div")) {
            List<Integer> rows = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                String in = n.getInput(k);
                if (graph.isConstant(in)) {
                    Optional<TensorProto> c = graph.constant(in);
                    if (c.get().getDimsCount() > 1) {
                        return null; // a constant that varies along the token axis would not be row-wise
                    }
                    continue;
                }
                NodeProto p = graph.producer(in);
                if (p == null || rowWiseInputs(graph, p) == null) {
                    return null; // both operands must be [batch, tokens, ...] results of row-wise nodes
                }
                rows.add(k);
            }
            return rows.isEmpty() ? null : rows;
        }
        return null;
    }

    private static boolean isRowZeroGather(OnnxGraph graph, NodeProto n) {
        if (!Nodes.is(n, "Gather") || Nodes.intAttribute(n, "axis").orElse(0L) != 1) {
            return false;
        }
        Optional<TensorProto> idx = graph.constant(n.getInput(1));
        return idx.isPresent() && idx.get().getDimsCount() == 0 && Tensors.longs(idx.get())[0] == 0;
    }

    private static void merge(Map<String, Need> need, String tensor, Need n) {
        if (!tensor.isEmpty()) {
            need.merge(tensor, n, PooledRowPruning::max);
        }
    }

    private static Need max(Need a, Need b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
