package io.github.jareranker.solr;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.lucene.CrossEncoderRescorer;
import io.github.jareranker.lucene.RescorerOptions;
import io.github.jareranker.testing.TestModels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.analysis.ja.JapaneseAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.solr.SolrTestCase;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@link Cascade#apply} without Solr: the second model reorders the head of stage 1, its scores are shifted above
 * every stage-1-only hit, and the rest keeps its stage-1 order and scores. Expected orders and shifts come from the
 * test model scoring the texts directly.
 */
public class CascadeTest extends SolrTestCase {
    private static final String QUERY = "天気予報";
    private static final String[] TEXTS = {
        "東京は今日は晴れです。明日は雨の予報です。",
        "大阪城と道頓堀は人気の観光地です。",
        "天気図と降水確率の読み方を説明します。",
        "札幌では二月に雪まつりが開かれます。",
        "沖縄の海は一年中きれいです。天気が変わりやすい。",
        "京都の紅葉は十一月が見頃です。"
    };

    private static CrossEncoder encoder;
    private static Directory directory;
    private static DirectoryReader reader;
    private static IndexSearcher searcher;

    @BeforeClass
    public static void index() throws Exception {
        encoder = TestModels.loadTestModel();
        directory = new ByteBuffersDirectory();
        try (IndexWriter w = new IndexWriter(directory, new IndexWriterConfig(new JapaneseAnalyzer()))) {
            for (String text : TEXTS) {
                Document d = new Document();
                d.add(new TextField("body", text, Field.Store.YES));
                w.addDocument(d);
            }
        }
        reader = DirectoryReader.open(directory);
        searcher = new IndexSearcher(reader);
    }

    @AfterClass
    public static void close() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (directory != null) {
            directory.close();
        }
        if (encoder != null) {
            encoder.close();
        }
        reader = null;
        directory = null;
        encoder = null;
        searcher = null;
    }

    /** Stage 1: doc i at rank i with score n - i. */
    private static TopDocs stage1(int n) {
        ScoreDoc[] hits = new ScoreDoc[n];
        for (int i = 0; i < n; i++) {
            hits[i] = new ScoreDoc(i, n - i);
        }
        return new TopDocs(new TotalHits(n, TotalHits.Relation.EQUAL_TO), hits);
    }

    private static CrossEncoderRescorer second() {
        return new CrossEncoderRescorer(
                encoder,
                QUERY,
                RescorerOptions.builder().fields(List.of("body")).build());
    }

    @Test
    public void theHeadIsReorderedByTheSecondModelAndLiftedAboveTheRest() throws Exception {
        int n = TEXTS.length;
        int thenDocs = 3;
        Cascade.Result r = new Cascade("short", encoder.options(), thenDocs).apply(searcher, stage1(n), second());

        float[] model =
                encoder.score(QUERY, List.of(TEXTS).subList(0, thenDocs)).scores();
        List<Integer> head = new ArrayList<>(List.of(0, 1, 2));
        head.sort(Comparator.<Integer>comparingDouble(i -> -model[i]).thenComparingInt(i -> i));
        float lowest = Math.min(model[0], Math.min(model[1], model[2]));
        float shift = n - lowest + 1; // highest stage-1 score is n
        assertEquals(shift, r.applied().shift(), 1e-5f);

        ScoreDoc[] out = r.hits().scoreDocs;
        assertEquals(n, out.length);
        for (int i = 0; i < thenDocs; i++) {
            int doc = head.get(i);
            assertEquals("stage-2 order at " + i, doc, out[i].doc);
            assertEquals(model[doc] + shift, out[i].score, 1e-4f);
        }
        for (int i = thenDocs; i < n; i++) {
            assertEquals("stage-1 order below the head", i, out[i].doc);
            assertEquals("stage-1 score below the head", n - i, out[i].score, 0f);
            assertTrue("every stage-2 hit above every stage-1-only hit", out[thenDocs - 1].score >= out[i].score + 1);
        }
    }

    @Test
    public void thenDocsBeyondTheHitsReordersThemAll() throws Exception {
        int n = 4;
        Cascade.Result r = new Cascade("short", encoder.options(), 30).apply(searcher, stage1(n), second());
        float[] model = encoder.score(QUERY, List.of(TEXTS).subList(0, n)).scores();
        for (int i = 1; i < n; i++) {
            assertTrue(r.hits().scoreDocs[i - 1].score >= r.hits().scoreDocs[i].score);
        }
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (model[i] > model[best]) {
                best = i;
            }
        }
        assertEquals(best, r.hits().scoreDocs[0].doc);
    }

    @Test
    public void anEmptyWindowIsReturnedAsIs() throws Exception {
        TopDocs empty = stage1(0);
        Cascade.Result r = new Cascade("short", encoder.options(), 3).apply(searcher, empty, second());
        assertSame(empty, r.hits());
        assertNull(r.applied());
    }
}
