package io.github.jareranker.solr;

/**
 * Names of the request (local) parameters of {@code rq={!jarerank ...}} and of the {@code
 * <queryParser>} settings in solrconfig.xml. No parameter accepts a file path: models are chosen by
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
}
