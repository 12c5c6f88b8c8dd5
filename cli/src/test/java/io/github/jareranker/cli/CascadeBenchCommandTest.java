package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.testing.SolrRuntime;
import io.github.jareranker.testing.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code bench-cascade} on the committed JSQuAD slice with the two committed test models: the pairs
 * it reports per method are what the cascade must cost (first model over reRankDocs, second over
 * thenDocs of those), read back from Solr's metrics.
 */
@ExtendWith(RepoHome.class)
class CascadeBenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void overlapIsTheSharedFractionOfTheTwoTopLists() {
        assertThat(CascadeBenchCommand.overlap(List.of("a", "b", "c"), List.of("c", "b", "a")))
                .isEqualTo(1.0);
        assertThat(CascadeBenchCommand.overlap(List.of("a", "b", "c", "d"), List.of("d", "x", "y", "z")))
                .isEqualTo(0.25);
        assertThat(CascadeBenchCommand.overlap(List.of("a", "b"), List.of("a"))).isEqualTo(0.5);
        assertThat(CascadeBenchCommand.overlap(List.of(), List.of())).isEqualTo(1.0);
    }

    @Test
    void reportsTheCascadesPairsAgainstOnePassOfTheSecondModel() throws Exception {
        SolrRuntime.assumeCanStart();
        String[] r = run(
                "bench-cascade",
                "--model",
                TestModels.testModel().toString(),
                "--then-model",
                TestModels.testModelInt8().toString(),
                "--data",
                TestModels.repoRoot()
                        .resolve("evaluation/data/jsquad/valid-v1.3-first5.json")
                        .toString(),
                "--queries",
                "2",
                "--warmup",
                "0",
                "--rerank-docs",
                "12",
                "--then-docs",
                "4",
                "--max-length",
                "128",
                "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode result = JSON.readTree(r[1]);
        assertThat(result.get("queries").asInt()).isEqualTo(2);
        assertThat(result.get("randomWeights").asBoolean()).isTrue();
        JsonNode m = result.get("methods");
        assertThat(m.get("bm25").get("pairsPerQuery").asDouble()).isZero();
        double first = m.get("first").get("pairsPerQuery").asDouble();
        // questions of the slice match far more than 12 paragraphs, so every pass scores the whole window
        assertThat(first).isEqualTo(12.0);
        assertThat(m.get("then").get("pairsPerQuery").asDouble()).isEqualTo(12.0);
        assertThat(m.get("cascade").get("pairsPerQuery").asDouble()).isEqualTo(16.0);
        assertThat(m.get("cascade").get("request").asText()).contains("then=second", "thenDocs=4");
        JsonNode cmp = result.get("cascadeVsSecondModel");
        assertThat(cmp.get("pairsOfSecondModel").asDouble()).isCloseTo(4 / 12.0, within(1e-9));
        // Both top-10 lists are drawn from the same 12 first-pass hits (the cascade's top 10 is the first model's,
        // its head of 4 reordered; the second model's is its own top 10 of the 12), so they share at least 8 of 10:
        // each query's overlap is 0.8, 0.9 or 1.0, and the mean of two is a multiple of 0.05 in [0.8, 1].
        double overlap = cmp.get("top10Overlap").asDouble();
        assertThat(overlap).isBetween(0.8, 1.0);
        assertThat(overlap * 20).isCloseTo(Math.rint(overlap * 20), within(1e-9));
        // Timings cannot be predicted; their order statistics can.
        double min = cmp.get("timeRatioMin").asDouble();
        double median = cmp.get("timeRatioMedian").asDouble();
        assertThat(min).isPositive();
        assertThat(median).isBetween(min, cmp.get("timeRatioMax").asDouble());
    }

    @Test
    void thenDocsAboveReRankDocsIsAUsageError() {
        String[] r = run(
                "bench-cascade",
                "--then-model",
                TestModels.testModelInt8().toString(),
                "--rerank-docs",
                "10",
                "--then-docs",
                "11");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--then-docs");
    }
}
