package io.github.jareranker.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.ScoringCancelledException;
import io.github.jareranker.encoder.ScoringStats;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.analysis.ja.JapaneseAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rescoring real Kuromoji/BM25 hits: order follows the engine's scores, ties keep first-pass
 * order, hits without text stay, explain nests both passes. Expected scores are computed with the
 * engine directly, on texts written out from {@link #DOCS} (never read through StoredTextReader).
 */
class CrossEncoderRescorerTest {
    private static final String[][] DOCS = {
        {"1", "東京の天気", "東京は今日は晴れです。明日は雨の予報です。"},
        {"2", "大阪の観光", "大阪城と道頓堀は人気の観光地です。天気が良い日に行きましょう。"},
        {"3", "京都の紅葉", "京都の紅葉は十一月が見頃です。天気予報を確認してください。"},
        {"4", "天気予報の見方", "天気図と降水確率の読み方を説明します。"},
        {"5", "", ""}, // no text at all
        {"6", "札幌の雪まつり", "札幌では二月に雪まつりが開かれます。寒い天気に備えましょう。"},
        {"7", "沖縄の海", "沖縄の海は一年中きれいです。天気が変わりやすいので注意。"},
    };

    private static CrossEncoder encoder;
    private static Directory directory;
    private static DirectoryReader reader;
    private static IndexSearcher searcher;

    @BeforeAll
    static void setUp() throws IOException {
        encoder = TestModels.loadTestModel();
        directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(new JapaneseAnalyzer()))) {
            for (int i = 0; i < DOCS.length; i++) {
                Document doc = new Document();
                doc.add(new StringField("id", DOCS[i][0], Field.Store.YES));
                if (!DOCS[i][1].isEmpty()) {
                    doc.add(new TextField("title", DOCS[i][1], Field.Store.YES));
                    doc.add(new TextField("body", DOCS[i][2], Field.Store.YES));
                }
                writer.addDocument(doc);
                if (i == 3) {
                    writer.commit(); // two segments, so docID order crosses a segment boundary
                }
            }
        }
        reader = DirectoryReader.open(directory);
        searcher = new IndexSearcher(reader);
    }

    @AfterAll
    static void tearDown() throws IOException {
        reader.close();
        directory.close();
        encoder.close();
    }

    private static TopDocs bm25(String text) throws ParseException, IOException {
        Query query = new QueryParser("body", new JapaneseAnalyzer()).parse(text);
        return searcher.search(query, 10);
    }

    /**
     * The text the model must read for a hit, written out from {@link #DOCS} (not read back through {@link
     * StoredTextReader}, the component that builds it): the non-empty values of {@code fields} in order, joined with
     * the default separator, a space.
     */
    private static String text(int docId, List<String> fields) throws IOException {
        String id = searcher.storedFields().document(docId).get("id");
        String[] row =
                Arrays.stream(DOCS).filter(r -> r[0].equals(id)).findFirst().orElseThrow();
        List<String> parts = new ArrayList<>();
        for (String field : fields) {
            String value = switch (field) {
                case "title" -> row[1];
                case "body" -> row[2];
                default -> throw new IllegalArgumentException(field);
            };
            if (!value.isEmpty()) {
                parts.add(value);
            }
        }
        return String.join(" ", parts);
    }

    @Test
    void theModelReadsTitleSpaceBody() throws Exception {
        int doc = findDoc("1");
        assertThat(text(doc, RescorerOptions.DEFAULT_FIELDS)).isEqualTo("東京の天気 東京は今日は晴れです。明日は雨の予報です。");
        assertThat(new StoredTextReader(RescorerOptions.DEFAULT_FIELDS, " ").read(searcher, new int[] {doc}))
                .containsExactly("東京の天気 東京は今日は晴れです。明日は雨の予報です。");
        assertThat(new StoredTextReader(RescorerOptions.DEFAULT_FIELDS, " ").read(searcher, new int[] {findDoc("5")}))
                .containsExactly("");
    }

    @Test
    void readsTheKeyFieldInTheSameVisitAsTheText() throws Exception {
        int[] docIds = new int[DOCS.length];
        for (int i = 0; i < docIds.length; i++) {
            docIds[i] = i; // one document per DOCS row, in index order
        }
        StoredTextReader withKey = new StoredTextReader(List.of("title", "body"), " ", "id");
        StoredTextReader.FieldsAndKeys read = withKey.readWithKeys(searcher, docIds);
        List<String[]> plain = new StoredTextReader(List.of("title", "body"), " ").readFields(searcher, docIds);
        for (int i = 0; i < DOCS.length; i++) {
            assertThat(read.keys().get(i)).isEqualTo(DOCS[i][0]);
            assertThat(read.parts().get(i)).containsExactly(plain.get(i));
            assertThat(read.parts().get(i)).containsExactly(DOCS[i][1], DOCS[i][2]);
        }
        assertThatThrownBy(() -> new StoredTextReader(List.of("body"), " ").readWithKeys(searcher, docIds))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reordersByModelScoreAndKeepsEveryHit() throws Exception {
        TopDocs firstPass = bm25("天気");
        assertThat(firstPass.scoreDocs.length).isGreaterThan(3);
        ScoreDoc[] before = Arrays.stream(firstPass.scoreDocs)
                .map(d -> new ScoreDoc(d.doc, d.score))
                .toArray(ScoreDoc[]::new);

        CrossEncoderRescorer rescorer = new CrossEncoderRescorer(encoder, "天気", RescorerOptions.defaults());
        TopDocs rescored = rescorer.rescore(searcher, firstPass, firstPass.scoreDocs.length);

        // The caller's hits are untouched.
        for (int i = 0; i < before.length; i++) {
            assertThat(firstPass.scoreDocs[i].doc).isEqualTo(before[i].doc);
            assertThat(firstPass.scoreDocs[i].score).isEqualTo(before[i].score);
        }
        // Same hits, scores equal the engine's (replace, weight 1), sorted descending.
        List<String> texts = new ArrayList<>();
        for (ScoreDoc hit : rescored.scoreDocs) {
            texts.add(text(hit.doc, RescorerOptions.DEFAULT_FIELDS));
        }
        float[] expected = encoder.score("天気", texts).scores();
        assertThat(Arrays.stream(rescored.scoreDocs)
                        .mapToInt(d -> d.doc)
                        .sorted()
                        .toArray())
                .isEqualTo(Arrays.stream(before).mapToInt(d -> d.doc).sorted().toArray());
        for (int i = 0; i < rescored.scoreDocs.length; i++) {
            assertThat(rescored.scoreDocs[i].score).isEqualTo(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
            if (i > 0) {
                assertThat(rescored.scoreDocs[i].score).isLessThanOrEqualTo(rescored.scoreDocs[i - 1].score);
            }
        }
        assertThat(rescored.totalHits).isEqualTo(firstPass.totalHits);
        // The model score of each hit stays available without another model run.
        for (int i = 0; i < rescored.scoreDocs.length; i++) {
            assertThat(rescorer.modelScore(rescored.scoreDocs[i].doc))
                    .hasValueCloseTo((double) expected[i], org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(rescorer.modelScore(-1)).isEmpty();
    }

    @Test
    void topNCutsTheList() throws Exception {
        TopDocs firstPass = bm25("天気");
        TopDocs full =
                new CrossEncoderRescorer(encoder, "天気", RescorerOptions.defaults()).rescore(searcher, firstPass, 100);
        TopDocs top2 =
                new CrossEncoderRescorer(encoder, "天気", RescorerOptions.defaults()).rescore(searcher, firstPass, 2);
        assertThat(top2.scoreDocs).hasSize(2);
        assertThat(top2.scoreDocs[0].doc).isEqualTo(full.scoreDocs[0].doc);
        assertThat(top2.scoreDocs[1].doc).isEqualTo(full.scoreDocs[1].doc);
    }

    @Test
    void tiesKeepFirstPassOrder() throws Exception {
        // Weight 0 makes every combined score 0: the result must be the first-pass order.
        TopDocs firstPass = searcher.search(new MatchAllDocsQuery(), 10);
        ScoreDoc[] shuffled = firstPass.scoreDocs.clone();
        java.util.Collections.reverse(Arrays.asList(shuffled));
        TopDocs reversed = new TopDocs(new TotalHits(shuffled.length, TotalHits.Relation.EQUAL_TO), shuffled);
        RescorerOptions zero = RescorerOptions.builder().weight(0f).build();
        TopDocs rescored = new CrossEncoderRescorer(encoder, "天気", zero).rescore(searcher, reversed, 10);
        assertThat(Arrays.stream(rescored.scoreDocs).mapToInt(d -> d.doc).toArray())
                .isEqualTo(Arrays.stream(shuffled).mapToInt(d -> d.doc).toArray());
    }

    @Test
    void hitsWithoutTextStayInTheList() throws Exception {
        TopDocs all = searcher.search(new MatchAllDocsQuery(), 10);
        int empty = findDoc("5");
        // Default: scored as an empty document by the model.
        TopDocs rescored =
                new CrossEncoderRescorer(encoder, "天気", RescorerOptions.defaults()).rescore(searcher, all, 10);
        assertThat(Arrays.stream(rescored.scoreDocs).mapToInt(d -> d.doc)).contains(empty);
        float emptyScore = encoder.score("天気", List.of("")).score(0);
        assertThat(scoreOf(rescored, empty)).isEqualTo(emptyScore);
        // With a fixed score for missing text.
        RescorerOptions fixed = RescorerOptions.builder().missingTextScore(-5f).build();
        TopDocs withFixed = new CrossEncoderRescorer(encoder, "天気", fixed).rescore(searcher, all, 10);
        assertThat(withFixed.scoreDocs[withFixed.scoreDocs.length - 1].doc).isEqualTo(empty);
        assertThat(scoreOf(withFixed, empty)).isEqualTo(-5f);
    }

    @Test
    void operatorsCombineLikeSolr() throws Exception {
        TopDocs firstPass = bm25("天気");
        for (CombineOperator op : List.of(CombineOperator.REPLACE, CombineOperator.ADD, CombineOperator.MULTIPLY)) {
            RescorerOptions options =
                    RescorerOptions.builder().operator(op).weight(2f).build();
            TopDocs rescored = new CrossEncoderRescorer(encoder, "天気", options).rescore(searcher, firstPass, 10);
            for (ScoreDoc hit : rescored.scoreDocs) {
                float first = scoreOf(firstPass, hit.doc);
                float model = encoder.score("天気", List.of(text(hit.doc, RescorerOptions.DEFAULT_FIELDS)))
                        .score(0);
                float expected = op == CombineOperator.REPLACE
                        ? 2f * model
                        : op == CombineOperator.ADD ? first + 2f * model : first * 2f * model;
                assertThat(hit.score).as(op.name()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void rrfFusesFirstPassAndModelRanksOfTheWindow() throws Exception {
        TopDocs firstPass = bm25("天気");
        int n = firstPass.scoreDocs.length;
        float[] model = new float[n];
        for (int i = 0; i < n; i++) {
            model[i] = encoder.score("天気", List.of(text(firstPass.scoreDocs[i].doc, RescorerOptions.DEFAULT_FIELDS)))
                    .score(0);
        }
        RescorerOptions rrf =
                RescorerOptions.builder().operator(CombineOperator.RRF).rrfK(10).build();
        CrossEncoderRescorer rescorer = new CrossEncoderRescorer(encoder, "天気", rrf);
        TopDocs rescored = rescorer.rescore(searcher, firstPass, n);
        for (ScoreDoc hit : rescored.scoreDocs) {
            int fpRank = 0;
            while (firstPass.scoreDocs[fpRank].doc != hit.doc) {
                fpRank++;
            }
            int modelRank = 1; // 1 + hits with a higher model score, or an equal one earlier in first pass
            for (int j = 0; j < n; j++) {
                if (model[j] > model[fpRank] || (model[j] == model[fpRank] && j < fpRank)) {
                    modelRank++;
                }
            }
            float expected = (float) (1.0 / (10 + fpRank + 1) + 1.0 / (10 + modelRank));
            assertThat(hit.score).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-7f));
            Explanation e =
                    rescorer.explain(searcher, Explanation.match(firstPass.scoreDocs[fpRank].score, "bm25"), hit.doc);
            assertThat(e.getValue().floatValue()).isEqualTo(hit.score);
            assertThat(e.getDescription()).contains("first-pass rank " + (fpRank + 1) + ", model rank " + modelRank);
        }
    }

    @Test
    void fieldsAreConfigurable() throws Exception {
        TopDocs firstPass = bm25("天気");
        RescorerOptions titleOnly =
                RescorerOptions.builder().fields(List.of("title")).build();
        TopDocs rescored = new CrossEncoderRescorer(encoder, "天気", titleOnly).rescore(searcher, firstPass, 10);
        for (ScoreDoc hit : rescored.scoreDocs) {
            float expected = encoder.score("天気", List.of(text(hit.doc, List.of("title"))))
                    .score(0);
            assertThat(hit.score).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void explainNestsFirstAndSecondPass() throws Exception {
        TopDocs firstPass = bm25("天気");
        RescorerOptions add = RescorerOptions.builder()
                .operator(CombineOperator.ADD)
                .weight(3f)
                .build();
        CrossEncoderRescorer rescorer = new CrossEncoderRescorer(encoder, "天気", add);
        TopDocs rescored = rescorer.rescore(searcher, firstPass, 10);
        ScoreDoc top = rescored.scoreDocs[0];
        Query query = new QueryParser("body", new JapaneseAnalyzer()).parse("天気");
        Explanation firstPassExplanation = searcher.explain(query, top.doc);
        Explanation explanation = rescorer.explain(searcher, firstPassExplanation, top.doc);
        assertThat(explanation.getValue().floatValue())
                .isCloseTo(top.score, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(explanation.getDescription()).contains("firstPass + 3.0 * model");
        assertThat(explanation.getDetails()).hasSize(2);
        assertThat(explanation.getDetails()[0].getDescription()).isEqualTo("first pass score");
        assertThat(explanation.getDetails()[0].getDetails()[0]).isEqualTo(firstPassExplanation);
        assertThat(explanation.getDetails()[1].getDescription()).startsWith("second pass score");

        // A fresh rescorer (explain without a preceding rescore) computes the same explanation value.
        Explanation fresh =
                new CrossEncoderRescorer(encoder, "天気", add).explain(searcher, firstPassExplanation, top.doc);
        assertThat(fresh.getValue().floatValue()).isCloseTo(top.score, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void cancellationStopsAndReportsNothingPartial() throws Exception {
        TopDocs firstPass = bm25("天気");
        float[] firstPassScores = new float[firstPass.scoreDocs.length];
        for (int i = 0; i < firstPassScores.length; i++) {
            firstPassScores[i] = firstPass.scoreDocs[i].score;
        }
        AtomicReference<ScoringStats> reported = new AtomicReference<>();
        CrossEncoderRescorer rescorer =
                new CrossEncoderRescorer(encoder, "天気", RescorerOptions.defaults(), () -> true, reported::set);
        assertThatThrownBy(() -> rescorer.rescore(searcher, firstPass, 10))
                .isInstanceOf(ScoringCancelledException.class);
        // Nothing partial: no stats reported, no model score remembered, the caller's hits untouched.
        assertThat(reported.get()).isNull();
        for (int i = 0; i < firstPassScores.length; i++) {
            assertThat(rescorer.modelScore(firstPass.scoreDocs[i].doc)).isEmpty();
            assertThat(firstPass.scoreDocs[i].score).isEqualTo(firstPassScores[i]);
        }
    }

    @Test
    void statsListenerSeesEveryPair() throws Exception {
        TopDocs firstPass = bm25("天気");
        AtomicReference<ScoringStats> seen = new AtomicReference<>();
        new CrossEncoderRescorer(encoder, "天気", RescorerOptions.defaults(), () -> false, seen::set)
                .rescore(searcher, firstPass, 10);
        assertThat(seen.get().pairs()).isEqualTo(firstPass.scoreDocs.length);
        assertThat(seen.get().tokens()).isPositive();
        assertThat(seen.get().paddedTokens()).isGreaterThanOrEqualTo(seen.get().tokens());
    }

    private static int findDoc(String id) throws IOException {
        TopDocs hits =
                searcher.search(new org.apache.lucene.search.TermQuery(new org.apache.lucene.index.Term("id", id)), 1);
        return hits.scoreDocs[0].doc;
    }

    private static float scoreOf(TopDocs docs, int doc) {
        for (ScoreDoc d : docs.scoreDocs) {
            if (d.doc == doc) {
                return d.score;
            }
        }
        throw new AssertionError("doc " + doc + " not in the list");
    }
}
