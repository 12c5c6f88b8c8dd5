package io.github.jareranker.evaluation.jsquad;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.ScoredPairs;
import io.github.jareranker.evaluation.Evaluation;
import io.github.jareranker.evaluation.Evaluator;
import io.github.jareranker.evaluation.Metric;
import io.github.jareranker.evaluation.Qrels;
import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.TieBreak;
import io.github.jareranker.evaluation.report.ProgressBar;
import io.github.jareranker.evaluation.solr.SolrRunner;
import io.github.jareranker.evaluation.solr.SolrSearchClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The JSQuAD retrieval benchmark: index the paragraphs into a Solr core, search every question
 * with BM25 (top k, 100 by default), judge the question's own paragraph relevant, and evaluate
 * (MAP@10, nDCG@10, Recall@100 by default). Optionally also:
 *
 * <ul>
 *   <li>Solr-side reranking: the same searches with extra parameters (e.g. {@code rq={!jarerank
 *       reRankDocs=100}}), i.e. the plugin with whatever model the core configures;
 *   <li>local reranking: BM25's top k rescored in this process with a {@link CrossEncoder}
 *       (passage = title + " " + text), no plugin needed.
 * </ul>
 */
public final class JsquadBenchmark {
    /** Name of the BM25 run. */
    public static final String BM25 = "bm25";

    /** Name of the run reranked in Solr (rq). */
    public static final String SOLR_RERANK = "bm25+rq (solr)";

    /** Name of the run reranked in this process. */
    public static final String LOCAL_RERANK = "bm25+rerank (local)";

    private final SolrSearchClient solr;
    private final SolrRunner runner;
    private final Fields fields;
    private final BiFunction<String, Long, ProgressBar> progress;

    /** Schema field names for the paragraphs. */
    public record Fields(String id, String title, String text) {
        public Fields {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The runs of one benchmark and their evaluations (first = BM25), and the wall-clock seconds each
     * run took (keyed by run name, in run order).
     */
    public record Result(Qrels qrels, List<Run> runs, List<Evaluation> evaluations, Map<String, Double> seconds) {
        public Result {
            runs = List.copyOf(runs);
            evaluations = List.copyOf(evaluations);
            seconds = Collections.unmodifiableMap(new LinkedHashMap<>(seconds));
        }
    }

    /**
     * @param solr the core to index into and search
     * @param handler request handler ({@code /select})
     * @param k hits per question (rows)
     * @param fields the schema's id/title/text fields
     * @param progress makes a progress bar for a label and a total (use {@code (l, n) ->
     *     ProgressBar.disabled()} for none)
     */
    public JsquadBenchmark(
            SolrSearchClient solr,
            String handler,
            int k,
            Fields fields,
            BiFunction<String, Long, ProgressBar> progress) {
        this.solr = Objects.requireNonNull(solr, "solr");
        this.fields = Objects.requireNonNull(fields, "fields");
        this.runner = new SolrRunner(solr, handler, fields.id(), k, true);
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Adds (replaces) every paragraph in batches of {@code batchSize} and commits. */
    public void index(JsquadDataset data, int batchSize) throws IOException {
        List<Map<String, Object>> batch = new ArrayList<>(batchSize);
        try (ProgressBar bar = progress.apply("index", (long) data.paragraphs().size())) {
            for (JsquadDataset.Paragraph p : data.paragraphs()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put(fields.id(), p.id());
                doc.put(fields.title(), p.title());
                doc.put(fields.text(), p.text());
                batch.add(doc);
                if (batch.size() == batchSize) {
                    solr.add(batch);
                    bar.step(batch.size());
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                solr.add(batch);
                bar.step(batch.size());
            }
        }
        solr.commit();
    }

    /**
     * Runs the benchmark on an indexed core.
     *
     * @param bm25Params parameters of the BM25 search (e.g. defType, qf, fq)
     * @param solrRerankParams extra parameters for Solr-side reranking, or empty for none
     * @param localEncoder a model to rerank BM25's top k locally, or null for none
     */
    public Result run(
            JsquadDataset data,
            List<Map.Entry<String, String>> bm25Params,
            List<Map.Entry<String, String>> solrRerankParams,
            CrossEncoder localEncoder,
            List<Metric> metrics)
            throws IOException {
        Qrels qrels = data.qrels();
        Evaluator evaluator = new Evaluator(TieBreak.INPUT_ORDER);
        List<Run> runs = new ArrayList<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        long n = data.questions().size();
        Run bm25;
        long t0 = System.nanoTime();
        try (ProgressBar bar = progress.apply("bm25", n)) {
            bm25 = runner.run(data.querySet(), bm25Params, BM25, bar);
        }
        seconds.put(BM25, (System.nanoTime() - t0) / 1e9);
        runs.add(bm25);
        if (!solrRerankParams.isEmpty()) {
            List<Map.Entry<String, String>> p = new ArrayList<>(bm25Params);
            p.addAll(solrRerankParams);
            t0 = System.nanoTime();
            try (ProgressBar bar = progress.apply("bm25+rq", n)) {
                runs.add(runner.run(data.querySet(), p, SOLR_RERANK, bar));
            }
            seconds.put(SOLR_RERANK, (System.nanoTime() - t0) / 1e9);
        }
        if (localEncoder != null) {
            t0 = System.nanoTime();
            try (ProgressBar bar = progress.apply("rerank", n)) {
                runs.add(rerankLocally(data, bm25, localEncoder, bar));
            }
            seconds.put(LOCAL_RERANK, (System.nanoTime() - t0) / 1e9);
        }
        List<Evaluation> evaluations = new ArrayList<>();
        for (Run r : runs) {
            evaluations.add(evaluator.evaluate(qrels, r, metrics));
        }
        return new Result(qrels, runs, evaluations, seconds);
    }

    /** Rescores each question's BM25 hits with {@code encoder} (logits; ties keep BM25 order). */
    static Run rerankLocally(JsquadDataset data, Run bm25, CrossEncoder encoder, ProgressBar bar) throws IOException {
        Run.Builder b = Run.builder(LOCAL_RERANK);
        for (JsquadDataset.Question q : data.questions()) {
            b.addQuery(q.qid());
            List<Run.ScoredDoc> hits = bm25.ranked(q.qid(), TieBreak.INPUT_ORDER);
            List<String> passages = new ArrayList<>(hits.size());
            for (Run.ScoredDoc h : hits) {
                JsquadDataset.Paragraph p = data.paragraph(h.docId());
                if (p == null) {
                    throw new IOException("BM25 returned document " + h.docId() + " for question " + q.qid()
                            + ", which is not a paragraph of this JSQuAD file; "
                            + "restrict the search to the benchmark's documents (fq)");
                }
                passages.add(p.title() + " " + p.text());
            }
            if (!passages.isEmpty()) {
                ScoredPairs scored = encoder.score(q.question(), passages);
                float[] logits = scored.logits();
                for (int i = 0; i < logits.length; i++) {
                    b.add(q.qid(), hits.get(i).docId(), logits[i]);
                }
            }
            bar.step(1);
        }
        return b.build();
    }
}
