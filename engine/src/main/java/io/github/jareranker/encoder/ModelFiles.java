package io.github.jareranker.encoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Locates the ONNX file and {@code tokenizer.json} of a model directory, failing with a message that
 * names the path, what was expected and what was found.
 *
 * @param onnxFile the ONNX graph to load
 * @param tokenizerJson the HuggingFace tokenizer.json beside it
 */
record ModelFiles(Path onnxFile, Path tokenizerJson) {
    static final String TOKENIZER_JSON = "tokenizer.json";
    static final String DEFAULT_ONNX = "model.onnx";
    static final String ONNX_SUBDIR = "onnx";

    static ModelFiles resolve(CrossEncoderOptions options) throws ModelLoadException {
        Path dir = options.modelDirectory();
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException("model directory "
                    + dir
                    + " does not exist or is not a directory: expected a directory holding an ONNX file"
                    + " (model.onnx or onnx/*.onnx) and tokenizer.json; see docs/models.md to download one");
        }
        Path tokenizer = dir.resolve(TOKENIZER_JSON);
        requireReadableFile(tokenizer, "the HuggingFace tokenizer file (tokenizer.json) of the model");
        return new ModelFiles(resolveOnnx(dir, options), tokenizer);
    }

    private static Path resolveOnnx(Path dir, CrossEncoderOptions options) throws ModelLoadException {
        if (options.onnxFile().isPresent()) {
            Path explicit = dir.resolve(options.onnxFile().get()).normalize();
            if (!explicit.startsWith(dir)) {
                throw new ModelLoadException(
                        "ONNX file " + options.onnxFile().get() + " points outside model directory " + dir);
            }
            requireReadableFile(
                    explicit,
                    "the ONNX file named by onnxFile=" + options.onnxFile().get());
            return explicit;
        }
        Path root = dir.resolve(DEFAULT_ONNX);
        if (Files.isRegularFile(root)) {
            requireReadableFile(root, "the model's ONNX file");
            return root;
        }
        List<Path> candidates = listOnnx(dir.resolve(ONNX_SUBDIR));
        if (candidates.size() == 1) {
            requireReadableFile(candidates.get(0), "the model's ONNX file");
            return candidates.get(0);
        }
        if (candidates.isEmpty()) {
            throw new ModelLoadException("no ONNX file in model directory "
                    + dir
                    + ": expected "
                    + root
                    + " or exactly one *.onnx file under "
                    + dir.resolve(ONNX_SUBDIR)
                    + "; found "
                    + describeOnnx(dir));
        }
        throw new ModelLoadException("several ONNX files under "
                + dir.resolve(ONNX_SUBDIR)
                + ": "
                + candidates.stream().map(p -> dir.relativize(p).toString()).collect(Collectors.joining(", "))
                + "; choose one with the onnxFile option (e.g. onnx/model_qint8_avx2.onnx on x86-64)");
    }

    private static List<Path> listOnnx(Path onnxDir) throws ModelLoadException {
        if (!Files.isDirectory(onnxDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(onnxDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".onnx") && Files.isRegularFile(p))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new ModelLoadException("cannot list " + onnxDir + ": " + e.getMessage(), e);
        }
    }

    private static String describeOnnx(Path dir) throws ModelLoadException {
        try (Stream<Path> files = Files.walk(dir, 2)) {
            List<String> names = files.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .limit(20)
                    .collect(Collectors.toList());
            return names.isEmpty() ? "an empty directory" : String.join(", ", names);
        } catch (IOException e) {
            throw new ModelLoadException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void requireReadableFile(Path file, String what) throws ModelLoadException {
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("missing " + what + ": " + file + " does not exist or is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new ModelLoadException("cannot read " + what + ": " + file + " is not readable by this process");
        }
    }

    /** Fails unless the ONNX file's SHA-256 is {@code expected} (when given, lower-case hex). */
    void requireSha256(Optional<String> expected) throws ModelLoadException {
        String actual = expected.isEmpty() ? null : onnxSha256();
        if (actual != null && !actual.equals(expected.get())) {
            throw new ModelLoadException(onnxFile + " has SHA-256 " + actual + " but sha256 is set to " + expected.get()
                    + ": this is not the configured file (a partial download, another variant, or an edited file)");
        }
    }

    private String onnxSha256() throws ModelLoadException {
        try {
            return FileDigest.sha256(onnxFile);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + onnxFile + " to check its SHA-256: " + e.getMessage(), e);
        }
    }
}
