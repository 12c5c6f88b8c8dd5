package io.github.jareranker.evaluation.jsquad;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.evaluation.Evaluator;
import io.github.jareranker.evaluation.Metric;
import io.github.jareranker.evaluation.Qrels;
import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.TieBreak;
import io.github.jareranker.evaluation.report.ProgressBar;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSQuAD workload as read from ../shared/data (the Solr benchmark itself is not a unit test). */
class JsquadDatasetTest {
  private static Path validFile() {
    Path f = TestModels.sharedData().resolve("jsquad-v1.3/valid-v1.3.json");
    assertThat(f).as("../shared/data/jsquad-v1.3 (see ../shared/data/README.md)").isRegularFile();
    return f;
  }

  @Test
  void readsParagraphsQuestionsAndOwnParagraphJudgments() throws IOException {
    JsquadDataset d = JsquadDataset.read(validFile());
    assertThat(d.split()).isEqualTo("valid");
    assertThat(d.paragraphs()).hasSize(1145);
    assertThat(d.questions()).hasSize(4442);
    JsquadDataset.Paragraph first = d.paragraphs().get(0);
    assertThat(first.id()).isEqualTo("jsquad-valid-0-0");
    assertThat(first.title()).isEqualTo("梅雨");
    assertThat(first.text()).startsWith("梅雨（つゆ、ばいう）は").doesNotContain("[SEP]");
    Qrels q = d.qrels();
    assertThat(q.size()).isEqualTo(4442);
    assertThat(q.judgments(d.questions().get(0).qid())).containsOnlyKeys("jsquad-valid-0-0");
    assertThat(d.limitQuestions(10).questions()).hasSize(10);
    assertThat(d.paragraph("jsquad-valid-0-0")).isSameAs(first);
  }

  @Test
  void localRerankingRescoresTheFirstStageHitsWithTheTestModel() throws Exception {
    JsquadDataset d = JsquadDataset.read(validFile()).limitQuestions(3);
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
      assertThat(reranked.results(qid)).extracting(Run.ScoredDoc::docId)
          .containsExactlyInAnyOrderElementsOf(bm25.results(qid).stream().map(Run.ScoredDoc::docId).toList());
    }
    double recall = Evaluator.ranx().evaluate(d.qrels(), reranked, List.of(Metric.parse("recall@100"))).mean("recall@100");
    assertThat(recall).isEqualTo(Evaluator.ranx().evaluate(d.qrels(), bm25, List.of(Metric.parse("recall@100"))).mean("recall@100"));
    assertThat(reranked.ranked(reranked.queryIds().iterator().next(), TieBreak.RANX)).hasSize(3);
  }

  @Test
  void sampleIsDeterministicDistinctAndInFileOrder() throws IOException {
    JsquadDataset d = JsquadDataset.read(validFile());
    JsquadDataset a = d.sampleQuestions(50, 7);
    JsquadDataset b = d.sampleQuestions(50, 7);
    JsquadDataset c = d.sampleQuestions(50, 8);
    List<String> qa = a.questions().stream().map(JsquadDataset.Question::qid).toList();
    assertThat(qa).hasSize(50).doesNotHaveDuplicates();
    assertThat(b.questions().stream().map(JsquadDataset.Question::qid).toList()).isEqualTo(qa);
    assertThat(c.questions().stream().map(JsquadDataset.Question::qid).toList()).isNotEqualTo(qa);
    List<String> all = d.questions().stream().map(JsquadDataset.Question::qid).toList();
    List<Integer> positions = qa.stream().map(all::indexOf).toList();
    assertThat(positions).isSorted().doesNotContain(-1);
    assertThat(a.paragraphs()).hasSameSizeAs(d.paragraphs());
    assertThat(a.qrels().size()).isEqualTo(50);
    assertThat(d.sampleQuestions(0, 7)).isSameAs(d);
    assertThat(d.sampleQuestions(1_000_000, 7)).isSameAs(d);
  }
}
