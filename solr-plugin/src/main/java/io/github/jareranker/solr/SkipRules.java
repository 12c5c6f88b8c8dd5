package io.github.jareranker.solr;

import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.solr.search.WrappedQuery;

/**
 * When the model is not worth running: the request is answered in first-pass order, flagged in the
 * response header ({@code jarerank.skipped}) and counted per reason ({@code skipped.<reason>}).
 * Stateless.
 */
final class SkipRules {
    private SkipRules() {}

    /** Why the model was skipped; {@link #key()} is the name in the response header and the metrics. */
    enum Reason {
        /** numFound <= 1: there is nothing to reorder. */
        FEW_HITS("fewHits", "the first pass found at most one hit"),
        /**
         * The first-pass query gives every hit the same score (*:*, a constant-score or pure filter
         * query) and the request names no text for the model.
         */
        MATCH_ALL("matchAll", "the query is match-all or a pure filter and reRankText is not given"),
        /** The query text matches the configured {@code skipQueryPattern} (IDs, SKUs, URLs). */
        QUERY_PATTERN("queryPattern", "the query text matches skipQueryPattern");

        private final String key;
        private final String description;

        Reason(String key, String description) {
            this.key = key;
            this.description = description;
        }

        String key() {
            return key;
        }

        String description() {
            return description;
        }
    }

    /**
     * The rules decided when the rank query is parsed.
     *
     * @param mainQuery the request's first-pass query (null when unknown)
     * @param explicitText the request's {@code reRankText}, null if absent
     * @param modelText the text the model would read (from reRankText or q), null or blank if none
     * @param pattern the configured skipQueryPattern
     */
    static Optional<Reason> atParse(Query mainQuery, String explicitText, String modelText, Optional<Pattern> pattern) {
        if (mainQuery != null && nonScoring(mainQuery) && (explicitText == null || !hasText(explicitText))) {
            return Optional.of(Reason.MATCH_ALL);
        }
        if (hasText(modelText)
                && pattern.isPresent()
                && pattern.get().matcher(modelText.trim()).matches()) {
            return Optional.of(Reason.QUERY_PATTERN);
        }
        return Optional.empty();
    }

    /** The rule decided on the first pass, which found {@code numFound} hits: numFound <= 1. */
    static Optional<Reason> atRescore(long numFound) {
        return numFound <= 1 ? Optional.of(Reason.FEW_HITS) : Optional.empty();
    }

    /** A model text: not blank and not {@code *:*}. */
    static boolean hasText(String text) {
        return text != null && !text.isBlank() && !text.trim().equals("*:*");
    }

    /**
     * True for a query that scores every hit alike: match-all, constant-score (also Solr's {@code
     * {!filter}} and {@code ^=}), Solr's wrapper or a boost of one of those, or a boolean query none of
     * whose scoring clauses scores.
     */
    static boolean nonScoring(Query q) {
        if (q instanceof MatchAllDocsQuery || q instanceof ConstantScoreQuery) {
            return true;
        }
        if (q instanceof WrappedQuery) {
            return nonScoring(((WrappedQuery) q).getWrappedQuery());
        }
        if (q instanceof BoostQuery) {
            return nonScoring(((BoostQuery) q).getQuery());
        }
        if (q instanceof BooleanQuery) {
            for (BooleanClause c : ((BooleanQuery) q).clauses()) {
                if (c.isScoring() && !nonScoring(LuceneApi.query(c))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
