package io.github.jareranker.solr;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;

/**
 * The rerank-pipeline settings of the {@code jarerank} query parser (fusion, skip rules, pair budget,
 * pair-score cache),
 * validated when the core loads, and how one request overrides them: every request value is
 * checked here and a bad one is an HTTP 400 naming the parameter. Immutable.
 *
 * <pre>{@code
 * <int name="reRankRrfK">60</int>                  <!-- default k of reRankOperator=rrf -->
 * <int name="maxPairs">0</int>                     <!-- default pair budget per request, 0 = none -->
 * <str name="skipQueryPattern">[A-Z0-9-]{6,}</str> <!-- query texts that skip the model (IDs, SKUs) -->
 * <int name="pairCacheSize">100000</int>           <!-- entries of each model's pair-score cache -->
 * }</pre>
 */
final class PipelineConfig {
    /** The solrconfig.xml settings read here (the parser's {@link PluginConfig} accepts them). */
    static final List<String> KEYS = List.of(
            PipelineParams.RERANK_RRF_K,
            PipelineParams.MAX_PAIRS,
            PipelineParams.SKIP_QUERY_PATTERN,
            PipelineParams.PAIR_CACHE_SIZE);

    private final int rrfK;
    private final int maxPairs;
    private final Pattern skipQueryPattern;
    private final int pairCacheSize;

    private PipelineConfig(int rrfK, int maxPairs, Pattern skipQueryPattern, int pairCacheSize) {
        this.rrfK = rrfK;
        this.maxPairs = maxPairs;
        this.skipQueryPattern = skipQueryPattern;
        this.pairCacheSize = pairCacheSize;
    }

    /**
     * Reads the pipeline settings from the parser's init args (other keys are ignored here).
     *
     * @throws ConfigException naming the bad setting
     */
    static PipelineConfig parse(NamedList<?> args) {
        for (String key : KEYS) {
            if (args.getAll(key).size() > 1) {
                throw ConfigException.of(key, "is given more than once; keep one");
            }
        }
        int rrfK = configInt(args, PipelineParams.RERANK_RRF_K, PipelineParams.RERANK_RRF_K_DEFAULT, 0);
        int maxPairs = configInt(args, PipelineParams.MAX_PAIRS, 0, 0);
        Pattern pattern = null;
        Object p = args.get(PipelineParams.SKIP_QUERY_PATTERN);
        if (p != null && !p.toString().isEmpty()) {
            try {
                pattern = Pattern.compile(p.toString());
            } catch (PatternSyntaxException e) {
                throw ConfigException.of(
                        PipelineParams.SKIP_QUERY_PATTERN,
                        "is not a valid Java regular expression: " + e.getDescription() + " in '" + p + "'");
            }
        }
        int pairCacheSize = configInt(args, PipelineParams.PAIR_CACHE_SIZE, 0, 0);
        return new PipelineConfig(rrfK, maxPairs, pattern, pairCacheSize);
    }

    private static int configInt(NamedList<?> args, String key, int def, int min) {
        Object v = args.get(key);
        if (v == null) {
            return def;
        }
        long n = parseLong(v.toString());
        if (n < min || n > Integer.MAX_VALUE) {
            throw ConfigException.of(key, "must be an integer >= " + min + ", got '" + v + "'");
        }
        return (int) n;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /** The request's {@code reRankRrfK}, else the configured default. */
    int rrfK(SolrParams local) {
        return requestInt(local, PipelineParams.RERANK_RRF_K, rrfK, 0);
    }

    /** The request's {@code maxPairs}, else the configured default; 0 means no budget. */
    int maxPairs(SolrParams local) {
        return requestInt(local, PipelineParams.MAX_PAIRS, maxPairs, 0);
    }

    private static int requestInt(SolrParams local, String name, int def, int min) {
        String v = local.get(name);
        if (v == null) {
            return def;
        }
        long n = parseLong(v);
        if (n < min || n > Integer.MAX_VALUE) {
            throw CrossEncoderRerankQParser.badRequest(name, "must be an integer >= " + min + ", got '" + v + "'");
        }
        return (int) n;
    }

    /** Entries of each model's pair-score cache; 0 = no cache. */
    int pairCacheSize() {
        return pairCacheSize;
    }

    /** Whether this request uses the pair-score cache: {@code reRankCache}, default true. */
    static boolean useCache(SolrParams local) {
        String v = local.get(PipelineParams.RERANK_CACHE);
        if (v == null) {
            return true;
        }
        switch (v.trim()) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw CrossEncoderRerankQParser.badRequest(
                        PipelineParams.RERANK_CACHE, "must be true or false, got '" + v + "'");
        }
    }

    /** The configured pattern of query texts that skip the model, if any. */
    Optional<Pattern> skipQueryPattern() {
        return Optional.ofNullable(skipQueryPattern);
    }
}
