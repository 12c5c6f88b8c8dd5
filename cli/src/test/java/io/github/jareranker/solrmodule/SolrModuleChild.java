package io.github.jareranker.solrmodule;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.solr.core.SolrCore;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * The child JVM of {@link SolrModuleInstallTest}: plays a Solr node whose classpath is Solr's own
 * jars only, with the ja-reranker module installed under {@code solr.install.dir} and enabled by
 * {@code -Dsolr.modules=ja-reranker}, as docs/solr.md tells an operator to do.
 *
 * <p>Arguments: {@code SOLR_HOME CONFIGSET_CONF MODEL_DIR}. {@code solr.install.dir} and {@code
 * solr.modules} come from the command line. Prints {@code PLUGIN <code source>} and {@code RESULT
 * <Solr JSON>} on stdout and exits 0, or exits non-zero with the reason on stderr.
 *
 * <p>Deliberately uses only the JDK and Solr (no ja-reranker, JUnit or Jackson class): this class is
 * copied alone onto the child's classpath.
 */
public final class SolrModuleChild {
    static final String PLUGIN_CLASS = "io.github.jareranker.solr.CrossEncoderRerankQParserPlugin";
    static final String CORE = "site";

    /** Classes of the module that must not be visible before Solr loads the module. */
    private static final String[] MODULE_CLASSES = {
        PLUGIN_CLASS,
        "io.github.jareranker.solr.CrossEncoderScoreTransformerFactory",
        "io.github.jareranker.encoder.CrossEncoder",
        "ai.onnxruntime.OrtEnvironment",
        "ai.djl.huggingface.tokenizers.HuggingFaceTokenizer",
        "ai.djl.util.Platform",
        "com.sun.jna.Native",
        "com.google.gson.Gson",
        "org.apache.commons.compress.archivers.ArchiveEntry",
    };

    private SolrModuleChild() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            fail(2, "usage: SolrModuleChild SOLR_HOME CONFIGSET_CONF MODEL_DIR");
        }
        Path solrHome = Path.of(args[0]);
        Path conf = Path.of(args[1]);
        Path modelDir = Path.of(args[2]);

        // 1. Before Solr starts: the JVM's own classpath cannot see the plugin or what it bundles.
        for (String name : MODULE_CLASSES) {
            try {
                Class<?> c = Class.forName(name, false, ClassLoader.getSystemClassLoader());
                fail(
                        3,
                        "the child classpath already holds " + name + " (from " + where(c)
                                + "); the test would prove nothing");
            } catch (ClassNotFoundException expected) {
                // good
            }
        }
        if (System.getProperty("solr.install.dir") == null || System.getProperty("solr.modules") == null) {
            fail(2, "solr.install.dir and solr.modules must be set on the command line");
        }

        // 2. A Solr home with one core using the example configset.
        Path coreDir = solrHome.resolve(CORE);
        copyTree(conf, coreDir.resolve("conf"));
        Files.writeString(coreDir.resolve("core.properties"), "name=" + CORE + "\n", StandardCharsets.UTF_8);
        Files.writeString(solrHome.resolve("solr.xml"), "<solr/>\n", StandardCharsets.UTF_8);
        System.setProperty("jareranker.model.dir", modelDir.toString());
        System.setProperty("jareranker.onnx.file", "");
        System.setProperty("jareranker.workers", "1");
        System.setProperty("host", "127.0.0.1");
        System.setProperty("solr.log.dir", solrHome.resolve("logs").toString());

        JettySolrRunner jetty = new JettySolrRunner(
                solrHome.toString(),
                JettyConfig.builder()
                        .setPort(0) // the context is /solr, JettyConfig's default on Solr 9 and Solr 10
                        .stopAtShutdown(false)
                        .build());
        int code = 1;
        try {
            jetty.start();
            if (jetty.getCoreContainer() == null) {
                fail(4, "Solr did not start");
            }
            try (SolrCore core = jetty.getCoreContainer().getCore(CORE)) {
                if (core == null) {
                    fail(
                            5,
                            "core '" + CORE + "' failed to load: "
                                    + jetty.getCoreContainer()
                                            .getCoreInitFailures()
                                            .get(CORE));
                }
                Object parser = core.getQueryPlugin("jarerank");
                if (parser == null || !parser.getClass().getName().equals(PLUGIN_CLASS)) {
                    fail(6, "queryParser jarerank is " + parser);
                }
                System.out.println("PLUGIN " + where(parser.getClass()));
                System.out.println("LOADER " + parser.getClass().getClassLoader());
            }

            // 3. Index a few Japanese pages and rerank a query through HTTP, as a client would.
            String coreUrl = "http://127.0.0.1:" + jetty.getLocalPort() + "/solr/" + CORE;
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            String docs = "["
                    + "{\"id\":\"gomi-1\",\"title\":\"粗大ごみの出し方\",\"body\":\"粗大ごみは事前に電話かインターネットで申し込み、処理券を貼って出してください。\"},"
                    + "{\"id\":\"onsen-1\",\"title\":\"温泉旅館の予約\",\"body"
                    + "\":\"露天風呂のある温泉旅館をオンラインで予約できます。ごみの持ち帰りにご協力ください。\"},"
                    + "{\"id\":\"hoiku-1\",\"title\":\"一時保育の利用\",\"body\":"
                    + "\"保護者の急な用事のとき、子どもを一時的に保育園で預かります。粗大ごみの日は駐車場が混みます。\"}"
                    + "]";
            HttpResponse<String> update = http.send(
                    HttpRequest.newBuilder(URI.create(coreUrl + "/update?commit=true&wt=json"))
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(docs, StandardCharsets.UTF_8))
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (update.statusCode() != 200) {
                fail(7, "indexing failed: HTTP " + update.statusCode() + " " + update.body());
            }
            String query = "q=" + enc("粗大ごみ 出し方") + "&defType=edismax&qf=" + enc("title^2 body")
                    + "&rq=" + enc("{!jarerank reRankDocs=10}") + "&fl=" + enc("id,score,originalScore(),[jarerank]")
                    + "&rows=10&wt=json&indent=false";
            HttpResponse<String> select = http.send(
                    HttpRequest.newBuilder(URI.create(coreUrl + "/select?" + query))
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (select.statusCode() != 200) {
                fail(8, "reranked query failed: HTTP " + select.statusCode() + " " + select.body());
            }
            System.out.println("RESULT " + select.body().replace('\n', ' ').replace('\r', ' '));
            System.out.flush();
            code = 0;
        } finally {
            try {
                jetty.stop();
            } catch (Exception e) {
                System.err.println("error while stopping Solr: " + e);
            }
        }
        // Solr and ONNX Runtime leave non-daemon threads behind; the verdict is already printed.
        System.exit(code);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String where(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        return cs == null || cs.getLocation() == null
                ? "(unknown)"
                : cs.getLocation().toString();
    }

    /** Copies a directory tree (also used by the parent test; this class may use only JDK and Solr). */
    static void copyTree(Path src, Path dst) throws java.io.IOException {
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

    private static void fail(int code, String message) {
        System.err.println("SolrModuleChild: " + message);
        System.err.flush();
        System.exit(code);
    }
}
