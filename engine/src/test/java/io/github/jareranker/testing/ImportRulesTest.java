package io.github.jareranker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The allowed import directions of docs/architecture.md, checked on the main sources of every module (both Solr
 * majors' folders included): each rule names a source folder and the packages its files must not import. Maven's
 * module graph already stops a module from importing a module it does not depend on; these rules add what the graph
 * allows but the design does not (the engine's freedom from Lucene and Solr, the plugin's from the client package).
 */
class ImportRulesTest {
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?([\\w.]+)");

    /** Source folder (relative to the repository root) -> import prefixes its files must not use. */
    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "engine/src/main/java",
            List.of(
                    "org.apache.lucene",
                    "org.apache.solr",
                    "io.github.jareranker.lucene",
                    "io.github.jareranker.solr",
                    "io.github.jareranker.passage",
                    "io.github.jareranker.cli",
                    "io.github.jareranker.evaluation"),
            // The graph rewriting is a library beneath the engine: it knows ONNX protobuf, not the engine.
            "optimizer/src/main/java",
            List.of(
                    "io.github.jareranker.encoder",
                    "io.github.jareranker.passage",
                    "org.apache.lucene",
                    "org.apache.solr",
                    "io.github.jareranker.lucene",
                    "io.github.jareranker.solr",
                    "io.github.jareranker.cli",
                    "io.github.jareranker.evaluation"),
            "lucene-rescorer/src/main/java",
            List.of(
                    "org.apache.solr",
                    "io.github.jareranker.solr",
                    "io.github.jareranker.cli",
                    "io.github.jareranker.evaluation",
                    "io.github.jareranker.optimizer"),
            "evaluation/src/main/java",
            List.of("org.apache.solr", "io.github.jareranker.solr", "io.github.jareranker.cli"),
            "solr-plugin/src/main/java/io/github/jareranker/solr",
            List.of("io.github.jareranker.cli", "io.github.jareranker.evaluation", "io.github.jareranker.optimizer"),
            "solr-plugin/src/solr9/java",
            List.of("io.github.jareranker.cli", "io.github.jareranker.evaluation"),
            "solr-plugin/src/solr10/java",
            List.of("io.github.jareranker.cli", "io.github.jareranker.evaluation"));

    @Test
    void everyMainSourceImportsOnlyWhatItsLayerMay() throws IOException {
        Path root = TestModels.repoRoot();
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (Map.Entry<String, List<String>> rule : FORBIDDEN.entrySet()) {
            Path dir = root.resolve(rule.getKey());
            assertThat(dir).as("a source folder named in the rules").isDirectory();
            List<Path> sources;
            try (Stream<Path> s = Files.walk(dir)) {
                sources = s.filter(p -> p.toString().endsWith(".java")).toList();
            }
            for (Path file : sources) {
                files++;
                Matcher m = IMPORT.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    String imported = m.group(1);
                    for (String forbidden : rule.getValue()) {
                        if (imported.equals(forbidden) || imported.startsWith(forbidden + ".")) {
                            violations.add(root.relativize(file) + " imports " + imported);
                        }
                    }
                }
            }
        }
        assertThat(files).as("files checked").isGreaterThan(100);
        assertThat(violations).isEmpty();
    }

    /** A class named inline by its package ({@code java.util.Map}, {@code com.google...}) in code, not an import. */
    private static final Pattern INLINE_NAME =
            Pattern.compile("(?<![\\w.\"])(?:java|javax|jakarta|org|com|io|ai)\\.(?:[a-z][a-z0-9]*\\.)+[A-Z]\\w*");

    /**
     * Classes are imported, not named inline by their package (the formatter cannot catch that). Comments, javadoc
     * and strings may name them.
     */
    @Test
    void mainCodeNamesClassesThroughImports() throws IOException {
        Path root = TestModels.repoRoot();
        List<String> inline = new ArrayList<>();
        for (String module :
                List.of("engine", "lucene-rescorer", "solr-plugin", "evaluation", "optimizer", "cli", "benchmarks")) {
            List<Path> sources;
            try (Stream<Path> s = Files.walk(root.resolve(module).resolve("src"))) {
                sources = s.filter(p ->
                                p.toString().endsWith(".java") && !p.toString().contains("/src/test/"))
                        .toList();
            }
            for (Path file : sources) {
                boolean inComment = false;
                int n = 0;
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    n++;
                    String t = line.strip();
                    if (t.startsWith("/*")) {
                        inComment = true;
                    }
                    boolean skip = inComment
                            || t.startsWith("*")
                            || t.startsWith("//")
                            || t.startsWith("import ")
                            || t.startsWith("package ");
                    if (t.contains("*/")) {
                        inComment = false;
                    }
                    if (skip) {
                        continue;
                    }
                    Matcher m = INLINE_NAME.matcher(line);
                    while (m.find()) {
                        if (line.substring(0, m.start())
                                                .chars()
                                                .filter(c -> c == '"')
                                                .count()
                                        % 2
                                == 0) {
                            inline.add(root.relativize(file) + ":" + n + ": " + m.group());
                        }
                    }
                }
            }
        }
        assertThat(inline).isEmpty();
    }

    @Test
    void thePluginPackageDoesNotImportItsClientPackage() throws IOException {
        Path dir = TestModels.repoRoot().resolve("solr-plugin/src/main/java/io/github/jareranker/solr");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path file : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(file, StandardCharsets.UTF_8)
                        .contains("import io.github.jareranker.solr.client.")) {
                    violations.add(file.getFileName().toString());
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
