package io.github.jareranker.lucene;

import io.github.jareranker.encoder.Cancellation;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.ScoredPairs;
import io.github.jareranker.encoder.ScoringStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Rescorer;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * A Lucene {@link Rescorer} that re-sorts first-pass hits by a cross-encoder's judgement of (query
 * text, hit text). It never modifies the caller's {@link TopDocs} or its {@link ScoreDoc}s (it
 * returns new ones; {@link org.apache.lucene.search.QueryRescorer}, by contrast, writes the new
 * scores into the caller's ScoreDocs), reads stored text in docID order so each segment is visited
 * once, and returns at most {@code topN} hits sorted by combined score descending. Ties keep their
 * first-pass order (QueryRescorer in Lucene 9 breaks them by docID). Hits without text stay in the
 * list (see {@link RescorerOptions#missingTextScore()}).
 *
 * <p>An instance is bound to one query text. It remembers the model scores of the hits it rescored
 * so that {@link #explain} does not run the model again; for other documents explain scores that
 * one document. Thread-safe. Does not own the {@link CrossEncoder}.
 */
public final class CrossEncoderRescorer extends Rescorer {
    private final CrossEncoder encoder;
    private final String queryText;
    private final RescorerOptions options;
    private final Cancellation cancellation;
    private final Consumer<ScoringStats> statsListener;
    private final StoredTextReader textReader;
    private final Map<Integer, ModelScore> scored = new ConcurrentHashMap<>();
    private final PairScoreCache.Binding cache; // null: none
    private final StoredTextReader keyReader; // null: no cache

    /** A rescorer that is never cancelled and reports no stats. */
    public CrossEncoderRescorer(CrossEncoder encoder, String queryText, RescorerOptions options) {
        this(encoder, queryText, options, Cancellation.NONE, stats -> {});
    }

    /**
     * @param encoder the model (not closed by this rescorer)
     * @param queryText the text scored against each hit
     * @param options fields and score combination
     * @param cancellation checked between batches; when it fires, {@link #rescore} throws {@link
     *     io.github.jareranker.encoder.ScoringCancelledException} and the caller keeps its hits
     * @param statsListener receives what each scoring call cost
     */
    public CrossEncoderRescorer(
            CrossEncoder encoder,
            String queryText,
            RescorerOptions options,
            Cancellation cancellation,
            Consumer<ScoringStats> statsListener) {
        this(encoder, queryText, options, cancellation, statsListener, null);
    }

    /**
     * As {@link #CrossEncoderRescorer(CrossEncoder, String, RescorerOptions, Cancellation, Consumer)},
     * looking pairs up in {@code cache} first (null: no cache). Only the misses run the model, and
     * {@code statsListener} reports that work; the misses' scores are then added to the cache.
     */
    public CrossEncoderRescorer(
            CrossEncoder encoder,
            String queryText,
            RescorerOptions options,
            Cancellation cancellation,
            Consumer<ScoringStats> statsListener,
            PairScoreCache.Binding cache) {
        this.cache = cache;
        this.keyReader = cache == null ? null : new StoredTextReader(List.of(cache.docKeyField()), " ");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.queryText = Objects.requireNonNull(queryText, "queryText");
        this.options = Objects.requireNonNull(options, "options");
        this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
        this.statsListener = Objects.requireNonNull(statsListener, "statsListener");
        this.textReader = new StoredTextReader(options.fields(), options.separator());
    }

    public String queryText() {
        return queryText;
    }

    public RescorerOptions options() {
        return options;
    }

    /**
     * The model score (after the activation, before combination) that {@link #rescore} computed for
     * {@code docID}, or empty if this instance has not rescored that document. Lets callers show the
     * model score beside the combined one without running the model again.
     */
    public OptionalDouble modelScore(int docID) {
        ModelScore ms = scored.get(docID);
        return ms == null ? OptionalDouble.empty() : OptionalDouble.of(ms.score);
    }

    @Override
    public TopDocs rescore(IndexSearcher searcher, TopDocs firstPassTopDocs, int topN) throws IOException {
        ScoreDoc[] firstPass = firstPassTopDocs.scoreDocs;
        int n = firstPass.length;
        // Hits in docID order, remembering each one's first-pass rank for tie-breaking.
        Integer[] byDoc = new Integer[n];
        for (int i = 0; i < n; i++) {
            byDoc[i] = i;
        }
        Arrays.sort(byDoc, Comparator.comparingInt(i -> firstPass[i].doc));
        int[] docIds = new int[n];
        for (int i = 0; i < n; i++) {
            docIds[i] = firstPass[byDoc[i]].doc;
        }
        List<String> texts = textReader.read(searcher, docIds);
        float[][] model = score(searcher, docIds, texts);

        // Back to first-pass order: window-level operators (rrf, minmax) combine the whole window.
        float[] firstPassScores = new float[n];
        float[] modelScores = new float[n];
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) {
            firstPassScores[byDoc[i]] = firstPass[byDoc[i]].score;
            modelScores[byDoc[i]] = model[0][i];
            logits[byDoc[i]] = model[1][i];
        }
        WindowCombiner.Combined combined = WindowCombiner.combine(
                options.operator(), options.weight(), options.rrfK(), firstPassScores, modelScores);
        Hit[] hits = new Hit[n];
        for (int rank = 0; rank < n; rank++) {
            ScoreDoc original = firstPass[rank];
            scored.put(
                    original.doc,
                    new ModelScore(modelScores[rank], logits[rank], combined.score(rank), combined.describe(rank)));
            hits[rank] = new Hit(new ScoreDoc(original.doc, combined.score(rank), original.shardIndex), rank);
        }
        Arrays.sort(hits, RESCORED_ORDER);
        ScoreDoc[] top = new ScoreDoc[Math.min(Math.max(topN, 0), n)];
        for (int i = 0; i < top.length; i++) {
            top[i] = hits[i].doc;
        }
        return new TopDocs(firstPassTopDocs.totalHits, top);
    }

    /**
     * Returns {scores, logits}, one per text of {@code docIds}; hits without text follow {@link
     * RescorerOptions}; pairs in the cache (if any) are not scored again.
     */
    private float[][] score(IndexSearcher searcher, int[] docIds, List<String> texts) throws IOException {
        int n = texts.size();
        float[] scores = new float[n];
        float[] logits = new float[n];
        List<String> docKeys = cache == null ? null : keyReader.read(searcher, docIds);
        PairScoreCache.Key[] keys = new PairScoreCache.Key[n];
        List<Integer> modelInputs = new ArrayList<>(n);
        int hits = 0;
        for (int i = 0; i < n; i++) {
            if (texts.get(i).isEmpty() && options.missingTextScore().isPresent()) {
                scores[i] = options.missingTextScore().get();
                logits[i] = Float.NaN; // not scored by the model
                continue;
            }
            if (docKeys != null && !docKeys.get(i).isEmpty()) {
                keys[i] = PairScoreCache.Key.of(queryText, docKeys.get(i), texts.get(i));
                PairScoreCache.Scores cached = cache.cache().get(keys[i]);
                if (cached != null) {
                    scores[i] = cached.score();
                    logits[i] = cached.logit();
                    hits++;
                    continue;
                }
            }
            modelInputs.add(i);
        }
        List<String> inputs = new ArrayList<>(modelInputs.size());
        for (int i : modelInputs) {
            inputs.add(texts.get(i));
        }
        if (cache != null) {
            cache.listener().looked(hits, modelInputs.size());
        }
        if (inputs.isEmpty() && hits > 0) {
            return new float[][] {scores, logits}; // all served from the cache: the model does not run
        }
        ScoredPairs result = encoder.score(queryText, inputs, cancellation);
        statsListener.accept(result.stats());
        for (int k = 0; k < modelInputs.size(); k++) {
            int i = modelInputs.get(k);
            scores[i] = result.score(k);
            logits[i] = result.logit(k);
            if (keys[i] != null) {
                cache.cache().put(keys[i], new PairScoreCache.Scores(scores[i], logits[i]));
            }
        }
        return new float[][] {scores, logits};
    }

    /** Combined score descending (NaN last), then first-pass rank ascending. */
    private static final Comparator<Hit> RESCORED_ORDER = (a, b) -> {
        float sa = Float.isNaN(a.doc.score) ? Float.NEGATIVE_INFINITY : a.doc.score;
        float sb = Float.isNaN(b.doc.score) ? Float.NEGATIVE_INFINITY : b.doc.score;
        int c = Float.compare(sb, sa);
        return c != 0 ? c : Integer.compare(a.firstPassRank, b.firstPassRank);
    };

    @Override
    public Explanation explain(IndexSearcher searcher, Explanation firstPassExplanation, int docID) throws IOException {
        ModelScore ms = scored.get(docID);
        float firstPass = firstPassExplanation.getValue().floatValue();
        float modelScore;
        float logit;
        float combined;
        String formula;
        if (ms != null) {
            modelScore = ms.score;
            logit = ms.logit;
            combined = ms.combined;
            formula = ms.formula;
        } else {
            String text = textReader.read(searcher, new int[] {docID}).get(0);
            float[][] single = score(searcher, new int[] {docID}, List.of(text));
            modelScore = single[0][0];
            logit = single[1][0];
            if (options.operator().windowLevel()) {
                // Not rescored by this instance: there is no window to rank or normalize it in.
                combined = Float.NaN;
                formula = options.operator().formula(options.weight())
                        + ", undefined: the hit was not in the window this rescorer rescored";
            } else {
                combined = options.operator().combine(firstPass, modelScore, options.weight());
                formula = options.operator().formula(options.weight());
            }
        }
        Explanation first = Explanation.match(firstPass, "first pass score", firstPassExplanation);
        Explanation second = Float.isNaN(logit)
                ? Explanation.match(
                        modelScore, "second pass score: fixed score for a hit without text in " + options.fields())
                : Explanation.match(
                        modelScore,
                        "second pass score: cross-encoder "
                                + encoder.options().activation().name().toLowerCase(java.util.Locale.ROOT)
                                + " score of (query, " + String.join(" + ", options.fields()) + ")",
                        Explanation.match(
                                logit,
                                "model logit, " + encoder.info().onnxFile().getFileName()),
                        Explanation.match(0f, "query text: " + queryText));
        return Explanation.match(combined, "combined first and second pass score using " + formula, first, second);
    }

    private static final class Hit {
        final ScoreDoc doc;
        final int firstPassRank;

        Hit(ScoreDoc doc, int firstPassRank) {
            this.doc = doc;
            this.firstPassRank = firstPassRank;
        }
    }

    /** What rescore computed for one doc, reused by explain. */
    private static final class ModelScore {
        final float score;
        final float logit;
        final float combined;
        final String formula;

        ModelScore(float score, float logit, float combined, String formula) {
            this.score = score;
            this.logit = logit;
            this.combined = combined;
            this.formula = formula;
        }
    }
}
