package io.github.jareranker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.testing.SolrRuntime;
import io.github.jareranker.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench-ab} end to end on the packaged CLI (failsafe, after the jar is built): this build against itself (its
 * own plugin jars as the baseline's lib/, the example configset as the baseline's conf), on the committed JSQuAD slice
 * and the test model. The node must start both cores, each loading the plugin from its own lib/ folder, every answer
 * must be a complete rerank, and the two cores, running the same build, must answer the same top 10.
 */
class BenchAbIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aBuildAgainstItselfAnswersTheSameTopTenWithoutProblems() throws Exception {
        SolrRuntime.assumeCanStart();
        Path cliJar = Path.of(System.getProperty("launcher.jar"));
        Path root = TestModels.repoRoot();
        Path baselineLib = Files.createDirectories(dir.resolve("baseline-lib"));
        for (Path jar : RuntimeJars.fromManifest(cliJar).project()) {
            Files.copy(jar, baselineLib.resolve(jar.getFileName()));
        }
        Path out = dir.resolve("ab.json");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dja-reranker.home=" + root,
                "-jar",
                cliJar.toString(),
                "bench-ab",
                "--baseline-lib",
                baselineLib.toString(),
                "--baseline-conf",
                root.resolve("example-configset/conf").toString(),
                "--baseline-name",
                "self",
                "--model",
                TestModels.testModel().toString(),
                "--data",
                root.resolve("evaluation/data/jsquad/valid-v1.3-first5.json").toString(),
                "--more-pages",
                "none",
                "--queries",
                "2",
                "--warmup",
                "1",
                "--rerank-docs",
                "5",
                "--node-heap",
                "512m",
                "--out",
                out.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(printed).isZero();

        JsonNode result = JSON.readTree(out.toFile());
        assertThat(result.get("baseline").asText()).isEqualTo("self");
        assertThat(result.get("queries").asInt()).isEqualTo(2);
        assertThat(result.get("problems").asInt()).as(printed).isZero();
        assertThat(result.get("sameTop10").asInt()).as(printed).isEqualTo(2);
        assertThat(result.get("meanCandidates").asDouble()).isGreaterThan(1);
        for (String core : List.of(BenchAbCommand.BASELINE, BenchAbCommand.CURRENT)) {
            JsonNode build = result.get("builds").get(core);
            assertThat(build.get("latenciesMs")).hasSize(2);
            assertThat(build.get("p50Ms").asDouble()).isPositive();
        }
        assertThat(result.get("commit").asText()).isNotBlank();
        assertThat(printed).contains("this build is").contains("the baseline at p50");
    }
}
