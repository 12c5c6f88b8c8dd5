package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.testing.SolrRuntime;
import io.github.jareranker.testing.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soak} smoke test: a few seconds against in-process Solr with the committed random-weight test
 * model and the committed JSQuAD slice, two clients and one core reload; every response checked against
 * the model run in the test's process.
 */
@ExtendWith(RepoHome.class)
class SoakCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void shortRunWithTwoClientsAndOneReloadHasNoErrorsAndWritesTheSeries() throws Exception {
        SolrRuntime.assumeCanStart();
        Path json = tmp.resolve("out/soak.json");
        String[] r = run(
                "soak",
                "--model",
                TestModels.testModel().toString(),
                "--data",
                RepoHome.committedJsquad().toString(),
                "--duration",
                "4s",
                "--clients",
                "2",
                "--reloads",
                "1",
                "--rerank-docs",
                "10",
                "--sample-seconds",
                "1",
                "--check-every",
                "1",
                "--max-length",
                "128",
                "--out",
                json.toString());
        assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
        assertThat(r[1])
                .contains("soak: PT4S, 2 clients, 1 reloads, reRankDocs 10", "(random weights)")
                .contains("RSS MB", "heap MB", "queries", "fallback", "errors", "wrong", "reloads")
                .contains("summary: ", " 0 errors, 0 of ", "1 reloads (0 failed)", "RSS after warm-up")
                .doesNotContain("problem:");
        JsonNode result = JSON.readTree(json.toFile());
        assertThat(result.get("durationSeconds").asLong()).isEqualTo(4);
        assertThat(result.get("clients").asInt()).isEqualTo(2);
        long queries = result.get("queries").asLong();
        assertThat(queries).isPositive();
        assertThat(result.get("errors").asLong()).isZero();
        assertThat(result.get("wrongOrders").asLong()).isZero();
        assertThat(result.get("reloads").asInt()).isEqualTo(1);
        assertThat(result.get("reloadErrors").asLong()).isZero();
        // --check-every 1: every answered, non-fallback query is checked against the model
        long fallbacks = result.get("fallbacks").asLong();
        assertThat(fallbacks).isBetween(0L, queries);
        assertThat(result.get("checked").asLong())
                .isEqualTo(queries - fallbacks)
                .isPositive();
        assertThat(result.get("maxHeapMb").asLong()).isPositive();
        assertThat(result.get("rssAfterWarmupMb").asDouble()).isPositive();
        assertThat(result.get("rssAtEndMb").asDouble()).isPositive();
        assertThat(result.get("rssGrowth").asDouble()).isFinite();
        assertThat(result.get("rssSlopeMbPerMin").asDouble()).isFinite();
        assertThat(result.get("nonHeapSlopeMbPerMin").asDouble()).isFinite();
        assertThat(result.has("heapFixedAndPreTouched")).isTrue();
        assertThat(result.has("maxSlopeMbPerMin")).as("no --max-slope given").isFalse();
        // one sample a second over 4 s, the last at the end: at least the start and the end
        JsonNode series = result.get("series");
        assertThat(series.size()).isBetween(2, 8);
        double last = -1;
        long lastQueries = 0;
        for (JsonNode s : series) {
            assertThat(s.get("seconds").asDouble()).isGreaterThan(last);
            assertThat(s.get("rssMb").asDouble()).isPositive();
            assertThat(s.get("heapMb").asDouble()).isPositive();
            assertThat(s.get("queries").asLong()).isGreaterThanOrEqualTo(lastQueries);
            last = s.get("seconds").asDouble();
            lastQueries = s.get("queries").asLong();
        }
        assertThat(last).isGreaterThanOrEqualTo(4.0);
        assertThat(lastQueries).isLessThanOrEqualTo(queries);
    }

    /** A slope above --max-slope fails the run, naming it (a limit no run can meet forces the failure). */
    @Test
    void aSlopeAboveTheLimitFailsTheRun() {
        SolrRuntime.assumeCanStart();
        String[] r = run(
                "soak",
                "--model",
                TestModels.testModel().toString(),
                "--data",
                RepoHome.committedJsquad().toString(),
                "--duration",
                "3s",
                "--clients",
                "1",
                "--reloads",
                "0",
                "--rerank-docs",
                "5",
                "--sample-seconds",
                "1",
                "--max-length",
                "128",
                "--max-slope",
                "-1000000");
        assertThat(r[0]).as(r[1] + r[2]).isEqualTo("1");
        assertThat(r[1]).contains("problem: RSS slope", "is above --max-slope -1000000.000");
    }

    @Test
    void zeroClientsIsAUsageError() {
        String[] r = run("soak", "--data", RepoHome.committedJsquad().toString(), "--clients", "0");
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2]).contains("--clients");
    }

    @Test
    void anUnreadableDurationIsAUsageError() {
        String[] r = run("soak", "--data", RepoHome.committedJsquad().toString(), "--duration", "soon");
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2]).contains("--duration soon");
    }
}
