package io.github.jareranker.solr;

/**
 * Names and defaults of the rerank-pipeline parameters: request (local) parameters of {@code
 * rq={!jarerank ...}} and, under the same names, their defaults in the {@code <queryParser>}
 * element of solrconfig.xml. No parameter chooses a file.
 */
public final class PipelineParams {
    private PipelineParams() {}

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
