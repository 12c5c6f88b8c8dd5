package io.github.jareranker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.jareranker.cli.FakeHub.Behaviour;
import io.github.jareranker.cli.ModelCatalog.PinnedFile;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModelDownload} against {@link FakeHub}, a local server with the hub's layout: every way a download can fail
 * leaves neither the model directory nor a temporary file, and says why in one line; and {@link ModelCatalog}'s
 * reading of models/pins.tsv.
 */
class ModelDownloadTest {
    private static final String TOKENIZER = "tokenizer.json";
    private static final String ONNX = "onnx/model_qint8_avx2.onnx";
    private static final String TOKENIZER_TEXT = "{\"model\": {\"type\": \"Unigram\"}}";

    @TempDir
    Path tmp;

    private FakeHub hub;
    private Path models;
    private Path target;

    @BeforeEach
    void start() throws IOException {
        byte[] onnx = new byte[200_000];
        new Random(19).nextBytes(onnx);
        hub = new FakeHub()
                .file(TOKENIZER, TOKENIZER_TEXT.getBytes(StandardCharsets.UTF_8))
                .file(ONNX, onnx);
        models = Files.createDirectories(tmp.resolve("models"));
        target = models.resolve(ModelCatalog.DEMO_MODEL);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    /** Short limits, so that the timeout tests take a second or two. */
    private ModelDownload download() {
        return new ModelDownload(hub.uri(), Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofSeconds(3));
    }

    private List<PinnedFile> pins() {
        return List.of(hub.pin(TOKENIZER), hub.pin(ONNX));
    }

    /** The download fails with a reason containing {@code expected}, within {@code limit}, leaving nothing. */
    private String fails(ModelDownload d, List<PinnedFile> files, Duration limit, String... expected)
            throws IOException {
        long start = System.nanoTime();
        ModelDownload.Failure f =
                catchThrowableOfType(() -> d.download(files, target, null), ModelDownload.Failure.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(f).as("the download should have failed").isNotNull();
        assertThat(f.getMessage()).doesNotContain("\n");
        if (expected.length > 0) {
            assertThat(f.getMessage()).contains(expected);
        }
        assertThat(took).as(f.getMessage()).isLessThan(limit);
        assertNothingLeft();
        return f.getMessage();
    }

    private void assertNothingLeft() throws IOException {
        try (Stream<Path> s = Files.list(models)) {
            assertThat(s.toList())
                    .as("model directory or temporary files left in " + models)
                    .isEmpty();
        }
    }

    @Test
    void downloadsThroughTheRedirectAndVerifies() throws Exception {
        List<Long> progress = new ArrayList<>();
        download().download(pins(), target, progress::add);
        assertThat(target.resolve(TOKENIZER)).hasContent(TOKENIZER_TEXT);
        assertThat(Files.readAllBytes(target.resolve(ONNX))).hasSize(200_000);
        assertThat(FakeHub.sha256(Files.readAllBytes(target.resolve(ONNX))))
                .isEqualTo(hub.pin(ONNX).sha256());
        // Only the model directory: the staging directory was renamed to it.
        try (Stream<Path> s = Files.list(models)) {
            assertThat(s.toList()).containsExactly(target);
        }
        // Each file asked once at /resolve/ and once at the CDN it redirects to.
        assertThat(hub.requests.get()).isEqualTo(4);
        assertThat(progress).isNotEmpty().isSorted();
        assertThat(progress.get(progress.size() - 1))
                .isEqualTo(pins().stream().mapToLong(PinnedFile::bytes).sum());
        // And ModelChoice takes it as a real model.
        ModelChoice chosen = ModelChoice.choose(tmp, null, null);
        assertThat(chosen.dir()).isEqualTo(target.toAbsolutePath().normalize());
        assertThat(chosen.randomWeights()).isFalse();
    }

    @Test
    void notFoundSaysHttp404AndRemovesWhatCameBefore() throws Exception {
        hub.behave(ONNX, Behaviour.NOT_FOUND);
        // tokenizer.json arrived first; it is deleted with the rest.
        fails(download(), pins(), Duration.ofSeconds(2), "HTTP 404", ONNX);
    }

    @Test
    void aServerThatStallsMidBodyIsGivenUpOnAfterTheStallTimeout() throws Exception {
        hub.behave(ONNX, Behaviour.STALL_MID_BODY);
        fails(download(), pins(), Duration.ofMillis(3000), "timed out", "no data", "100000 of 200000 bytes");
    }

    @Test
    void aServerThatNeverAnswersIsGivenUpOnAfterTheStallTimeout() throws Exception {
        hub.behave(TOKENIZER, Behaviour.STALL_BEFORE_HEADERS);
        fails(download(), pins(), Duration.ofMillis(3000), "timed out", "no answer");
    }

    @Test
    void aTrickleIsGivenUpOnAtTheDeadline() throws Exception {
        hub.behave(ONNX, Behaviour.TRICKLE);
        // Never idle for the stall timeout, so the 3 s deadline stops it.
        fails(download(), pins(), Duration.ofMillis(4500), "timed out", ONNX, "not done within 3 s");
    }

    @Test
    void aWrongSizeIsRefused() throws Exception {
        PinnedFile p = hub.pin(ONNX);
        PinnedFile bigger = new PinnedFile(p.model(), p.repo(), p.revision(), p.path(), p.bytes() + 1, p.sha256());
        fails(download(), List.of(hub.pin(TOKENIZER), bigger), Duration.ofSeconds(2), "size mismatch", ONNX);
        PinnedFile smaller = new PinnedFile(p.model(), p.repo(), p.revision(), p.path(), p.bytes() - 1, p.sha256());
        fails(download(), List.of(smaller), Duration.ofSeconds(2), "size mismatch", ONNX);
    }

    @Test
    void aWrongChecksumIsRefused() throws Exception {
        PinnedFile p = hub.pin(ONNX);
        String other = FakeHub.sha256(new byte[] {1});
        PinnedFile wrong = new PinnedFile(p.model(), p.repo(), p.revision(), p.path(), p.bytes(), other);
        String reason =
                fails(download(), List.of(hub.pin(TOKENIZER), wrong), Duration.ofSeconds(2), "SHA-256 mismatch");
        assertThat(reason).contains("expected " + other, "got " + p.sha256());
    }

    @Test
    void aTransferBrokenOffIsRefused() throws Exception {
        hub.behave(ONNX, Behaviour.BREAK_OFF);
        fails(download(), pins(), Duration.ofSeconds(2), "broke off", ONNX, "of 200000 bytes");
    }

    @Test
    void refusedConnectionsFailAtOnceAsOffline() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        // The demo's own limits: an offline machine must cost well under a second or two.
        ModelDownload d = new ModelDownload(
                URI.create("http://127.0.0.1:" + closedPort),
                ModelDownload.DEMO_CONNECT_TIMEOUT,
                ModelDownload.DEMO_STALL_TIMEOUT,
                ModelDownload.DEMO_DEADLINE);
        fails(d, pins(), Duration.ofMillis(1500), "offline: cannot connect to 127.0.0.1");
    }

    @Test
    void anUnknownHostFailsQuickly() throws Exception {
        ModelDownload d = new ModelDownload(
                URI.create("https://no-such-host.invalid"),
                ModelDownload.DEMO_CONNECT_TIMEOUT,
                Duration.ofSeconds(2),
                ModelDownload.DEMO_DEADLINE);
        // .invalid never resolves (RFC 6761); a resolver that cannot be reached at all is cut off by the stall timeout.
        String reason = fails(d, pins(), Duration.ofMillis(3000));
        assertThat(reason).containsAnyOf("offline: cannot resolve no-such-host.invalid", "timed out");
    }

    @Test
    void aStagingDirectoryLeftByAKilledDownloadIsNeverChosen() throws Exception {
        // As a kill -9 between the last byte and the rename would leave it: complete-looking, but not a model.
        Path staging = Files.createDirectories(models.resolve("." + ModelCatalog.DEMO_MODEL + ".download-1-2/onnx"));
        Files.writeString(staging.resolveSibling(TOKENIZER), TOKENIZER_TEXT);
        Files.write(staging.resolve("model_qint8_avx2.onnx"), new byte[10]);
        Path test = Files.createDirectories(models.resolve("test-model"));
        Files.writeString(test.resolve(TOKENIZER), TOKENIZER_TEXT);
        Files.write(test.resolve("model.onnx"), new byte[10]);
        ModelChoice chosen = ModelChoice.choose(tmp, null, null);
        assertThat(chosen.dir().getFileName()).hasToString("test-model");
        assertThat(chosen.randomWeights()).isTrue();
    }

    @Test
    void anExistingDirectoryIsLeftAlone() throws Exception {
        Files.createDirectories(target);
        Files.writeString(target.resolve(TOKENIZER), "mine");
        assertThatThrownBy(() -> download().download(pins(), target, null))
                .isInstanceOf(ModelDownload.Failure.class)
                .hasMessageContaining("exists but holds no usable model");
        assertThat(target.resolve(TOKENIZER)).hasContent("mine");
        assertThat(hub.requests.get()).isZero();
    }

    @Test
    void unpinnedFilesAreNeverDownloaded() {
        PinnedFile p = hub.pin(ONNX);
        PinnedFile unpinned = new PinnedFile(p.model(), p.repo(), p.revision(), p.path(), -1, null);
        assertThatThrownBy(() -> download().download(List.of(unpinned), target, null))
                .isInstanceOf(ModelDownload.Failure.class)
                .hasMessageContaining("no pinned size and SHA-256");
        assertThat(hub.requests.get()).isZero();
    }

    // ---------------------------------------------------------------- the pin table

    @Test
    void theCommittedTablePinsTinyV2ForBothCpus() throws IOException {
        List<PinnedFile> table = ModelCatalog.read(TestModels.repoRoot());
        for (String arch : new String[] {"amd64", "aarch64"}) {
            List<PinnedFile> files = ModelCatalog.int8Files(table, ModelCatalog.DEMO_MODEL, arch);
            assertThat(files).extracting(PinnedFile::path).first().isEqualTo(TOKENIZER);
            assertThat(files.get(1).path()).isEqualTo(arch.equals("amd64") ? ONNX : "onnx/model_qint8_arm64.onnx");
            assertThat(files).allMatch(PinnedFile::pinned);
            assertThat(files).allSatisfy(f -> assertThat(f.repo()).isEqualTo("hotchpotch/" + ModelCatalog.DEMO_MODEL));
        }
        assertThat(table.stream().filter(f -> f.path().equals(ONNX)).map(PinnedFile::sha256))
                .contains("649a18583e21ad532e420a4ded4c9c4ff7ce882aa84af2bf2180ec4d4f679e38");
        // xsmall's tokenizer is not pinned: the demo would refuse it.
        assertThatThrownBy(() -> ModelCatalog.int8Files(table, "japanese-reranker-xsmall-v2", "amd64"))
                .hasMessageContaining("no size and SHA-256 for tokenizer.json");
        assertThatThrownBy(() -> ModelCatalog.int8Files(table, ModelCatalog.DEMO_MODEL, "ppc64le"))
                .hasMessageContaining("no int8 build")
                .hasMessageContaining("ppc64le");
    }

    @Test
    void theDownloadUrlIsTheHubsResolveUrl() {
        PinnedFile f = new PinnedFile("m", "owner/m", "abc123", ONNX, 1, FakeHub.sha256(new byte[0]));
        assertThat(ModelDownload.forDemo().url(f))
                .hasToString("https://huggingface.co/owner/m/resolve/abc123/onnx/model_qint8_avx2.onnx");
        assertThat(new ModelDownload(URI.create("http://127.0.0.1:1/"), Duration.ZERO, Duration.ZERO, Duration.ZERO)
                        .url(f))
                .hasToString("http://127.0.0.1:1/owner/m/resolve/abc123/onnx/model_qint8_avx2.onnx");
    }

    @Test
    void badRowsAreRefusedNamingTheLine() {
        String ok = String.join("\t", "m", "owner/m", "abc", "tokenizer.json", "12", "-");
        for (String bad : new String[] {
            String.join("\t", "m", "owner/m", "abc", "../etc/passwd", "1", "-"),
            String.join("\t", "m", "owner/m", "abc", "/abs.onnx", "1", "-"),
            String.join("\t", "m", "owner/../m", "abc", "tokenizer.json", "1", "-"),
            String.join("\t", "m", "owner/m", "a b", "tokenizer.json", "1", "-"),
            String.join("\t", "m", "owner/m", "abc", "tokenizer.json", "x", "-"),
            String.join("\t", "m", "owner/m", "abc", "tokenizer.json", "1", "beef"),
            String.join("\t", "m", "owner/m", "abc", "tokenizer.json", "1"),
        }) {
            assertThatThrownBy(() -> ModelCatalog.parse(List.of("# c", ok, bad), "pins.tsv"))
                    .as(bad)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("pins.tsv line 3");
        }
    }
}
