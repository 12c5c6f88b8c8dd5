package io.github.jareranker.examples;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.lucene.CrossEncoderRescorer;
import io.github.jareranker.lucene.RescorerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.ja.JapaneseAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;

/**
 * The whole Lucene flow in one place (docs/lucene.md walks through it): index Japanese documents
 * with Kuromoji, search with BM25, rescore the top hits with a cross-encoder, print before/after.
 *
 * <p>Run it: {@code mvn -q -pl lucene-rescorer test -Dtest=KuromojiRerankExampleTest
 * -Dja-reranker.example.model=models/japanese-reranker-xsmall-v2} (default: the random-weight test
 * model, whose reranked order is meaningless but shows the mechanics).
 */
public final class KuromojiRerankExample {
    /** The sample site: id, title, body (package-visible: the test scores each page on its own). */
    static final String[][] SITE = {
        {"faq-01", "送料について", "全国一律500円です。5000円以上のご注文で送料無料になります。"},
        {"faq-02", "返品の方法", "商品到着後7日以内であれば返品できます。マイページから返品を申請してください。"},
        {"faq-03", "支払い方法", "クレジットカード、コンビニ払い、銀行振込がご利用いただけます。"},
        {"faq-04", "配送日の指定", "ご注文時に配送日と時間帯を指定できます。離島は指定できない場合があります。"},
        {"faq-05", "ポイントの使い方", "1ポイント1円として次回のお買い物でご利用いただけます。送料には使えません。"},
        {"faq-06", "会員登録", "メールアドレスだけで無料の会員登録ができます。"},
    };

    private KuromojiRerankExample() {}

    public static void run(Path modelDirectory, String queryText, PrintStream out) throws Exception {
        Analyzer analyzer = new JapaneseAnalyzer(); // Kuromoji: morphological analysis for Japanese
        try (Directory dir = new ByteBuffersDirectory()) {
            try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
                for (String[] page : SITE) {
                    Document doc = new Document();
                    doc.add(new StringField("id", page[0], Field.Store.YES));
                    doc.add(new TextField("title", page[1], Field.Store.YES)); // stored: the reranker reads it
                    doc.add(new TextField("body", page[2], Field.Store.YES));
                    writer.addDocument(doc);
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(dir);
                    CrossEncoder encoder = CrossEncoder.load(
                            CrossEncoderOptions.builder(modelDirectory).build())) {
                IndexSearcher searcher = new IndexSearcher(reader); // BM25 by default
                QueryParser parser = new QueryParser("body", analyzer);
                parser.setDefaultOperator(QueryParser.Operator.OR);
                Query query = parser.parse(QueryParser.escape(queryText));

                TopDocs firstPass = searcher.search(query, 100);
                print(out, "BM25", searcher, firstPass);

                // title + " " + body, model score replaces the BM25 score; ties keep BM25 order.
                CrossEncoderRescorer rescorer =
                        new CrossEncoderRescorer(encoder, queryText, RescorerOptions.defaults());
                TopDocs reranked = rescorer.rescore(searcher, firstPass, 10);
                print(out, "cross-encoder (" + modelDirectory.getFileName() + ")", searcher, reranked);

                if (reranked.scoreDocs.length > 0) {
                    out.println(rescorer.explain(
                            searcher, searcher.explain(query, reranked.scoreDocs[0].doc), reranked.scoreDocs[0].doc));
                }
            }
        }
    }

    private static void print(PrintStream out, String title, IndexSearcher searcher, TopDocs hits) throws IOException {
        out.println("== " + title);
        for (ScoreDoc hit : hits.scoreDocs) {
            Document doc = searcher.storedFields().document(hit.doc);
            out.printf("  %-7s %8.4f  %s%n", doc.get("id"), hit.score, doc.get("title"));
        }
    }
}
