#!/usr/bin/env python3
"""Single-GEMM ONNX graphs at a ModernBERT cross-encoder's own shapes, for PeakBenchmark.

    /usr/bin/python3 benchmarks/peak/make_gemm_graphs.py --config models/bench-tiny-v2/config.json \
        --out benchmarks/target/gemm

For every linear layer shape K x N of the model (Wqkv H x 3H, Wo H x H, GeGLU in H x 2I, out I x H)
it writes two graphs with a dynamic row count M:
  fp32-KxN.onnx  Y = X @ W                               (ai.onnx MatMul, float32 weights)
  int8-KxN.onnx  Y = DynamicQuantizeMatMul(X, W8, s, z)  (com.microsoft, int8 weights: the kernel
                                                          ONNX Runtime fuses the int8 exports into)
Needs Debian's python3-onnx and python3-numpy. Weights are seeded random numbers; output is
deterministic.
"""
import argparse
import json
import os

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save


def shapes(config):
    h = config["hidden_size"]
    i = config["intermediate_size"]
    return [(h, 3 * h), (h, h), (h, 2 * i), (i, h)]


def fp32_graph(k, n, rng):
    w = numpy_helper.from_array(rng.standard_normal((k, n)).astype(np.float32), "W")
    node = helper.make_node("MatMul", ["X", "W"], ["Y"])
    graph = helper.make_graph(
        [node], "gemm_fp32",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["M", k])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["M", n])],
        initializer=[w])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def int8_graph(k, n, rng):
    w = numpy_helper.from_array(rng.integers(-127, 128, (k, n)).astype(np.int8), "W8")
    scale = numpy_helper.from_array(np.array(0.01, dtype=np.float32), "scale")
    zero = numpy_helper.from_array(np.array(0, dtype=np.int8), "zero")
    node = helper.make_node("DynamicQuantizeMatMul", ["X", "W8", "scale", "zero"], ["Y"], domain="com.microsoft")
    graph = helper.make_graph(
        [node], "gemm_int8",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["M", k])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["M", n])],
        initializer=[w, scale, zero])
    return helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True, help="the model's config.json (hidden_size, intermediate_size)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    with open(args.config) as f:
        config = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(20261201)
    for k, n in shapes(config):
        for kind, make in (("fp32", fp32_graph), ("int8", int8_graph)):
            path = os.path.join(args.out, "%s-%dx%d.onnx" % (kind, k, n))
            save(make(k, n, rng), path)
            print(path)


if __name__ == "__main__":
    main()
