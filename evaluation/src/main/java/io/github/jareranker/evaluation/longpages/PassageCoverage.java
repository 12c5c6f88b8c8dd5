package io.github.jareranker.evaluation.longpages;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.passage.DocumentText;
import io.github.jareranker.passage.Passage;
import io.github.jareranker.passage.PassageOptions;
import io.github.jareranker.passage.PassageScorer;
import io.github.jareranker.passage.PassageSplitter;
import java.util.ArrayList;
import java.util.List;

/**
 * Answer coverage and cost of reading long pages, without running the model (only its tokenizer):
 * for each question, whether its answer span lies whole inside text the model reads for the relevant
 * page, and how many pairs and tokens reading that page costs.
 *
 * <ul>
 *   <li>Truncation (today's behaviour): the model reads {@code title + " " + body} up to the pair's
 *       maximum length, less the question's tokens and the special tokens.
 *   <li>Passages: the model reads the passages that {@link PassageScorer} would score (after
 *       pre-selection); an answer counts when one of them holds all of it.
 * </ul>
 */
public final class PassageCoverage {
    private final CrossEncoder encoder;

    public PassageCoverage(CrossEncoder encoder) {
        this.encoder = encoder;
    }

    /**
     * One setting's totals.
     *
     * @param setting a label
     * @param questions questions measured
     * @param covered of them, those whose answer the model reads
     * @param pairs pairs scored for the relevant pages, summed
     * @param tokens tokens of those pairs (special tokens included), summed
     */
    public record Row(String setting, int questions, int covered, long pairs, long tokens) {
        public double coverage() {
            return questions == 0 ? 0 : (double) covered / questions;
        }

        public double pairsPerPage() {
            return questions == 0 ? 0 : (double) pairs / questions;
        }

        public double tokensPerPage() {
            return questions == 0 ? 0 : (double) tokens / questions;
        }
    }

    /** Coverage and cost when each page is read as one text cut at the model's maximum length. */
    public Row truncation(LongPageSet set) {
        int maxLength = encoder.info().maxLength();
        int covered = 0;
        long tokens = 0;
        for (LongPageSet.PageQuestion q : set.questions()) {
            LongPageSet.Page page = set.page(q.pageId());
            String prefix = page.title() + " ";
            String text = prefix + page.body();
            int[][] ends = encoder.tokenEnds(List.of(q.question(), text));
            int budget = maxLength - encoder.info().pairOverhead() - ends[0].length;
            int readChars = ends[1].length > budget ? ends[1][budget - 1] : text.length();
            if (prefix.length() + q.answerEnd() <= readChars) {
                covered++;
            }
            tokens += encoder.pairLengths(q.question(), List.of(text))[0];
        }
        return new Row(
                "truncation", set.questions().size(), covered, set.questions().size(), tokens);
    }

    /** Coverage and cost with passage scoring under {@code options}. */
    public Row passages(LongPageSet set, PassageOptions options, String label) {
        PassageScorer scorer = new PassageScorer(encoder, options, " ");
        int covered = 0;
        long pairs = 0;
        long tokens = 0;
        for (LongPageSet.PageQuestion q : set.questions()) {
            LongPageSet.Page page = set.page(q.pageId());
            List<Passage> read = read(scorer, q.question(), new DocumentText(page.title(), page.body()));
            boolean hit = false;
            List<String> texts = new ArrayList<>(read.size());
            for (Passage p : read) {
                hit |= p.span().start() <= q.answerStart()
                        && q.answerEnd() <= p.span().end();
                texts.add(p.text());
            }
            covered += hit ? 1 : 0;
            pairs += read.size();
            for (int length : encoder.pairLengths(q.question(), texts)) {
                tokens += length;
            }
        }
        return new Row(label, set.questions().size(), covered, pairs, tokens);
    }

    /** The passages of {@code doc} the scorer would send to the model for {@code query}. */
    static List<Passage> read(PassageScorer scorer, String query, DocumentText doc) {
        PassageSplitter.SplitDocument split = scorer.split(query, List.of(doc)).get(0);
        List<Passage> out = new ArrayList<>();
        for (int i : scorer.selected(query, split)) {
            out.add(split.passages().get(i));
        }
        return out;
    }
}
