package io.github.jareranker.encoder;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The one translator from option names to {@link CrossEncoderOptions}: every engine option a user
 * can set, under one name, with its description. Solr's {@code solrconfig.xml} model settings, the
 * command line ({@link #cliName()}: {@code --max-batch-size} for {@code maxBatchSize}) and the
 * benchmarks all go through {@link #apply}, so a setting parses, validates and means the same
 * everywhere.
 *
 * <p>The model directory is not an option here: it is the argument of {@link
 * CrossEncoderOptions#builder}.
 */
public enum EngineOption {
    ONNX_FILE("onnxFile", "FILE", Help.ONNX_FILE, (b, v) -> b.onnxFile(v)),
    MAX_LENGTH("maxLength", "N", Help.MAX_LENGTH, (b, v) -> b.maxLength(TypedValues.integer(v))),
    TRUNCATION("truncation", "MODE", Help.TRUNCATION, (b, v) -> b.truncation(Truncation.parse(v))),
    ACTIVATION("activation", "FN", Help.ACTIVATION, (b, v) -> b.activation(Activation.parse(v))),
    WORKERS("workers", "N", Help.WORKERS, (b, v) -> b.workers(TypedValues.integer(v))),
    MAX_QUEUED_CALLS("maxQueuedCalls", "N", Help.MAX_QUEUED_CALLS, (b, v) -> b.maxQueuedCalls(TypedValues.integer(v))),
    MAX_QUEUE_WAIT_MS(
            "maxQueueWaitMs", "MS", Help.MAX_QUEUE_WAIT_MS, (b, v) -> b.maxQueueWaitMs(TypedValues.integer(v))),
    INTRA_OP_THREADS("intraOpThreads", "N", Help.INTRA_OP_THREADS, (b, v) -> b.intraOpThreads(TypedValues.integer(v))),
    MAX_BATCH_TOKENS("maxBatchTokens", "N", Help.MAX_BATCH_TOKENS, (b, v) -> b.maxBatchTokens(TypedValues.integer(v))),
    MAX_BATCH_SIZE("maxBatchSize", "N", Help.MAX_BATCH_SIZE, (b, v) -> b.maxBatchSize(TypedValues.integer(v))),
    DEVICE("device", "DEV", Help.DEVICE, (b, v) -> b.device(ExecutionDevice.parse(v))),
    SHA256("sha256", "HEX", Help.SHA256, (b, v) -> b.sha256(v)),
    CPU_ARENA("cpuArena", "BOOL", Help.CPU_ARENA, (b, v) -> b.cpuArena(TypedValues.bool(v))),
    OPTIMIZE_GRAPH("optimizeGraph", "BOOL", Help.OPTIMIZE_GRAPH, (b, v) -> b.optimizeGraph(TypedValues.bool(v)));

    /**
     * The options' one-sentence descriptions, as compile-time constants so that command-line
     * annotations can use them too.
     */
    public static final class Help {
        public static final String ONNX_FILE =
                "ONNX file inside the model directory (default: model.onnx, else the only onnx/*.onnx).";
        public static final String MAX_LENGTH =
                "Maximum tokens per pair, special tokens included (default: the tokenizer's, else 512).";
        public static final String TRUNCATION = "longest_first (default) or document_only.";
        public static final String ACTIVATION = "sigmoid (default) or raw.";
        public static final String WORKERS =
                "Inference runs at once, each on its own thread (default: 0 = one per core).";
        public static final String MAX_QUEUED_CALLS =
                "Calls that may wait for a free worker; more are rejected (default: "
                        + CrossEncoderOptions.DEFAULT_MAX_QUEUED_CALLS
                        + "; 0 = no limit).";
        public static final String MAX_QUEUE_WAIT_MS =
                "Longest wait for a free worker before a call is rejected (default: 0 = no limit).";
        public static final String INTRA_OP_THREADS =
                "ONNX Runtime threads inside one run (default: 1; 0 = ONNX Runtime's choice).";
        public static final String MAX_BATCH_TOKENS = "Token budget of one run: pairs times padded length (default: "
                + CrossEncoderOptions.DEFAULT_MAX_BATCH_TOKENS
                + ").";
        public static final String MAX_BATCH_SIZE =
                "Maximum pairs per run (default: 1 on CPU and for dynamic-int8 graphs, "
                        + CrossEncoderOptions.DEFAULT_MAX_BATCH_SIZE
                        + " for float graphs on CUDA).";
        public static final String DEVICE = "cpu (default), cuda or cuda:N.";
        public static final String CPU_ARENA =
                "true (default): ONNX Runtime's CPU memory arena keeps buffers between runs; false: allocate per run.";
        public static final String OPTIMIZE_GRAPH =
                "true (default): run the fused rewrite of a ModernBERT graph, made and"
                        + " verified at the first load and cached beside the model; false: run the file as it is.";
        public static final String SHA256 =
                "Expected SHA-256 of the ONNX file; the load fails on any other file (default: no check).";

        private Help() {}
    }

    private final String key;
    private final String valueLabel;
    private final String description;
    private final BiConsumer<CrossEncoderOptions.Builder, String> setter;

    EngineOption(
            String key, String valueLabel, String description, BiConsumer<CrossEncoderOptions.Builder, String> setter) {
        this.key = key;
        this.valueLabel = valueLabel;
        this.description = description;
        this.setter = setter;
    }

    /** The name in solrconfig.xml and benchmark parameters, e.g. {@code maxBatchSize}. */
    public String key() {
        return key;
    }

    /** The command-line flag, e.g. {@code --max-batch-size}. */
    public String cliName() {
        return "--" + key.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** A short label for the value in help texts, e.g. {@code N}. */
    public String valueLabel() {
        return valueLabel;
    }

    /** One sentence for help texts and docs. */
    public String description() {
        return description;
    }

    /**
     * Sets this option on {@code builder} from its text form.
     *
     * @throws IllegalArgumentException naming the option and what it accepts (range errors are
     *     reported later by {@link CrossEncoderOptions.Builder#build()}, also naming the option)
     */
    public void apply(CrossEncoderOptions.Builder builder, String value) {
        if (value == null) {
            throw new IllegalArgumentException(key + " has no value");
        }
        try {
            setter.accept(builder, value.trim());
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            throw new IllegalArgumentException(message.startsWith(key) ? message : key + ": " + message, e);
        }
    }

    /** The option called {@code key} (case-sensitive, as written in solrconfig.xml). */
    public static Optional<EngineOption> byKey(String key) {
        return Arrays.stream(values()).filter(o -> o.key.equals(key)).findFirst();
    }

    /** Every option's key, in declaration order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(EngineOption::key).collect(Collectors.toList());
    }
}
