package io.github.jareranker.lucene;

import io.github.jareranker.passage.PassageOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable settings of a {@link CrossEncoderRescorer}: which stored fields make up a hit's text,
 * and how the model score is combined with the first-pass score. Equal options are {@code equals}.
 */
public final class RescorerOptions {
    /** Title then body, joined with one space: how the seed models were evaluated. */
    public static final List<String> DEFAULT_FIELDS = List.of("title", "body");

    private static final RescorerOptions DEFAULTS = builder().build();

    private final List<String> fields;
    private final String separator;
    private final CombineOperator operator;
    private final float weight;
    private final int rrfK;
    private final Float missingTextScore;
    private final PassageOptions passages;

    private RescorerOptions(Builder b) {
        this.passages = b.passages;
        this.fields = List.copyOf(b.fields);
        this.separator = b.separator;
        this.operator = b.operator;
        this.weight = b.weight;
        this.rrfK = b.rrfK;
        this.missingTextScore = b.missingTextScore;
    }

    /** title + " " + body, replace, weight 1, hits without text scored as an empty document. */
    public static RescorerOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Stored fields read, in order; values (also of multi-valued fields) joined with the separator. */
    public List<String> fields() {
        return fields;
    }

    public String separator() {
        return separator;
    }

    public CombineOperator operator() {
        return operator;
    }

    public float weight() {
        return weight;
    }

    /** The constant {@code k} of {@link CombineOperator#RRF} ({@link WindowCombiner}); default 60. */
    public int rrfK() {
        return rrfK;
    }

    /**
     * The model score given to a hit none of whose fields has text. Empty (the default) means such a
     * hit is scored by the model as an empty document, which is a defined score like any other.
     */
    public Optional<Float> missingTextScore() {
        return Optional.ofNullable(missingTextScore);
    }

    /**
     * Passage scoring (long documents scored by their passages, see {@link
     * io.github.jareranker.passage.PassageScorer}); empty (the default) scores each hit's text as one
     * document, truncated to the model's maximum length. With passages and several fields, the first
     * field is the title (put in front of every passage when {@link PassageOptions#prependTitle()})
     * and the others, joined, are the body that is split.
     */
    public Optional<PassageOptions> passages() {
        return Optional.ofNullable(passages);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RescorerOptions)) {
            return false;
        }
        RescorerOptions that = (RescorerOptions) o;
        return Float.compare(weight, that.weight) == 0
                && rrfK == that.rrfK
                && fields.equals(that.fields)
                && separator.equals(that.separator)
                && operator == that.operator
                && Objects.equals(missingTextScore, that.missingTextScore)
                && Objects.equals(passages, that.passages);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fields, separator, operator, weight, rrfK, missingTextScore, passages);
    }

    @Override
    public String toString() {
        return "RescorerOptions{fields="
                + fields
                + ", separator='"
                + separator
                + "', operator="
                + operator
                + ", weight="
                + weight
                + ", rrfK="
                + rrfK
                + ", missingTextScore="
                + (missingTextScore == null ? "(model on empty text)" : missingTextScore)
                + (passages == null ? "" : ", " + passages)
                + '}';
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private List<String> fields = DEFAULT_FIELDS;
        private String separator = " ";
        private CombineOperator operator = CombineOperator.REPLACE;
        private float weight = 1f;
        private int rrfK = WindowCombiner.DEFAULT_RRF_K;
        private Float missingTextScore;
        private PassageOptions passages;

        private Builder() {}

        /** Score hits by their passages; null restores the default (one truncated text per hit). */
        public Builder passages(PassageOptions passages) {
            this.passages = passages;
            return this;
        }

        public Builder fields(List<String> fields) {
            this.fields = List.copyOf(fields);
            return this;
        }

        public Builder separator(String separator) {
            this.separator = Objects.requireNonNull(separator, "separator");
            return this;
        }

        public Builder operator(CombineOperator operator) {
            this.operator = Objects.requireNonNull(operator, "operator");
            return this;
        }

        public Builder weight(float weight) {
            this.weight = weight;
            return this;
        }

        /** The constant {@code k} of {@link CombineOperator#RRF}, at least 0 (default 60). */
        public Builder rrfK(int rrfK) {
            this.rrfK = rrfK;
            return this;
        }

        /** A fixed model score for hits without text; null restores the default (score empty text). */
        public Builder missingTextScore(Float score) {
            this.missingTextScore = score;
            return this;
        }

        /**
         * @throws IllegalArgumentException if no field is given, a field name is blank, the weight is
         *     not finite or rrfK is negative
         */
        public RescorerOptions build() {
            if (fields.isEmpty()) {
                throw new IllegalArgumentException("at least one text field is required");
            }
            for (String f : fields) {
                if (f == null || f.isBlank()) {
                    throw new IllegalArgumentException("text field names must not be blank: " + fields);
                }
            }
            if (!Float.isFinite(weight)) {
                throw new IllegalArgumentException("weight must be a finite number, got " + weight);
            }
            if (rrfK < 0) {
                throw new IllegalArgumentException("rrfK must be an integer >= 0, got " + rrfK);
            }
            if (missingTextScore != null && !Float.isFinite(missingTextScore)) {
                throw new IllegalArgumentException("missingTextScore must be finite, got " + missingTextScore);
            }
            return new RescorerOptions(this);
        }
    }
}
