package io.github.jareranker.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class OracleRunTest {
    @Test
    void reordersCandidatesByGradeAndCannotAddMissingDocuments() {
        Qrels qrels = Qrels.builder()
                .add("q1", "a", 2)
                .add("q1", "b", 1)
                .add("q1", "m", 1) // relevant but not a candidate
                .add("q2", "c", 1)
                .build();
        Run run = Run.builder("bm25")
                .add("q1", "x", 3.0)
                .add("q1", "b", 2.0)
                .add("q1", "a", 1.0)
                .add("q2", "y", 2.0)
                .add("q2", "z", 1.0) // q2: the relevant document is not among the candidates
                .build();
        Run oracle = OracleRun.of(qrels, run, TieBreak.INPUT_ORDER);
        assertThat(oracle.ranked("q1", TieBreak.RANX).stream().map(Run.ScoredDoc::docId))
                .containsExactly("a", "b", "x");
        assertThat(oracle.ranked("q2", TieBreak.RANX).stream().map(Run.ScoredDoc::docId))
                .containsExactly("y", "z");
        List<Metric> ndcg = Metric.parseList("ndcg@10");
        Evaluation e = Evaluator.ranx().evaluate(qrels, oracle, ndcg);
        // q1: DCG of grades (2, 1, 0) over the ideal (2, 1, 1), exponential-free ranx gains (rel / log2(rank + 1)).
        double dcg = 2 + 1 / (Math.log(3) / Math.log(2));
        double idcg = dcg + 1 / 2.0;
        assertThat(e.scores(e.metric("ndcg@10"))).containsExactly(dcg / idcg, 0.0);
        double runScore = Evaluator.ranx().evaluate(qrels, run, ndcg).mean("ndcg@10");
        assertThat(e.mean("ndcg@10")).isGreaterThan(runScore);
        assertThat(e.mean("ndcg@10")).isCloseTo(dcg / idcg / 2, within(1e-12));
    }
}
