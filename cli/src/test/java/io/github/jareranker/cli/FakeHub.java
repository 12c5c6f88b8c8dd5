package io.github.jareranker.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.jareranker.cli.ModelCatalog.PinnedFile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the Hugging Face hub on 127.0.0.1 (any free port): {@code /<repo>/resolve/<revision>/<path>}
 * answers with a redirect to {@code /cdn/<revision>/<path>}, as the hub redirects to its CDN, and that serves the
 * file; each path can instead misbehave ({@link Behaviour}). Pins are computed here from the bytes served.
 */
final class FakeHub implements AutoCloseable {
    static final String REPO = "hotchpotch/" + ModelCatalog.DEMO_MODEL;
    static final String REVISION = "0123456789abcdef0123456789abcdef01234567";

    /** How the CDN answers for a file. */
    enum Behaviour {
        /** 200 with the bytes. */
        SERVE,
        /** 404. */
        NOT_FOUND,
        /** Headers with the full Content-Length, half the body, then nothing until the hub closes. */
        STALL_MID_BODY,
        /** No answer at all until the hub closes. */
        STALL_BEFORE_HEADERS,
        /** The body a byte every 50 ms: never idle long, never done soon. */
        TRICKLE,
        /** Headers with the full Content-Length, half the body, then the connection is closed. */
        BREAK_OFF
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-hub");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();

    FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code bytes} as {@code path}. */
    FakeHub file(String path, byte[] bytes) {
        files.put(path, bytes);
        return this;
    }

    FakeHub behave(String path, Behaviour behaviour) {
        behaviours.put(path, behaviour);
        return this;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The pin of a served file, as models/pins.tsv would hold it. */
    PinnedFile pin(String path) {
        byte[] b = files.get(path);
        return new PinnedFile(ModelCatalog.DEMO_MODEL, REPO, REVISION, path, b.length, sha256(b));
    }

    /** A models/pins.tsv for the served files. */
    String pinTable() {
        List<String> lines = new ArrayList<>(List.of("# test pins", ""));
        files.keySet().stream().sorted().forEach(path -> {
            PinnedFile p = pin(path);
            lines.add(String.join(
                    "\t", p.model(), p.repo(), p.revision(), p.path(), String.valueOf(p.bytes()), p.sha256()));
        });
        return String.join("\n", lines) + "\n";
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        try (x) {
            String path = x.getRequestURI().getPath();
            String resolve = "/" + REPO + "/resolve/" + REVISION + "/";
            if (path.startsWith(resolve)) {
                x.getResponseHeaders().set("Location", "/cdn/" + REVISION + "/" + path.substring(resolve.length()));
                x.sendResponseHeaders(302, -1);
                return;
            }
            String cdn = "/cdn/" + REVISION + "/";
            String file = path.startsWith(cdn) ? path.substring(cdn.length()) : null;
            byte[] body = file == null ? null : files.get(file);
            Behaviour b = file == null ? Behaviour.NOT_FOUND : behaviours.getOrDefault(file, Behaviour.SERVE);
            if (body == null || b == Behaviour.NOT_FOUND) {
                byte[] msg = "Entry not found".getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(404, msg.length);
                x.getResponseBody().write(msg);
                return;
            }
            if (b == Behaviour.STALL_BEFORE_HEADERS) {
                waitForClose();
                return;
            }
            x.sendResponseHeaders(200, body.length);
            OutputStream o = x.getResponseBody();
            switch (b) {
                case SERVE -> o.write(body);
                case STALL_MID_BODY -> {
                    o.write(body, 0, body.length / 2);
                    o.flush();
                    waitForClose();
                }
                case TRICKLE -> {
                    for (byte c : body) {
                        o.write(c);
                        o.flush();
                        if (closing.await(50, TimeUnit.MILLISECONDS)) {
                            return;
                        }
                    }
                }
                case BREAK_OFF -> {
                    o.write(body, 0, body.length / 2);
                    o.flush();
                    // An exception out of a handler makes the JDK's server drop the connection.
                    throw new IOException("fake hub: breaking the transfer off");
                }
                default -> throw new IllegalStateException(b.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void waitForClose() throws InterruptedException {
        closing.await(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
