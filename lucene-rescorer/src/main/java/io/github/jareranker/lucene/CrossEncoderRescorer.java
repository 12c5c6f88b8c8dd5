package io.github.jareranker.lucene;

import io.github.jareranker.encoder.Cancellation;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.ScoredPairs;
import io.github.jareranker.encoder.ScoringStats;
import io.github.jareranker.passage.DocumentText;
import io.github.jareranker.passage.PassageScorer;
import io.github.jareranker.passage.PassageScores;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
    private final PassageScorer passageScorer; // null: one truncated text per hit
    private final Map<Integer, ModelScore> scored = new ConcurrentHashMap<>();
    private final PairScoreCache.Binding cache; // null: none

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
     * {@code statsListener} reports that work; the misses' scores are then added to the cache. With passage scoring
     * the cache is not used (a hit's score then depends on the passage options and the snippet on the passages).
     */
    public CrossEncoderRescorer(
            CrossEncoder encoder,
            String queryText,
            RescorerOptions options,
            Cancellation cancellation,
            Consumer<ScoringStats> statsListener,
            PairScoreCache.Binding cache) {
        this.cache = options.passages().isPresent() ? null : cache;
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.queryText = Objects.requireNonNull(queryText, "queryText");
        this.options = Objects.requireNonNull(options, "options");
        this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
        this.statsListener = Objects.requireNonNull(statsListener, "statsListener");
        // with a cache, the document key is read in the same stored-fields visit as the text
        this.textReader = new StoredTextReader(
                options.fields(), options.separator(), this.cache == null ? null : this.cache.docKeyField());
        this.passageScorer = options.passages()
                .map(p -> new PassageScorer(encoder, p, options.separator()))
                .orElse(null);
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

    /**
     * With passage scoring: the passages {@link #rescore} scored for {@code docID} (the best one is the
     * hit's snippet); empty without passage scoring or for a document not rescored by this instance.
     */
    public Optional<PassageScores> passages(int docID) {
        ModelScore ms = scored.get(docID);
        return ms == null ? Optional.empty() : Optional.ofNullable(ms.passages);
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
        Scored[] model = score(searcher, docIds);

        // Back to first-pass order: window-level operators (rrf, minmax) combine the whole window.
        float[] firstPassScores = new float[n];
        float[] modelScores = new float[n];
        Scored[] byRank = new Scored[n];
        for (int i = 0; i < n; i++) {
            firstPassScores[byDoc[i]] = firstPass[byDoc[i]].score;
            modelScores[byDoc[i]] = model[i].score();
            byRank[byDoc[i]] = model[i];
        }
        WindowCombiner.Combined combined = WindowCombiner.combine(
                options.operator(), options.weight(), options.rrfK(), firstPassScores, modelScores);
        Hit[] hits = new Hit[n];
        for (int rank = 0; rank < n; rank++) {
            ScoreDoc original = firstPass[rank];
            scored.put(original.doc, new ModelScore(byRank[rank], combined.score(rank), combined.describe(rank)));
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
     * One model score per document (its text given field by field), in the order of {@code docIds}; hits without text
     * follow {@link RescorerOptions}; pairs in the cache (if any) are not scored again.
     */
    private Scored[] score(IndexSearcher searcher, int[] docIds) throws IOException {
        List<String[]> parts;
        List<String> docKeys = null;
        if (cache == null) {
            parts = textReader.readFields(searcher, docIds);
        } else {
            StoredTextReader.FieldsAndKeys read = textReader.readWithKeys(searcher, docIds);
            parts = read.parts();
            docKeys = read.keys();
        }
        int n = parts.size();
        Scored[] out = new Scored[n];
        PairScoreCache.Key[] keys = new PairScoreCache.Key[n];
        List<Integer> modelInputs = new ArrayList<>(n);
        int hits = 0;
        for (int i = 0; i < n; i++) {
            String text = textReader.join(parts.get(i), 0);
            if (text.isEmpty() && options.missingTextScore().isPresent()) {
                out[i] = new Scored(options.missingTextScore().get(), Float.NaN, null); // not scored by the model
                continue;
            }
            if (docKeys != null && !docKeys.get(i).isEmpty()) {
                keys[i] = PairScoreCache.Key.of(queryText, docKeys.get(i), text);
                PairScoreCache.Scores cached = cache.cache().get(keys[i]);
                if (cached != null) {
                    out[i] = new Scored(cached.score(), cached.logit(), null);
                    hits++;
                    continue;
                }
            }
            modelInputs.add(i);
        }
        if (cache != null) {
            cache.listener().looked(hits, modelInputs.size());
        }
        if (modelInputs.isEmpty() && hits > 0) {
            return out; // all served from the cache: the model does not run
        }
        if (passageScorer != null) {
            List<DocumentText> docs = new ArrayList<>(modelInputs.size());
            for (int i : modelInputs) {
                docs.add(documentText(parts.get(i)));
            }
            PassageScorer.Result result = passageScorer.score(queryText, docs, cancellation);
            statsListener.accept(result.stats());
            for (int k = 0; k < modelInputs.size(); k++) {
                PassageScores p = result.documents().get(k);
                out[modelInputs.get(k)] = new Scored(p.score(), p.logit(), p);
            }
            return out;
        }
        List<String> inputs = new ArrayList<>(modelInputs.size());
        for (int i : modelInputs) {
            inputs.add(textReader.join(parts.get(i), 0));
        }
        ScoredPairs result = encoder.score(queryText, inputs, cancellation);
        statsListener.accept(result.stats());
        for (int k = 0; k < modelInputs.size(); k++) {
            int i = modelInputs.get(k);
            out[i] = new Scored(result.score(k), result.logit(k), null);
            if (keys[i] != null) {
                cache.cache().put(keys[i], new PairScoreCache.Scores(out[i].score(), out[i].logit()));
            }
        }
        return out;
    }

    /** Title (the first of several fields, when passages carry it) and body (the rest, joined). */
    private DocumentText documentText(String[] parts) {
        boolean titled = parts.length > 1 && options.passages().orElseThrow().prependTitle();
        return titled
                ? new DocumentText(parts[0], textReader.join(parts, 1))
                : DocumentText.of(textReader.join(parts, 0));
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
        Scored model;
        float combined;
        String formula;
        if (ms != null) {
            model = ms.model;
            combined = ms.combined;
            formula = ms.formula;
        } else {
            int[] doc = {docID};
            model = score(searcher, doc)[0];
            if (options.operator().windowLevel()) {
                // Not rescored by this instance: there is no window to rank or normalize it in.
                combined = Float.NaN;
                formula = options.operator().formula(options.weight())
                        + ", undefined: the hit was not in the window this rescorer rescored";
            } else {
                combined = options.operator().combine(firstPass, model.score(), options.weight());
                formula = options.operator().formula(options.weight());
            }
        }
        Explanation first = Explanation.match(firstPass, "first pass score", firstPassExplanation);
        String activation = encoder.options().activation().name().toLowerCase(Locale.ROOT);
        Explanation second;
        if (Float.isNaN(model.logit())) {
            second = Explanation.match(
                    model.score(), "second pass score: fixed score for a hit without text in " + options.fields());
        } else if (model.passages() != null) {
            second = PassageExplanation.of(
                    model.passages(), model.score(), model.logit(), activation, options, encoder, queryText);
        } else {
            second = Explanation.match(
                    model.score(),
                    "second pass score: cross-encoder " + activation + " score of (query, "
                            + String.join(" + ", options.fields()) + ")",
                    Explanation.match(
                            model.logit(),
                            "model logit, " + encoder.info().onnxFile().getFileName()),
                    Explanation.match(0f, "query text: " + queryText));
        }
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

    /**
     * The model's judgement of one hit: score (after the activation), logit (NaN: not scored, a hit without text) and,
     * with passage scoring, its scored passages (else null).
     */
    private record Scored(float score, float logit, PassageScores passages) {}

    /** What rescore computed for one doc, reused by explain. */
    private static final class ModelScore {
        final Scored model;
        final float score;
        final PassageScores passages;
        final float combined;
        final String formula;

        ModelScore(Scored model, float combined, String formula) {
            this.model = model;
            this.score = model.score();
            this.passages = model.passages();
            this.combined = combined;
            this.formula = formula;
        }
    }
}
