package io.github.jareranker.solr;

/**
 * The one home of the names (and defaults) of the request (local) parameters of {@code rq={!jarerank ...}} and of
 * the {@code <queryParser>} settings in solrconfig.xml. Per-model settings are named in {@link ModelSpec} and
 * {@link PassageSettings} (their {@code KEYS}). No parameter accepts a file path: models are chosen by
 * the names configured by the operator.
 */
public final class RerankParams {
    private RerankParams() {}

    // ---- request local params ----
    /** How many first-pass hits (per shard) are rescored; a positive integer up to {@link #MAX_RERANK_DOCS}. */
    public static final String RERANK_DOCS = "reRankDocs";
    /** Default for {@link #RERANK_DOCS}, as Solr's {@code rerank}. */
    public static final int RERANK_DOCS_DEFAULT = 200;
    /** Multiplier of the model score (finite number). */
    public static final String RERANK_WEIGHT = "reRankWeight";
    /** Default for {@link #RERANK_WEIGHT}. */
    public static final float RERANK_WEIGHT_DEFAULT = 1.0f;
    /** {@code replace} (default), {@code add} or {@code multiply}. */
    public static final String RERANK_OPERATOR = "reRankOperator";
    /** The configured model to use; default: the parser's {@code defaultModel}. */
    public static final String MODEL = "model";
    /** A cascade's second model (a configured model name). */
    public static final String THEN = "then";
    /** How many of the first stage's top hits the {@code then} model reorders. */
    public static final String THEN_DOCS = "thenDocs";
    /** Comma or space separated stored fields whose text the model reads; default: the model's {@code fields}. */
    public static final String RERANK_FIELDS = "reRankFields";
    /** The query text given to the model; default: the user's {@code q}. {@code $param} references work. */
    public static final String RERANK_TEXT = "reRankText";

    // ---- solrconfig.xml ----
    /** Name of the model used when a request names none. */
    public static final String DEFAULT_MODEL = "defaultModel";
    /** Upper bound on {@link #RERANK_DOCS} a request may ask for. */
    public static final String MAX_RERANK_DOCS = "maxReRankDocs";
    /** Default for {@link #MAX_RERANK_DOCS}. */
    public static final int MAX_RERANK_DOCS_DEFAULT = 1000;
    /** The list of named models. */
    public static final String MODELS = "models";

    // ---- rerank pipeline: request parameters and, under the same names, their solrconfig.xml defaults ----
    /** The constant {@code k} of {@code reRankOperator=rrf}: an integer >= 0. */
    public static final String RERANK_RRF_K = "reRankRrfK";
    /** Default for {@link #RERANK_RRF_K}. */
    public static final int RERANK_RRF_K_DEFAULT = 60;
    /**
     * Pair budget per request (per shard): only the first-pass head of this many hits is scored, the
     * rest of the window stays below it in first-pass order. 0 = no budget (the default).
     */
    public static final String MAX_PAIRS = "maxPairs";
    /** solrconfig.xml only: a Java regex; query texts it fully matches skip the model (IDs, SKUs, URLs). */
    public static final String SKIP_QUERY_PATTERN = "skipQueryPattern";
    /**
     * solrconfig.xml: entries of the JVM-wide pair-score cache of each model (0 = no cache, the
     * default). About 100 bytes plus the query and key strings per entry.
     */
    public static final String PAIR_CACHE_SIZE = "pairCacheSize";
    /** Request: {@code false} bypasses the pair-score cache for this request (default true). */
    public static final String RERANK_CACHE = "reRankCache";
}
