"""Builds tiny ONNX graphs that break the cross-encoder contract, for the loader's error tests.

Run with Debian's python3-onnx:  /usr/bin/python3 make_bad_graphs.py
Each graph is a few hundred bytes; none has weights.
"""
import onnx
from onnx import TensorProto, helper


def save(name, inputs, outputs, nodes):
    graph = helper.make_graph(nodes, name, inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="ja-reranker-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, name + ".onnx")


ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"])
mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"])

# 1. No attention_mask input: input_ids only.
save("missing_attention_mask", [ids],
     [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 1])],
     [helper.make_node("Cast", ["input_ids"], ["c"], to=TensorProto.FLOAT),
      helper.make_node("ReduceMean", ["c"], ["logits"], axes=[1], keepdims=1)])

# 2. Output of the wrong width: [batch, 3] (Slice bounds as initializers).
starts = helper.make_tensor("starts", TensorProto.INT64, [1], [0])
ends = helper.make_tensor("ends", TensorProto.INT64, [1], [3])
axes = helper.make_tensor("axes", TensorProto.INT64, [1], [1])
graph = helper.make_graph(
    [helper.make_node("Cast", ["input_ids"], ["c"], to=TensorProto.FLOAT),
     helper.make_node("Add", ["c", "m"], ["s"]),
     helper.make_node("Slice", ["s", "starts", "ends", "axes"], ["logits"])],
    "three_logits", [ids, mask],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 3])],
    initializer=[starts, ends, axes])
graph.node.insert(1, helper.make_node("Cast", ["attention_mask"], ["m"], to=TensorProto.FLOAT))
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="ja-reranker-tests")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, "three_logits.onnx")

# 3. int32 input_ids instead of int64.
ids32 = helper.make_tensor_value_info("input_ids", TensorProto.INT32, ["batch", "sequence"])
save("int32_ids", [ids32, mask],
     [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 1])],
     [helper.make_node("Cast", ["input_ids"], ["c"], to=TensorProto.FLOAT),
      helper.make_node("ReduceMean", ["c"], ["logits"], axes=[1], keepdims=1)])

# 4. Fits the contract but cannot score: logits = 0 / 0 = NaN for every pair.
save("nan_logits", [ids, mask],
     [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 1])],
     [helper.make_node("Cast", ["input_ids"], ["c"], to=TensorProto.FLOAT),
      helper.make_node("Cast", ["attention_mask"], ["m"], to=TensorProto.FLOAT),
      helper.make_node("Mul", ["c", "m"], ["cm"]),
      helper.make_node("ReduceMean", ["cm"], ["r"], axes=[1], keepdims=1),
      helper.make_node("Sub", ["r", "r"], ["zero"]),
      helper.make_node("Div", ["zero", "zero"], ["logits"])])
