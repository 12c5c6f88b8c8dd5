package io.github.jareranker.optimizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.ValueInfoProto;

/**
 * A mutable view of one ONNX model's main graph for rewriting: the node list (kept in topological
 * order after every {@link #replace}), the initializers by name, who produces and who consumes each
 * tensor. Nodes are immutable protobuf messages; a rewrite removes some and adds others. Writing
 * drops the graph's {@code value_info} (intermediate shape hints), because rewritten tensors would
 * otherwise carry stale shapes; ONNX Runtime infers shapes itself.
 */
final class OnnxGraph {
    private final ModelProto.Builder model;
    private final List<NodeProto> nodes = new ArrayList<>();
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Set<String> usedNames = new HashSet<>();

    private OnnxGraph(ModelProto proto) {
        this.model = proto.toBuilder();
        GraphProto g = proto.getGraph();
        nodes.addAll(g.getNodeList());
        for (TensorProto t : g.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        reindex();
    }

    static OnnxGraph read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(ModelProto.parseFrom(in));
        }
    }

    static OnnxGraph of(ModelProto proto) {
        if (proto.getGraph().getNodeCount() == 0) {
            throw new IllegalArgumentException("the model has an empty graph");
        }
        return new OnnxGraph(proto);
    }

    ModelProto toModel() {
        GraphProto.Builder g = model.getGraphBuilder().clone();
        g.clearNode().addAllNode(nodes);
        g.clearInitializer().addAllInitializer(initializers.values());
        g.clearValueInfo();
        return model.clone().setGraph(g).build();
    }

    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            toModel().writeTo(out);
        }
    }

    List<NodeProto> nodes() {
        return List.copyOf(nodes);
    }

    List<String> graphInputNames() {
        return model.getGraph().getInputList().stream()
                .map(ValueInfoProto::getName)
                .toList();
    }

    Set<String> graphOutputNames() {
        Set<String> out = new HashSet<>();
        for (ValueInfoProto v : model.getGraph().getOutputList()) {
            out.add(v.getName());
        }
        return out;
    }

    ModelProto.Builder modelHeader() {
        return model;
    }

    /** The opset version of the default ONNX domain this model imports (1 if it names none). */
    long defaultOpset() {
        return model.getOpsetImportList().stream()
                .filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(o -> o.getVersion())
                .max()
                .orElse(1);
    }

    NodeProto producer(String tensor) {
        return producers.get(tensor);
    }

    List<NodeProto> consumers(String tensor) {
        return consumers.getOrDefault(tensor, List.of());
    }

    /** True if the tensor is read by anything besides {@code except}: another node or a graph output. */
    boolean usedElsewhere(String tensor, Collection<NodeProto> except) {
        if (graphOutputNames().contains(tensor)) {
            return true;
        }
        Set<NodeProto> skip = identitySet(except);
        for (NodeProto c : consumers(tensor)) {
            if (!skip.contains(c)) {
                return true;
            }
        }
        return false;
    }

    /** The value of a tensor fixed at load time: an initializer or the output of a Constant node. */
    Optional<TensorProto> constant(String tensor) {
        TensorProto init = initializers.get(tensor);
        if (init != null) {
            return Optional.of(init);
        }
        NodeProto p = producers.get(tensor);
        if (Nodes.is(p, "Constant")) {
            return Nodes.attribute(p, "value").filter(a -> a.hasT()).map(a -> a.getT());
        }
        return Optional.empty();
    }

    boolean isConstant(String tensor) {
        return constant(tensor).isPresent();
    }

    void addInitializer(TensorProto t) {
        if (initializers.containsKey(t.getName()) || producers.containsKey(t.getName())) {
            throw new IllegalArgumentException("tensor name already in use: " + t.getName());
        }
        initializers.put(t.getName(), t);
        usedNames.add(t.getName());
    }

    /** A tensor or node name not used anywhere in the graph yet, starting with {@code prefix}. */
    String uniqueName(String prefix) {
        String name = prefix;
        for (int i = 1; usedNames.contains(name); i++) {
            name = prefix + "_" + i;
        }
        usedNames.add(name);
        return name;
    }

    /** Makes sure the model imports {@code domain} at {@code version} or later. */
    void requireOpset(String domain, long version) {
        for (int i = 0; i < model.getOpsetImportCount(); i++) {
            OperatorSetIdProto o = model.getOpsetImport(i);
            if (o.getDomain().equals(domain)) {
                if (o.getVersion() < version) {
                    model.setOpsetImport(i, o.toBuilder().setVersion(version));
                }
                return;
            }
        }
        model.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version));
    }

    /**
     * Removes {@code remove} and adds {@code add}, then restores topological order (ONNX requires
     * it). Fails if the result reads a tensor that nothing produces.
     */
    void replace(Collection<NodeProto> remove, List<NodeProto> add) {
        Set<NodeProto> gone = identitySet(remove);
        List<NodeProto> next = new ArrayList<>(nodes.size() + add.size());
        for (NodeProto n : nodes) {
            if (!gone.contains(n)) {
                next.add(n);
            }
        }
        next.addAll(add);
        nodes.clear();
        nodes.addAll(topologicalOrder(next));
        reindex();
    }

    /** Drops nodes whose outputs nobody reads (repeatedly) and initializers that no node reads. */
    int removeDeadNodes() {
        int removed = 0;
        boolean changed = true;
        Set<String> outputs = graphOutputNames();
        while (changed) {
            changed = false;
            Set<String> read = new HashSet<>(outputs);
            for (NodeProto n : nodes) {
                read.addAll(n.getInputList());
            }
            List<NodeProto> dead = new ArrayList<>();
            for (NodeProto n : nodes) {
                if (n.getOutputList().stream().noneMatch(o -> !o.isEmpty() && read.contains(o))) {
                    dead.add(n);
                }
            }
            if (!dead.isEmpty()) {
                removed += dead.size();
                replace(dead, List.of());
                changed = true;
            }
        }
        Set<String> read = new HashSet<>(outputs);
        for (NodeProto n : nodes) {
            read.addAll(n.getInputList());
        }
        initializers
                .keySet()
                .removeIf(name -> !read.contains(name) && !graphInputNames().contains(name));
        return removed;
    }

    /** Number of nodes by op type ({@code domain:op} for non-default domains), sorted by name. */
    Map<String, Integer> opCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (NodeProto n : nodes) {
            String key = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")
                    ? n.getOpType()
                    : n.getDomain() + ":" + n.getOpType();
            counts.merge(key, 1, Integer::sum);
        }
        return counts;
    }

    int nodeCount() {
        return nodes.size();
    }

    private void reindex() {
        producers.clear();
        consumers.clear();
        usedNames.addAll(initializers.keySet());
        for (ValueInfoProto v : model.getGraph().getInputList()) {
            usedNames.add(v.getName());
        }
        for (NodeProto n : nodes) {
            usedNames.add(n.getName());
            for (String o : n.getOutputList()) {
                if (!o.isEmpty()) {
                    producers.put(o, n);
                    usedNames.add(o);
                }
            }
            for (String i : n.getInputList()) {
                if (!i.isEmpty()) {
                    consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
                }
            }
        }
    }

    private List<NodeProto> topologicalOrder(List<NodeProto> list) {
        Set<String> available = new HashSet<>(initializers.keySet());
        available.addAll(graphInputNames());
        available.add("");
        Map<String, List<Integer>> waiting = new HashMap<>();
        int[] missing = new int[list.size()];
        Deque<Integer> ready = new ArrayDeque<>();
        Map<String, Integer> producedBy = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            for (String o : list.get(i).getOutputList()) {
                producedBy.put(o, i);
            }
        }
        for (int i = 0; i < list.size(); i++) {
            for (String in : new HashSet<>(list.get(i).getInputList())) {
                if (!available.contains(in)) {
                    if (!producedBy.containsKey(in)) {
                        throw new IllegalStateException("node " + list.get(i).getName() + " ("
                                + list.get(i).getOpType() + ") reads " + in + ", which nothing produces");
                    }
                    missing[i]++;
                    waiting.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
                }
            }
            if (missing[i] == 0) {
                ready.add(i);
            }
        }
        List<NodeProto> out = new ArrayList<>(list.size());
        // Process in original order where possible, so unchanged parts of the graph keep their order.
        PriorityQueue<Integer> queue = new PriorityQueue<>(ready);
        while (!queue.isEmpty()) {
            int i = queue.poll();
            out.add(list.get(i));
            for (String o : list.get(i).getOutputList()) {
                for (int w : waiting.getOrDefault(o, List.of())) {
                    if (--missing[w] == 0) {
                        queue.add(w);
                    }
                }
            }
        }
        if (out.size() != list.size()) {
            throw new IllegalStateException("the rewritten graph has a cycle");
        }
        return out;
    }

    private static Set<NodeProto> identitySet(Collection<NodeProto> nodes) {
        Set<NodeProto> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(nodes);
        return s;
    }
}
