package io.github.jareranker.solr;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 */
public final class PluginConfig {
    private static final Set<String> KEYS =
            new TreeSet<>(Arrays.asList(RerankParams.DEFAULT_MODEL, RerankParams.MAX_RERANK_DOCS, RerankParams.MODELS));

    static {
        KEYS.addAll(PipelineConfig.KEYS); // rerank-pipeline settings (fusion, skip rules, budget, cache)
    }

    private final Map<String, ModelSpec> models;
    private final String defaultModel;
    private final int maxReRankDocs;
    private final PipelineConfig pipeline;

    private PluginConfig(
            Map<String, ModelSpec> models, String defaultModel, int maxReRankDocs, PipelineConfig pipeline) {
        this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        this.defaultModel = defaultModel;
        this.maxReRankDocs = maxReRankDocs;
        this.pipeline = pipeline;
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
        int cap = RerankParams.MAX_RERANK_DOCS_DEFAULT;
        Object capArg = args.get(RerankParams.MAX_RERANK_DOCS);
        if (capArg != null) {
            try {
                cap = capArg instanceof Number
                        ? ((Number) capArg).intValue()
                        : Integer.parseInt(capArg.toString().trim());
            } catch (NumberFormatException ex) {
                cap = -1;
            }
            if (cap < 1) {
                throw ConfigException.of(
                        RerankParams.MAX_RERANK_DOCS, "must be a positive integer, got '" + capArg + "'");
            }
        }
        return new PluginConfig(models, defaultModel, cap, PipelineConfig.parse(args));
    }

    /** The rerank-pipeline settings (fusion, skip rules, pair budget). */
    PipelineConfig pipeline() {
        return pipeline;
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
