package io.github.jareranker.cli;

import io.github.jareranker.evaluation.Metric;
import io.github.jareranker.evaluation.solr.SolrRunner;
import io.github.jareranker.evaluation.solr.SolrSearchClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How to search a Solr core (a picocli mixin; the core URL is each command's own option). */
final class SolrOptions {
    static final String SOLR_MODEL_CAVEAT =
            "NOTE: the reranked (rq) figures come from whatever model the Solr core configures; with the"
                    + " committed random-weight test model they are meaningless and only prove the pipeline runs.";

    @Option(names = "--handler", paramLabel = "PATH", description = "Request handler (default: ${DEFAULT-VALUE}).")
    String handler = "/select";

    @Option(names = "--id-field", paramLabel = "FIELD", description = "Unique-key field (default: ${DEFAULT-VALUE}).")
    String idField = "id";

    @Option(
            names = {"-k", "--top-k"},
            paramLabel = "K",
            description = "Hits collected per query (rows; default: ${DEFAULT-VALUE}).")
    int k = 100;

    /** reRankDocs of the reranked run (default: K). */
    @Mixin
    RerankDocsOption window = RerankDocsOption.derived("K, the hits collected");

    @Option(
            names = "--param",
            paramLabel = "KEY=VALUE",
            description = "Search parameter for both runs (repeatable), e.g. "
                    + "--param defType=edismax --param qf=title^2 text.")
    List<String> params = new ArrayList<>();

    @Option(
            names = "--rerank-param",
            paramLabel = "KEY=VALUE",
            description = "Extra parameter of the reranked run (repeatable; default: rq={!jarerank reRankDocs=N "
                    + "reRankText=$rqtext}, where rqtext is the unescaped query text sent with every request).")
    List<String> rerankParams = new ArrayList<>();

    @Option(names = "--no-rerank", description = "Run BM25 only.")
    boolean noRerank;

    @Option(
            names = "--no-escape",
            description = "Send query text as query syntax instead of escaping special characters.")
    boolean noEscape;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Per-request timeout (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 60;

    SolrSearchClient client(URI url) {
        return new SolrSearchClient(url, Duration.ofSeconds(timeoutSeconds));
    }

    /** reRankDocs: --rerank-docs, else k. */
    int reRankDocs() {
        return window.orElse(k);
    }

    /** Checks k, --rerank-docs and that every metric's cutoff fits in the top k collected. */
    void validate(CommandLine cl, List<Metric> metrics) {
        if (k < 1) {
            throw new ParameterException(cl, "-k must be >= 1, got " + k);
        }
        Integer reRankDocs = window.given();
        if (reRankDocs != null && reRankDocs < 1) {
            throw new ParameterException(cl, "--rerank-docs must be >= 1, got " + reRankDocs);
        }
        for (Metric m : metrics) {
            if (m.k() > k) {
                throw new ParameterException(
                        cl,
                        "-k " + k + " collects only the top " + k + " per query, but " + m.label() + " needs the top "
                                + m.k() + ": pass -k " + m.k() + " or more");
            }
        }
    }

    List<Map.Entry<String, String>> baseParams() {
        return parse(params);
    }

    List<Map.Entry<String, String>> rerankParams() {
        if (noRerank) {
            return List.of();
        }
        // reRankText: the model must read the question, not q with its query-syntax escapes.
        return rerankParams.isEmpty()
                ? List.of(Map.entry(
                        "rq", "{!jarerank reRankDocs=" + reRankDocs() + " reRankText=$" + SolrRunner.TEXT_PARAM + "}"))
                : parse(rerankParams);
    }

    /** The reranked run's parameters as text, e.g. {@code rq={!jarerank reRankDocs=100}}. */
    String describeRerank() {
        return String.join(
                " ",
                rerankParams().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList());
    }

    private static List<Map.Entry<String, String>> parse(List<String> list) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String p : list) {
            out.add(SolrRunner.parseParam(p));
        }
        return out;
    }
}
