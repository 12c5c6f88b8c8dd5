package io.github.jareranker.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.ScoringStats;
import io.github.jareranker.passage.PassageAggregation;
import io.github.jareranker.passage.PassageOptions;
import io.github.jareranker.passage.PassageScores;
import io.github.jareranker.passage.ScoredPassage;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.analysis.ja.JapaneseAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link CrossEncoderRescorer} with {@link RescorerOptions#passages()}: MaxP, snippets, explain. */
class PassageRescorerTest {
    private static final String QUERY = "粗大ごみの出し方";
    private static final String LONG_BODY =
            ("市では家庭ごみを五種類に分けて収集しています。燃えるごみは月曜日に出してください。\n" + "資源ごみは水曜日です。").repeat(12) + "粗大ごみは電話で申し込み、処理券を貼って出してください。";

    private static CrossEncoder encoder;
    private static DirectoryReader reader;
    private static IndexSearcher searcher;

    @BeforeAll
    static void setUp() throws IOException {
        encoder = TestModels.loadTestModel();
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(new JapaneseAnalyzer()))) {
            String[][] docs = {{"ごみの出し方", LONG_BODY}, {"短いお知らせ", "図書館は月曜日が休館日です。"}};
            for (String[] d : docs) {
                Document doc = new Document();
                doc.add(new TextField("title", d[0], Field.Store.YES));
                doc.add(new TextField("body", d[1], Field.Store.YES));
                writer.addDocument(doc);
            }
        }
        reader = DirectoryReader.open(directory);
        searcher = new IndexSearcher(reader);
    }

    @AfterAll
    static void tearDown() throws IOException {
        reader.close();
        encoder.close();
    }

    private static RescorerOptions withPassages(PassageOptions p) {
        return RescorerOptions.builder().passages(p).build();
    }

    @Test
    void maxPScoresEachHitByItsBestPassageWithTheTitleInFront() throws IOException {
        TopDocs first = searcher.search(new MatchAllDocsQuery(), 10);
        List<ScoringStats> stats = new ArrayList<>();
        CrossEncoderRescorer rescorer = new CrossEncoderRescorer(
                encoder,
                QUERY,
                withPassages(PassageOptions.builder().passageTokens(64).build()),
                io.github.jareranker.encoder.Cancellation.NONE,
                stats::add);
        TopDocs reranked = rescorer.rescore(searcher, first, 10);

        PassageScores longDoc = rescorer.passages(0).orElseThrow();
        assertThat(longDoc.passageCount()).isGreaterThan(8);
        assertThat(longDoc.scored()).hasSize(8);
        float max = Float.NEGATIVE_INFINITY;
        for (ScoredPassage p : longDoc.scored()) {
            assertThat(p.passage().text()).startsWith("ごみの出し方 ");
            assertThat(p.passage().text())
                    .isEqualTo("ごみの出し方 " + p.passage().span().of(LONG_BODY));
            max = Math.max(
                    max, encoder.score(QUERY, List.of(p.passage().text())).score(0));
        }
        assertThat((float) rescorer.modelScore(0).getAsDouble()).isCloseTo(max, within(1e-5f));
        // the short hit is one passage: exactly today's text
        float shortAlone =
                encoder.score(QUERY, List.of("短いお知らせ 図書館は月曜日が休館日です。")).score(0);
        assertThat((float) rescorer.modelScore(1).getAsDouble()).isCloseTo(shortAlone, within(1e-5f));
        // one engine call for both hits' passages
        assertThat(stats).hasSize(1);
        assertThat(stats.get(0).pairs()).isEqualTo(8 + 1);
        assertThat(Arrays.stream(reranked.scoreDocs).mapToInt(sd -> sd.doc)).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void explainListsTheScoredPassagesAndMarksTheBest() throws IOException {
        TopDocs first = searcher.search(new MatchAllDocsQuery(), 10);
        CrossEncoderRescorer rescorer = new CrossEncoderRescorer(
                encoder,
                QUERY,
                withPassages(PassageOptions.builder()
                        .passageTokens(64)
                        .maxPassages(3)
                        .maxDocumentChars(600)
                        .build()));
        ScoreDoc[] hits = rescorer.rescore(searcher, first, 10).scoreDocs;
        int docId = 0;
        Explanation e = rescorer.explain(searcher, searcher.explain(new MatchAllDocsQuery(), docId), docId);
        String text = e.toString();
        assertThat(text).contains("passages=max", "max of 3 passage scores", "best passage ");
        assertThat(text).contains("of " + rescorer.passages(docId).orElseThrow().passageCount() + " scored");
        assertThat(text).contains("body cut at maxDocumentChars=600 of " + LONG_BODY.length());
        Explanation second = e.getDetails()[1];
        assertThat(second.getValue().floatValue())
                .isEqualTo((float) rescorer.modelScore(docId).getAsDouble());
        assertThat(hits).isNotEmpty();
    }

    @Test
    void firstPIsTheTruncatedTextForAHitThatFits() throws IOException {
        TopDocs first = searcher.search(new MatchAllDocsQuery(), 10);
        CrossEncoderRescorer firstP = new CrossEncoderRescorer(
                encoder,
                QUERY,
                withPassages(PassageOptions.builder()
                        .aggregation(PassageAggregation.FIRST)
                        .build()));
        CrossEncoderRescorer today = new CrossEncoderRescorer(encoder, QUERY, RescorerOptions.defaults());
        firstP.rescore(searcher, first, 10);
        today.rescore(searcher, first, 10);
        assertThat(firstP.modelScore(1).getAsDouble())
                .isCloseTo(today.modelScore(1).getAsDouble(), within(1e-5));
        assertThat(firstP.passages(0).orElseThrow().scored()).hasSize(1);
    }

    @Test
    void passageOptionsTakePartInEquality() {
        assertThat(withPassages(PassageOptions.builder().build()))
                .isEqualTo(withPassages(PassageOptions.builder().build()));
        assertThat(withPassages(PassageOptions.builder().build())).isNotEqualTo(RescorerOptions.defaults());
    }
}
