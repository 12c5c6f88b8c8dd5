package io.github.jareranker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.testing.SolrRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page's files and settings as {@link DemoPage} serves them, mounted by the major's {@link SolrJetty} and
 * {@code PageServlet} on a Solr with no core.
 */
class DemoPageTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static JettySolrRunner jetty;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        if (SolrRuntime.cannotStart().isPresent()) {
            return; // each test says why it is skipped (solrCanStart)
        }
        Path home = Files.createTempDirectory("demo-page-test");
        Files.writeString(home.resolve("solr.xml"), "<solr/>\n", StandardCharsets.UTF_8);
        jetty = new JettySolrRunner(
                home.toString(),
                SolrJetty.config(0, Map.of(new DemoPage("site", 37, "models/test-model", true), DemoPage.PATH + "/*")));
        jetty.start();
        base = jetty.getBaseUrl().toString();
    }

    /** Skips each test, naming why, where no Solr node can start (the Solr 10 target here: SolrRuntime). */
    @BeforeEach
    void solrCanStart() {
        SolrRuntime.assumeCanStart();
    }

    @AfterAll
    static void stop() throws Exception {
        if (jetty != null) { // null when the class was skipped (no Solr node can start here)
            jetty.stop();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageWithTheListsTheTestsLookFor() throws Exception {
        HttpResponse<String> page = get("/demo/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html").containsIgnoringCase("charset=utf-8"));
        assertThat(page.body())
                .contains("<html lang=\"ja\">", "id=\"first-pass\"", "id=\"reranked\"", "demo.js", "demo.css")
                .contains("検索");
        assertThat(DemoPage.url("http://localhost:8983/solr")).isEqualTo("http://localhost:8983/solr/demo/");
        assertThat(get("/demo/index.html").body()).isEqualTo(page.body());
        assertThat(get("/demo/demo.js").headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(get("/demo/demo.js").body()).contains("function snippetOf(doc)", "dataset.docId", "[jarerank]");
        assertThat(get("/demo/demo.css").body()).contains(".hit");
    }

    @Test
    void settingsTellThePageItsCoreAndModel() throws Exception {
        HttpResponse<String> r = get("/demo/settings.json");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode s = new ObjectMapper().readTree(r.body());
        assertThat(s.path("core").asText()).isEqualTo("site");
        assertThat(s.path("reRankDocs").asInt()).isEqualTo(37);
        assertThat(s.path("model").asText()).isEqualTo("models/test-model");
        assertThat(s.path("randomWeights").asBoolean()).isTrue();
    }

    @Test
    void theBarePathRedirectsKeepingTheSearch() throws Exception {
        HttpResponse<String> r = get("/demo?q=%E3%81%94%E3%81%BF&reRankDocs=5");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/solr/demo/?q=%E3%81%94%E3%81%BF&reRankDocs=5"));
    }

    @Test
    void onlyThePagesOwnFilesAreServed() throws Exception {
        for (String path : new String[] {
            "/demo/nope.html", "/demo/DemoPage.class", "/demo/..%2F..%2Fsimplelogger.properties", "/demo/x/"
        }) {
            assertThat(get(path).statusCode()).as(path).isIn(400, 404);
        }
    }
}
