package io.github.jareranker.evaluation.jsquad;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.evaluation.Evaluator;
import io.github.jareranker.evaluation.Metric;
import io.github.jareranker.evaluation.Qrels;
import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.TieBreak;
import io.github.jareranker.evaluation.data.DataLocations;
import io.github.jareranker.evaluation.report.ProgressBar;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSQuAD workload (the Solr benchmark itself is not a unit test), read from the committed subset
 * (evaluation/data/jsquad: the first 5 articles of valid-v1.3.json, counted with jq in its README)
 * and, where present, from the full valid file ({@link DataLocations}; skipped by name otherwise).
 */
class JsquadDatasetTest {
    /** The committed subset; its counts are in evaluation/data/jsquad/README.md (jq, not this reader). */
    private static Path subsetFile() {
        Path f = DataLocations.vendoredJsquad(TestModels.repoRoot());
        assertThat(f).as("committed JSQuAD subset (evaluation/data/jsquad)").isRegularFile();
        return f;
    }

    /** The full valid-v1.3.json, or the test is skipped, naming the data and how to get it. */
    private static Path fullValidFile() {
        Path root = TestModels.repoRoot();
        Assumptions.assumeTrue(
                DataLocations.jsquad(root, "valid").isPresent(),
                () -> DataLocations.missing(root, "full JSQuAD v1.3 valid file (jsquad-v1.3/valid-v1.3.json)"));
        return DataLocations.jsquad(root, "valid").get();
    }

    static Stream<Arguments> files() {
        return Stream.of(Arguments.of("committed subset"), Arguments.of("full valid set"));
    }

    private static Path file(String which) {
        return which.equals("full valid set") ? fullValidFile() : subsetFile();
    }

    @Test
    void readsParagraphsQuestionsAndOwnParagraphJudgments() throws IOException {
        readsTheDocumentedShape(subsetFile(), 158, 635);
    }

    @Test
    void fullValidSetHasTheDocumentedShape() throws IOException {
        readsTheDocumentedShape(fullValidFile(), 1145, 4442);
    }

    private static void readsTheDocumentedShape(Path file, int paragraphs, int questions) throws IOException {
        JsquadDataset d = JsquadDataset.read(file);
        assertThat(d.split()).isEqualTo("valid");
        assertThat(d.paragraphs()).hasSize(paragraphs);
        assertThat(d.questions()).hasSize(questions);
        JsquadDataset.Paragraph first = d.paragraphs().get(0);
        assertThat(first.id()).isEqualTo("jsquad-valid-0-0");
        assertThat(first.title()).isEqualTo("梅雨");
        assertThat(first.text()).startsWith("梅雨（つゆ、ばいう）は").doesNotContain("[SEP]");
        Qrels q = d.qrels();
        assertThat(q.size()).isEqualTo(questions);
        assertThat(q.judgments(d.questions().get(0).qid())).containsOnlyKeys("jsquad-valid-0-0");
        assertThat(d.limitQuestions(10).questions()).hasSize(10);
        assertThat(d.paragraph("jsquad-valid-0-0")).isSameAs(first);
    }

    @Test
    void localRerankingRescoresTheFirstStageHitsWithTheTestModel() throws Exception {
        JsquadDataset d = JsquadDataset.read(subsetFile()).limitQuestions(3);
        // a fake first stage: each question retrieves the first three paragraphs
        Run.Builder b = Run.builder("bm25");
        for (JsquadDataset.Question q : d.questions()) {
            for (int i = 0; i < 3; i++) {
                b.add(q.qid(), d.paragraphs().get(i).id(), 3 - i);
            }
        }
        Run bm25 = b.build();
        Run reranked;
        try (CrossEncoder enc = TestModels.loadTestModel()) {
            reranked = JsquadBenchmark.rerankLocally(d, bm25, enc, ProgressBar.disabled());
        }
        assertThat(reranked.queryIds()).containsExactlyElementsOf(bm25.queryIds());
        for (String qid : reranked.queryIds()) {
            assertThat(reranked.results(qid))
                    .extracting(Run.ScoredDoc::docId)
                    .containsExactlyInAnyOrderElementsOf(
                            bm25.results(qid).stream().map(Run.ScoredDoc::docId).toList());
        }
        double recall = Evaluator.ranx()
                .evaluate(d.qrels(), reranked, List.of(Metric.parse("recall@100")))
                .mean("recall@100");
        assertThat(recall)
                .isEqualTo(Evaluator.ranx()
                        .evaluate(d.qrels(), bm25, List.of(Metric.parse("recall@100")))
                        .mean("recall@100"));
        assertThat(reranked.ranked(reranked.queryIds().iterator().next(), TieBreak.RANX))
                .hasSize(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void sampleIsDeterministicDistinctAndInFileOrder(String which) throws IOException {
        JsquadDataset d = JsquadDataset.read(file(which));
        JsquadDataset a = d.sampleQuestions(50, 7);
        JsquadDataset b = d.sampleQuestions(50, 7);
        JsquadDataset c = d.sampleQuestions(50, 8);
        List<String> qa =
                a.questions().stream().map(JsquadDataset.Question::qid).toList();
        assertThat(qa).hasSize(50).doesNotHaveDuplicates();
        assertThat(b.questions().stream().map(JsquadDataset.Question::qid).toList())
                .isEqualTo(qa);
        assertThat(c.questions().stream().map(JsquadDataset.Question::qid).toList())
                .isNotEqualTo(qa);
        List<String> all =
                d.questions().stream().map(JsquadDataset.Question::qid).toList();
        List<Integer> positions = qa.stream().map(all::indexOf).toList();
        assertThat(positions).isSorted().doesNotContain(-1);
        assertThat(a.paragraphs()).hasSameSizeAs(d.paragraphs());
        assertThat(a.qrels().size()).isEqualTo(50);
        assertThat(d.sampleQuestions(0, 7)).isSameAs(d);
        assertThat(d.sampleQuestions(1_000_000, 7)).isSameAs(d);
    }
}
