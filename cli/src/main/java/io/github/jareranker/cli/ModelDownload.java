package io.github.jareranker.cli;

import io.github.jareranker.cli.ModelCatalog.PinnedFile;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Downloads pinned model files ({@link ModelCatalog}) from a Hugging Face hub into a model directory, all or
 * nothing: the files go into a hidden staging directory beside the target ({@code models/.NAME.download-PID-N}),
 * each is checked against its pinned size and SHA-256, and only when all match is the staging directory renamed to
 * the target in one atomic move. On any failure the staging directory is deleted (also on Ctrl-C, by a shutdown
 * hook), so no half-written model directory is ever left for {@link ModelChoice} to pick up.
 *
 * <p>Bounded in time so that the demo never hangs on a bad network: a connect timeout (refused connections and
 * unknown hosts fail at once), a stall timeout (no response or no bytes for that long) and a deadline for the whole
 * download. The body is pushed into the file by the HTTP client's own threads; when a limit passes, the exchange is
 * cancelled and the file closed, and the caller returns within the limit either way. Redirects are followed (the hub
 * answers {@code /resolve/} with a redirect to its CDN), except from https to http.
 */
final class ModelDownload {
    /** System property: the hub's base URL (tests point it at a local server). */
    static final String HUB_PROPERTY = "ja-reranker.hub";

    static final URI DEFAULT_HUB = URI.create("https://huggingface.co");

    /** The demo's limits: an offline machine costs nothing noticeable, a working one may take its time. */
    static final Duration DEMO_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    static final Duration DEMO_STALL_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEMO_DEADLINE = Duration.ofSeconds(120);

    private static final Duration POLL = Duration.ofMillis(250);

    private final URI hub;
    private final Duration connectTimeout;
    private final Duration stallTimeout;
    private final Duration deadline;

    /**
     * @param hub the hub's base URL; a file is fetched from {@code HUB/REPO/resolve/REVISION/PATH}
     * @param connectTimeout how long a TCP/TLS connection may take
     * @param stallTimeout how long the download may go without a response or a byte
     * @param deadline how long the whole download may take
     */
    ModelDownload(URI hub, Duration connectTimeout, Duration stallTimeout, Duration deadline) {
        String base = hub.toString();
        this.hub = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.connectTimeout = connectTimeout;
        this.stallTimeout = stallTimeout;
        this.deadline = deadline;
    }

    /**
     * The demo's download: the hub of {@value #HUB_PROPERTY} (default huggingface.co) with the demo's limits.
     *
     * @throws IllegalArgumentException when the property is not a URL
     */
    static ModelDownload forDemo() {
        String hub = System.getProperty(HUB_PROPERTY);
        return new ModelDownload(
                hub == null || hub.isBlank() ? DEFAULT_HUB : URI.create(hub.trim()),
                DEMO_CONNECT_TIMEOUT,
                DEMO_STALL_TIMEOUT,
                DEMO_DEADLINE);
    }

    URI hub() {
        return hub;
    }

    /** Where a file is fetched from. */
    URI url(PinnedFile f) {
        return URI.create(hub + "/" + f.repo() + "/resolve/" + f.revision() + "/" + f.path());
    }

    /** Why a download failed, in one line (offline, HTTP 404, timed out, size or SHA-256 mismatch, ...). */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String reason) {
            super(reason);
        }
    }

    /**
     * Downloads {@code files} (all pinned) into {@code target}, which must not exist yet (or be an empty
     * directory). Returns only when every file is in place and verified; otherwise throws, leaving neither the
     * target nor any temporary file behind.
     *
     * @param progress told the bytes received so far (all files together), now and then; may be null
     */
    void download(List<PinnedFile> files, Path target, LongConsumer progress) throws Failure {
        for (PinnedFile f : files) {
            if (!f.pinned()) {
                throw new Failure(f.path() + " of " + f.model() + " has no pinned size and SHA-256");
            }
        }
        Path dir = target.toAbsolutePath().normalize();
        if (Files.exists(dir) && !isEmptyDirectory(dir)) {
            throw new Failure(dir + " exists but holds no usable model (an interrupted download?): remove it, or run"
                    + " models/download-model.sh " + dir.getFileName());
        }
        Path staging;
        try {
            Files.createDirectories(dir.getParent());
            staging = Files.createDirectory(dir.resolveSibling("." + dir.getFileName() + ".download-"
                    + ProcessHandle.current().pid() + "-" + System.nanoTime()));
        } catch (IOException e) {
            throw new Failure("cannot write to " + dir.getParent() + ": " + e);
        }
        Thread cleanup = new Thread(() -> EmbeddedSolr.deleteTree(staging), "ja-reranker-download-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean installed = false;
        try {
            probe();
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            long end = System.nanoTime() + deadline.toNanos();
            long done = 0;
            for (PinnedFile f : files) {
                long before = done;
                fetch(client, f, staging.resolve(f.path()), end, n -> {
                    if (progress != null) {
                        progress.accept(before + n);
                    }
                });
                done += f.bytes();
            }
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                throw new Failure(dir + " appeared during the download (another download?); this one is discarded");
            } catch (IOException e) {
                throw new Failure("cannot move the verified files to " + dir + ": " + e);
            }
            installed = true;
        } finally {
            if (!installed) {
                EmbeddedSolr.deleteTree(staging);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // The hook deletes the staging directory, if it is still there.
            }
        }
    }

    /**
     * Fails at once when the hub's host cannot be resolved or refuses connections: a plain TCP connection, tried
     * before the HTTP client is built, because building one costs about half a second (TLS set-up) that an offline
     * machine should not pay. Skipped when a proxy is configured for the hub (then only the proxy can tell).
     */
    private void probe() throws Failure {
        String host = hub.getHost();
        if (host == null) {
            throw new Failure("bad hub URL " + hub);
        }
        int port = hub.getPort() >= 0 ? hub.getPort() : "http".equalsIgnoreCase(hub.getScheme()) ? 80 : 443;
        ProxySelector proxies = ProxySelector.getDefault();
        if (proxies != null && proxies.select(hub).stream().anyMatch(p -> p.type() != Proxy.Type.DIRECT)) {
            return;
        }
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        CompletableFuture<Void> connect = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(host, port), timeoutMs);
                        connect.complete(null);
                    } catch (Throwable e) {
                        connect.completeExceptionally(e);
                    }
                },
                "ja-reranker-download-probe");
        t.setDaemon(true); // a resolver that hangs keeps only this thread
        t.start();
        try {
            connect.get(timeoutMs + 500L, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Failure(
                    "offline or unreachable: no connection to " + host + " within " + seconds(connectTimeout));
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UnknownHostException) {
                throw new Failure("offline: cannot resolve " + host);
            }
            if (c instanceof SocketTimeoutException) {
                throw new Failure(
                        "offline or unreachable: no connection to " + host + " within " + seconds(connectTimeout));
            }
            throw new Failure("offline: cannot connect to " + host + ":" + port + " (" + c.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * One file into {@code out}: the request is sent asynchronously and its body pushed into a {@link PinnedBody}
     * (no thread of ours blocks on the network); this thread waits, watching the stall timeout and the deadline, and
     * on either cancels the exchange and the body. Then the checksum.
     */
    private void fetch(HttpClient client, PinnedFile f, Path out, long end, LongConsumer progress) throws Failure {
        URI uri = url(f);
        AtomicLong lastActivity = new AtomicLong(System.nanoTime());
        AtomicLong received = new AtomicLong();
        AtomicReference<PinnedBody> body = new AtomicReference<>();
        // No request timeout: the JDK applies it to the body too, which would cut a slow but steady download short.
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("User-Agent", "ja-reranker")
                .GET()
                .build();
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(request, info -> {
            lastActivity.set(System.nanoTime());
            Failure refused = null;
            OptionalLong announced = info.headers().firstValueAsLong("Content-Length");
            if (info.statusCode() != 200) {
                refused = new Failure("HTTP " + info.statusCode() + " for " + uri);
            } else if (announced.isPresent() && announced.getAsLong() != f.bytes()) {
                refused = new Failure("size mismatch for " + f.path() + ": expected " + f.bytes() + " bytes, the"
                        + " server announces " + announced.getAsLong() + " (the file is not kept)");
            }
            PinnedBody b = new PinnedBody(f, out, refused, received, lastActivity);
            body.set(b);
            return b;
        });
        String got;
        while (true) {
            long now = System.nanoTime();
            long toDeadline = end - now;
            long toStall = lastActivity.get() + stallTimeout.toNanos() - now;
            if (toDeadline <= 0 || toStall <= 0) {
                Failure why = new Failure(
                        toDeadline <= 0
                                ? "timed out: " + f.path() + " not done within " + seconds(deadline) + " ("
                                        + received.get() + " of " + f.bytes() + " bytes from " + uri.getHost() + ")"
                                : "timed out: " + (body.get() == null ? "no answer" : "no data") + " from "
                                        + uri.getHost() + " for " + seconds(stallTimeout) + " (" + f.path() + ", "
                                        + received.get() + " of " + f.bytes() + " bytes)");
                abandon(response, body.get(), why);
                throw why;
            }
            try {
                got = response.get(Math.min(Math.min(toDeadline, toStall), POLL.toNanos()), TimeUnit.NANOSECONDS)
                        .body();
                break;
            } catch (TimeoutException poll) {
                progress.accept(received.get());
            } catch (ExecutionException e) {
                throw reason(e.getCause(), f, uri, received.get());
            } catch (InterruptedException e) {
                Failure why = new Failure("interrupted");
                abandon(response, body.get(), why);
                Thread.currentThread().interrupt();
                throw why;
            }
        }
        progress.accept(f.bytes());
        if (!got.equals(f.sha256())) {
            throw new Failure("SHA-256 mismatch for " + f.path() + ": expected " + f.sha256() + ", got " + got
                    + " (the file is not kept)");
        }
    }

    /** Cancels the exchange and closes the body's file (the staging directory is deleted next). */
    private static void abandon(CompletableFuture<?> response, PinnedBody body, Failure why) {
        response.cancel(true);
        if (body != null) {
            body.abort(why);
        }
    }

    /**
     * A response body written to a new file as it arrives, with its SHA-256 computed on the way and its size held to
     * the pin; completes with the hex SHA-256, or fails (and closes the file) on a short, long or broken body.
     */
    private static final class PinnedBody implements HttpResponse.BodySubscriber<String> {
        private final PinnedFile file;
        private final Path out;
        private final Failure refused;
        private final AtomicLong received;
        private final AtomicLong lastActivity;
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private final MessageDigest digest = sha256();
        private volatile Flow.Subscription subscription;
        private FileChannel channel;
        private long total;

        /** @param refused non-null: the response is not wanted (its status or announced size); fail with it */
        PinnedBody(PinnedFile file, Path out, Failure refused, AtomicLong received, AtomicLong lastActivity) {
            this.file = file;
            this.out = out;
            this.refused = refused;
            this.received = received;
            this.lastActivity = lastActivity;
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (result.isDone()) {
                s.cancel();
                return;
            }
            if (refused != null) {
                fail(refused);
                return;
            }
            try {
                Files.createDirectories(out.getParent());
                channel = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                fail(e);
                return;
            }
            s.request(1);
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            try {
                for (ByteBuffer b : items) {
                    total += b.remaining();
                    if (total > file.bytes()) {
                        throw new Failure("size mismatch for " + file.path() + ": more than the expected "
                                + file.bytes() + " bytes (the file is not kept)");
                    }
                    digest.update(b.duplicate());
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                }
            } catch (Failure | IOException e) {
                fail(e);
                return;
            }
            received.set(total);
            lastActivity.set(System.nanoTime());
            subscription.request(1);
        }

        @Override
        public synchronized void onError(Throwable t) {
            close();
            result.completeExceptionally(t);
        }

        @Override
        public synchronized void onComplete() {
            close();
            if (total != file.bytes()) {
                result.completeExceptionally(new Failure("size mismatch for " + file.path() + ": expected "
                        + file.bytes() + " bytes, got " + total + " (the file is not kept)"));
            } else {
                result.complete(HexFormat.of().formatHex(digest.digest()));
            }
        }

        /** From the waiting thread: stop, close the file. */
        synchronized void abort(Failure why) {
            fail(why);
        }

        private void fail(Throwable why) {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            close();
            result.completeExceptionally(why);
        }

        private void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // Closing is all that is left to do; the file is deleted with the staging directory.
                }
            }
        }
    }

    /** One line for what went wrong, with the host and file. */
    private Failure reason(Throwable t, PinnedFile f, URI uri, long received) {
        Failure failure = cause(t, Failure.class);
        if (failure != null) {
            return failure;
        }
        String host = uri.getHost();
        if (cause(t, HttpConnectTimeoutException.class) != null) {
            return new Failure(
                    "offline or unreachable: no connection to " + host + " within " + seconds(connectTimeout));
        }
        if (cause(t, UnknownHostException.class) != null || cause(t, UnresolvedAddressException.class) != null) {
            return new Failure("offline: cannot resolve " + host);
        }
        ConnectException refused = cause(t, ConnectException.class);
        if (refused != null) {
            String detail = null;
            for (Throwable c = refused; c != null && detail == null; c = c.getCause()) {
                detail = c.getMessage();
            }
            return new Failure("offline: cannot connect to " + host + (detail == null ? "" : " (" + detail + ")"));
        }
        if (t instanceof IOException) {
            String what = received == 0
                    ? "download of " + f.path() + " from " + host + " failed"
                    : "transfer of " + f.path() + " broke off after " + received + " of " + f.bytes() + " bytes";
            return new Failure(what + ": " + t);
        }
        return new Failure("download of " + f.path() + " failed: " + t);
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
