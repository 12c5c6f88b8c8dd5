package io.github.jareranker.solrmodule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.testing.SolrRuntime;
import io.github.jareranker.testing.TestModels;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.solr.client.api.util.SolrVersion;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged Solr module of the running Solr major ({@code solr-plugin/target/ja-reranker-module-solr9/modules/ja-reranker},
 * {@code solr10/solr-plugin/target/ja-reranker-module-solr10/...}) is
 * all a Solr node needs: installed as {@code $SOLR_TIP/modules/ja-reranker} and enabled with {@code
 * -Dsolr.modules=ja-reranker} (what {@code SOLR_MODULES=ja-reranker} becomes in bin/solr), Solr
 * loads the plugin from it and reranks with it.
 *
 * <p>A Solr binary distribution is emulated by a child JVM ({@link SolrModuleChild}) whose
 * classpath is this test's classpath minus everything of ja-reranker, everything the module bundles
 * or must bundle (so a class missing from the module's {@code lib/} fails the core load instead of
 * being found elsewhere), and the command line's own non-Solr libraries. {@code solr.install.dir} is a temporary
 * directory holding only {@code modules/ja-reranker} copied from the assembly.
 *
 * <p>Lives in the cli module because its tests run after solr-plugin is packaged in the reactor.
 */
class SolrModuleInstallTest {
    private static final long TIMEOUT_SECONDS = 120;

    /**
     * File-name prefixes of what the module must bring itself (the plugin's runtime dependencies that
     * Solr does not ship). Removed from the child classpath whether or not lib/ holds them, so that a
     * jar missing from lib/ fails the test instead of being found on the classpath.
     */
    private static final List<String> MODULE_DEPENDENCIES =
            List.of("ja-reranker-", "onnxruntime", "tokenizers-", "gson-", "jna-", "commons-compress-");

    /**
     * File-name prefixes of libraries on this test classpath that a Solr node does not ship and the
     * module does not need: the command line's own (picocli; lz4-java comes with the evaluation
     * module) and the test frameworks of this JVM.
     */
    private static final List<String> NOT_IN_SOLR = List.of(
            "picocli-",
            "lz4-java-",
            "junit-jupiter",
            "junit-platform-",
            "opentest4j-",
            "apiguardian-api-",
            "assertj-core-",
            "byte-buddy-");

    @TempDir
    Path tmp;

    @Test
    void moduleFolderAloneEnablesThePlugin() throws Exception {
        Path root = TestModels.repoRoot();
        // Each Solr major has its own module folder, named for it (docs/solr.md): this test checks the one built for
        // the Solr it runs on.
        int major = SolrVersion.LATEST.getMajorVersion();
        Path moduleDir = root.resolve(
                major >= 10
                        ? "solr10/solr-plugin/target/ja-reranker-module-solr10/modules/ja-reranker"
                        : "solr-plugin/target/ja-reranker-module-solr9/modules/ja-reranker");
        Path lib = moduleDir.resolve("lib");
        if (!Files.isDirectory(lib)) {
            fail("the packaged Solr module is missing: " + lib + "\nbuild it first: run `mvn -B verify` from the"
                    + " checkout root, or `mvn -B -pl solr-plugin -am package -DskipTests`");
        }
        Set<String> moduleJars;
        try (Stream<Path> s = Files.list(lib)) {
            moduleJars = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jar"))
                    .collect(Collectors.toSet());
        }
        // The plugin's runtime dependencies that Solr lacks. gson, jna and commons-compress (DJL's
        // dependencies) are not reached by the request below, so only this listing guards them.
        for (String required : List.of(
                major >= 10 ? "ja-reranker-solr10-" : "ja-reranker-solr-",
                major >= 10 ? "ja-reranker-lucene10-" : "ja-reranker-lucene-",
                "ja-reranker-engine-",
                "onnxruntime-",
                "tokenizers-",
                "api-",
                "gson-",
                "jna-",
                "commons-compress-")) {
            assertThat(moduleJars).as("jars in " + lib).anyMatch(n -> n.startsWith(required));
        }
        // What Solr ships must not come twice.
        assertThat(moduleJars)
                .as("jars in " + lib)
                .noneMatch(n -> n.startsWith("lucene-")
                        || n.startsWith("jackson-")
                        || n.startsWith("slf4j-")
                        || n.startsWith("commons-io-")
                        || n.startsWith("commons-codec-"));

        // $SOLR_TIP with nothing but the module copied in, as docs/solr.md's install step does.
        Path installDir = tmp.resolve("solr-tip");
        // The folder's contents are checked above on both majors; starting a Solr node needs one that can start.
        SolrRuntime.assumeCanStart();
        SolrModuleChild.copyTree(moduleDir, installDir.resolve("modules/ja-reranker"));
        Path solrHome = Files.createDirectories(tmp.resolve("solr-home"));

        List<String> removed = new ArrayList<>();
        List<String> cp = childClasspath(root, moduleJars, removed);
        assertThat(removed).as("removed from the child classpath").anyMatch(e -> e.contains("onnxruntime"));
        assertThat(cp).as("child classpath").noneMatch(e -> e.contains("jareranker") || e.contains("ja-reranker"));

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Djava.io.tmpdir=" + Files.createDirectories(tmp.resolve("java-tmp")));
        cmd.add("-Djava.awt.headless=true");
        // Native libraries are extracted afresh from the module's jars (ONNX Runtime: java.io.tmpdir; DJL:
        // ja-reranker.native.cache). DJL's offline and no-telemetry settings are left to the plugin, which
        // sets them itself as it does in a real Solr.
        cmd.add("-Dja-reranker.native.cache=" + tmp.resolve("djl-cache"));
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.solr.core.NodeConfig=info");
        cmd.add("-Dsolr.install.dir=" + installDir);
        cmd.add("-Dsolr.modules=ja-reranker");
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, cp));
        cmd.add(SolrModuleChild.class.getName());
        cmd.add(solrHome.toString());
        cmd.add(root.resolve("example-configset/conf").toString());
        cmd.add(TestModels.testModel().toString());

        Path out = tmp.resolve("child.out");
        Path err = tmp.resolve("child.err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        for (String var :
                List.of("OPT_OUT_TRACKING", "DJL_OFFLINE", "ENGINE_CACHE_DIR", "DJL_CACHE_DIR", "SOLR_MODULES")) {
            pb.environment().remove(var);
        }
        Process child = pb.start();
        boolean done;
        try {
            done = child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            if (child.isAlive()) {
                child.descendants().forEach(ProcessHandle::destroyForcibly);
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        String report =
                "child JVM (Solr with solr.modules=ja-reranker)\n--- stdout ---\n" + stdout + "\n--- stderr ---\n"
                        + tail(stderr, 20_000) + "\n--- removed from its classpath ---\n" + String.join("\n", removed);
        assertThat(done).as("finished within %d s\n%s", TIMEOUT_SECONDS, report).isTrue();
        assertThat(child.exitValue()).as(report).isZero();

        // The plugin class came from the installed module, not from anywhere else.
        String plugin = line(stdout, "PLUGIN ", report);
        Path pluginJar = Path.of(URI.create(plugin)).toRealPath();
        assertThat(pluginJar)
                .as(report)
                .startsWith(installDir.resolve("modules/ja-reranker/lib").toRealPath());
        assertThat(pluginJar.getFileName().toString()).as(report).startsWith("ja-reranker-solr-");

        // DJL's native tokenizer was extracted from the module's tokenizers jar into the chosen cache.
        try (Stream<Path> s = Files.walk(tmp.resolve("djl-cache"))) {
            assertThat(s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .as("files in ja-reranker.native.cache\n" + report)
                    .anyMatch(n -> n.contains("tokenizers"));
        }

        JsonNode rsp = new ObjectMapper().readTree(line(stdout, "RESULT ", report));
        JsonNode docs = rsp.path("response").path("docs");
        assertThat(rsp.path("response").path("numFound").asInt()).as(report).isGreaterThanOrEqualTo(2);
        assertThat(rsp.path("responseHeader").path("partialResults").asBoolean(false))
                .as(report)
                .isFalse();
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode d : docs) {
            JsonNode model = d.get("[jarerank]");
            assertThat(model)
                    .as("model score of %s\n%s", d.path("id").asText(), report)
                    .isNotNull();
            assertThat(model.isNumber()).as(report).isTrue();
            // sigmoid activation, reRankOperator=replace, weight 1: the score is the model score in 0..1.
            assertThat(model.asDouble()).as(report).isBetween(0.0, 1.0);
            assertThat(d.path("score").asDouble()).as(report).isCloseTo(model.asDouble(), Offset.offset(1e-5));
            assertThat(d.path("score").asDouble())
                    .as("sorted by score\n" + report)
                    .isLessThanOrEqualTo(previous);
            previous = d.path("score").asDouble();
        }
    }

    /**
     * This JVM's test classpath without: ja-reranker's own classes and jars (any reactor {@code
     * target/} directory or {@code ja-reranker-*} jar), every jar the module bundles (by file name),
     * {@link #MODULE_DEPENDENCIES} (and DJL, by its Maven group directory) and {@link #NOT_IN_SOLR}; plus a directory
     * holding only {@link SolrModuleChild}.
     */
    private List<String> childClasspath(Path root, Set<String> moduleJars, List<String> removed) throws IOException {
        String testCp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cp = new ArrayList<>();
        for (String entry : testCp.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry).toAbsolutePath().normalize();
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            boolean ours = p.startsWith(root) || name.startsWith("ja-reranker-");
            boolean bundled = moduleJars.contains(name)
                    || MODULE_DEPENDENCIES.stream().anyMatch(name::startsWith)
                    || p.toString().replace(File.separatorChar, '/').contains("/ai/djl/");
            boolean notInSolr = NOT_IN_SOLR.stream().anyMatch(name::startsWith);
            if (ours || bundled || notInSolr) {
                removed.add(entry);
            } else {
                cp.add(entry);
            }
        }
        // The child's main class (and any nested class) alone, copied out of test-classes, which also
        // holds the cli's tests.
        Path launcher = tmp.resolve("launcher");
        String pkg = SolrModuleChild.class.getPackageName().replace('.', '/');
        Path classes;
        try {
            classes = Path.of(SolrModuleChild.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Path dstDir = Files.createDirectories(launcher.resolve(pkg));
        String simple = SolrModuleChild.class.getSimpleName();
        try (Stream<Path> s = Files.list(classes.resolve(pkg))) {
            for (Path f : (Iterable<Path>) s::iterator) {
                String n = f.getFileName().toString();
                if (n.equals(simple + ".class") || n.startsWith(simple + "$")) {
                    Files.copy(f, dstDir.resolve(n));
                }
            }
        }
        assertThat(dstDir.resolve(simple + ".class")).exists();
        cp.add(launcher.toString());
        return cp;
    }

    private static String line(String stdout, String prefix, String report) {
        return stdout.lines()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no '" + prefix.trim() + "' line\n" + report));
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "...\n" + s.substring(s.length() - max);
    }
}
