package io.github.jareranker.evaluation.jsquad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.evaluation.Qrels;
import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.TieBreak;
import io.github.jareranker.evaluation.data.DataLocations;
import io.github.jareranker.evaluation.report.ProgressBar;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        Map<String, List<String>> expected = new HashMap<>();
        Map<String, Map<String, Float>> logits = new HashMap<>();
        try (CrossEncoder enc = TestModels.loadTestModel()) {
            reranked = JsquadBenchmark.rerankLocally(d, bm25, enc, ProgressBar.disabled());
            // The model's own order, pair by pair: (question, title + " " + paragraph), logits descending, ties in
            // BM25 order.
            for (JsquadDataset.Question q : d.questions()) {
                Map<String, Float> byDoc = new HashMap<>();
                List<String> order = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    JsquadDataset.Paragraph p = d.paragraphs().get(i);
                    byDoc.put(
                            p.id(),
                            enc.score(q.question(), List.of(p.title() + " " + p.text()))
                                    .logit(0));
                    order.add(p.id());
                }
                order.sort(Comparator.comparingDouble(id -> -byDoc.get(id)));
                expected.put(q.qid(), order);
                logits.put(q.qid(), byDoc);
            }
        }
        assertThat(reranked.queryIds()).containsExactlyElementsOf(bm25.queryIds());
        boolean anyMoved = false;
        for (String qid : reranked.queryIds()) {
            List<Run.ScoredDoc> got = reranked.ranked(qid, TieBreak.INPUT_ORDER);
            assertThat(got).extracting(Run.ScoredDoc::docId).containsExactlyElementsOf(expected.get(qid));
            for (Run.ScoredDoc doc : got) {
                assertThat(doc.score()).isCloseTo(logits.get(qid).get(doc.docId()), within(1e-5));
            }
            List<String> firstStage = bm25.ranked(qid, TieBreak.INPUT_ORDER).stream()
                    .map(Run.ScoredDoc::docId)
                    .toList();
            anyMoved |= !firstStage.equals(expected.get(qid));
        }
        // Otherwise the BM25 order returned unchanged would pass.
        assertThat(anyMoved)
                .as("the model reorders at least one question's hits")
                .isTrue();
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
