package io.github.jareranker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.jareranker.evaluation.longpages.LongPageSet;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.solr.common.SolrInputDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of {@code bench-ab} that decide what is compared and how: which jars go to the node and which to a core,
 * the node's launcher jar, the alternation and the ratios (BenchAbIT runs the command end to end on the packaged CLI).
 */
class BenchAbCommandTest {
    @TempDir
    Path dir;

    @Test
    void theManifestsJarsSplitIntoTheProjectsAndTheThirdPartyOnes() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        for (String name :
                List.of("ja-reranker-engine-0.1.jar", "onnxruntime-1.23.2.jar", "ja-reranker-solr-0.1.jar")) {
            Files.writeString(lib.resolve(name), "x");
        }
        Path cli = jarWithClassPath(
                dir.resolve("cli.jar"),
                "lib/ja-reranker-engine-0.1.jar lib/onnxruntime-1.23.2.jar lib/ja-reranker-solr-0.1.jar");

        RuntimeJars jars = RuntimeJars.fromManifest(cli);

        assertThat(jars.cliJar()).isEqualTo(cli.toAbsolutePath());
        assertThat(jars.project())
                .containsExactly(lib.resolve("ja-reranker-engine-0.1.jar"), lib.resolve("ja-reranker-solr-0.1.jar"));
        assertThat(jars.thirdParty()).containsExactly(lib.resolve("onnxruntime-1.23.2.jar"));
    }

    @Test
    void aManifestEntryThatIsMissingIsNamed() throws IOException {
        Path cli = jarWithClassPath(dir.resolve("cli.jar"), "lib/gone-1.0.jar");
        assertThatThrownBy(() -> RuntimeJars.fromManifest(cli))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("lib/gone-1.0.jar");
    }

    @Test
    void theNodesLauncherJarNamesTheNodeAndEveryJarByAbsoluteUri() throws IOException {
        Path a = Files.writeString(dir.resolve("a b.jar"), "x");
        Path b = Files.writeString(dir.resolve("c.jar"), "x");

        Path launcher = AbNodeProcess.manifestJar(dir.resolve("node.jar"), List.of(a, b));

        try (JarFile jar = new JarFile(launcher.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue(Attributes.Name.MAIN_CLASS)).isEqualTo(AbSolrNode.class.getName());
            assertThat(main.getValue(Attributes.Name.CLASS_PATH).split(" "))
                    .containsExactly(a.toUri().toString(), b.toUri().toString());
            assertThat(main.getValue(Attributes.Name.CLASS_PATH)).contains("a%20b.jar");
        }
    }

    @Test
    void aJarNamingOtherJarsReachesTheNodeWithoutThem() throws IOException {
        // The CLI jar's manifest names the plugin's jars: on the node's class path it would pull them in too, and
        // both cores would then run this build's plugin (their class loaders ask the node's first).
        Path cli = jarWithClassPath(dir.resolve("cli.jar"), "lib/ja-reranker-solr-0.1.jar", "io/x/Node.class");
        Path plain = jarWithClassPath(dir.resolve("plain.jar"), null);
        Path work = Files.createDirectories(dir.resolve("work"));

        List<Path> nodePath = AbNodeProcess.withoutManifestClassPaths(List.of(cli, plain), work);

        assertThat(nodePath).hasSize(2);
        assertThat(nodePath.get(1)).isEqualTo(plain);
        assertThat(nodePath.get(0).getParent()).isEqualTo(work);
        try (JarFile copy = new JarFile(nodePath.get(0).toFile())) {
            assertThat(copy.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH))
                    .isNull();
            assertThat(copy.getManifest().getMainAttributes().getValue(Attributes.Name.MANIFEST_VERSION))
                    .isEqualTo("1.0");
            assertThat(new String(copy.getInputStream(copy.getEntry("io/x/Node.class"))
                            .readAllBytes()))
                    .isEqualTo("class bytes of io/x/Node.class");
        }
    }

    @Test
    void eachPageIsIndexedAsManyTimesAsAskedUnderIdsOfItsOwn() {
        List<LongPageSet.Page> pages = List.of(
                new LongPageSet.Page("p1", "題1", "本文1", List.of("a")),
                new LongPageSet.Page("p2", "題2", "本文2", List.of("b")));

        List<SolrInputDocument> docs = BenchAbCommand.documents(pages, 3);

        assertThat(docs.stream().map(d -> d.getFieldValue("id")))
                .containsExactly("p1", "p2", "p1#2", "p2#2", "p1#3", "p2#3");
        assertThat(docs.get(4).getFieldValue("title")).isEqualTo("題1");
        assertThat(docs.get(5).getFieldValue("body")).isEqualTo("本文2");
    }

    @Test
    void theCoreAskedFirstAlternatesQuestionByQuestion() {
        assertThat(List.of(0, 1, 2, 3).stream().map(BenchAbCommand.AbRun::firstCore))
                .containsExactly(
                        BenchAbCommand.BASELINE,
                        BenchAbCommand.CURRENT,
                        BenchAbCommand.BASELINE,
                        BenchAbCommand.CURRENT);
    }

    @Test
    void theRatiosSayHowManyTimesFasterTheCurrentBuildIs() {
        // Per question baseline/current: 2, 2, 1, 0.5 -> median 1.5, quartiles 0.875 and 2.
        double[] baseline = {100, 200, 300, 100};
        double[] current = {50, 100, 300, 200};

        BenchAbCommand.AbRun.Comparison c = BenchAbCommand.AbRun.Comparison.of(baseline, current);

        assertThat(c.p50Ratio()).isCloseTo(150.0 / 150.0, within(1e-12));
        assertThat(c.meanRatio()).isCloseTo(175.0 / 162.5, within(1e-12));
        assertThat(c.pairedMedian()).isCloseTo(1.5, within(1e-12));
        assertThat(c.pairedP25()).isCloseTo(0.875, within(1e-12));
        assertThat(c.pairedP75()).isCloseTo(2.0, within(1e-12));
        assertThat(c.currentFasterShare()).isEqualTo(0.5);
    }

    @Test
    void unpairedSamplesAreRefused() {
        assertThatThrownBy(() -> BenchAbCommand.AbRun.Comparison.of(new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("paired");
    }

    /** A jar whose manifest has {@code classPath} (none if null) and an entry per name in {@code entries}. */
    private static Path jarWithClassPath(Path file, String classPath, String... entries) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream out = Files.newOutputStream(file);
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (String entry : entries) {
                jar.putNextEntry(new JarEntry(entry));
                jar.write(("class bytes of " + entry).getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        return file;
    }
}
