package io.github.jareranker.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The pinned model files of {@code models/pins.tsv}: repository, revision, path, size and SHA-256 per file.
 *
 * <p>One table, two readers: {@code models/download-model.sh} and the demo's first-run download ({@link
 * ModelDownload}) both read the committed file, so a pin is recorded once. The script must run with only bash and
 * curl before anything is built, and the demo must run without bash or curl (Windows), so neither calls the other;
 * the demo reads the table from the checkout it runs in (as it reads {@code models/} itself), so an edited pin needs
 * no rebuild.
 */
final class ModelCatalog {
    /** The model the demo downloads on first run: the smallest real one (int8, about 36 MB with its tokenizer). */
    static final String DEMO_MODEL = "japanese-reranker-tiny-v2";

    /** Where the table lives under the checkout root. */
    static final String TABLE = "models/pins.tsv";

    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*/[A-Za-z0-9_-][A-Za-z0-9_.-]*");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * One row of the table.
     *
     * @param model the model's name (its directory under {@code models/})
     * @param repo the Hugging Face repository, {@code owner/name}
     * @param revision the pinned revision (a commit)
     * @param path the file inside the repository, e.g. {@code onnx/model_qint8_avx2.onnx}
     * @param bytes its size, -1 when not known
     * @param sha256 its SHA-256 (lower-case hex), null when not known
     */
    record PinnedFile(String model, String repo, String revision, String path, long bytes, String sha256) {
        /** Whether both size and checksum are known (the demo downloads only such files). */
        boolean pinned() {
            return bytes >= 0 && sha256 != null;
        }
    }

    private ModelCatalog() {}

    /** Reads {@link #TABLE} under the checkout root. */
    static List<PinnedFile> read(Path home) throws IOException {
        Path table = home.resolve(TABLE);
        if (!Files.isRegularFile(table)) {
            throw new IOException("no pin table at " + table);
        }
        return parse(Files.readAllLines(table, StandardCharsets.UTF_8), table.toString());
    }

    /**
     * Parses the table's lines: tab-separated {@code name repo revision path bytes sha256}, {@code -} for an
     * unknown size or checksum; {@code #} comments and blank lines are skipped. Every value is checked, since
     * repository, revision and path become a URL and a file name.
     *
     * @param source what to name in errors
     */
    static List<PinnedFile> parse(List<String> lines, String source) throws IOException {
        List<PinnedFile> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            String[] c = line.split("\t", -1);
            if (c.length != 6) {
                throw new IOException(where + ": expected 6 tab-separated columns, got " + c.length);
            }
            if (!SEGMENT.matcher(c[0]).matches()) {
                throw new IOException(where + ": bad model name '" + c[0] + "'");
            }
            if (!REPO.matcher(c[1]).matches() || c[1].contains("..")) {
                throw new IOException(where + ": bad repository '" + c[1] + "' (expected owner/name)");
            }
            if (!SEGMENT.matcher(c[2]).matches()) {
                throw new IOException(where + ": bad revision '" + c[2] + "'");
            }
            if (!safePath(c[3])) {
                throw new IOException(where + ": bad path '" + c[3] + "' (relative, no '..')");
            }
            long bytes;
            if (c[4].equals("-")) {
                bytes = -1;
            } else {
                try {
                    bytes = Long.parseLong(c[4]);
                } catch (NumberFormatException e) {
                    bytes = -2;
                }
                if (bytes < 0) {
                    throw new IOException(where + ": bad size '" + c[4] + "' (bytes, or -)");
                }
            }
            String sha = c[5].equals("-") ? null : c[5].toLowerCase(Locale.ROOT);
            if (sha != null && !SHA256.matcher(sha).matches()) {
                throw new IOException(where + ": bad SHA-256 '" + c[5] + "' (64 hex digits, or -)");
            }
            rows.add(new PinnedFile(c[0], c[1], c[2], c[3], bytes, sha));
        }
        return rows;
    }

    private static boolean safePath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals("..") || segment.equals(".")) {
                return false;
            }
        }
        return true;
    }

    /**
     * The int8 build of this CPU as the models name it: {@code avx2} on x86-64, {@code arm64} on aarch64, empty on
     * other CPUs (no int8 build is published for them).
     *
     * @param osArch the JVM's {@code os.arch}
     */
    static Optional<String> int8Build(String osArch) {
        String a = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        if (a.equals("amd64") || a.equals("x86_64") || a.equals("x86-64")) {
            return Optional.of("avx2");
        }
        if (a.equals("aarch64") || a.equals("arm64")) {
            return Optional.of("arm64");
        }
        return Optional.empty();
    }

    /**
     * The files of a model's int8 build for this CPU: {@code tokenizer.json} and {@code
     * onnx/model_qint8_<build>.onnx}, both with a known size and checksum.
     *
     * @param osArch the JVM's {@code os.arch}
     * @throws IOException saying what is missing (a CPU without an int8 build, a file the table lacks or does not
     *     pin)
     */
    static List<PinnedFile> int8Files(List<PinnedFile> table, String model, String osArch) throws IOException {
        String build = int8Build(osArch)
                .orElseThrow(() -> new IOException("no int8 build of " + model + " for this CPU (os.arch " + osArch
                        + "; published: x86-64 avx2, aarch64 arm64)"));
        List<PinnedFile> files = new ArrayList<>();
        for (String path : List.of("tokenizer.json", "onnx/model_qint8_" + build + ".onnx")) {
            PinnedFile f = table.stream()
                    .filter(r -> r.model().equals(model) && r.path().equals(path))
                    .findFirst()
                    .orElseThrow(() -> new IOException(TABLE + " has no " + path + " of " + model));
            if (!f.pinned()) {
                throw new IOException(TABLE + " has no size and SHA-256 for " + path + " of " + model);
            }
            files.add(f);
        }
        return files;
    }
}
