package io.github.jareranker.cli;

import io.github.jareranker.encoder.EngineOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.solr.core.SolrCore;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Solr in this JVM (Solr's own Jetty runner) on localhost, with the example configset in one core
 * and the ja-reranker plugin configured with a chosen model: what {@code demo} and {@code eval
 * jsquad} start when no Solr is given. The Solr home is a temporary directory removed by {@link
 * #close()}; nothing is written into the checkout.
 *
 * <p>The model and host are passed to the configset as JVM-wide system properties ({@code
 * jareranker.model.dir}, {@code jareranker.onnx.file}, ...), so one embedded Solr at a time per JVM.
 */
final class EmbeddedSolr implements AutoCloseable {
    private final JettySolrRunner jetty;
    private final Path solrHome;
    private final String core;
    /** The system properties start() set, with their values before (empty: they were unset). */
    private final Map<String, Optional<String>> previous;

    private boolean closed;

    private EmbeddedSolr(JettySolrRunner jetty, Path solrHome, String core, Map<String, Optional<String>> previous) {
        this.previous = previous;
        this.jetty = jetty;
        this.solrHome = solrHome;
        this.core = core;
    }

    /** The checkout root: {@code -Dja-reranker.home} (set by bin/ja-reranker), else the working directory. */
    static Path repoRoot() {
        String home = System.getProperty("ja-reranker.home");
        return (home == null || home.isBlank() ? Path.of("") : Path.of(home))
                .toAbsolutePath()
                .normalize();
    }

    /** {@code example-configset/conf} under {@code home}, or an error saying how to find it. */
    static Path configset(Path home) throws IOException {
        Path conf = home.resolve("example-configset/conf");
        if (!Files.isRegularFile(conf.resolve("solrconfig.xml"))) {
            throw new IOException("cannot find the example configset at " + conf
                    + "; run bin/ja-reranker from a ja-reranker checkout (or set -Dja-reranker.home)");
        }
        return conf;
    }

    /**
     * A copy of the configset {@code conf} in a new temporary directory with more models under the
     * {@code jarerank} parser's {@code <lst name="models">}, each with its directory, ONNX file and the
     * given engine options (the configset's own model {@code ja} is unchanged and stays the default).
     * For commands that compare models in one Solr ({@code bench-cascade}); the caller deletes the
     * returned directory's parent with {@link #deleteTree(Path)} when Solr has stopped.
     *
     * @param more model name to model; names must be new
     */
    static Path configsetWithModels(Path conf, Map<String, ModelChoice> more, Map<EngineOption, String> engine)
            throws IOException {
        Path copy = Files.createTempDirectory("ja-reranker-conf-").resolve("conf");
        copyTree(conf, copy);
        Path solrconfig = copy.resolve("solrconfig.xml");
        String xml = Files.readString(solrconfig, StandardCharsets.UTF_8);
        String models = "<lst name=\"models\">";
        if (!xml.contains(models)) {
            deleteTree(copy.getParent());
            throw new IOException(solrconfig + ": no " + models + " to add models to");
        }
        StringBuilder entries = new StringBuilder(models);
        more.forEach((name, model) -> {
            entries.append("\n      <lst name=\"").append(xmlText(name)).append("\">");
            entries.append("<str name=\"modelDirectory\">")
                    .append(xmlText(model.dir().toString()))
                    .append("</str>");
            entries.append("<str name=\"onnxFile\">")
                    .append(xmlText(model.onnxFile()))
                    .append("</str>");
            engine.forEach((option, value) -> {
                if (option != EngineOption.ONNX_FILE && option != EngineOption.SHA256) {
                    entries.append("<str name=\"").append(option.key()).append("\">");
                    entries.append(xmlText(value)).append("</str>");
                }
            });
            entries.append("</lst>");
        });
        Files.writeString(solrconfig, xml.replace(models, entries), StandardCharsets.UTF_8);
        return copy;
    }

    private static String xmlText(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * Starts Solr on {@code 127.0.0.1:port} (0 = any free port) with a core named {@code core} using
     * the configset {@code conf} and the model, and waits until the core has loaded (models load with
     * the core).
     *
     * @param engine engine options of the model by {@link EngineOption}, passed to the configset's
     *     {@code ${jareranker.<key>}} placeholders (the ONNX file comes from {@code model}); the
     *     system properties set here are restored when Solr is closed
     * @throws IOException when the port is taken or the core fails to load (with Solr's reason)
     */
    static EmbeddedSolr start(Path conf, String core, int port, ModelChoice model, Map<EngineOption, String> engine)
            throws Exception {
        return start(conf, core, port, model, engine, Map.of());
    }

    /**
     * Sets the example configset's {@code pairCacheSize} (system property {@code jareranker.pairCacheSize}) for the
     * cores started until the returned handle is closed, which restores the previous value. The bench commands that
     * measure the model's work pass 0: the configset turns the pair-score cache on, and a pair served from it is work
     * not measured.
     */
    static AutoCloseable pairCacheSize(long entries) {
        String key = "jareranker.pairCacheSize";
        String previous = System.getProperty(key);
        System.setProperty(key, String.valueOf(entries));
        return () -> {
            if (previous == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, previous);
            }
        };
    }

    /** A class that Solr's core container cannot start without (Solr 10 ships it in solr-solrj-streaming). */
    private static final String SOLR_CORE_NEEDS = "org.apache.solr.client.solrj.io.SolrClientCache";

    /**
     * Fails with what to do, before anything starts, when this classpath lacks a class Solr needs to start a node:
     * on the Solr 10 build where Maven Central did not serve {@code solr-solrj-streaming} 10.0.0 (docs/solr.md).
     */
    static void checkSolrCanStart() throws IOException {
        try {
            Class.forName(SOLR_CORE_NEEDS, false, EmbeddedSolr.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IOException("Solr " + SolrMajor.describe() + " cannot start here: its core needs "
                    + SOLR_CORE_NEEDS + " from org.apache.solr:solr-solrj-streaming, which is not on this classpath"
                    + " (Maven Central did not serve it to this build; see docs/solr.md). Run the Solr 9 build"
                    + " (--solr-version 9), or put that jar from a Solr 10 distribution on the classpath");
        }
    }

    /**
     * As {@link #start(Path, String, int, ModelChoice, Map)}, with more pages in Solr's {@code /solr}
     * context (e.g. the demo's search page), each with its path spec. Solr passes requests for paths it
     * does not handle on to them.
     */
    static EmbeddedSolr start(
            Path conf,
            String core,
            int port,
            ModelChoice model,
            Map<EngineOption, String> engine,
            Map<WebPage, String> pages)
            throws Exception {
        checkSolrCanStart();
        checkPortFree(port);
        Path solrHome = Files.createTempDirectory("ja-reranker-solr-");
        Map<String, Optional<String>> previous = new LinkedHashMap<>();
        JettySolrRunner jetty = null;
        boolean ok = false;
        try {
            Path coreDir = solrHome.resolve(core);
            copyTree(conf, coreDir.resolve("conf"));
            Files.writeString(coreDir.resolve("core.properties"), "name=" + core + "\n", StandardCharsets.UTF_8);
            Files.writeString(solrHome.resolve("solr.xml"), "<solr/>\n", StandardCharsets.UTF_8);
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("jareranker.model.dir", model.dir().toString());
            properties.put("jareranker.onnx.file", model.onnxFile());
            engine.forEach((option, value) -> {
                if (option != EngineOption.ONNX_FILE) {
                    properties.put("jareranker." + option.key(), value);
                }
            });
            properties.put("host", "127.0.0.1");
            properties.put("solr.log.dir", solrHome.resolve("logs").toString());
            properties.put("solr.install.dir", solrHome.toString());
            properties.forEach((key, value) -> previous.put(key, Optional.ofNullable(System.getProperty(key))));
            properties.forEach(System::setProperty);

            jetty = new JettySolrRunner(solrHome.toString(), SolrJetty.config(port, pages));
            try {
                jetty.start();
            } catch (Exception e) {
                if (hasCause(e, BindException.class)) {
                    throw new IOException("port " + port + " is already in use; stop what uses it or pass --port N");
                }
                throw e;
            }
            if (jetty.getCoreContainer() == null) {
                throw new IOException("Solr did not start on port " + port);
            }
            try (SolrCore c = jetty.getCoreContainer().getCore(core)) {
                if (c == null) {
                    throw new IOException("core '" + core + "' failed to load: "
                            + jetty.getCoreContainer().getCoreInitFailures().get(core));
                }
            }
            ok = true;
            return new EmbeddedSolr(jetty, solrHome, core, previous);
        } finally {
            if (!ok) {
                stop(jetty, solrHome);
                restore(previous);
            }
        }
    }

    /** The HTTP port. */
    int port() {
        return jetty.getLocalPort();
    }

    /** {@code http://localhost:PORT/solr}. */
    String baseUrl() {
        return "http://localhost:" + port() + "/solr";
    }

    /** {@code http://localhost:PORT/solr/CORE}. */
    String coreUrl() {
        return baseUrl() + "/" + core;
    }

    /** The core name. */
    String core() {
        return core;
    }

    /** Stops Solr and deletes its home (idempotent). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            stop(jetty, solrHome);
            restore(previous);
        }
    }

    private static void restore(Map<String, Optional<String>> previous) {
        previous.forEach((key, value) -> {
            if (value.isPresent()) {
                System.setProperty(key, value.get());
            } else {
                System.clearProperty(key);
            }
        });
    }

    private static void stop(JettySolrRunner jetty, Path solrHome) {
        if (jetty != null) {
            try {
                jetty.stop();
            } catch (Exception e) {
                System.err.println("ja-reranker: error while stopping Solr: " + e.getMessage());
            }
        }
        deleteTree(solrHome);
    }

    /** Solr and the tokenizer log at INFO; the commands print their own output. */
    static void quietLogging() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.solr", "error");
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl", "error");
        Logger.getLogger("org.glassfish").setLevel(Level.SEVERE);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static void checkPortFree(int port) throws IOException {
        if (port == 0) {
            return;
        }
        if (port < 0 || port > 65535) {
            throw new IOException("--port must be between 0 and 65535, got " + port);
        }
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
        } catch (BindException e) {
            throw new IOException("port " + port + " is already in use (another Solr?); stop it or pass --port N");
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    static void copyTree(Path src, Path dst) throws IOException {
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Deletes {@code dir} and everything under it; a failure is printed, not thrown. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("ja-reranker: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
