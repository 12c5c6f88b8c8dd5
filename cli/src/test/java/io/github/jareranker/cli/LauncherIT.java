package io.github.jareranker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jareranker.testing.TestModels;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * bin/ja-reranker's launcher (run by failsafe after the CLI jar is packaged): {@code java -jar} on the CLI jar, whose
 * manifest names every runtime jar (copied to {@code target/lib}), so {@code java.class.path} is that one jar however many the CLI needs. ONNX Runtime
 * Java 1.29.0 crashes the JVM (SIGSEGV, exit 139) once {@code java.class.path} passes about 3,900 characters, which the
 * CLI's own -cp did (docs/reliability.md); these tests fail if the launcher goes back to a long -cp.
 */
class LauncherIT {
    /** Where java.class.path became fatal with ONNX Runtime Java 1.29.0 (measured, docs/reliability.md). */
    private static final int CRASH_THRESHOLD = 3_900;

    private static final Pattern CLASS_PATH = Pattern.compile("(?m)^\\s*java\\.class\\.path = (.*)$");

    private static Path cliJar() {
        return Path.of(System.getProperty("launcher.jar"));
    }

    @Test
    void theManifestCarriesAClassPathThatWouldBeTooLongOnTheCommandLine() throws IOException {
        try (JarFile jar = new JarFile(cliJar().toFile())) {
            String main = jar.getManifest().getMainAttributes().getValue("Main-Class");
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            assertThat(main).isEqualTo(Main.class.getName());
            List<String> entries = List.of(classPath.trim().split(" +"));
            Path dir = cliJar().getParent();
            assertThat(entries).hasSizeGreaterThan(50);
            assertThat(entries)
                    .allSatisfy(
                            e -> assertThat(dir.resolve(e)).as("manifest entry").isRegularFile());
            assertThat(entries).anyMatch(e -> e.contains("onnxruntime-"));
            assertThat(entries.stream()
                            .map(e -> dir.resolve(e).toAbsolutePath().toString())
                            .reduce((a, b) -> a + File.pathSeparator + b)
                            .orElseThrow()
                            .length())
                    .as("the same jars as a -cp")
                    .isGreaterThan(CRASH_THRESHOLD);
        }
    }

    @Test
    void binJaRerankerStartsTheCliWithOneEntryOnTheClassPath() throws Exception {
        Path root = TestModels.repoRoot();
        ProcessBuilder pb = new ProcessBuilder(
                        "bash",
                        root.resolve("bin/ja-reranker").toString(),
                        "--solr-version",
                        String.valueOf(SolrMajor.RUNNING),
                        "--version")
                .redirectErrorStream(true);
        pb.environment().put("JA_RERANKER_JAVA_OPTS", "-XshowSettings:properties");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("ja-reranker 0.1.0");
        Matcher m = CLASS_PATH.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        String classPath = m.group(1).trim();
        assertThat(classPath).doesNotContain(File.pathSeparator).endsWith(".jar");
        assertThat(classPath.length()).isLessThan(CRASH_THRESHOLD);
    }
}
