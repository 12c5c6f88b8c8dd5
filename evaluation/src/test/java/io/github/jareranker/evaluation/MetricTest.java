package io.github.jareranker.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-query metric values worked out by hand from ranx's definitions. */
class MetricTest {
    private static final double EPS = 1e-12;
    // ranking d1..d5; d2 and d4 relevant (binary); d9 relevant but not retrieved
    private static final List<String> RANKED = List.of("d1", "d2", "d3", "d4", "d5");
    private static final Map<String, Integer> BINARY = Map.of("d2", 1, "d4", 1, "d9", 1, "d3", 0);

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void binaryMetrics() {
        assertThat(Metric.parse("mrr@10").score(RANKED, BINARY)).isCloseTo(0.5, within(EPS));
        assertThat(Metric.parse("mrr@1").score(RANKED, BINARY)).isZero();
        // AP divides by all 3 relevant documents, not by min(k, R)
        assertThat(Metric.parse("map@10").score(RANKED, BINARY)).isCloseTo((1.0 / 2 + 2.0 / 4) / 3, within(EPS));
        assertThat(Metric.parse("map@3").score(RANKED, BINARY)).isCloseTo((1.0 / 2) / 3, within(EPS));
        assertThat(Metric.parse("recall@4").score(RANKED, BINARY)).isCloseTo(2.0 / 3, within(EPS));
        // precision divides by the k asked for, even beyond the 5 retrieved
        assertThat(Metric.parse("precision@10").score(RANKED, BINARY)).isCloseTo(0.2, within(EPS));
        assertThat(Metric.parse("precision").score(RANKED, BINARY)).isCloseTo(0.4, within(EPS));
        assertThat(Metric.parse("hit_rate@1").score(RANKED, BINARY)).isZero();
        assertThat(Metric.parse("hit_rate@2").score(RANKED, BINARY)).isEqualTo(1.0);
        assertThat(Metric.parse("hits@5").score(RANKED, BINARY)).isEqualTo(2.0);
        double dcg = 1 / log2(3) + 1 / log2(5);
        double idcg = 1 + 1 / log2(3) + 1 / log2(4); // 3 relevant (the judged-0 d3 ranks last)
        assertThat(Metric.parse("ndcg@10").score(RANKED, BINARY)).isCloseTo(dcg / idcg, within(EPS));
        assertThat(Metric.parse("ndcg@10").score(RANKED, BINARY))
                .isCloseTo(Metric.parse("ndcg_burges@10").score(RANKED, BINARY), within(EPS));
    }

    @Test
    void gradedNdcgUsesRelevanceAsGainAndBurgesUsesExponentialGain() {
        Map<String, Integer> graded = Map.of("d1", 1, "d3", 3, "d7", 2);
        double dcg = 1 / log2(2) + 3 / log2(4);
        double idcg = 3 / log2(2) + 2 / log2(3) + 1 / log2(4);
        assertThat(Metric.parse("ndcg@5").score(RANKED, graded)).isCloseTo(dcg / idcg, within(EPS));
        double dcgB = 1 / log2(2) + 7 / log2(4);
        double idcgB = 7 / log2(2) + 3 / log2(3) + 1 / log2(4);
        assertThat(Metric.parse("ndcg_burges@5").score(RANKED, graded)).isCloseTo(dcgB / idcgB, within(EPS));
        // ideal ranking cut at k = 2
        double idcg2 = 3 / log2(2) + 2 / log2(3);
        assertThat(Metric.parse("ndcg@2").score(RANKED, graded)).isCloseTo((1 / log2(2)) / idcg2, within(EPS));
        // relevance level 2: d1 (rel 1) no longer counts
        double dcgL2 = 3 / log2(4);
        double idcgL2 = 3 / log2(2) + 2 / log2(3);
        assertThat(Metric.parse("ndcg@5-l2").score(RANKED, graded)).isCloseTo(dcgL2 / idcgL2, within(EPS));
        assertThat(Metric.parse("mrr@5-l2").score(RANKED, graded)).isCloseTo(1.0 / 3, within(EPS));
    }

    @Test
    void noRelevantDocumentOrNothingRetrievedScoresZero() {
        for (String m : List.of("ndcg@10", "mrr@10", "map@10", "recall@10", "precision@10", "hit_rate@10")) {
            assertThat(Metric.parse(m).score(RANKED, Map.of("d1", 0))).as(m).isZero();
            assertThat(Metric.parse(m).score(List.of(), BINARY)).as(m).isZero();
        }
    }

    @Test
    void parsesRanxNamesAndKeepsTheLabel() {
        Metric m = Metric.parse(" NDCG@10 ");
        assertThat(m.label()).isEqualTo("NDCG@10");
        assertThat(m.kind()).isEqualTo(Metric.Kind.NDCG);
        assertThat(m.k()).isEqualTo(10);
        assertThat(Metric.parse("map").k()).isZero();
        assertThat(Metric.parse("ndcg@10-l2").relevanceLevel()).isEqualTo(2);
        assertThat(Metric.parseList("ndcg@10,mrr@10")).extracting(Metric::label).containsExactly("ndcg@10", "mrr@10");
    }

    @Test
    void rejectsUnknownOrMalformedMetrics() {
        assertThatThrownBy(() -> Metric.parse("ndgc@10")).hasMessageContaining("unknown metric 'ndgc@10'");
        assertThatThrownBy(() -> Metric.parse("ndcg@x")).hasMessageContaining("cutoff k 'x'");
        assertThatThrownBy(() -> Metric.parseList("mrr@10,mrr@10")).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> Metric.parseList(" , ")).hasMessageContaining("no metric");
    }
}
