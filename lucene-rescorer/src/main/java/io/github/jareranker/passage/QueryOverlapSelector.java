package io.github.jareranker.passage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ja.JapaneseAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The cheap pre-selection of passages when a document has more than the model may score: ranks the
 * document's passages by how well they match the query's Kuromoji terms (BM25 over the document's
 * own passages: term frequency saturated with k1 = 1.2, length-normalised with b = 0.75, idf from the
 * share of the document's passages holding the term), without the model. The first passage is always
 * kept (it carries the page's lead and often its topic); ties go to the earlier passage. Kuromoji's
 * {@link JapaneseAnalyzer} (search mode, base forms, stop words and stop tags) makes the terms, the
 * same analysis a {@code text_ja} field applies. Thread-safe.
 */
public final class QueryOverlapSelector {
    private static final float K1 = 1.2f;
    private static final float B = 0.75f;
    /** Kuromoji's dictionaries load once per JVM; the analyzer reuses token streams per thread. */
    private static final Analyzer ANALYZER = new JapaneseAnalyzer();

    private final Set<String> queryTerms;

    /** @param query the query text the passages are matched against */
    public QueryOverlapSelector(String query) {
        this.queryTerms = new LinkedHashSet<>(terms(query == null ? "" : query));
    }

    /** The query's distinct Kuromoji terms, in query order. */
    public List<String> queryTerms() {
        return List.copyOf(queryTerms);
    }

    /**
     * @param passages the texts of all passages of one document, in document order
     * @param max how many to keep, at least 1
     * @return the positions kept, ascending: all of them when there are at most {@code max}, else
     *     0 and the {@code max - 1} best-matching others
     */
    public int[] select(List<String> passages, int max) {
        int n = passages.size();
        if (n <= max) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        float[] scores = scores(passages);
        Integer[] order = new Integer[n - 1];
        for (int i = 1; i < n; i++) {
            order[i - 1] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] kept = new int[max];
        kept[0] = 0;
        for (int i = 1; i < max; i++) {
            kept[i] = order[i - 1];
        }
        Arrays.sort(kept);
        return kept;
    }

    /** BM25 score of each passage against the query terms, the collection being this document's passages. */
    public float[] scores(List<String> passages) {
        int n = passages.size();
        List<Map<String, Integer>> tf = new ArrayList<>(n);
        int[] lengths = new int[n];
        long total = 0;
        Map<String, Integer> df = new HashMap<>();
        for (String p : passages) {
            List<String> t = terms(p);
            Map<String, Integer> counts = new HashMap<>();
            for (String term : t) {
                if (queryTerms.contains(term)) {
                    counts.merge(term, 1, Integer::sum);
                }
            }
            for (String term : counts.keySet()) {
                df.merge(term, 1, Integer::sum);
            }
            lengths[tf.size()] = t.size();
            total += t.size();
            tf.add(counts);
        }
        float avg = n == 0 || total == 0 ? 1f : (float) total / n;
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            float s = 0;
            for (Map.Entry<String, Integer> e : tf.get(i).entrySet()) {
                int d = df.get(e.getKey());
                double idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
                float f = e.getValue();
                s += (float) (idf * f * (K1 + 1) / (f + K1 * (1 - B + B * lengths[i] / avg)));
            }
            scores[i] = s;
        }
        return scores;
    }

    /** The Kuromoji terms of {@code text}, in order, with repeats. */
    static List<String> terms(String text) {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = ANALYZER.tokenStream("passage", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException("Kuromoji failed on in-memory text", e);
        }
        return out;
    }
}
