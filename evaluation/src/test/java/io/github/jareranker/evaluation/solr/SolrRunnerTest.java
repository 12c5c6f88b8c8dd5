package io.github.jareranker.evaluation.solr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.TieBreak;
import io.github.jareranker.evaluation.report.ProgressBar;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Solr HTTP side against a local fake core that records requests and answers like /select. */
class SolrRunnerTest {
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/solr/site/select", ex -> {
            String body = URLDecoder.decode(
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            requests.add(body);
            String json = body.contains("rq=")
                    ? "{\"response\":{\"docs\":[{\"id\":\"b\",\"score\":9},{\"id\":\"a\",\"score\":1}]}}"
                    : body.contains("q=boom")
                            ? "{\"error\":{\"msg\":\"undefined field qf\"}}"
                            : "{\"response\":{\"docs\":[{\"id\":\"a\",\"score\":2},{"
                                    + "\"id\":\"b\",\"score\":2},{\"id\":\"c\",\"score\":1}]}}";
            byte[] out = json.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(json.contains("error") ? 400 : 200, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private SolrSearchClient client() {
        return new SolrSearchClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/solr/site/"), Duration.ofSeconds(5));
    }

    @Test
    void collectsTopKInSolrOrderAndSendsParameters() throws IOException {
        SolrRunner runner = new SolrRunner(client(), "select", "id", 2, true);
        QuerySet qs = new QuerySet(List.of(new QuerySet.Entry("q1", "梅雨 (つゆ)?")));
        Run bm25 = runner.run(
                qs, List.of(Map.entry("defType", "edismax"), Map.entry("rows", "999")), "bm25", ProgressBar.disabled());
        assertThat(bm25.ranked("q1", TieBreak.INPUT_ORDER))
                .extracting(Run.ScoredDoc::docId)
                .containsExactly("a", "b");
        assertThat(requests.get(0))
                .contains("q=梅雨 \\(つゆ\\)\\?", "rows=2", "defType=edismax", "fl=id,score", "wt=json")
                .doesNotContain("rows=999");
        // the unescaped text travels too, for the reranker (reRankText=$rqtext)
        assertThat(requests.get(0)).contains("rqtext=梅雨 (つゆ)?");
        Run rq = runner.run(qs, List.of(Map.entry("rq", "{!jarerank reRankDocs=2}")), "rq", ProgressBar.disabled());
        assertThat(rq.ranked("q1", TieBreak.RANX))
                .extracting(Run.ScoredDoc::docId)
                .containsExactly("b", "a");
    }

    @Test
    void solrErrorsAreReportedWithTheQueryAndSolrsMessage() {
        SolrRunner runner = new SolrRunner(client(), "/select", "id", 10, false);
        QuerySet qs = new QuerySet(List.of(new QuerySet.Entry("q9", "boom")));
        assertThatThrownBy(() -> runner.run(qs, List.of(), "bm25", ProgressBar.disabled()))
                .hasMessageContaining("query q9 (bm25)")
                .hasMessageContaining("HTTP 400: undefined field qf");
    }

    @Test
    void unreachableSolrSaysSo() {
        SolrSearchClient dead = new SolrSearchClient(URI.create("http://127.0.0.1:1/solr/x"), Duration.ofSeconds(2));
        assertThatThrownBy(() -> dead.search("/select", List.of(), "id"))
                .hasMessageContaining("cannot connect to Solr at http://127.0.0.1:1/solr/x/select");
    }
}
