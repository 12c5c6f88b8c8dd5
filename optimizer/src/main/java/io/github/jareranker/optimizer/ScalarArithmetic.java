package io.github.jareranker.optimizer;

import java.util.Optional;
import java.util.OptionalLong;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

/**
 * Evaluates the small integer expressions exporters build from a tensor's shape (slice bounds of
 * {@code torch.chunk}): constants, {@code Gather(Shape(t), -1)} = the last dimension of {@code t}
 * (given as {@code lastDim}), Add, Sub, Mul and integer Div (rounding toward zero, as ONNX Runtime's
 * int64 Div does; the operands here are non-negative, where that equals floor). Anything else is
 * unknown.
 */
final class ScalarArithmetic {
    private ScalarArithmetic() {}

    static OptionalLong evaluate(OnnxGraph graph, String tensor, String shapeOf, long lastDim) {
        Optional<TensorProto> c = graph.constant(tensor);
        if (c.isPresent()) {
            if (Tensors.elementCount(c.get()) != 1 || c.get().getDataType() != TensorProto.DataType.INT64_VALUE) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Tensors.longs(c.get())[0]);
        }
        NodeProto n = graph.producer(tensor);
        if (n == null) {
            return OptionalLong.empty();
        }
        if (Nodes.is(n, "Unsqueeze")
                || Nodes.is(n, "Cast") && Nodes.intAttribute(n, "to").orElse(-1L) == TensorProto.DataType.INT64_VALUE) {
            return evaluate(graph, n.getInput(0), shapeOf, lastDim);
        }
        if (Nodes.is(n, "Gather")) {
            NodeProto shape = graph.producer(n.getInput(0));
            Optional<TensorProto> index = graph.constant(n.getInput(1));
            if (Nodes.is(shape, "Shape")
                    && shape.getInput(0).equals(shapeOf)
                    && shape.getAttributeCount() == 0
                    && index.isPresent()
                    && Tensors.elementCount(index.get()) == 1
                    && Tensors.longs(index.get())[0] == -1) {
                return OptionalLong.of(lastDim);
            }
            return OptionalLong.empty();
        }
        if (n.getInputCount() != 2) {
            return OptionalLong.empty();
        }
        OptionalLong a = evaluate(graph, n.getInput(0), shapeOf, lastDim);
        OptionalLong b = evaluate(graph, n.getInput(1), shapeOf, lastDim);
        if (a.isEmpty() || b.isEmpty()) {
            return OptionalLong.empty();
        }
        long x = a.getAsLong();
        long y = b.getAsLong();
        if (Nodes.is(n, "Add")) {
            return OptionalLong.of(x + y);
        }
        if (Nodes.is(n, "Sub")) {
            return OptionalLong.of(x - y);
        }
        if (Nodes.is(n, "Mul")) {
            return OptionalLong.of(x * y);
        }
        if (Nodes.is(n, "Div") && y != 0) {
            return OptionalLong.of(x / y);
        }
        return OptionalLong.empty();
    }
}
