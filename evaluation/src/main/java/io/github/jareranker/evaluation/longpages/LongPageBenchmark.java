package io.github.jareranker.evaluation.longpages;

import io.github.jareranker.encoder.Cancellation;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.ScoringStats;
import io.github.jareranker.evaluation.Qrels;
import io.github.jareranker.evaluation.Run;
import io.github.jareranker.lucene.CrossEncoderRescorer;
import io.github.jareranker.lucene.RescorerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ja.JapaneseAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * BM25 versus reranking on the long-page set, in this process with Lucene (the same {@link
 * CrossEncoderRescorer} the Solr plugin runs): the pages are indexed with Kuromoji (title boosted 2×,
 * body), each question retrieves BM25's top {@code k}, and each named setting reranks them. Reports
 * each setting's run and what scoring cost (pairs, tokens, wall time per query).
 */
public final class LongPageBenchmark implements AutoCloseable {
    private final LongPageSet set;
    private final Analyzer analyzer = new JapaneseAnalyzer();
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    /** Indexes the pages. */
    public LongPageBenchmark(LongPageSet set) throws IOException {
        this.set = set;
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
            for (LongPageSet.Page page : set.pages()) {
                Document doc = new Document();
                doc.add(new StringField("id", page.id(), Field.Store.YES));
                doc.add(new TextField("title", page.title(), Field.Store.YES));
                doc.add(new TextField("body", page.body(), Field.Store.YES));
                writer.addDocument(doc);
            }
        }
        reader = DirectoryReader.open(directory);
        searcher = new IndexSearcher(reader);
    }

    /** Each question's relevant page. */
    public Qrels qrels() {
        Qrels.Builder b = Qrels.builder();
        for (LongPageSet.PageQuestion q : set.questions()) {
            b.add(q.qid(), q.pageId(), 1);
        }
        return b.build();
    }

    /**
     * What one setting produced.
     *
     * @param run the ranking of every question
     * @param stats scoring work summed over the questions (empty for BM25)
     * @param nanos wall time of the reranking, summed over the questions
     */
    public record Outcome(Run run, ScoringStats stats, long nanos) {}

    /**
     * Runs every question: BM25's top {@code k}, then, for a non-null {@code options}, the
     * cross-encoder's reranking of them.
     */
    public Outcome run(String name, int k, CrossEncoder encoder, RescorerOptions options) throws IOException {
        Run.Builder run = Run.builder(name);
        List<ScoringStats> stats = new ArrayList<>();
        long nanos = 0;
        for (LongPageSet.PageQuestion q : set.questions()) {
            TopDocs top = searcher.search(bm25(q.question()), k);
            run.addQuery(q.qid());
            if (options != null && top.scoreDocs.length > 0) {
                CrossEncoderRescorer rescorer =
                        new CrossEncoderRescorer(encoder, q.question(), options, Cancellation.NONE, stats::add);
                long t0 = System.nanoTime();
                top = rescorer.rescore(searcher, top, k);
                nanos += System.nanoTime() - t0;
            }
            for (ScoreDoc sd : top.scoreDocs) {
                run.add(q.qid(), searcher.storedFields().document(sd.doc).get("id"), sd.score);
            }
        }
        return new Outcome(run.build(), sum(stats), nanos);
    }

    private Query bm25(String question) {
        Map<String, Boolean> terms = new LinkedHashMap<>();
        try (TokenStream ts = analyzer.tokenStream("body", question)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                terms.put(term.toString(), true);
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (String t : terms.keySet()) {
            b.add(new BoostQuery(new TermQuery(new Term("title", t)), 2f), BooleanClause.Occur.SHOULD);
            b.add(new TermQuery(new Term("body", t)), BooleanClause.Occur.SHOULD);
        }
        return b.build();
    }

    private static ScoringStats sum(List<ScoringStats> all) {
        int pairs = 0;
        long tokens = 0;
        long padded = 0;
        int batches = 0;
        int truncated = 0;
        long tok = 0;
        long inf = 0;
        for (ScoringStats s : all) {
            pairs += s.pairs();
            tokens += s.tokens();
            padded += s.paddedTokens();
            batches += s.batches();
            truncated += s.truncatedPairs();
            tok += s.tokenizeNanos();
            inf += s.inferenceNanos();
        }
        return new ScoringStats(pairs, tokens, padded, batches, truncated, tok, inf);
    }

    @Override
    public void close() throws IOException {
        reader.close();
        directory.close();
        analyzer.close();
    }
}
