package io.github.jareranker.solr;

import io.github.jareranker.passage.PassageAggregation;
import io.github.jareranker.passage.PassageOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.solr.common.params.SolrParams;

/**
 * Passage scoring for one configured model: the defaults and limits from solrconfig.xml (validated
 * at core load, {@link ConfigException} naming the setting) and their per-request overrides from
 * {@code rq={!jarerank passages=max maxPassages=8 passageTokens=256 ...}} (HTTP 400 naming the
 * parameter). A request may choose how passages are scored, never more work than the operator's
 * {@value #MAX_PASSAGE_PAIRS} cap allows. Immutable.
 */
final class PassageSettings {
    // ---- request local params, also model settings (their defaults) ----
    /** {@code none} (one truncated text per hit), {@code max} (MaxP), {@code first} (FirstP) or {@code meanTopK}. */
    static final String PASSAGES = "passages";
    /** Passages scored per hit, at least 1; more are pre-selected by query-term overlap. */
    static final String MAX_PASSAGES = "maxPassages";
    /** Tokens of one (query, passage) pair, special tokens included; 0 = the model's maxLength. */
    static final String PASSAGE_TOKENS = "passageTokens";
    /** Passages averaged by {@code passages=meanTopK}. */
    static final String PASSAGE_TOP_K = "passageTopK";
    /** Whether the first field (the title) is put in front of every passage. */
    static final String PASSAGE_TITLE = "passageTitle";

    // ---- model settings only (solrconfig.xml) ----
    /** Whole sentences repeated between consecutive passages. */
    static final String PASSAGE_OVERLAP = "passageOverlap";
    /** Characters of a hit's body split into passages; the rest is not read (explain says so). */
    static final String MAX_DOCUMENT_CHARS = "maxDocumentChars";
    /** The operator's cap on {@code maxPassages × reRankDocs}: the pairs one request may score per shard. */
    static final String MAX_PASSAGE_PAIRS = "maxPassagePairs";

    static final int MAX_PASSAGE_PAIRS_DEFAULT = 4000;
    private static final String NONE = "none";

    /** The model settings this class reads. */
    static final List<String> KEYS = List.of(
            PASSAGES,
            MAX_PASSAGES,
            PASSAGE_TOKENS,
            PASSAGE_TOP_K,
            PASSAGE_TITLE,
            PASSAGE_OVERLAP,
            MAX_DOCUMENT_CHARS,
            MAX_PASSAGE_PAIRS);

    /** The model's default mode; null: passages off unless a request turns them on. */
    private final PassageAggregation defaultAggregation;
    /** The model's defaults (its aggregation is MAX when the model's default is off). */
    private final PassageOptions defaults;

    private final int maxPassagePairs;

    private PassageSettings(PassageAggregation defaultAggregation, PassageOptions defaults, int maxPassagePairs) {
        this.defaultAggregation = defaultAggregation;
        this.defaults = defaults;
        this.maxPassagePairs = maxPassagePairs;
    }

    /**
     * Reads the passage settings of one model's {@code <lst>}.
     *
     * @param config the model's settings ({@code models/NAME})
     * @throws ConfigException naming the bad setting
     */
    static PassageSettings parse(ConfigValues config) {
        String mode = config.string(PASSAGES, NONE).trim();
        PassageAggregation aggregation = null;
        if (!mode.equalsIgnoreCase(NONE) && !mode.isEmpty()) {
            try {
                aggregation = PassageAggregation.parse(mode);
            } catch (IllegalArgumentException e) {
                throw ConfigException.of(
                        config.path(PASSAGES), "must be none, max, first or meanTopK, got '" + mode + "'");
            }
        }
        PassageOptions.Builder b = PassageOptions.builder()
                .aggregation(aggregation == null ? PassageAggregation.MAX : aggregation)
                .maxPassages(config.integer(MAX_PASSAGES, PassageOptions.DEFAULT_MAX_PASSAGES, 1))
                .passageTokens(config.integer(PASSAGE_TOKENS, 0, 0))
                .topK(config.integer(PASSAGE_TOP_K, PassageOptions.DEFAULT_TOP_K, 1))
                .prependTitle(config.bool(PASSAGE_TITLE, true))
                .overlapSentences(config.integer(PASSAGE_OVERLAP, PassageOptions.DEFAULT_OVERLAP_SENTENCES, 0))
                .maxDocumentChars(config.integer(MAX_DOCUMENT_CHARS, PassageOptions.DEFAULT_MAX_DOCUMENT_CHARS, 1));
        PassageOptions defaults;
        try {
            defaults = b.build();
        } catch (IllegalArgumentException e) {
            // only passageTokens has a rule the integer parser does not check (0 or at least 32)
            throw ConfigException.of(config.path(PASSAGE_TOKENS), e.getMessage());
        }
        int cap = config.integer(MAX_PASSAGE_PAIRS, MAX_PASSAGE_PAIRS_DEFAULT, 1);
        return new PassageSettings(aggregation, defaults, cap);
    }

    /** Whether the model reads passages by default (a request can still turn them on or off). */
    boolean enabled() {
        return defaultAggregation != null;
    }

    /** The cap on {@code maxPassages × reRankDocs}. */
    int maxPassagePairs() {
        return maxPassagePairs;
    }

    /**
     * The passage options of one request: the model's defaults overridden by the request's local
     * params; empty when passages are off (the model's default and no {@code passages=} in the request,
     * or {@code passages=none}).
     *
     * @throws org.apache.solr.common.SolrException HTTP 400 naming the parameter: an unknown mode, a
     *     count that is not an integer in range, or {@code maxPassages × reRankDocs} over the cap
     */
    Optional<PassageOptions> forRequest(SolrParams lp, int reRankDocs) {
        String mode = lp.get(PASSAGES);
        PassageAggregation aggregation = defaultAggregation;
        if (mode != null) {
            if (mode.trim().equalsIgnoreCase(NONE)) {
                return Optional.empty();
            }
            try {
                aggregation = PassageAggregation.parse(mode);
            } catch (IllegalArgumentException e) {
                throw RequestValues.badRequest(PASSAGES, "must be none, max, first or meanTopK, got '" + mode + "'");
            }
        }
        if (aggregation == null) {
            return Optional.empty();
        }
        PassageOptions.Builder b = defaults.toBuilder().aggregation(aggregation);
        b.maxPassages(RequestValues.integer(lp, MAX_PASSAGES, defaults.maxPassages(), 1));
        b.passageTokens(RequestValues.integer(lp, PASSAGE_TOKENS, defaults.passageTokens(), 0));
        b.topK(RequestValues.integer(lp, PASSAGE_TOP_K, defaults.topK(), 1));
        b.prependTitle(RequestValues.bool(lp, PASSAGE_TITLE, defaults.prependTitle()));
        PassageOptions options;
        try {
            options = b.build();
        } catch (IllegalArgumentException e) {
            throw RequestValues.badRequest(PASSAGE_TOKENS, e.getMessage());
        }
        int perHit = aggregation == PassageAggregation.FIRST ? 1 : options.maxPassages();
        if ((long) perHit * reRankDocs > maxPassagePairs) {
            throw RequestValues.badRequest(
                    MAX_PASSAGES,
                    "maxPassages × reRankDocs = " + perHit + " × " + reRankDocs + " = " + (long) perHit * reRankDocs
                            + " passages exceeds maxPassagePairs=" + maxPassagePairs
                            + " (solrconfig.xml); lower maxPassages or reRankDocs");
        }
        return Optional.of(options);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PassageSettings)) {
            return false;
        }
        PassageSettings that = (PassageSettings) o;
        return defaultAggregation == that.defaultAggregation
                && defaults.equals(that.defaults)
                && maxPassagePairs == that.maxPassagePairs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(defaultAggregation, defaults, maxPassagePairs);
    }

    @Override
    public String toString() {
        return (defaultAggregation == null ? "passages=none" : defaults.toString()) + " maxPassagePairs="
                + maxPassagePairs;
    }
}
