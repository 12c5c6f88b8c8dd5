package io.github.jareranker.encoder;

import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A Japanese (or any HuggingFace-tokenizer) cross-encoder on ONNX Runtime: scores one query against
 * a list of documents and returns one score per document, in input order.
 *
 * <p>Scoring tokenizes all pairs in one native call, sorts them by length, cuts them into batches
 * under a token budget, pads each batch only to its own longest pair and feeds ONNX Runtime from
 * direct buffers. The batches run on an {@link InferencePool}: single-threaded ONNX Runtime calls
 * on as many workers as are idle, longest batch first. A pair's score does not depend on which
 * other pairs share its batch, nor on which worker runs it: graphs that quantize activations per
 * batch (int8 exports) run one pair per batch unless {@link CrossEncoderOptions#maxBatchSize()}
 * says otherwise.
 *
 * <p>Thread-safety: {@link #score} may be called from many threads at once. {@link #close()} waits
 * for calls in flight, frees the native session and tokenizer (once no encoder made by {@link #share}
 * still uses them) and the pool, if the encoder created it, and makes later calls fail with an {@link
 * IllegalStateException}. The caller that {@link
 * #load loaded} the encoder owns it and must close it; a pool passed to {@link
 * #load(CrossEncoderOptions, InferencePool)} stays the caller's.
 */
public final class CrossEncoder implements AutoCloseable {
    /** The pair scored at load to prove the model works (any text does; this is a plausible one). */
    private static final String PROBE_QUERY = "送料は無料ですか";

    private static final String PROBE_DOCUMENT = "五千円以上のご注文で送料が無料になります。";

    private final CrossEncoderOptions options;
    private final Natives natives;
    private final PairTokenizer tokenizer;
    private final OnnxModel model;
    private final ModelInfo info;
    private final long padId;
    private final InferencePool pool;
    private final boolean ownsPool;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private CrossEncoder(
            CrossEncoderOptions options, Natives natives, ModelInfo info, InferencePool pool, boolean ownsPool) {
        this.options = options;
        this.natives = natives;
        this.tokenizer = natives.tokenizer;
        this.model = natives.model;
        this.info = info;
        this.padId = info.padId();
        this.pool = pool;
        this.ownsPool = ownsPool;
    }

    /**
     * Loads the model described by {@code options}. Works offline.
     *
     * @throws ModelLoadException naming the path and what was expected when the directory, the ONNX
     *     file or tokenizer.json is missing or unreadable, the graph does not fit the cross-encoder
     *     contract, the tokenizer has no pair template, or the model cannot score a probe pair (an
     *     error, NaN or infinity)
     */
    public static CrossEncoder load(CrossEncoderOptions options) throws ModelLoadException {
        return load(options, null);
    }

    /**
     * Loads the model described by {@code options} and runs its batches on {@code pool}, which the
     * caller keeps owning (close it after this encoder). Several encoders may share one pool: that is
     * how a server keeps the number of concurrent inferences at what its cores allow. With a null
     * pool the encoder creates its own ({@link CrossEncoderOptions#poolSettings()}) and closes it with
     * itself.
     *
     * @throws ModelLoadException as {@link #load(CrossEncoderOptions)}
     */
    public static CrossEncoder load(CrossEncoderOptions options, InferencePool pool) throws ModelLoadException {
        Objects.requireNonNull(options, "options");
        ModelFiles files = ModelFiles.resolve(options);
        TokenizerSpec spec = TokenizerSpec.read(files.tokenizerJson());
        int maxLength =
                options.maxLength().orElse(spec.truncationMaxLength().orElse(CrossEncoderOptions.DEFAULT_MAX_LENGTH));
        PairTokenizer tokenizer = PairTokenizer.load(files.tokenizerJson(), options.truncation(), maxLength);
        OnnxFileScan scan;
        GraphChoice graph;
        OnnxModel model;
        int maxBatchSize;
        try {
            // Before ONNX Runtime opens the file: it would follow external-data paths anywhere.
            files.requireSha256(options.sha256());
            scan = OnnxFileScan.of(files.onnxFile());
            scan.requireExternalDataBeside(files.onnxFile());
            requireTokenizerFitsEmbedding(spec, scan, files);
            maxBatchSize = maxBatchSize(options, scan.quantizesActivationsDynamically());
            // One pair per run never pads, which lets the fused graph drop the global layers' padding bias.
            boolean unpadded = maxBatchSize == 1;
            try (FusedGraph.Prepared prepared = FusedGraph.prepare(files, scan, tokenizer, options, unpadded)) {
                graph = prepared.choice();
                model = OnnxModel.load(graph.file(), options);
            }
        } catch (ModelLoadException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        boolean quantized = scan.quantizesActivationsDynamically();
        ModelInfo info = new ModelInfo(
                files.onnxFile(),
                files.tokenizerJson(),
                maxLength,
                spec.padId().orElse(0),
                tokenizer.pairOverhead(),
                model.feedsTokenTypes(),
                model.outputWidth() == 1
                        ? model.outputName() + "[batch, 1]"
                        : model.outputName() + "[batch, 2] (relevance logit = logit[1] - logit[0])",
                quantized,
                maxBatchSize,
                options.device(),
                graph);
        boolean ownsPool = pool == null;
        CrossEncoder encoder = new CrossEncoder(
                options,
                new Natives(tokenizer, model),
                info,
                ownsPool ? InferencePool.create(options.poolSettings()) : pool,
                ownsPool);
        try {
            encoder.probe();
        } catch (ModelLoadException | RuntimeException e) {
            encoder.close();
            throw e;
        }
        return encoder;
    }

    /**
     * On CPU one pair per run is fastest (measured: docs/performance.md) and batch-invariant by construction; a GPU
     * needs batches. Dynamic-int8 graphs run one pair per run everywhere.
     */
    private static int maxBatchSize(CrossEncoderOptions options, boolean quantized) {
        return options.maxBatchSize()
                .orElse(quantized || !options.device().isCuda() ? 1 : CrossEncoderOptions.DEFAULT_MAX_BATCH_SIZE);
    }

    /**
     * Another encoder on this one's loaded model, tokenizer and ONNX Runtime session, run as {@code options} say
     * (workers, queue limits, batch sizes) on {@code pool}: how a server gives two users of one model different
     * run settings without loading it twice. The native resources are freed when the last encoder sharing them closes;
     * each closes on its own. With a null pool the new encoder creates its own from {@code options} and closes it.
     *
     * @throws IllegalArgumentException if {@code options} differ from this encoder's in anything but run settings
     *     ({@link CrossEncoderOptions#sessionOptions()}), naming both
     * @throws IllegalStateException if this encoder is closed
     */
    public CrossEncoder share(CrossEncoderOptions options, InferencePool pool) {
        Objects.requireNonNull(options, "options");
        if (!options.sessionOptions().equals(this.options.sessionOptions())) {
            throw new IllegalArgumentException("cannot share the model loaded as " + this.options.sessionOptions()
                    + " with options that change what is loaded: " + options.sessionOptions());
        }
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            natives.retain();
        } finally {
            lifecycle.readLock().unlock();
        }
        ModelInfo shared = info.withMaxBatchSize(maxBatchSize(options, info.dynamicallyQuantized()));
        boolean ownsPool = pool == null;
        return new CrossEncoder(
                options, natives, shared, ownsPool ? InferencePool.create(options.poolSettings()) : pool, ownsPool);
    }

    /**
     * Fails when the tokenizer can produce ids past the model's token embedding: a tokenizer.json of another model
     * (whose ids would index out of the table, or worse, silently index the wrong rows).
     */
    private static void requireTokenizerFitsEmbedding(TokenizerSpec spec, OnnxFileScan scan, ModelFiles files)
            throws ModelLoadException {
        if (spec.largestId().isPresent()
                && scan.embeddingRows().isPresent()
                && spec.largestId().getAsInt() >= scan.embeddingRows().getAsLong()) {
            throw new ModelLoadException(files.tokenizerJson() + " produces token ids up to "
                    + spec.largestId().getAsInt() + ", but the token embedding of " + files.onnxFile() + " has "
                    + scan.embeddingRows().getAsLong() + " rows: this tokenizer.json is not the model's own");
        }
    }

    /**
     * Scores one fixed pair, so that a model that loads but cannot score (an error, NaN or infinite
     * logits from broken weights or an incompatible graph) fails at load instead of falling back on
     * every request.
     */
    private void probe() throws ModelLoadException {
        float logit;
        try {
            logit = score(PROBE_QUERY, List.of(PROBE_DOCUMENT)).logit(0);
        } catch (ScoringException e) {
            throw new ModelLoadException(
                    info.onnxFile() + " loads but cannot score a probe pair: " + e.getMessage(), e);
        }
        if (!Float.isFinite(logit)) {
            throw new ModelLoadException(info.onnxFile() + " loads but scores a probe pair as " + logit
                    + ": the weights or the graph are broken (a cross-encoder must return finite logits)");
        }
    }

    /** The options this encoder was loaded with. */
    public CrossEncoderOptions options() {
        return options;
    }

    /** The pool this encoder's batches run on. */
    public InferencePool pool() {
        return pool;
    }

    /** What was loaded. */
    public ModelInfo info() {
        return info;
    }

    /**
     * The number of tokens the model reads for each (query, document) pair, special tokens included,
     * after truncation to the maximum length: what scoring them would cost, without running the model.
     *
     * @throws IllegalStateException if this encoder is closed
     */
    public int[] pairLengths(String query, List<String> documents) {
        Objects.requireNonNull(documents, "documents");
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            if (documents.isEmpty()) {
                return new int[0];
            }
            PairTokenizer.EncodedPairs encoded = encode(query, documents);
            int[] lengths = new int[encoded.ids().length];
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = encoded.ids()[i].length;
            }
            return lengths;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Splits each text into the model's tokens as it would appear in a pair (no special tokens) and
     * returns, per text, the UTF-16 index just past each token, in order; at most {@code maxLength}
     * tokens per text are reported. What passage splitting uses to measure and cut text in the
     * model's own tokens.
     *
     * @throws ScoringException if the tokenizer fails
     * @throws IllegalStateException if this encoder is closed
     */
    public int[][] tokenEnds(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            return texts.isEmpty() ? new int[0][] : tokenizer.tokenEnds(texts);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Scores {@code documents} against {@code query}; equivalent to {@code score(q, d, Cancellation.NONE)}. */
    public ScoredPairs score(String query, List<String> documents) {
        return score(query, documents, Cancellation.NONE);
    }

    /**
     * Scores every document against the query. Null texts count as empty. Documents longer than the
     * maximum length are truncated as configured.
     *
     * @return logits and scores in input order
     * @throws ScoringCancelledException if {@code cancellation} fired (no partial result)
     * @throws ScoringException if the tokenizer or ONNX Runtime fails
     * @throws IllegalStateException if this encoder is closed
     */
    public ScoredPairs score(String query, List<String> documents, Cancellation cancellation) {
        Objects.requireNonNull(documents, "documents");
        Objects.requireNonNull(cancellation, "cancellation");
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            if (documents.isEmpty()) {
                return new ScoredPairs(new float[0], new float[0], ScoringStats.EMPTY);
            }
            checkCancelled(cancellation);
            long t0 = System.nanoTime();
            PairTokenizer.EncodedPairs encoded = encode(query, documents);
            long tokenizeNanos = System.nanoTime() - t0;
            return infer(encoded, cancellation, tokenizeNanos);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Call under the read lock. */
    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("CrossEncoder for " + info.onnxFile() + " is closed");
        }
    }

    /** Tokenizes the pairs as the model reads them (a null query counts as empty). */
    private PairTokenizer.EncodedPairs encode(String query, List<String> documents) {
        return tokenizer.encode(query == null ? "" : query, documents);
    }

    private ScoredPairs infer(PairTokenizer.EncodedPairs encoded, Cancellation cancellation, long tokenizeNanos) {
        int n = encoded.ids().length;
        int[] lengths = new int[n];
        long tokens = 0;
        int truncated = 0;
        int longest = 0;
        for (int i = 0; i < n; i++) {
            lengths[i] = encoded.ids()[i].length;
            tokens += lengths[i];
            longest = Math.max(longest, lengths[i]);
            truncated += encoded.truncated()[i] ? 1 : 0;
        }
        List<int[]> batches = BatchPlanner.plan(lengths, options.maxBatchTokens(), info.maxBatchSize());
        float[] logits = new float[n];
        long padded = 0;
        // Longest batches first: with several workers the call ends when its last batch ends, and
        // starting the long ones early keeps the workers evenly loaded to the end.
        InferencePool.Task[] tasks = new InferencePool.Task[batches.size()];
        OrtSession.RunOptions control = OnnxModel.newRunOptions();
        for (int k = 0; k < tasks.length; k++) {
            int[] batch = batches.get(tasks.length - 1 - k);
            int seqLen = lengths[batch[batch.length - 1]];
            padded += (long) batch.length * seqLen;
            tasks[k] = scratch -> runBatch(encoded, batch, seqLen, logits, scratch, control);
        }
        long t0 = System.nanoTime();
        try {
            checkCancelled(cancellation);
            pool.runAll(tasks, cancellation, () -> OnnxModel.terminate(control));
        } finally {
            control.close();
        }
        long inferenceNanos = System.nanoTime() - t0;
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = options.activation().apply(logits[i]);
        }
        return new ScoredPairs(
                logits,
                scores,
                new ScoringStats(n, tokens, padded, batches.size(), truncated, tokenizeNanos, inferenceNanos));
    }

    /** Runs one batch on a worker and writes its logits into {@code logits} at the pairs' indices. */
    private void runBatch(
            PairTokenizer.EncodedPairs encoded,
            int[] batch,
            int seqLen,
            float[] logits,
            InferencePool.Scratch scratch,
            OrtSession.RunOptions control) {
        int capacity = batch.length * seqLen;
        LongBuffer ids = scratch.longs(0, capacity);
        LongBuffer mask = scratch.longs(1, capacity);
        LongBuffer types = model.feedsTokenTypes() ? scratch.longs(2, capacity) : null;
        fill(encoded, batch, seqLen, ids, mask, types);
        float[] out = model.run(ids, mask, types, batch.length, seqLen, control);
        for (int r = 0; r < batch.length; r++) {
            logits[batch[r]] = out[r];
        }
    }

    /** Writes a batch, right-padded to {@code seqLen} with the pad id and mask 0. */
    private void fill(
            PairTokenizer.EncodedPairs encoded,
            int[] batch,
            int seqLen,
            LongBuffer ids,
            LongBuffer mask,
            LongBuffer types) {
        ids.clear();
        mask.clear();
        if (types != null) {
            types.clear();
        }
        for (int row : batch) {
            long[] rowIds = encoded.ids()[row];
            long[] rowTypes = encoded.typeIds()[row];
            for (int t = 0; t < seqLen; t++) {
                boolean real = t < rowIds.length;
                ids.put(real ? rowIds[t] : padId);
                mask.put(real ? 1L : 0L);
                if (types != null) {
                    types.put(real ? rowTypes[t] : 0L);
                }
            }
        }
        ids.flip();
        mask.flip();
        if (types != null) {
            types.flip();
        }
    }

    private static void checkCancelled(Cancellation cancellation) {
        if (cancellation.isCancelled()) {
            throw new ScoringCancelledException("scoring cancelled by the caller (time limit reached)");
        }
    }

    /**
     * Waits for scoring calls in flight, then frees the ONNX Runtime session and the tokenizer unless another
     * encoder still shares them ({@link #share}), and the encoder's own pool (a pool passed in is left to its owner).
     */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            natives.release();
            if (ownsPool) {
                pool.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "CrossEncoder{" + info + '}';
    }

    /** The tokenizer and session that encoders sharing one loaded model hold; freed when the last of them closes. */
    private static final class Natives {
        final PairTokenizer tokenizer;
        final OnnxModel model;
        private int holders = 1;

        Natives(PairTokenizer tokenizer, OnnxModel model) {
            this.tokenizer = tokenizer;
            this.model = model;
        }

        synchronized void retain() {
            if (holders == 0) {
                throw new IllegalStateException("the shared model is already closed");
            }
            holders++;
        }

        synchronized void release() {
            if (--holders == 0) {
                model.close();
                tokenizer.close();
            }
        }
    }
}
