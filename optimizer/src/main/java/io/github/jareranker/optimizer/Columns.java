package io.github.jareranker.optimizer;

import com.google.protobuf.ByteString;
import onnx.Onnx.TensorProto;

/**
 * Cuts columns [from, from + count) out of a 2-D weight [K, N] or a 1-D per-column vector [N],
 * byte for byte, for any fixed-size element type stored in {@code raw_data}.
 */
final class Columns {
    private Columns() {}

    static TensorProto of(TensorProto t, long from, long count, String name) {
        int size = elementSize(t.getDataType());
        ByteString raw = t.getRawData();
        if (raw.isEmpty() && t.getFloatDataCount() > 0) {
            // typed storage: re-encode floats as raw data first
            t = Tensors.floatTensor(
                    t.getName(),
                    t.getDimsList().stream().mapToLong(Long::longValue).toArray(),
                    Tensors.floats(t));
            raw = t.getRawData();
        }
        if (raw.size() != Tensors.elementCount(t) * size) {
            throw new IllegalArgumentException(
                    "tensor " + t.getName() + " is not stored as raw data of its element type");
        }
        int rows = t.getDimsCount() == 2 ? (int) t.getDims(0) : 1;
        long cols = t.getDimsCount() == 2 ? t.getDims(1) : t.getDims(0);
        byte[] src = raw.toByteArray();
        byte[] dst = new byte[(int) (rows * count * size)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(
                    src, (int) ((r * cols + from) * size), dst, (int) (r * count * size), (int) (count * size));
        }
        TensorProto.Builder b = TensorProto.newBuilder()
                .setName(name)
                .setDataType(t.getDataType())
                .setRawData(ByteString.copyFrom(dst));
        if (t.getDimsCount() == 2) {
            b.addDims(rows).addDims(count);
        } else {
            b.addDims(count);
        }
        return b.build();
    }

    private static int elementSize(int type) {
        if (type == TensorProto.DataType.FLOAT_VALUE || type == TensorProto.DataType.INT32_VALUE) {
            return 4;
        }
        if (type == TensorProto.DataType.INT8_VALUE || type == TensorProto.DataType.UINT8_VALUE) {
            return 1;
        }
        if (type == TensorProto.DataType.INT64_VALUE || type == TensorProto.DataType.DOUBLE_VALUE) {
            return 8;
        }
        if (type == TensorProto.DataType.FLOAT16_VALUE || type == TensorProto.DataType.BFLOAT16_VALUE) {
            return 2;
        }
        throw new IllegalArgumentException("unsupported element type " + type);
    }
}
