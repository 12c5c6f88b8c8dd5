package io.github.jareranker.solr;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;

/**
 * The validated settings of one {@code <queryParser name="jarerank">} element: the named models, the
 * default model and the cap on {@code reRankDocs}. Immutable.
 *
 * <pre>{@code
 * <queryParser name="jarerank" class="io.github.jareranker.solr.CrossEncoderRerankQParserPlugin">
 *   <str name="defaultModel">ja</str>
 *   <int name="maxReRankDocs">1000</int>
 *   <lst name="models">
 *     <lst name="ja">
 *       <str name="modelDirectory">/var/solr/models/japanese-reranker-xsmall-v2</str>
 *       <str name="onnxFile">onnx/model_qint8_avx2.onnx</str>
 *     </lst>
 *   </lst>
 * </queryParser>
 * }</pre>
 *
 * <p>The rerank-pipeline settings, each also a request parameter that overrides it (a bad request value is a 400):
 *
 * <pre>{@code
 * <int name="reRankRrfK">60</int>                  <!-- default k of reRankOperator=rrf -->
 * <int name="maxPairs">0</int>                     <!-- default pair budget per request, 0 = none -->
 * <str name="skipQueryPattern">[A-Z0-9-]{6,}</str> <!-- query texts that skip the model (IDs, SKUs) -->
 * <int name="pairCacheSize">100000</int>           <!-- entries of each model's pair-score cache -->
 * }</pre>
 */
public final class PluginConfig {
    private static final Set<String> KEYS =
            new TreeSet<>(Arrays.asList(RerankParams.DEFAULT_MODEL, RerankParams.MAX_RERANK_DOCS, RerankParams.MODELS));

    /** The rerank-pipeline settings (fusion, skip rules, budget, pair cache), request defaults under the same names. */
    private static final List<String> PIPELINE_KEYS = List.of(
            RerankParams.RERANK_RRF_K,
            RerankParams.MAX_PAIRS,
            RerankParams.SKIP_QUERY_PATTERN,
            RerankParams.PAIR_CACHE_SIZE);

    static {
        KEYS.addAll(PIPELINE_KEYS);
    }

    private final Map<String, ModelSpec> models;
    private final String defaultModel;
    private final int maxReRankDocs;
    private final int rrfK;
    private final int maxPairs;
    private final Pattern skipQueryPattern; // null: none
    private final int pairCacheSize;

    private PluginConfig(
            Map<String, ModelSpec> models,
            String defaultModel,
            int maxReRankDocs,
            int rrfK,
            int maxPairs,
            Pattern skipQueryPattern,
            int pairCacheSize) {
        this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        this.defaultModel = defaultModel;
        this.maxReRankDocs = maxReRankDocs;
        this.rrfK = rrfK;
        this.maxPairs = maxPairs;
        this.skipQueryPattern = skipQueryPattern;
        this.pairCacheSize = pairCacheSize;
    }

    /**
     * Parses the init args of the query parser.
     *
     * @throws ConfigException naming the bad setting
     */
    public static PluginConfig parse(NamedList<?> args) {
        if (args == null) {
            args = new NamedList<>();
        }
        for (Map.Entry<String, ?> e : args) {
            if (!KEYS.contains(e.getKey())) {
                throw ConfigException.of(e.getKey(), "is not a known setting; expected one of " + KEYS);
            }
        }
        Object modelsArg = args.get(RerankParams.MODELS);
        if (!(modelsArg instanceof NamedList) || ((NamedList<?>) modelsArg).size() == 0) {
            throw ConfigException.of(
                    RerankParams.MODELS,
                    "is required: a <lst name=\"models\"> holding one <lst name=\"NAME\"> per model, each with at"
                            + " least <str name=\"modelDirectory\">");
        }
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : (NamedList<?>) modelsArg) {
            if (!(e.getValue() instanceof NamedList)) {
                throw ConfigException.of(RerankParams.MODELS + "/" + e.getKey(), "must be a <lst> of model settings");
            }
            if (models.containsKey(e.getKey())) {
                throw ConfigException.of(RerankParams.MODELS + "/" + e.getKey(), "is defined twice");
            }
            models.put(e.getKey(), ModelSpec.parse(e.getKey(), (NamedList<?>) e.getValue()));
        }
        Object def = args.get(RerankParams.DEFAULT_MODEL);
        String defaultModel;
        if (def == null || def.toString().isBlank()) {
            if (models.size() != 1) {
                throw ConfigException.of(
                        RerankParams.DEFAULT_MODEL,
                        "is required when more than one model is configured; one of " + models.keySet());
            }
            defaultModel = models.keySet().iterator().next();
        } else {
            defaultModel = def.toString().trim();
            if (!models.containsKey(defaultModel)) {
                throw ConfigException.of(
                        RerankParams.DEFAULT_MODEL,
                        "names '" + defaultModel + "', which is not a configured model; one of " + models.keySet());
            }
        }
        ConfigValues config = new ConfigValues("", args);
        int cap = config.integer(RerankParams.MAX_RERANK_DOCS, RerankParams.MAX_RERANK_DOCS_DEFAULT, 1);
        PIPELINE_KEYS.forEach(config::once);
        int rrfK = config.integer(RerankParams.RERANK_RRF_K, RerankParams.RERANK_RRF_K_DEFAULT, 0);
        int maxPairs = config.integer(RerankParams.MAX_PAIRS, 0, 0);
        Pattern pattern = null;
        Object p = config.raw(RerankParams.SKIP_QUERY_PATTERN);
        if (p != null && !p.toString().isEmpty()) {
            try {
                pattern = Pattern.compile(p.toString());
            } catch (PatternSyntaxException e) {
                throw ConfigException.of(
                        RerankParams.SKIP_QUERY_PATTERN,
                        "is not a valid Java regular expression: " + e.getDescription() + " in '" + p + "'");
            }
        }
        int pairCacheSize = config.integer(RerankParams.PAIR_CACHE_SIZE, 0, 0);
        return new PluginConfig(models, defaultModel, cap, rrfK, maxPairs, pattern, pairCacheSize);
    }

    /** The rerank-pipeline settings (fusion, skip rules, pair budget). */
    /** The request's {@code reRankRrfK}, else the configured default. */
    int rrfK(SolrParams local) {
        return RequestValues.integer(local, RerankParams.RERANK_RRF_K, rrfK, 0);
    }

    /** The request's {@code maxPairs}, else the configured default; 0 means no budget. */
    int maxPairs(SolrParams local) {
        return RequestValues.integer(local, RerankParams.MAX_PAIRS, maxPairs, 0);
    }

    /** Whether this request uses the pair-score cache: {@code reRankCache}, default true. */
    static boolean useCache(SolrParams local) {
        return RequestValues.bool(local, RerankParams.RERANK_CACHE, true);
    }

    /** Entries of each model's pair-score cache; 0 = no cache. */
    int pairCacheSize() {
        return pairCacheSize;
    }

    /** The configured pattern of query texts that skip the model, if any. */
    Optional<Pattern> skipQueryPattern() {
        return Optional.ofNullable(skipQueryPattern);
    }

    /** Models by name, in configuration order. */
    public Map<String, ModelSpec> models() {
        return models;
    }

    public String defaultModel() {
        return defaultModel;
    }

    public int maxReRankDocs() {
        return maxReRankDocs;
    }
}
