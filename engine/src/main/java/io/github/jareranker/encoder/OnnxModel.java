package io.github.jareranker.encoder;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One ONNX Runtime session of a cross-encoder graph, checked against the model contract at load
 * time: int64 inputs {@code input_ids}, {@code attention_mask} and, only if the graph declares it,
 * {@code token_type_ids}; one float output of shape [batch, 1] (a relevance logit) or [batch, 2]
 * (two-class logits: the relevance logit is {@code logit[1] - logit[0]}, so that the sigmoid of it
 * is the softmax probability of the positive class). {@link #run} is thread-safe (ONNX Runtime
 * sessions allow concurrent runs); {@link #close()} must not race with it. The session options stay
 * open for the session's life, as ONNX Runtime requires, and are closed with it.
 */
final class OnnxModel implements AutoCloseable {
    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OrtSession.SessionOptions sessionOptions;
    private final String outputName;
    private final int outputWidth;
    private final boolean feedsTokenTypes;

    private OnnxModel(
            OrtEnvironment env,
            OrtSession session,
            OrtSession.SessionOptions sessionOptions,
            String outputName,
            int outputWidth,
            boolean feedsTokenTypes) {
        this.env = env;
        this.session = session;
        this.sessionOptions = sessionOptions;
        this.outputName = outputName;
        this.outputWidth = outputWidth;
        this.feedsTokenTypes = feedsTokenTypes;
    }

    static OnnxModel load(Path onnxFile, CrossEncoderOptions options) throws ModelLoadException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        OrtSession.SessionOptions so;
        try {
            so = sessionOptions(options);
        } catch (OrtException e) {
            throw new ModelLoadException("cannot set up ONNX Runtime for " + onnxFile + ": " + e.getMessage(), e);
        }
        try {
            session = env.createSession(onnxFile.toString(), so);
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw new ModelLoadException("ONNX Runtime cannot load " + onnxFile + ": " + e.getMessage(), e);
        }
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            requireInt64Input(onnxFile, inputs, INPUT_IDS);
            requireInt64Input(onnxFile, inputs, ATTENTION_MASK);
            boolean tokenTypes = inputs.containsKey(TOKEN_TYPE_IDS);
            if (tokenTypes) {
                requireInt64Input(onnxFile, inputs, TOKEN_TYPE_IDS);
            }
            Set<String> unknown = new TreeSet<>(inputs.keySet());
            unknown.removeAll(Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS));
            if (!unknown.isEmpty()) {
                throw new ModelLoadException(onnxFile
                        + " declares inputs "
                        + unknown
                        + " that a cross-encoder does not feed: expected only input_ids, attention_mask"
                        + " and optionally token_type_ids");
            }
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            String name = outputs.containsKey("logits")
                    ? "logits"
                    : outputs.size() == 1 ? outputs.keySet().iterator().next() : null;
            if (name == null) {
                throw new ModelLoadException(
                        onnxFile + " has outputs " + outputs.keySet() + ": expected one named 'logits'");
            }
            int width = outputWidth(onnxFile, name, outputs.get(name));
            return new OnnxModel(env, session, so, name, width, tokenTypes);
        } catch (ModelLoadException | RuntimeException e) {
            closeQuietly(session);
            so.close();
            throw e;
        } catch (OrtException e) {
            closeQuietly(session);
            so.close();
            throw new ModelLoadException("cannot read the inputs/outputs of " + onnxFile + ": " + e.getMessage(), e);
        }
    }

    private static OrtSession.SessionOptions sessionOptions(CrossEncoderOptions options)
            throws OrtException, ModelLoadException {
        OrtSession.SessionOptions so = OrtSettings.cpuSessionOptions(options.intraOpThreads(), options.cpuArena());
        try {
            if (options.device().isCuda()) {
                if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                    throw new ModelLoadException("device="
                            + options.device()
                            + " was requested but the ONNX Runtime native library on the classpath has no"
                            + " CUDA provider (available: "
                            + OrtEnvironment.getAvailableProviders()
                            + "); put com.microsoft.onnxruntime:onnxruntime_gpu (instead of onnxruntime) on"
                            + " the classpath with CUDA 12 and cuDNN 9 on LD_LIBRARY_PATH, or use device=cpu");
                }
                so.addCUDA(options.device().deviceId());
            }
            return so;
        } catch (OrtException | ModelLoadException | RuntimeException e) {
            so.close();
            throw e;
        }
    }

    private static void requireInt64Input(Path file, Map<String, NodeInfo> inputs, String name)
            throws ModelLoadException {
        NodeInfo info = inputs.get(name);
        if (info == null) {
            throw new ModelLoadException(file + " has inputs " + inputs.keySet() + " but no '" + name
                    + "': a cross-encoder graph takes int64 input_ids and attention_mask [batch, sequence]");
        }
        if (!(info.getInfo() instanceof TensorInfo)
                || ((TensorInfo) info.getInfo()).type != OnnxJavaType.INT64
                || ((TensorInfo) info.getInfo()).getShape().length != 2) {
            throw new ModelLoadException(file + " input '" + name + "' is " + info.getInfo()
                    + ": expected an int64 tensor [batch, sequence]");
        }
    }

    private static int outputWidth(Path file, String name, NodeInfo info) throws ModelLoadException {
        if (!(info.getInfo() instanceof TensorInfo)) {
            throw new ModelLoadException(file + " output '" + name + "' is not a tensor: " + info.getInfo());
        }
        TensorInfo tensor = (TensorInfo) info.getInfo();
        long[] shape = tensor.getShape();
        if (tensor.type != OnnxJavaType.FLOAT || shape.length != 2 || (shape[1] != 1 && shape[1] != 2)) {
            throw new ModelLoadException(file + " output '" + name + "' is " + tensor
                    + ": expected float logits of shape [batch, 1] (or [batch, 2] for two-class models)");
        }
        return (int) shape[1];
    }

    /** 1 for a single relevance logit, 2 for two-class logits. */
    int outputWidth() {
        return outputWidth;
    }

    boolean feedsTokenTypes() {
        return feedsTokenTypes;
    }

    String outputName() {
        return outputName;
    }

    /**
     * Runs one padded batch and returns one relevance logit per row.
     *
     * @param ids row-major [rows, seqLen] token ids (padding already filled in)
     * @param mask row-major [rows, seqLen] attention mask
     * @param typeIds row-major [rows, seqLen] token type ids, or null if the graph takes none
     * @param control the call's run options: {@link #terminate} on it stops this run early
     */
    float[] run(
            LongBuffer ids, LongBuffer mask, LongBuffer typeIds, int rows, int seqLen, OrtSession.RunOptions control) {
        long[] shape = {rows, seqLen};
        Map<String, OnnxTensor> inputs = new HashMap<>(4);
        try {
            inputs.put(INPUT_IDS, OnnxTensor.createTensor(env, ids, shape));
            inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(env, mask, shape));
            if (feedsTokenTypes) {
                inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, typeIds, shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(outputName), control)) {
                FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] logits = new float[rows];
                for (int r = 0; r < rows; r++) {
                    logits[r] = outputWidth == 1 ? out.get(r) : out.get(r * 2 + 1) - out.get(r * 2);
                }
                return logits;
            }
        } catch (OrtException e) {
            throw new ScoringException(
                    "ONNX Runtime failed on a batch of " + rows + "x" + seqLen + ": " + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : inputs.values()) {
                t.close();
            }
        }
    }

    /**
     * New run options for one scoring call: every batch of the call runs with them, so that {@link
     * #terminate} stops the call's native work. ONNX Runtime says a terminated {@code RunOptions} must
     * not be reused, hence one per call; the caller closes it after the call.
     */
    static OrtSession.RunOptions newRunOptions() {
        try {
            return new OrtSession.RunOptions();
        } catch (OrtException e) {
            throw new ScoringException("ONNX Runtime cannot create run options: " + e.getMessage(), e);
        }
    }

    /** Asks every run using {@code control} to stop at the next operator boundary. */
    static void terminate(OrtSession.RunOptions control) {
        try {
            control.setTerminate(true);
        } catch (OrtException e) {
            // The runs then finish normally; the call is cancelled all the same.
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
        sessionOptions.close();
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // Nothing useful to do: the native session is being discarded either way.
        }
    }
}
