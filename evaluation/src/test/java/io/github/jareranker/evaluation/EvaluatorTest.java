package io.github.jareranker.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    private static final List<Metric> METRICS = Metric.parseList("mrr@10,recall@2");

    @Test
    void averagesOverQrelsQueriesMissingQueriesScoreZeroExtraRunQueriesIgnored() {
        Qrels qrels = Qrels.builder()
                .add("q1", "a", 1)
                .add("q2", "b", 1)
                .add("q3", "c", 0)
                .build();
        Run run = Run.builder("r")
                .add("q1", "x", 2.0)
                .add("q1", "a", 1.0) // a at rank 2
                .add("q9", "z", 1.0) // not judged: ignored
                .build();
        Evaluation e = Evaluator.ranx().evaluate(qrels, run, METRICS);
        assertThat(e.queryIds()).containsExactly("q1", "q2", "q3");
        assertThat(e.scores(e.metric("mrr@10"))).containsExactly(0.5, 0.0, 0.0);
        assertThat(e.mean("mrr@10")).isCloseTo(0.5 / 3, within(1e-15));
        assertThat(e.missingFromRun()).containsExactly("q2", "q3");
        assertThat(e.ignoredRunQueries()).isEqualTo(1);
    }

    @Test
    void tieBreakDecidesTheOrderOfEqualScores() {
        Qrels qrels = Qrels.builder().add("q", "b", 1).build();
        Run run = Run.builder("r").add("q", "b", 1.0).add("q", "a", 1.0).build();
        assertThat(new Evaluator(TieBreak.INPUT_ORDER)
                        .evaluate(qrels, run, METRICS)
                        .mean("mrr@10"))
                .isEqualTo(1.0);
        assertThat(new Evaluator(TieBreak.DOC_ID).evaluate(qrels, run, METRICS).mean("mrr@10"))
                .isEqualTo(0.5);
        // fewer than 16 documents: Numba's quicksort is an insertion sort, which keeps input order
        assertThat(Evaluator.ranx().evaluate(qrels, run, METRICS).mean("mrr@10"))
                .isEqualTo(1.0);
    }

    @Test
    void winsTiesAndLossesPerQuery() {
        Qrels qrels = Qrels.builder()
                .add("q1", "a", 1)
                .add("q2", "b", 1)
                .add("q3", "c", 1)
                .build();
        Run base = Run.builder("bm25")
                .add("q1", "a", 1)
                .add("q2", "x", 2)
                .add("q2", "b", 1)
                .add("q3", "y", 1)
                .build();
        Run better = Run.builder("rr")
                .add("q1", "a", 1)
                .add("q2", "b", 2)
                .add("q2", "x", 1)
                .add("q3", "y", 1)
                .build();
        Metric mrr = Metric.parse("mrr@10");
        Evaluation.WinTieLoss w = Evaluator.ranx()
                .evaluate(qrels, better, List.of(mrr))
                .compare(Evaluator.ranx().evaluate(qrels, base, List.of(mrr)), mrr);
        assertThat(w.wins()).isEqualTo(1);
        assertThat(w.ties()).isEqualTo(2);
        assertThat(w.losses()).isZero();
        assertThat(w.wonQueries()).containsExactly("q2");
    }

    @Test
    void numbaQuicksortSortsAscendingWithNanLast() {
        Random random = new Random(42);
        for (int n : new int[] {0, 1, 2, 15, 16, 17, 100, 1000}) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = i % 7 == 3 ? Double.NaN : random.nextInt(10); // many ties and some NaN
            }
            int[] r = NumbaQuicksort.argsort(a);
            assertThat(r).hasSize(n);
            assertThat(java.util.Arrays.stream(r).sorted().toArray())
                    .isEqualTo(java.util.stream.IntStream.range(0, n).toArray());
            for (int i = 1; i < n; i++) {
                double prev = a[r[i - 1]];
                double cur = a[r[i]];
                assertThat(Double.isNaN(prev) ? Double.isNaN(cur) : (Double.isNaN(cur) || prev <= cur))
                        .as("n=%d i=%d", n, i)
                        .isTrue();
            }
        }
    }

    @Test
    void numbaQuicksortIsNotStableOnLongArrays() {
        // 16 equal values take the partition path: the median-of-three swaps and the pivot stash move
        // tied elements, exactly as in Numba; a stable sort would return 0..15.
        double[] a = new double[16];
        int[] r = NumbaQuicksort.argsort(a);
        assertThat(r).isNotEqualTo(java.util.stream.IntStream.range(0, 16).toArray());
        // hand-traced from numba/misc/quicksort.py: mid = 7, no median-of-three swap; the pivot is
        // stashed at 15 (swap 7<->15); i and j swap pairs (0,14), (1,13), ..., (6,8) and meet at 7; the
        // pivot goes back to 7 (swap 7<->15). Both halves are then shorter than 16: insertion sort,
        // which leaves equal values in place.
        assertThat(r).containsExactly(14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 15);
    }
}
