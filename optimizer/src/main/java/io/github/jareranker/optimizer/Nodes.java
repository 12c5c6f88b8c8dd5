package io.github.jareranker.optimizer;

import java.util.List;
import java.util.Optional;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;

/** Reads node attributes and builds new nodes; absent attributes come back empty, never as a default guess. */
final class Nodes {
    static final String MS_DOMAIN = "com.microsoft";

    private Nodes() {}

    static Optional<AttributeProto> attribute(NodeProto node, String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    static Optional<Long> intAttribute(NodeProto node, String name) {
        return attribute(node, name).map(AttributeProto::getI);
    }

    static Optional<Float> floatAttribute(NodeProto node, String name) {
        return attribute(node, name).map(AttributeProto::getF);
    }

    static Optional<List<Long>> intsAttribute(NodeProto node, String name) {
        return attribute(node, name).map(AttributeProto::getIntsList);
    }

    static boolean is(NodeProto node, String opType) {
        return node != null
                && node.getOpType().equals(opType)
                && (node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx"));
    }

    static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    static AttributeProto intsAttr(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.FLOAT)
                .setF(value)
                .build();
    }

    static NodeProto.Builder node(
            String opType, String domain, String name, List<String> inputs, List<String> outputs) {
        return NodeProto.newBuilder()
                .setOpType(opType)
                .setDomain(domain)
                .setName(name)
                .addAllInput(inputs)
                .addAllOutput(outputs);
    }
}
