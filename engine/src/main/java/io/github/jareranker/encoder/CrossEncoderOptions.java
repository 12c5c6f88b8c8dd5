package io.github.jareranker.encoder;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Immutable settings for loading a {@link CrossEncoder}. Two options objects are equal when every
 * setting is equal, so they can key a cache of loaded models.
 *
 * <pre>{@code
 * CrossEncoderOptions options = CrossEncoderOptions.builder(Path.of("models/japanese-reranker-xsmall-v2"))
 *     .onnxFile("onnx/model_qint8_avx2.onnx")
 *     .maxLength(512)
 *     .build();
 * }</pre>
 */
public final class CrossEncoderOptions {
    /** Default token budget of one ONNX Runtime run (batch size times longest pair), tuned for CPU. */
    public static final int DEFAULT_MAX_BATCH_TOKENS = 4096;
    /** Default cap on the number of pairs in one run, for float graphs on a GPU (on CPU the default is 1). */
    public static final int DEFAULT_MAX_BATCH_SIZE = 32;
    /** Default number of calls that may wait for a worker before more are rejected. */
    public static final int DEFAULT_MAX_QUEUED_CALLS = 64;
    /** Default maximum sequence length when the tokenizer declares none. */
    public static final int DEFAULT_MAX_LENGTH = 512;
    /**
     * Characters of document text kept before tokenizing, per token of maximum length. Tokenizing a
     * 1 MB body only to keep its first 500 tokens wastes time; a pre-cut of 16 characters per token
     * keeps every token that survives truncation unless the document averages more than 16
     * characters per token.
     */
    public static final int DOCUMENT_CHARS_PER_TOKEN = 16;

    private final Path modelDirectory;
    private final String onnxFile;
    private final Integer maxLength;
    private final Truncation truncation;
    private final Activation activation;
    private final int intraOpThreads;
    private final int workers;
    private final int maxQueuedCalls;
    private final long maxQueueWaitMs;
    private final int maxBatchTokens;
    private final Integer maxBatchSize;
    private final ExecutionDevice device;
    private final String sha256;
    private final boolean cpuArena;
    private final boolean optimizeGraph;

    private CrossEncoderOptions(Builder b) {
        this.modelDirectory = b.modelDirectory;
        this.onnxFile = b.onnxFile;
        this.maxLength = b.maxLength;
        this.truncation = b.truncation;
        this.activation = b.activation;
        this.intraOpThreads = b.intraOpThreads;
        this.workers = b.workers;
        this.maxQueuedCalls = b.maxQueuedCalls;
        this.maxQueueWaitMs = b.maxQueueWaitMs;
        this.maxBatchTokens = b.maxBatchTokens;
        this.maxBatchSize = b.maxBatchSize;
        this.device = b.device;
        this.sha256 = b.sha256;
        this.cpuArena = b.cpuArena;
        this.optimizeGraph = b.optimizeGraph;
    }

    /**
     * Starts settings with no model directory yet: for {@link Builder#validate()} of settings read from a
     * configuration before the directory is resolved; {@link Builder#build()} needs {@link Builder#modelDirectory}.
     */
    public static Builder builder() {
        return new Builder(null);
    }

    /** Starts options for the model in {@code modelDirectory} (holding the ONNX file and tokenizer.json). */
    public static Builder builder(Path modelDirectory) {
        return new Builder(modelDirectory);
    }

    /** A builder pre-filled with these options. */
    public Builder toBuilder() {
        Builder b = new Builder(modelDirectory);
        b.onnxFile = onnxFile;
        b.maxLength = maxLength;
        b.truncation = truncation;
        b.activation = activation;
        b.intraOpThreads = intraOpThreads;
        b.workers = workers;
        b.maxQueuedCalls = maxQueuedCalls;
        b.maxQueueWaitMs = maxQueueWaitMs;
        b.maxBatchTokens = maxBatchTokens;
        b.maxBatchSize = maxBatchSize;
        b.device = device;
        b.sha256 = sha256;
        b.cpuArena = cpuArena;
        b.optimizeGraph = optimizeGraph;
        return b;
    }

    /** What the model is, apart from how it is run: equal identities score pairs alike (see {@link ModelIdentity}). */
    public ModelIdentity identity() {
        return new ModelIdentity(
                modelDirectory, onnxFile(), sha256(), maxLength(), truncation, activation, optimizeGraph, device);
    }

    /**
     * These options with the settings that only steer how calls run (workers, maxQueuedCalls, maxQueueWaitMs,
     * maxBatchTokens) at their defaults: two options whose session options are equal can share one loaded model,
     * tokenizer and ONNX Runtime session ({@link CrossEncoder#share}). maxBatchSize stays: whether runs are ever
     * padded decides which fused graph is loaded.
     */
    public CrossEncoderOptions sessionOptions() {
        Builder b = toBuilder();
        b.workers = 0;
        b.maxQueuedCalls = DEFAULT_MAX_QUEUED_CALLS;
        b.maxQueueWaitMs = 0;
        b.maxBatchTokens = DEFAULT_MAX_BATCH_TOKENS;
        return new CrossEncoderOptions(b);
    }

    /** The model directory (absolute, normalized). */
    public Path modelDirectory() {
        return modelDirectory;
    }

    /**
     * The ONNX file relative to the model directory; empty means: {@code model.onnx}, else the only
     * {@code *.onnx} file under {@code onnx/}.
     */
    public Optional<String> onnxFile() {
        return Optional.ofNullable(onnxFile);
    }

    /**
     * The expected SHA-256 of the ONNX file (lower-case hex); when present, a load fails unless the file has it. It
     * covers the ONNX file only, not external data files.
     */
    public Optional<String> sha256() {
        return Optional.ofNullable(sha256);
    }

    /**
     * Whether ONNX Runtime's CPU memory arena is on (default true): it keeps activation buffers between runs, which is
     * faster; off, each run allocates and frees its own (docs/reliability.md compares the two).
     */
    public boolean cpuArena() {
        return cpuArena;
    }

    /**
     * Whether the engine runs the fused rewrite of a ModernBERT graph (default true): made at the first load, verified
     * against the file as it is on the engine's own pairs (float32 logits within 1e-4, int8 within the int8 golden
     * tolerance), cached beside the model and reused while the file is unchanged; anything that fails falls back to
     * the file as it is, with the reason in {@link ModelInfo#graph()}. CPU only: on CUDA the file runs as it is.
     */
    public boolean optimizeGraph() {
        return optimizeGraph;
    }

    /** Maximum tokens of a pair, special tokens included; empty means the tokenizer's, else 512. */
    public OptionalInt maxLength() {
        return maxLength == null ? OptionalInt.empty() : OptionalInt.of(maxLength);
    }

    public Truncation truncation() {
        return truncation;
    }

    public Activation activation() {
        return activation;
    }

    /**
     * ONNX Runtime threads inside one run; 0 lets ONNX Runtime choose (one per physical core). The
     * default is 1: on CPU, running several single-threaded runs at once (see {@link #workers()})
     * is faster than splitting one pair's small matrix products over threads.
     */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /**
     * How many runs the encoder's {@link InferencePool} executes at once when the encoder creates its
     * own pool; 0 means one per available processor divided by {@link #intraOpThreads()} (at least
     * 1). Ignored when the caller supplies a shared pool.
     */
    public int workers() {
        return workers;
    }

    /**
     * Calls that may wait for a free worker at once; one more is rejected with {@link
     * ScoringRejectedException}. 0 = no limit. Default {@value #DEFAULT_MAX_QUEUED_CALLS}.
     */
    public int maxQueuedCalls() {
        return maxQueuedCalls;
    }

    /**
     * Longest a call waits for a free worker before it is rejected with {@link
     * ScoringRejectedException}; 0 (default) = no limit of its own (the caller's {@link Cancellation},
     * e.g. Solr's timeAllowed, still applies while waiting).
     */
    public long maxQueueWaitMs() {
        return maxQueueWaitMs;
    }

    /** The settings of the pool these options ask for (workers resolved). */
    public InferencePool.Settings poolSettings() {
        return new InferencePool.Settings(resolvedWorkers(), maxQueuedCalls, maxQueueWaitMs);
    }

    /** {@link #workers()} with 0 resolved against this JVM's available processors. */
    public int resolvedWorkers() {
        if (workers > 0) {
            return workers;
        }
        int perRun = intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
        return Math.max(1, Runtime.getRuntime().availableProcessors() / perRun);
    }

    /** Upper bound of batch size times padded length for one ONNX Runtime run. */
    public int maxBatchTokens() {
        return maxBatchTokens;
    }

    /**
     * Upper bound on pairs per ONNX Runtime run. Empty means 1 on CPU (with single-threaded runs on
     * every core, one pair per run is fastest: the batch pays for padding and its attention tensors
     * leave the cache) and for graphs that quantize activations dynamically (int8 exports, whose
     * per-batch activation scale would otherwise make a pair's score depend on its batch mates);
     * {@value #DEFAULT_MAX_BATCH_SIZE} for float graphs on CUDA.
     */
    public OptionalInt maxBatchSize() {
        return maxBatchSize == null ? OptionalInt.empty() : OptionalInt.of(maxBatchSize);
    }

    public ExecutionDevice device() {
        return device;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CrossEncoderOptions)) {
            return false;
        }
        CrossEncoderOptions that = (CrossEncoderOptions) o;
        return intraOpThreads == that.intraOpThreads
                && workers == that.workers
                && maxQueuedCalls == that.maxQueuedCalls
                && maxQueueWaitMs == that.maxQueueWaitMs
                && maxBatchTokens == that.maxBatchTokens
                && Objects.equals(maxBatchSize, that.maxBatchSize)
                && modelDirectory.equals(that.modelDirectory)
                && Objects.equals(onnxFile, that.onnxFile)
                && Objects.equals(maxLength, that.maxLength)
                && truncation == that.truncation
                && activation == that.activation
                && device.equals(that.device)
                && Objects.equals(sha256, that.sha256)
                && cpuArena == that.cpuArena
                && optimizeGraph == that.optimizeGraph;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                modelDirectory,
                onnxFile,
                maxLength,
                truncation,
                activation,
                intraOpThreads,
                workers,
                maxQueuedCalls,
                maxQueueWaitMs,
                maxBatchTokens,
                maxBatchSize,
                device,
                sha256,
                cpuArena,
                optimizeGraph);
    }

    @Override
    public String toString() {
        return "CrossEncoderOptions{modelDirectory="
                + modelDirectory
                + ", onnxFile="
                + (onnxFile == null ? "(auto)" : onnxFile)
                + ", maxLength="
                + (maxLength == null ? "(tokenizer)" : maxLength)
                + ", truncation="
                + truncation
                + ", activation="
                + activation
                + ", intraOpThreads="
                + intraOpThreads
                + ", workers="
                + (workers == 0 ? "(auto)" : workers)
                + ", maxQueuedCalls="
                + maxQueuedCalls
                + ", maxQueueWaitMs="
                + maxQueueWaitMs
                + ", maxBatchTokens="
                + maxBatchTokens
                + ", maxBatchSize="
                + (maxBatchSize == null ? "(auto)" : maxBatchSize)
                + ", device="
                + device
                + (sha256 == null ? "" : ", sha256=" + sha256)
                + (cpuArena ? "" : ", cpuArena=false")
                + (optimizeGraph ? "" : ", optimizeGraph=false")
                + '}';
    }

    /** Mutable builder; {@link #build()} validates and returns an immutable snapshot. */
    public static final class Builder {
        private Path modelDirectory;
        private String onnxFile;
        private Integer maxLength;
        private Truncation truncation = Truncation.LONGEST_FIRST;
        private Activation activation = Activation.SIGMOID;
        private int intraOpThreads = 1;
        private int workers = 0;
        private int maxQueuedCalls = DEFAULT_MAX_QUEUED_CALLS;
        private long maxQueueWaitMs = 0;
        private int maxBatchTokens = DEFAULT_MAX_BATCH_TOKENS;
        private Integer maxBatchSize;
        private String sha256;
        private boolean cpuArena = true;
        private boolean optimizeGraph = true;
        private ExecutionDevice device = ExecutionDevice.cpu();

        private Builder(Path modelDirectory) {
            this.modelDirectory = modelDirectory == null
                    ? null
                    : modelDirectory.toAbsolutePath().normalize();
        }

        /** The directory holding the ONNX file and tokenizer.json (made absolute and normalized). */
        public Builder modelDirectory(Path directory) {
            this.modelDirectory = Objects.requireNonNull(directory, "modelDirectory")
                    .toAbsolutePath()
                    .normalize();
            return this;
        }

        /** The ONNX file relative to the model directory, e.g. {@code onnx/model_qint8_avx2.onnx}. */
        public Builder onnxFile(String relativePath) {
            this.onnxFile = relativePath == null || relativePath.isBlank() ? null : relativePath.trim();
            return this;
        }

        /** Maximum tokens per pair including special tokens (must be >= 8). */
        public Builder maxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        public Builder truncation(Truncation truncation) {
            this.truncation = Objects.requireNonNull(truncation, "truncation");
            return this;
        }

        public Builder activation(Activation activation) {
            this.activation = Objects.requireNonNull(activation, "activation");
            return this;
        }

        /** The activation set so far (default sigmoid). */
        public Activation activation() {
            return activation;
        }

        /** ONNX Runtime threads inside one run (default 1; 0 = ONNX Runtime default). */
        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = threads;
            return this;
        }

        /** Concurrent runs of the encoder's own pool (default 0; see {@link CrossEncoderOptions#workers()}). */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Calls that may wait for a worker at once (0 = no limit; {@link CrossEncoderOptions#maxQueuedCalls()}). */
        public Builder maxQueuedCalls(int calls) {
            this.maxQueuedCalls = calls;
            return this;
        }

        /** Longest wait for a worker in ms (0 = no limit; {@link CrossEncoderOptions#maxQueueWaitMs()}). */
        public Builder maxQueueWaitMs(long millis) {
            this.maxQueueWaitMs = millis;
            return this;
        }

        /**
         * Sets the option called {@code key} from its text form, through {@link EngineOption}.
         *
         * @throws IllegalArgumentException for an unknown key (listing the known ones) or a bad value
         */
        public Builder set(String key, String value) {
            EngineOption option = EngineOption.byKey(key)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "unknown engine option '" + key + "'; expected one of " + EngineOption.keys()));
            option.apply(this, value);
            return this;
        }

        /** Token budget per ONNX Runtime run (batch size times padded length). */
        public Builder maxBatchTokens(int tokens) {
            this.maxBatchTokens = tokens;
            return this;
        }

        /**
         * The SHA-256 the ONNX file must have (64 hex digits, any case; null or blank: no check). See {@link
         * CrossEncoderOptions#sha256()}.
         */
        public Builder sha256(String hex) {
            this.sha256 = hex == null || hex.isBlank() ? null : hex.trim().toLowerCase(Locale.ROOT);
            return this;
        }

        /** ONNX Runtime's CPU memory arena on or off (see {@link CrossEncoderOptions#cpuArena()}). */
        public Builder cpuArena(boolean on) {
            this.cpuArena = on;
            return this;
        }

        /** Run the verified fused rewrite of the graph, or the file as it is (see {@link CrossEncoderOptions#optimizeGraph()}). */
        public Builder optimizeGraph(boolean on) {
            this.optimizeGraph = on;
            return this;
        }

        /** Maximum pairs per ONNX Runtime run (see {@link CrossEncoderOptions#maxBatchSize()}). */
        public Builder maxBatchSize(int pairs) {
            this.maxBatchSize = pairs;
            return this;
        }

        public Builder device(ExecutionDevice device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the offending option
         * @throws IllegalStateException if no model directory is set
         */
        public CrossEncoderOptions build() {
            validate();
            if (modelDirectory == null) {
                throw new IllegalStateException("no model directory: set it with modelDirectory(Path)");
            }
            return new CrossEncoderOptions(this);
        }

        /**
         * Checks every setting as {@link #build()} does (ranges and formats; not the files, which the load checks), so
         * that a configuration reader fails at load naming the option.
         *
         * @throws IllegalArgumentException whose message starts with the offending option's name
         */
        public Builder validate() {
            if (maxLength != null && maxLength < 8) {
                throw new IllegalArgumentException("maxLength must be >= 8 tokens, got " + maxLength);
            }
            if (intraOpThreads < 0) {
                throw new IllegalArgumentException(
                        "intraOpThreads must be >= 0 (0 = ONNX Runtime default), got " + intraOpThreads);
            }
            if (workers < 0) {
                throw new IllegalArgumentException("workers must be >= 0 (0 = one per core), got " + workers);
            }
            if (maxQueuedCalls < 0) {
                throw new IllegalArgumentException("maxQueuedCalls must be >= 0 (0 = no limit), got " + maxQueuedCalls);
            }
            if (maxQueueWaitMs < 0) {
                throw new IllegalArgumentException("maxQueueWaitMs must be >= 0 (0 = no limit), got " + maxQueueWaitMs);
            }
            if (maxBatchTokens < 1) {
                throw new IllegalArgumentException("maxBatchTokens must be >= 1, got " + maxBatchTokens);
            }
            if (maxBatchSize != null && maxBatchSize < 1) {
                throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
            }
            if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("sha256 must be 64 hexadecimal digits, got '" + sha256 + "'");
            }
            if (onnxFile != null && (Path.of(onnxFile).isAbsolute() || onnxFile.contains(".."))) {
                throw new IllegalArgumentException(
                        "onnxFile must be a path inside the model directory (no absolute path, no '..'), got "
                                + onnxFile);
            }
            return this;
        }
    }
}
