package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The demo's search page, mounted on the embedded Solr's own Jetty at {@link #PATH} (so the page and
 * Solr share one origin and the page calls {@code /solr/<core>/select} and {@code /search} directly:
 * no proxy, no CORS). Serves a fixed set of files shipped as resources next to this class ({@code
 * demo-page/}) and {@code settings.json}, which tells the page the core, the default {@code reRankDocs}
 * and the model it runs. Request paths only pick among those names; anything else is a 404.
 */
final class DemoPage implements WebPage {
    /** Where the page lives inside Solr's {@code /solr} context. */
    static final String PATH = "/demo";

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/demo.css", "demo.css",
            "/demo.js", "demo.js");

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8");

    private final byte[] settings;

    /**
     * @param core the Solr core the page searches
     * @param reRankDocs the {@code reRankDocs} the page starts with
     * @param model how the demo describes its model (shown on the page)
     * @param randomWeights whether the model has random weights (the page then says its order is meaningless)
     */
    DemoPage(String core, int reRankDocs, String model, boolean randomWeights) {
        ObjectNode s = new ObjectMapper().createObjectNode();
        s.put("core", core);
        s.put("reRankDocs", reRankDocs);
        s.put("model", model);
        s.put("randomWeights", randomWeights);
        this.settings = s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The page's URL under a Solr base URL such as {@code http://localhost:8983/solr}. */
    static String url(String solrBaseUrl) {
        return solrBaseUrl + PATH + "/";
    }

    @Override
    public Reply get(String path, String query, String requestUri) {
        if (path == null) {
            // /solr/demo without the slash: the page's relative links need the directory form.
            return Reply.redirect(requestUri + "/" + (query == null ? "" : "?" + query));
        }
        if (path.equals("/settings.json")) {
            return Reply.ok("application/json; charset=utf-8", settings);
        }
        String file = FILES.get(path);
        if (file == null) {
            return Reply.notFound("no such page: " + path);
        }
        return Reply.ok(TYPES.get(file.substring(file.lastIndexOf('.') + 1)), resource(file));
    }

    private static byte[] resource(String name) {
        try (InputStream in = DemoPage.class.getResourceAsStream("demo-page/" + name)) {
            if (in == null) {
                throw new IllegalStateException("demo-page/" + name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
