package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which model a command that starts its own Solr uses ({@code demo}, {@code eval jsquad}): the one
 * given with {@code --model}, else the best real model under {@code models/}, else the committed
 * random-weight test model (with a loud notice).
 *
 * @param dir the model directory (absolute)
 * @param onnxFile the ONNX file inside it, "" for the engine's own choice
 * @param randomWeights whether the model has random weights (its reranking is meaningless)
 * @param explicit whether the user named the model with {@code --model}
 */
record ModelChoice(Path dir, String onnxFile, boolean randomWeights, boolean explicit) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Preference when --model is not given: a real model under models/ (xsmall first, then any other
     * directory with tokenizer.json and an ONNX file that is not random-weight), else the test model.
     */
    private static final List<String> PREFERRED = List.of(
            "japanese-reranker-xsmall-v2",
            "japanese-reranker-small-v2",
            "japanese-reranker-tiny-v2",
            "japanese-reranker-base-v2");

    /**
     * Chooses the model.
     *
     * @param home the checkout root (holds {@code models/})
     * @param model {@code --model}, or null
     * @param onnxFile {@code --onnx-file}, or null
     */
    static ModelChoice choose(Path home, Path model, String onnxFile) throws IOException {
        if (model != null) {
            Path dir = model.toAbsolutePath().normalize();
            if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) {
                throw new IOException("--model " + model + ": no tokenizer.json in " + dir);
            }
            return new ModelChoice(
                    dir, onnxFile != null ? onnxFile : defaultOnnx(dir).orElse(""), isTestModel(dir), true);
        }
        Path models = home.resolve("models");
        List<Path> candidates = new ArrayList<>();
        for (String name : PREFERRED) {
            candidates.add(models.resolve(name));
        }
        if (Files.isDirectory(models)) {
            try (Stream<Path> s = Files.list(models)) {
                // Hidden directories are skipped: ModelDownload's staging directories (.NAME.download-*) among them.
                candidates.addAll(s.filter(Files::isDirectory)
                        .filter(d -> !d.getFileName().toString().startsWith("."))
                        .sorted()
                        .collect(Collectors.toList()));
            }
        }
        for (Path dir : candidates) {
            if (isTestModel(dir) || !Files.isRegularFile(dir.resolve("tokenizer.json"))) {
                continue;
            }
            Optional<String> onnx = defaultOnnx(dir);
            if (onnx.isPresent()) {
                return new ModelChoice(
                        dir.toAbsolutePath().normalize(), onnxFile != null ? onnxFile : onnx.get(), false, false);
            }
        }
        Path test = models.resolve("test-model");
        if (!Files.isRegularFile(test.resolve("tokenizer.json"))) {
            throw new IOException("no model found under " + models + "; download one with models/download-model.sh"
                    + " japanese-reranker-xsmall-v2 or pass --model DIR");
        }
        return new ModelChoice(test.toAbsolutePath().normalize(), onnxFile != null ? onnxFile : "", true, false);
    }

    /** The directory and, when one is chosen, the ONNX file, e.g. {@code /m/x [onnx/model_qint8_avx2.onnx]}. */
    String describe() {
        return withOnnxFile(dir);
    }

    /** As {@link #describe()}, with the directory relative to {@code home} when it lies inside it. */
    String describe(Path home) {
        return withOnnxFile(dir.startsWith(home) ? home.relativize(dir) : dir);
    }

    private String withOnnxFile(Path shown) {
        return shown + (onnxFile.isEmpty() ? "" : " [" + onnxFile + "]");
    }

    /**
     * Prints the boxed random-weights notice (nothing for a real model).
     *
     * @param user who uses the model, e.g. "the demo"
     */
    void printNotice(PrintWriter out, String user) {
        if (!randomWeights) {
            return;
        }
        List<String> lines = new ArrayList<>();
        if (!explicit) {
            lines.add("NOTICE: no real model was found under models/, so " + user + " uses the");
            lines.add("TEST model, whose weights are RANDOM: its 'reranking' is meaningless.");
        } else {
            lines.add("NOTICE: the model given with --model has RANDOM weights (a test or");
            lines.add("benchmark model): its 'reranking' is meaningless.");
        }
        lines.add("Download a real one first, e.g.:");
        lines.add("  models/download-model.sh japanese-reranker-xsmall-v2");
        int w = lines.stream().mapToInt(String::length).max().orElse(0);
        out.println();
        out.println("  " + "*".repeat(w + 4));
        for (String l : lines) {
            out.println("  * " + l + " ".repeat(w - l.length()) + " *");
        }
        out.println("  " + "*".repeat(w + 4));
        out.println();
    }

    /**
     * Random-weight models: the committed test models, and any model whose config.json says {@code
     * "random_weights": true} (the generator's benchmark presets).
     */
    static boolean isTestModel(Path dir) {
        if (dir.getFileName() != null && dir.getFileName().toString().startsWith("test-model")) {
            return true;
        }
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return false;
        }
        try {
            return JSON.readTree(config.toFile()).path("random_weights").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * "" when the engine's own choice works (model.onnx, or a single onnx/*.onnx); with several ONNX
     * files, the int8 build for this CPU (arm64 or avx2); empty when there is no ONNX file at all.
     */
    static Optional<String> defaultOnnx(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("model.onnx"))) {
            return Optional.of("");
        }
        Path onnxDir = dir.resolve("onnx");
        if (!Files.isDirectory(onnxDir)) {
            return Optional.empty();
        }
        List<String> files;
        try (Stream<Path> s = Files.list(onnxDir)) {
            files = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".onnx"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            return Optional.empty();
        }
        if (files.size() == 1) {
            return Optional.of("");
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String wanted =
                arch.contains("aarch64") || arch.contains("arm") ? "model_qint8_arm64.onnx" : "model_qint8_avx2.onnx";
        return Optional.of("onnx/" + (files.contains(wanted) ? wanted : files.get(0)));
    }
}
