# -*- coding: utf-8 -*-
"""A small numpy interpreter for the ONNX graphs this generator writes (fp32 and the dynamic
int8 variant).  It is an independent check of the exported graphs (onnx 1.12 has no
onnx.reference and onnxruntime is not available to the generator) and it computes the int8
reference logits.  Only the operators that occur in these graphs are implemented; anything
else raises NotImplementedError."""

import math

import numpy as np
from onnx import numpy_helper, TensorProto, helper

_ERF = np.frompyfunc(math.erf, 1, 1)

_NP = {
    TensorProto.FLOAT: np.float32, TensorProto.DOUBLE: np.float64, TensorProto.INT64: np.int64,
    TensorProto.INT32: np.int32, TensorProto.UINT8: np.uint8, TensorProto.INT8: np.int8,
    TensorProto.BOOL: np.bool_,
}


def _attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _round_half_even(x):
    return np.rint(x)


def run(model, feeds):
    g = model.graph
    env = {}
    for init in g.initializer:
        env[init.name] = numpy_helper.to_array(init)
    env.update(feeds)
    env[""] = None
    for node in g.node:
        ins = [env[n] if n else None for n in node.input]
        a = _attrs(node)
        op = node.op_type
        if node.domain not in ("", "ai.onnx"):
            raise NotImplementedError(node.domain + "::" + op)
        if op == "Constant":
            out = [numpy_helper.to_array(a["value"])]
        elif op == "Identity":
            out = [ins[0]]
        elif op == "Shape":
            out = [np.array(ins[0].shape, dtype=np.int64)]
        elif op == "Gather":
            axis = a.get("axis", 0)
            idx = ins[1].astype(np.int64)
            out = [np.take(ins[0], idx, axis=axis)]
        elif op == "Unsqueeze":
            x = ins[0]
            axes = sorted(int(v) for v in ins[1].reshape(-1))
            for ax in axes:
                x = np.expand_dims(x, ax if ax >= 0 else ax + x.ndim + 1)
            out = [x]
        elif op == "Squeeze":
            axes = tuple(int(v) for v in ins[1].reshape(-1)) if len(ins) > 1 and ins[1] is not None else None
            out = [np.squeeze(ins[0], axis=axes)]
        elif op == "Concat":
            out = [np.concatenate(ins, axis=a["axis"])]
        elif op == "Reshape":
            shape = [int(v) for v in ins[1]]
            shape = [ins[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
            out = [ins[0].reshape(shape)]
        elif op == "Transpose":
            out = [np.transpose(ins[0], a.get("perm"))]
        elif op == "MatMul":
            out = [np.matmul(ins[0], ins[1])]
        elif op == "Gemm":
            A, B = ins[0], ins[1]
            if a.get("transA", 0):
                A = A.T
            if a.get("transB", 0):
                B = B.T
            y = np.float32(a.get("alpha", 1.0)) * (A @ B)
            if len(ins) > 2 and ins[2] is not None:
                y = y + np.float32(a.get("beta", 1.0)) * ins[2]
            out = [y.astype(np.float32)]
        elif op == "Add":
            out = [ins[0] + ins[1]]
        elif op == "Sub":
            out = [ins[0] - ins[1]]
        elif op == "Mul":
            out = [ins[0] * ins[1]]
        elif op == "Div":
            if np.issubdtype(ins[0].dtype, np.integer):
                out = [(ins[0] // ins[1]).astype(ins[0].dtype)]
            else:
                out = [ins[0] / ins[1]]
        elif op == "Pow":
            out = [np.power(ins[0], ins[1]).astype(ins[0].dtype)]
        elif op == "Neg":
            out = [-ins[0]]
        elif op == "Abs":
            out = [np.abs(ins[0])]
        elif op == "Sqrt":
            out = [np.sqrt(ins[0])]
        elif op == "Cos":
            out = [np.cos(ins[0])]
        elif op == "Sin":
            out = [np.sin(ins[0])]
        elif op == "Erf":
            out = [_ERF(ins[0].astype(np.float64)).astype(np.float32)]
        elif op == "Tanh":
            out = [np.tanh(ins[0])]
        elif op == "Softmax":
            axis = a.get("axis", -1)
            x = ins[0]
            m = np.max(x, axis=axis, keepdims=True)
            e = np.exp(x - m)
            out = [e / np.sum(e, axis=axis, keepdims=True)]
        elif op == "LayerNormalization":
            axis = a.get("axis", -1)
            eps = np.float32(a.get("epsilon", 1e-5))
            x = ins[0]
            axes = tuple(range(axis if axis >= 0 else x.ndim + axis, x.ndim))
            mean = np.mean(x, axis=axes, keepdims=True)
            d = x - mean
            var = np.mean(d * d, axis=axes, keepdims=True)
            y = d / np.sqrt(var + eps) * ins[1]
            if len(ins) > 2 and ins[2] is not None:
                y = y + ins[2]
            out = [y.astype(np.float32)]
        elif op == "Cast":
            out = [ins[0].astype(_NP[a["to"]])]
        elif op == "Range":
            out = [np.arange(ins[0], ins[1], ins[2]).astype(ins[0].dtype)]
        elif op == "Equal":
            out = [np.equal(ins[0], ins[1])]
        elif op == "Less":
            out = [np.less(ins[0], ins[1])]
        elif op == "LessOrEqual":
            out = [np.less_equal(ins[0], ins[1])]
        elif op == "Greater":
            out = [np.greater(ins[0], ins[1])]
        elif op == "GreaterOrEqual":
            out = [np.greater_equal(ins[0], ins[1])]
        elif op == "Not":
            out = [np.logical_not(ins[0])]
        elif op == "And":
            out = [np.logical_and(ins[0], ins[1])]
        elif op == "Where":
            out = [np.where(ins[0], ins[1], ins[2])]
        elif op == "Expand":
            shape = tuple(int(v) for v in ins[1])
            out = [ins[0] * np.ones(shape, dtype=ins[0].dtype)]
        elif op == "ConstantOfShape":
            v = numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
            out = [np.full(tuple(int(s) for s in ins[0]), v.reshape(-1)[0], dtype=v.dtype)]
        elif op == "Slice":
            x = ins[0]
            starts, ends = ins[1], ins[2]
            axes = ins[3] if len(ins) > 3 and ins[3] is not None else np.arange(len(starts))
            steps = ins[4] if len(ins) > 4 and ins[4] is not None else np.ones(len(starts), np.int64)
            sl = [slice(None)] * x.ndim
            for s, e, ax, st in zip(starts, ends, axes, steps):
                dim = x.shape[ax]
                s, e = int(s), int(e)
                s = max(min(s, dim), -dim)
                e = max(min(e, dim), -dim - 1)
                sl[int(ax)] = slice(s, e, int(st))
            out = [x[tuple(sl)]]
        elif op == "Split":
            axis = a.get("axis", 0)
            x = ins[0]
            if len(ins) > 1 and ins[1] is not None:
                sizes = [int(v) for v in ins[1]]
            else:
                n = len(node.output)
                sizes = [x.shape[axis] // n] * n
            idx = np.cumsum(sizes)[:-1]
            out = list(np.split(x, idx, axis=axis))
        elif op == "ReduceMean":
            axes = tuple(a["axes"]) if "axes" in a else None
            out = [np.mean(ins[0], axis=axes, keepdims=bool(a.get("keepdims", 1)))]
        # ---- quantization operators (standard ONNX) ----
        elif op == "DynamicQuantizeLinear":
            x = ins[0].astype(np.float32)
            xmin = np.float32(min(np.float32(0.0), x.min()))
            xmax = np.float32(max(np.float32(0.0), x.max()))
            scale = np.float32(1.0) if xmax == xmin else np.float32((xmax - xmin) / np.float32(255.0))
            zp_f = np.float32(0.0) - xmin / scale
            zp = np.uint8(_round_half_even(np.clip(zp_f, 0.0, 255.0)))
            q = np.clip(_round_half_even(x / scale) + np.float32(zp), 0, 255).astype(np.uint8)
            out = [q, np.array(scale, dtype=np.float32), np.array(zp, dtype=np.uint8)]
        elif op == "MatMulInteger":
            A = ins[0].astype(np.int32)
            B = ins[1].astype(np.int32)
            if len(ins) > 2 and ins[2] is not None:
                A = A - ins[2].astype(np.int32)
            if len(ins) > 3 and ins[3] is not None:
                B = B - ins[3].astype(np.int32)  # scalar or per-column [N]
            # exact integer product (int64 accumulation, then int32 like the spec's output)
            out = [np.matmul(A.astype(np.int64), B.astype(np.int64)).astype(np.int32)]
        elif op == "DequantizeLinear":
            x = ins[0].astype(np.int32)
            zp = ins[2].astype(np.int32) if len(ins) > 2 and ins[2] is not None else 0
            out = [((x - zp).astype(np.float32) * ins[1]).astype(np.float32)]
        else:
            raise NotImplementedError(op)
        for name, val in zip(node.output, out):
            if name:
                env[name] = val
    return [env[o.name] for o in g.output]
