package io.github.jareranker.encoder;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the engine needs to know about an ONNX file before ONNX Runtime loads it, read in one streaming pass over its
 * protobuf (the ONNX Runtime Java API lists neither graph nodes nor external data): the operator types of the nodes
 * (subgraphs included), the external-data files its tensors refer to, and the rows of the token embedding that
 * {@code input_ids} index.
 *
 * <p>Only the fields needed are decoded; tensor data is skipped. Field numbers are those of onnx.proto (ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, SparseTensorProto, StringStringEntryProto).
 *
 * @param opTypes every node's {@code op_type}
 * @param externalDataLocations every {@code location} of a tensor's external data, as written in the file
 * @param embeddingRows the first dimension of the initializer a {@code Gather} node indexes with {@code input_ids}
 *     (the vocabulary the model was trained with), when the graph has one
 */
record OnnxFileScan(Set<String> opTypes, List<String> externalDataLocations, OptionalLong embeddingRows) {
    /** The graph input holding token ids (the cross-encoder contract, checked by {@link OnnxModel}). */
    static final String INPUT_IDS = "input_ids";

    // ModelProto
    private static final int MODEL_GRAPH = 7;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_SPARSE_INITIALIZER = 15;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    // AttributeProto
    private static final int ATTRIBUTE_T = 5;
    private static final int ATTRIBUTE_G = 6;
    private static final int ATTRIBUTE_TENSORS = 10;
    private static final int ATTRIBUTE_GRAPHS = 11;
    private static final int ATTRIBUTE_SPARSE_TENSOR = 22;
    private static final int ATTRIBUTE_SPARSE_TENSORS = 23;
    // SparseTensorProto
    private static final int SPARSE_VALUES = 1;
    private static final int SPARSE_INDICES = 2;
    // TensorProto
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    // StringStringEntryProto
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;

    /**
     * Scans {@code onnxFile}.
     *
     * @throws ModelLoadException naming the file when it cannot be read or is not a protobuf ModelProto
     */
    static OnnxFileScan of(Path onnxFile) throws ModelLoadException {
        Walker walker;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(onnxFile))) {
            CodedInputStream pb = CodedInputStream.newInstance(in);
            pb.setSizeLimit(Integer.MAX_VALUE);
            pb.setRecursionLimit(Integer.MAX_VALUE);
            walker = new Walker(pb);
            walker.model();
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(
                    onnxFile + " is not a readable ONNX model (a protobuf ModelProto): " + e.getMessage(), e);
        }
        OptionalLong rows = walker.embeddingNames.stream()
                .map(walker.firstDims::get)
                .filter(Objects::nonNull)
                .mapToLong(Long::longValue)
                .findFirst();
        return new OnnxFileScan(Set.copyOf(walker.opTypes), List.copyOf(walker.locations), rows);
    }

    /**
     * Whether the graph quantizes activations dynamically ({@code DynamicQuantizeLinear} or the fused {@code
     * DynamicQuantizeMatMul}), as ONNX Runtime's and sentence-transformers' int8 exports do. Such a graph computes one
     * activation scale over the whole batch, so a pair's score would depend on its batch mates (and their padding);
     * the engine then runs one pair per batch.
     */
    boolean quantizesActivationsDynamically() {
        return opTypes.contains("DynamicQuantizeLinear") || opTypes.contains("DynamicQuantizeMatMul");
    }

    /**
     * Fails unless every external-data file lies inside the directory of {@code onnxFile} (where ONNX Runtime looks
     * for it) and exists: a model file must not make the server read files elsewhere.
     */
    void requireExternalDataBeside(Path onnxFile) throws ModelLoadException {
        Path dir = onnxFile.toAbsolutePath().getParent();
        for (String location : externalDataLocations) {
            Path file = dir.resolve(location).normalize();
            if (Path.of(location).isAbsolute() || !file.startsWith(dir)) {
                throw new ModelLoadException(onnxFile + " refers to external data '" + location
                        + "' outside its directory " + dir + ": external data files must lie beside the model file");
            }
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new ModelLoadException(onnxFile + " refers to external data file " + file + " (location '"
                        + location + "'), which does not exist or is not readable");
            }
        }
    }

    /** Recursive descent over the messages that can hold nodes or tensors. Not thread-safe; one per scan. */
    private static final class Walker {
        private final CodedInputStream pb;
        private final Set<String> opTypes = new LinkedHashSet<>();
        private final Set<String> locations = new LinkedHashSet<>();
        private final List<String> embeddingNames = new ArrayList<>();
        private final Map<String, Long> firstDims = new HashMap<>();

        Walker(CodedInputStream pb) {
            this.pb = pb;
        }

        void model() throws IOException {
            fields((field, wire) -> field == MODEL_GRAPH && nested(this::graph));
        }

        void graph() throws IOException {
            fields((field, wire) -> switch (field) {
                case GRAPH_NODE -> nested(this::node);
                case GRAPH_INITIALIZER -> nested(this::tensor);
                case GRAPH_SPARSE_INITIALIZER -> nested(this::sparseTensor);
                default -> false;
            });
        }

        void node() throws IOException {
            List<String> inputs = new ArrayList<>();
            String[] opType = {""};
            fields((field, wire) -> switch (field) {
                case NODE_INPUT -> inputs.add(pb.readString());
                case NODE_OP_TYPE -> {
                    opType[0] = pb.readString();
                    yield true;
                }
                case NODE_ATTRIBUTE -> nested(this::attribute);
                default -> false;
            });
            opTypes.add(opType[0]);
            if (opType[0].equals("Gather")
                    && inputs.size() == 2
                    && inputs.get(1).equals(INPUT_IDS)) {
                embeddingNames.add(inputs.get(0));
            }
        }

        void attribute() throws IOException {
            fields((field, wire) -> switch (field) {
                case ATTRIBUTE_T, ATTRIBUTE_TENSORS -> nested(this::tensor);
                case ATTRIBUTE_G, ATTRIBUTE_GRAPHS -> nested(this::graph);
                case ATTRIBUTE_SPARSE_TENSOR, ATTRIBUTE_SPARSE_TENSORS -> nested(this::sparseTensor);
                default -> false;
            });
        }

        void sparseTensor() throws IOException {
            fields((field, wire) -> (field == SPARSE_VALUES || field == SPARSE_INDICES) && nested(this::tensor));
        }

        void tensor() throws IOException {
            List<Long> dims = new ArrayList<>();
            String[] name = {null};
            fields((field, wire) -> switch (field) {
                case TENSOR_DIMS -> readInt64s(wire, dims);
                case TENSOR_NAME -> {
                    name[0] = pb.readString();
                    yield true;
                }
                case TENSOR_EXTERNAL_DATA -> nested(this::externalDataEntry);
                default -> false;
            });
            if (name[0] != null && !dims.isEmpty()) {
                firstDims.put(name[0], dims.get(0));
            }
        }

        void externalDataEntry() throws IOException {
            String[] keyValue = new String[2];
            fields((field, wire) -> {
                if (field == ENTRY_KEY || field == ENTRY_VALUE) {
                    keyValue[field - 1] = pb.readString();
                    return true;
                }
                return false;
            });
            if ("location".equals(keyValue[0]) && keyValue[1] != null) {
                locations.add(keyValue[1]);
            }
        }

        /** A repeated int64, packed (one length-delimited field) or not (one varint per value). */
        private boolean readInt64s(int wireType, List<Long> into) throws IOException {
            if (wireType == WireFormat.WIRETYPE_VARINT) {
                into.add(pb.readInt64());
                return true;
            }
            int limit = pb.pushLimit(pb.readRawVarint32());
            while (pb.getBytesUntilLimit() > 0) {
                into.add(pb.readInt64());
            }
            pb.popLimit(limit);
            return true;
        }

        /**
         * Reads fields to the end of the current message; {@code handler} consumes a field it knows (by number) and
         * returns true, else the field is skipped whatever its wire type.
         */
        private void fields(FieldHandler handler) throws IOException {
            for (int tag = pb.readTag(); tag != 0; tag = pb.readTag()) {
                if (!handler.handle(WireFormat.getTagFieldNumber(tag), WireFormat.getTagWireType(tag))) {
                    pb.skipField(tag);
                }
            }
        }

        /** Parses a length-delimited sub-message with {@code body}; always true (the field was consumed). */
        private boolean nested(MessageBody body) throws IOException {
            int limit = pb.pushLimit(pb.readRawVarint32());
            body.parse();
            pb.checkLastTagWas(0);
            pb.popLimit(limit);
            return true;
        }
    }

    @FunctionalInterface
    private interface FieldHandler {
        /** Consumes field {@code fieldNumber} (of wire type {@code wireType}) and returns true, or returns false. */
        boolean handle(int fieldNumber, int wireType) throws IOException;
    }

    @FunctionalInterface
    private interface MessageBody {
        void parse() throws IOException;
    }
}
