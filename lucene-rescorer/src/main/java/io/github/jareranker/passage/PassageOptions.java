package io.github.jareranker.passage;

import java.util.Objects;

/**
 * Immutable settings of passage scoring: how a long document is cut into passages, how many of them
 * the model scores, and how their scores become the document's. Equal options are {@code equals}
 * (they key Solr's result cache).
 */
public final class PassageOptions {
    /** Passages scored per document unless set. */
    public static final int DEFAULT_MAX_PASSAGES = 8;
    /** Passages averaged by {@link PassageAggregation#MEAN_TOP_K} unless set. */
    public static final int DEFAULT_TOP_K = 3;
    /** Whole sentences repeated at the start of the next passage unless set. */
    public static final int DEFAULT_OVERLAP_SENTENCES = 1;
    /** Characters of a document's body read unless set; the rest is cut (and explain says so). */
    public static final int DEFAULT_MAX_DOCUMENT_CHARS = 100_000;
    /** The smallest pair budget accepted: a passage needs room next to the query. */
    public static final int MIN_PASSAGE_TOKENS = 32;

    private final PassageAggregation aggregation;
    private final int maxPassages;
    private final int passageTokens;
    private final int topK;
    private final int overlapSentences;
    private final boolean prependTitle;
    private final int maxDocumentChars;

    private PassageOptions(Builder b) {
        this.aggregation = b.aggregation;
        this.maxPassages = b.maxPassages;
        this.passageTokens = b.passageTokens;
        this.topK = b.topK;
        this.overlapSentences = b.overlapSentences;
        this.prependTitle = b.prependTitle;
        this.maxDocumentChars = b.maxDocumentChars;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        return builder()
                .aggregation(aggregation)
                .maxPassages(maxPassages)
                .passageTokens(passageTokens)
                .topK(topK)
                .overlapSentences(overlapSentences)
                .prependTitle(prependTitle)
                .maxDocumentChars(maxDocumentChars);
    }

    /** How passage scores make the document's score; default {@link PassageAggregation#MAX}. */
    public PassageAggregation aggregation() {
        return aggregation;
    }

    /**
     * The most passages scored per document (default 8). A document with more has them pre-selected
     * by query-term overlap ({@link QueryOverlapSelector}); its first passage is always kept.
     */
    public int maxPassages() {
        return maxPassages;
    }

    /**
     * The token budget of one (query, passage) pair, special tokens included; 0 (default) means the
     * model's maximum length. Larger values are capped at the model's maximum length.
     */
    public int passageTokens() {
        return passageTokens;
    }

    /** How many best passages {@link PassageAggregation#MEAN_TOP_K} averages (default 3). */
    public int topK() {
        return topK;
    }

    /** Whole sentences a passage repeats from the end of the one before (default 1). */
    public int overlapSentences() {
        return overlapSentences;
    }

    /** Whether the title (the first of several text fields) is put in front of every passage (default true). */
    public boolean prependTitle() {
        return prependTitle;
    }

    /** Characters of a document's body split into passages (default 100,000); the rest is not read. */
    public int maxDocumentChars() {
        return maxDocumentChars;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PassageOptions)) {
            return false;
        }
        PassageOptions that = (PassageOptions) o;
        return aggregation == that.aggregation
                && maxPassages == that.maxPassages
                && passageTokens == that.passageTokens
                && topK == that.topK
                && overlapSentences == that.overlapSentences
                && prependTitle == that.prependTitle
                && maxDocumentChars == that.maxDocumentChars;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                aggregation, maxPassages, passageTokens, topK, overlapSentences, prependTitle, maxDocumentChars);
    }

    @Override
    public String toString() {
        return "passages=" + aggregation.externalName() + " maxPassages=" + maxPassages + " passageTokens="
                + (passageTokens == 0 ? "maxLength" : Integer.toString(passageTokens))
                + (aggregation == PassageAggregation.MEAN_TOP_K ? " passageTopK=" + topK : "")
                + " passageOverlap=" + overlapSentences + " passageTitle=" + prependTitle
                + " maxDocumentChars=" + maxDocumentChars;
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private PassageAggregation aggregation = PassageAggregation.MAX;
        private int maxPassages = DEFAULT_MAX_PASSAGES;
        private int passageTokens;
        private int topK = DEFAULT_TOP_K;
        private int overlapSentences = DEFAULT_OVERLAP_SENTENCES;
        private boolean prependTitle = true;
        private int maxDocumentChars = DEFAULT_MAX_DOCUMENT_CHARS;

        private Builder() {}

        public Builder aggregation(PassageAggregation aggregation) {
            this.aggregation = Objects.requireNonNull(aggregation, "aggregation");
            return this;
        }

        public Builder maxPassages(int maxPassages) {
            this.maxPassages = maxPassages;
            return this;
        }

        public Builder passageTokens(int passageTokens) {
            this.passageTokens = passageTokens;
            return this;
        }

        public Builder topK(int topK) {
            this.topK = topK;
            return this;
        }

        public Builder overlapSentences(int overlapSentences) {
            this.overlapSentences = overlapSentences;
            return this;
        }

        public Builder prependTitle(boolean prependTitle) {
            this.prependTitle = prependTitle;
            return this;
        }

        public Builder maxDocumentChars(int maxDocumentChars) {
            this.maxDocumentChars = maxDocumentChars;
            return this;
        }

        /**
         * @throws IllegalArgumentException whose message starts with the option's name: maxPassages,
         *     topK or maxDocumentChars below 1, passageTokens neither 0 nor at least {@value
         *     #MIN_PASSAGE_TOKENS}, overlapSentences below 0
         */
        public PassageOptions build() {
            if (maxPassages < 1) {
                throw new IllegalArgumentException("maxPassages must be at least 1, got " + maxPassages);
            }
            if (passageTokens != 0 && passageTokens < MIN_PASSAGE_TOKENS) {
                throw new IllegalArgumentException("passageTokens must be 0 (the model's maximum length) or at least "
                        + MIN_PASSAGE_TOKENS + ", got " + passageTokens);
            }
            if (topK < 1) {
                throw new IllegalArgumentException("topK must be at least 1, got " + topK);
            }
            if (overlapSentences < 0) {
                throw new IllegalArgumentException("overlapSentences must be at least 0, got " + overlapSentences);
            }
            if (maxDocumentChars < 1) {
                throw new IllegalArgumentException("maxDocumentChars must be at least 1, got " + maxDocumentChars);
            }
            return new PassageOptions(this);
        }
    }
}
