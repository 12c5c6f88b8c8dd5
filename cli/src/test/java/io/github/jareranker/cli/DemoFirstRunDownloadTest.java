package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.jareranker.testing.SolrRuntime;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's first run without a real model: it downloads the pinned tiny-v2 ({@link FakeHub} plays the hub, serving
 * the committed test model's files under tiny-v2's names with pins computed here) and runs it; when the download
 * fails or {@code --no-download} is given it carries on with the test model as before. Each demo runs in a home of
 * its own (configset and test model copied, a {@code models/pins.tsv} for the fake files), never the checkout.
 */
class DemoFirstRunDownloadTest {
    @TempDir
    Path tmp;

    private Path home;
    private FakeHub hub;

    @BeforeEach
    void setUp() throws IOException {
        Path repo = TestModels.repoRoot();
        home = tmp.resolve("home");
        copy(repo.resolve("example-configset"), home.resolve("example-configset"));
        Path test = Files.createDirectories(home.resolve("models/test-model"));
        for (String f : new String[] {"tokenizer.json", "model.onnx", "config.json"}) {
            Files.copy(TestModels.testModel().resolve(f), test.resolve(f));
        }
        byte[] onnx = Files.readAllBytes(TestModels.testModel().resolve("model.onnx"));
        hub = new FakeHub()
                .file(
                        "tokenizer.json",
                        Files.readAllBytes(TestModels.testModel().resolve("tokenizer.json")))
                .file("onnx/model_qint8_avx2.onnx", onnx)
                .file("onnx/model_qint8_arm64.onnx", onnx);
        Files.writeString(home.resolve(ModelCatalog.TABLE), hub.pinTable(), StandardCharsets.UTF_8);
        System.setProperty("ja-reranker.home", home.toString());
        System.setProperty(ModelDownload.HUB_PROPERTY, hub.uri().toString());
        assertThat(repo.resolve("models/pins.tsv")).exists(); // the real table is the one the demo reads in use
    }

    @AfterEach
    void tearDown() {
        hub.close();
        for (String p : new String[] {
            "ja-reranker.home",
            ModelDownload.HUB_PROPERTY,
            "jareranker.model.dir",
            "jareranker.onnx.file",
            "host",
            "solr.log.dir",
            "solr.install.dir",
            "jareranker.workers"
        }) {
            System.clearProperty(p);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private Path downloaded() {
        return home.resolve("models").resolve(ModelCatalog.DEMO_MODEL);
    }

    @Test
    void firstRunDownloadsTheModelAndTheDemoRunsIt() {
        SolrRuntime.assumeCanStart();
        String[] r = run("demo", "--no-serve", "--port", "0", "--query", "粗大ごみを捨てたい");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1])
                .containsPattern(
                        "download: +no real model under models/: japanese-reranker-tiny-v2 \\(onnx/model_qint8_"
                                + "(avx2|arm64)\\.onnx, [0-9.]+ MB\\) from http://127\\.0\\.0\\.1:[0-9]+ "
                                + "(\\.+ )?done in [0-9.]+ s,"
                                + " sizes and SHA-256 verified; the demo uses it\n")
                .contains("model:     " + downloaded().toAbsolutePath().normalize())
                .doesNotContain("NOTICE")
                .contains("Query: 粗大ごみを捨てたい", "gomi-02");
        assertThat(downloaded().resolve("tokenizer.json")).exists();
        try (Stream<Path> s = Files.list(home.resolve("models"))) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("pins.tsv", "test-model", ModelCatalog.DEMO_MODEL);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void noDownloadKeepsTheTestModelWithoutAskingTheHub() {
        SolrRuntime.assumeCanStart();
        String[] r = run("demo", "--no-serve", "--no-download", "--port", "0", "--query", "粗大ごみを捨てたい");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1])
                .doesNotContain("download:")
                .contains("models/test-model", "NOTICE", "RANDOM")
                .contains("Query: 粗大ごみを捨てたい");
        assertThat(hub.requests.get()).isZero();
        assertThat(downloaded()).doesNotExist();
    }

    // ---------------------------------------------------------------- the attempt alone (no Solr)

    private String attempt(ModelDownload download, String osArch, ModelChoice[] chosen) throws IOException {
        ModelChoice fallback = ModelChoice.choose(home, null, null);
        assertThat(fallback.randomWeights()).isTrue();
        StringWriter out = new StringWriter();
        chosen[0] = new DemoCommand().firstRunDownload(home, new PrintWriter(out), fallback, download, osArch);
        return out.toString();
    }

    @Test
    void aFailedDownloadSaysWhyInOneLineAndFallsBack() throws IOException {
        hub.behave("tokenizer.json", FakeHub.Behaviour.NOT_FOUND);
        ModelChoice[] chosen = new ModelChoice[1];
        String out = attempt(ModelDownload.forDemo(), "amd64", chosen);
        assertThat(out.lines())
                .singleElement()
                .asString()
                .containsPattern("failed after [0-9.]+ s: HTTP 404 for http://127.0.0.1:");
        assertThat(out).endsWith("; using the test model (--no-download skips this attempt)\n");
        assertThat(chosen[0].dir()).endsWith(Path.of("models/test-model"));
        assertThat(chosen[0].randomWeights()).isTrue();
        assertThat(downloaded()).doesNotExist();
    }

    @Test
    void offlineCostsWellUnderASecond() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ModelDownload offline = new ModelDownload(
                URI.create("https://127.0.0.1:" + closedPort),
                ModelDownload.DEMO_CONNECT_TIMEOUT,
                ModelDownload.DEMO_STALL_TIMEOUT,
                ModelDownload.DEMO_DEADLINE);
        ModelChoice[] chosen = new ModelChoice[1];
        long start = System.nanoTime();
        String out = attempt(offline, "amd64", chosen);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as(out).isLessThan(Duration.ofSeconds(1));
        assertThat(out.lines())
                .singleElement()
                .asString()
                .containsPattern("failed after 0\\.[0-9] s: offline: cannot connect to 127.0.0.1");
        assertThat(chosen[0].randomWeights()).isTrue();
    }

    @Test
    void aCpuWithoutAnInt8BuildIsNotAsked() throws IOException {
        ModelChoice[] chosen = new ModelChoice[1];
        String out = attempt(ModelDownload.forDemo(), "ppc64le", chosen);
        assertThat(out.lines())
                .singleElement()
                .asString()
                .containsPattern("failed after [0-9.]+ s: no int8 build")
                .contains("ppc64le");
        assertThat(hub.requests.get()).isZero();
        assertThat(chosen[0].randomWeights()).isTrue();
    }
}
