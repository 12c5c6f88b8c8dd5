package io.github.jareranker.passage;

import io.github.jareranker.encoder.Cancellation;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.ScoredPairs;
import io.github.jareranker.encoder.ScoringStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Scores long documents by their passages: splits every document ({@link PassageSplitter}) with a
 * budget that lets each (query, passage) pair fit the model, keeps at most {@link
 * PassageOptions#maxPassages()} per document ({@link QueryOverlapSelector}; FirstP keeps the first),
 * sends the passages of <em>all</em> documents to the engine in one call (its length-sorted batching
 * sees them all; a pair's score does not depend on its batch mates) and aggregates each document's
 * passage scores ({@link PassageAggregation}).
 *
 * <p>The pair budget is {@link PassageOptions#passageTokens()} (or the model's maximum length),
 * capped at the maximum length; the query's tokens and the pair template's special tokens are taken
 * off it, so a passage is never truncated by the engine unless the query alone leaves less than
 * {@value #MIN_BODY_TOKENS} tokens. Thread-safe; does not own the encoder.
 */
public final class PassageScorer {
    /** The least room a passage gets next to a very long query (the engine then cuts the query too). */
    static final int MIN_BODY_TOKENS = 16;

    private final CrossEncoder encoder;
    private final PassageOptions options;
    private final String separator;
    private final PassageSplitter splitter;

    /**
     * @param encoder the model
     * @param options passage settings
     * @param separator put between a title and the passage body (a space, as the stored fields are joined)
     */
    public PassageScorer(CrossEncoder encoder, PassageOptions options, String separator) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.options = Objects.requireNonNull(options, "options");
        this.separator = Objects.requireNonNull(separator, "separator");
        this.splitter = new PassageSplitter(encoder::tokenEnds);
    }

    public PassageOptions options() {
        return options;
    }

    /**
     * The outcome of one call.
     *
     * @param documents per input document, in input order
     * @param stats what the one engine call cost
     * @param passages passages of all documents before pre-selection
     */
    public record Result(List<PassageScores> documents, ScoringStats stats, int passages) {}

    /**
     * The passage token budget next to {@code query}: the pair budget less the query's tokens and
     * the special tokens.
     */
    public int passageBudget(String query) {
        int maxLength = encoder.info().maxLength();
        int pair = options.passageTokens() == 0 ? maxLength : Math.min(options.passageTokens(), maxLength);
        int queryTokens = encoder.tokenEnds(List.of(query == null ? "" : query))[0].length;
        return Math.max(MIN_BODY_TOKENS, pair - encoder.info().pairOverhead() - queryTokens);
    }

    /**
     * Cuts the documents into passages, pre-selects, scores all kept passages in one engine call and
     * aggregates.
     *
     * @throws io.github.jareranker.encoder.ScoringCancelledException if {@code cancellation} fired
     * @throws io.github.jareranker.encoder.ScoringException if the tokenizer or the model fails
     */
    public Result score(String query, List<DocumentText> docs, Cancellation cancellation) {
        List<PassageSplitter.SplitDocument> split = split(query, docs);
        boolean anyOverCap = split.stream().anyMatch(d -> d.passages().size() > options.maxPassages());
        QueryOverlapSelector selector = anyOverCap ? new QueryOverlapSelector(query) : null;
        List<int[]> kept = new ArrayList<>(split.size());
        List<String> texts = new ArrayList<>();
        int all = 0;
        for (PassageSplitter.SplitDocument doc : split) {
            all += doc.passages().size();
            int[] keep = keep(doc, selector);
            kept.add(keep);
            for (int i : keep) {
                texts.add(doc.passages().get(i).text());
            }
        }
        ScoredPairs pairs = encoder.score(query, texts, cancellation);
        List<PassageScores> out = new ArrayList<>(split.size());
        int at = 0;
        for (int d = 0; d < split.size(); d++) {
            PassageSplitter.SplitDocument doc = split.get(d);
            int[] keep = kept.get(d);
            List<ScoredPassage> scored = new ArrayList<>(keep.length);
            float[] scores = new float[keep.length];
            float[] logits = new float[keep.length];
            for (int j = 0; j < keep.length; j++) {
                scores[j] = pairs.score(at);
                logits[j] = pairs.logit(at);
                scored.add(new ScoredPassage(doc.passages().get(keep[j]), scores[j], logits[j]));
                at++;
            }
            int[] contributors = options.aggregation().contributors(scores, options.topK());
            int best = PassageAggregation.MAX.contributors(scores, 1)[0];
            if (options.aggregation() == PassageAggregation.FIRST) {
                best = 0;
            }
            out.add(new PassageScores(
                    PassageAggregation.mean(scores, contributors),
                    PassageAggregation.mean(logits, contributors),
                    scored,
                    best,
                    doc.passages().size(),
                    doc.body(),
                    doc.originalChars()));
        }
        return new Result(out, pairs.stats(), all);
    }

    /**
     * The passages of every document, before pre-selection (FirstP builds only the first): what
     * {@link #score} would choose from. For coverage studies and tests.
     */
    public List<PassageSplitter.SplitDocument> split(String query, List<DocumentText> docs) {
        int maxWindows = options.aggregation() == PassageAggregation.FIRST ? 1 : Integer.MAX_VALUE;
        return splitter.split(docs, passageBudget(query), separator, options, maxWindows);
    }

    /**
     * The positions of the passages {@link #score} would send to the model for one split document.
     */
    public int[] selected(String query, PassageSplitter.SplitDocument doc) {
        return keep(doc, doc.passages().size() > options.maxPassages() ? new QueryOverlapSelector(query) : null);
    }

    /** All passages' positions when they are few enough, else the selector's choice. */
    private int[] keep(PassageSplitter.SplitDocument doc, QueryOverlapSelector selector) {
        List<Passage> passages = doc.passages();
        if (passages.size() <= options.maxPassages()) {
            return indices(passages.size());
        }
        List<String> bodies = new ArrayList<>(passages.size());
        for (Passage p : passages) {
            bodies.add(p.span().of(doc.body()));
        }
        return selector.select(bodies, options.maxPassages());
    }

    private static int[] indices(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }
}
