package io.github.jareranker.encoder;

import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.optimizer.Fusion;
import io.github.jareranker.optimizer.GraphOptimizer;
import io.github.jareranker.optimizer.OptimizationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the graph an encoder runs ({@link CrossEncoderOptions#optimizeGraph()}): the model's ONNX file rewritten into
 * ONNX Runtime's fused operators by the optimizer library, when that rewrite scores the engine's own pairs like the
 * original ({@link GraphVerifier#builtIn()}), else the file as it is, with the reason logged. Never fails a load: any
 * error while rewriting or verifying falls back to the original.
 *
 * <p>The decision is cached beside the model, in {@value GraphChoice#CACHE_DIRECTORY}/ of the model directory: the fused file
 * named by the original's SHA-256 and {@link GraphOptimizer#VERSION}, and a JSON record of the decision (fusions,
 * verification, or why the original runs). The original's checksum is taken at every load ({@link FileDigest}: the file
 * is read again whenever its size, modification time or inode changes), so an edited or replaced file never meets a
 * stale rewrite; files are written under temporary names and moved into place, so concurrent loads and a
 * crash mid-write leave no half-written file. Where the model directory is not writable the rewrite is made in the
 * temporary directory, used once and deleted. Stateless; safe to call from several threads at once.
 */
final class FusedGraph {
    private static final Logger LOG = LoggerFactory.getLogger(FusedGraph.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A choice, and the uncached rewrite to delete once ONNX Runtime has read it (null when there is none). The owner
     * closes it right after the session is created.
     */
    record Prepared(GraphChoice choice, Path temporary) implements AutoCloseable {
        @Override
        public void close() {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                    Files.deleteIfExists(temporary.getParent());
                } catch (IOException e) {
                    LOG.debug("cannot delete {}: {}", temporary, e.toString());
                }
            }
        }
    }

    /** What one build concluded; {@code file} is the verified rewrite, or null when the original runs. */
    private record Decision(Path file, String detail) {}

    private FusedGraph() {}

    /**
     * Chooses the graph for a load. {@code tokenizer} is the encoder's own (verification tokenizes the built-in pairs
     * as scoring would).
     */
    static Prepared prepare(
            ModelFiles files,
            OnnxFileScan scan,
            PairTokenizer tokenizer,
            CrossEncoderOptions options,
            boolean unpadded) {
        return prepare(files, scan, tokenizer, options, unpadded, GraphVerifier.builtIn());
    }

    /**
     * As {@link #prepare(ModelFiles, OnnxFileScan, PairTokenizer, CrossEncoderOptions, boolean)}, verifying with
     * {@code verifier}. {@code unpadded}: the encoder runs one pair per run, never padded, so the rewrite may also
     * use {@link Fusion#UNPADDED_GLOBAL_ATTENTION}.
     */
    static Prepared prepare(
            ModelFiles files,
            OnnxFileScan scan,
            PairTokenizer tokenizer,
            CrossEncoderOptions options,
            boolean unpadded,
            GraphVerifier verifier) {
        Path original = files.onnxFile();
        Optional<String> skip = reasonToRunAsIs(scan, options);
        if (skip.isPresent()) {
            return new Prepared(new GraphChoice(false, original, skip.get(), 0, false), null);
        }
        long t0 = System.nanoTime();
        try {
            Prepared prepared = prepareChecked(original, scan, tokenizer, options, unpadded, verifier, t0);
            LOG.info("{}: {}", original, prepared.choice());
            return prepared;
        } catch (IOException | RuntimeException e) {
            String reason = "the fused graph could not be prepared, so the original runs: " + e;
            LOG.warn("{}: {}", original, reason);
            return new Prepared(new GraphChoice(false, original, reason, millis(t0), false), null);
        }
    }

    /** Why the file runs as it is without trying, if it does. */
    private static Optional<String> reasonToRunAsIs(OnnxFileScan scan, CrossEncoderOptions options) {
        if (!options.optimizeGraph()) {
            return Optional.of("graph optimization is off (optimizeGraph=false)");
        }
        if (options.device().isCuda()) {
            return Optional.of("the fused graph is verified and measured on CPU only; CUDA runs the file as it is");
        }
        if (!scan.externalDataLocations().isEmpty()) {
            return Optional.of("the weights are in external data files, which the graph rewriting does not read");
        }
        if (scan.opTypes().contains("MultiHeadAttention") || scan.opTypes().contains("SkipLayerNormalization")) {
            return Optional.of("the file already holds ONNX Runtime's fused operators");
        }
        return Optional.empty();
    }

    private static Prepared prepareChecked(
            Path original,
            OnnxFileScan scan,
            PairTokenizer tokenizer,
            CrossEncoderOptions options,
            boolean unpadded,
            GraphVerifier verifier,
            long t0)
            throws IOException {
        String sha256 = FileDigest.sha256(original);
        String stem = original.getFileName().toString().replaceFirst("\\.onnx$", "");
        String base =
                stem + "." + sha256.substring(0, 16) + ".v" + GraphOptimizer.VERSION + (unpadded ? ".unpadded" : "");
        Path cacheDir = options.modelDirectory().resolve(GraphChoice.CACHE_DIRECTORY);
        Path fusedFile = cacheDir.resolve(base + ".onnx");
        Path record = cacheDir.resolve(base + ".json");
        Optional<GraphChoice> cached = readCached(original, sha256, fusedFile, record, t0);
        if (cached.isPresent()) {
            return new Prepared(cached.get(), null);
        }
        boolean cacheable = canWrite(cacheDir);
        Path workDir = cacheable ? cacheDir : Files.createTempDirectory("ja-reranker-graph-");
        Path candidate = workDir.resolve(base + "." + UUID.randomUUID() + ".tmp");
        Decision decision;
        try {
            decision = build(
                    original,
                    candidate,
                    scan.quantizesActivationsDynamically(),
                    tokenizer,
                    options,
                    unpadded,
                    verifier);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(candidate);
            if (!cacheable) {
                Files.deleteIfExists(workDir);
            }
            throw e;
        }
        boolean fused = decision.file() != null;
        if (!cacheable) {
            String detail = decision.detail() + "; not cached: " + cacheDir + " is not writable";
            GraphChoice choice = new GraphChoice(fused, fused ? candidate : original, detail, millis(t0), false);
            return new Prepared(choice, fused ? candidate : null);
        }
        if (fused) {
            move(candidate, fusedFile);
        }
        writeRecord(record, original, sha256, fused ? fusedFile : null, decision.detail());
        return new Prepared(
                new GraphChoice(fused, fused ? fusedFile : original, decision.detail(), millis(t0), false), null);
    }

    /**
     * Rewrites with every fusion and, if that does not verify, with the bitwise-exact ones only (a chaotic int8 model
     * can amplify RotaryEmbedding's different rounding past the int8 tolerance).
     */
    private static Decision build(
            Path original,
            Path candidate,
            boolean quantized,
            PairTokenizer tokenizer,
            CrossEncoderOptions options,
            boolean unpadded,
            GraphVerifier verifier)
            throws IOException {
        CrossEncoderOptions verifying = options.toBuilder()
                .intraOpThreads(1)
                .device(ExecutionDevice.cpu())
                .build();
        List<String> failures = new ArrayList<>();
        try (OnnxModel originalModel = OnnxModel.load(original, verifying)) {
            List<Set<Fusion>> candidates = unpadded
                    ? GraphOptimizer.unpaddedCandidates()
                    : List.of(GraphOptimizer.ALL, GraphOptimizer.BITWISE_EXACT);
            for (Set<Fusion> fusions : candidates) {
                OptimizationReport report = GraphOptimizer.create(GraphOptimizer.DEFAULT_MAX_POSITIONS, fusions)
                        .run(original, candidate);
                if (report.fusions().values().stream().allMatch(n -> n == 0)) {
                    return new Decision(null, "no ModernBERT attention, normalisation or GeGLU pattern to fuse");
                }
                GraphVerifier.Result result;
                try (OnnxModel rewritten = OnnxModel.load(candidate, verifying)) {
                    result =
                            verifier.compare(quantized, logits(originalModel, tokenizer), logits(rewritten, tokenizer));
                } catch (ModelLoadException | ScoringException e) {
                    failures.add(names(fusions) + ": " + e.getMessage());
                    continue;
                }
                if (result.passed()) {
                    return new Decision(candidate, fusedSummary(report) + "; verified: " + result);
                }
                failures.add(names(fusions) + ": " + result);
            }
        }
        Files.deleteIfExists(candidate);
        return new Decision(null, "no rewrite scores like the original, so it runs as it is: " + failures);
    }

    /** Scores pairs one per run, unpadded, as CPU scoring runs them. */
    private static GraphVerifier.LogitSource logits(OnnxModel model, PairTokenizer tokenizer) {
        return (query, documents) -> {
            PairTokenizer.EncodedPairs encoded = tokenizer.encode(query, documents);
            float[] out = new float[documents.size()];
            try (OrtSession.RunOptions control = OnnxModel.newRunOptions()) {
                for (int i = 0; i < out.length; i++) {
                    long[] ids = encoded.ids()[i];
                    long[] mask = new long[ids.length];
                    Arrays.fill(mask, 1L);
                    LongBuffer types = model.feedsTokenTypes() ? LongBuffer.wrap(encoded.typeIds()[i]) : null;
                    out[i] = model.run(LongBuffer.wrap(ids), LongBuffer.wrap(mask), types, 1, ids.length, control)[0];
                }
            }
            return out;
        };
    }

    private static Optional<GraphChoice> readCached(
            Path original, String sha256, Path fusedFile, Path record, long t0) {
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        try {
            JsonNode json = JSON.readTree(record.toFile());
            if (!sha256.equals(json.path("originalSha256").asText())) {
                return Optional.empty();
            }
            String detail = json.path("detail").asText();
            if (!json.path("fused").asBoolean()) {
                return Optional.of(new GraphChoice(false, original, detail, millis(t0), true));
            }
            if (Files.isRegularFile(fusedFile)
                    && Files.size(fusedFile) == json.path("fusedBytes").asLong(-1)) {
                return Optional.of(new GraphChoice(true, fusedFile, detail, millis(t0), true));
            }
            LOG.warn("{} names a fused file that is missing or of another size: making it again", record);
        } catch (IOException e) {
            LOG.warn("cannot read {} ({}): making the fused graph again", record, e.toString());
        }
        return Optional.empty();
    }

    private static void writeRecord(Path record, Path original, String sha256, Path fusedFile, String detail)
            throws IOException {
        ObjectNode json = JSON.createObjectNode();
        json.put("original", original.getFileName().toString());
        json.put("originalSha256", sha256);
        json.put("optimizerVersion", GraphOptimizer.VERSION);
        json.put("fused", fusedFile != null);
        if (fusedFile != null) {
            json.put("fusedFile", fusedFile.getFileName().toString());
            json.put("fusedBytes", Files.size(fusedFile));
            json.put("fusedSha256", FileDigest.sha256(fusedFile));
        }
        json.put("detail", detail);
        Path tmp = record.resolveSibling(record.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), json);
            move(tmp, record);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Whether {@code dir} exists or can be created, and a file can be written in it. */
    private static boolean canWrite(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, "probe", ".tmp");
            Files.delete(probe);
            return true;
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return false;
        }
    }

    private static String fusedSummary(OptimizationReport report) {
        return report.fusions().entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " ×" + e.getValue())
                .collect(Collectors.joining(", ", "fused: ", ""));
    }

    private static String names(Set<Fusion> fusions) {
        if (fusions.containsAll(GraphOptimizer.ALL)) {
            return "every fusion";
        }
        return fusions.contains(Fusion.UNPADDED_GLOBAL_ATTENTION) && !fusions.contains(Fusion.BANDED_LOCAL_ATTENTION)
                ? "the bitwise-exact fusions without the banded attention"
                : "the bitwise-exact fusions";
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
