package io.github.jareranker.solr;

import io.github.jareranker.lucene.CombineOperator;
import io.github.jareranker.lucene.RescorerOptions;
import io.github.jareranker.passage.PassageOptions;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.search.Query;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.schema.IndexSchema;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.QParser;
import org.apache.solr.search.QueryParsing;
import org.apache.solr.search.SyntaxError;

/**
 * Parses {@code rq={!jarerank reRankDocs=100 reRankWeight=1 reRankOperator=replace model=NAME
 * reRankFields=title,body reRankText=$rrt}} into one immutable {@link RerankRequest}, and wires it
 * with the leased model and the request's {@link RerankTrace} into a {@link SolrRerankRescorer} and
 * a {@link CrossEncoderRerankQuery}. Every bad value is an HTTP 400 whose message names the
 * parameter and what is accepted. One instance per request.
 */
final class CrossEncoderRerankQParser extends QParser {
    private final CrossEncoderRerankQParserPlugin plugin;

    CrossEncoderRerankQParser(
            String qstr,
            SolrParams localParams,
            SolrParams params,
            SolrQueryRequest req,
            CrossEncoderRerankQParserPlugin plugin) {
        super(qstr, localParams, params, req);
        this.plugin = plugin;
    }

    @Override
    public Query parse() throws SyntaxError {
        SolrParams lp = localParams == null ? new ModifiableSolrParams() : localParams;
        PluginConfig config = plugin.config();

        String modelName = lp.get(RerankParams.MODEL, config.defaultModel()).trim();
        ModelSpec spec = config.models().get(modelName);
        if (spec == null) {
            throw badRequest(
                    RerankParams.MODEL,
                    "'" + modelName + "' is not a model configured for this collection; use one of "
                            + config.models().keySet());
        }

        int reRankDocs = parseReRankDocs(lp.get(RerankParams.RERANK_DOCS), config.maxReRankDocs());
        float weight = parseWeight(lp.get(RerankParams.RERANK_WEIGHT));
        int rrfK = config.pipeline().rrfK(lp);

        CombineOperator operator;
        try {
            operator = CombineOperator.parse(lp.get(RerankParams.RERANK_OPERATOR, "replace"));
        } catch (IllegalArgumentException e) {
            throw badRequest(RerankParams.RERANK_OPERATOR, e.getMessage());
        }

        List<String> fields = spec.fields();
        String fieldsParam = lp.get(RerankParams.RERANK_FIELDS);
        if (fieldsParam != null) {
            fields = ModelSpec.splitFields(fieldsParam);
            if (fields.isEmpty()) {
                throw badRequest(RerankParams.RERANK_FIELDS, "must name at least one stored field, e.g. title,body");
            }
        }
        checkFields(fields);

        String explicitText = lp.get(RerankParams.RERANK_TEXT);
        if (explicitText == null && namesParameter(lp, RerankParams.RERANK_TEXT)) {
            // Solr's local-params parser keeps the name of a $reference to an absent request parameter, with no
            // value: falling back to q would score a text the client did not ask for.
            throw badRequest(
                    RerankParams.RERANK_TEXT,
                    "refers to a request parameter that is not set: reRankText=$name needs name=... in the request");
        }
        String text = explicitText != null ? explicitText : userQueryText(params.get(CommonParams.Q));
        PipelineConfig pipelineConfig = config.pipeline();
        Optional<SkipRules.Reason> skip =
                SkipRules.atParse(mainQuery(), explicitText, text, pipelineConfig.skipQueryPattern());
        if (!SkipRules.hasText(text) && skip.isEmpty()) {
            throw badRequest(
                    RerankParams.RERANK_TEXT,
                    "there is no query text for the model: q is empty or *:*; pass the text with"
                            + " reRankText=... (or reRankText=$param)");
        }
        text = SkipRules.hasText(text) ? text.trim() : ""; // no text: the model is skipped
        PipelineRequest pipeline =
                new PipelineRequest(skip, reRankDocs, pipelineConfig.maxPairs(lp), PipelineConfig.useCache(lp));

        PassageOptions passages = spec.passages().forRequest(lp, reRankDocs).orElse(null); // 400s before the lease
        String thenName = parseThen(lp, config);
        int thenDocs = thenName == null ? 0 : parseThenDocs(lp.get(RerankParams.THEN_DOCS), reRankDocs);
        ModelRegistry.Lease thenLease = thenName == null ? null : plugin.lease(thenName);
        ModelRegistry.Lease lease = plugin.lease(modelName);
        RescorerOptions scoring;
        try {
            scoring = RescorerOptions.builder()
                    .fields(fields)
                    .operator(operator)
                    .weight(weight)
                    .passages(passages)
                    .rrfK(rrfK)
                    .build();
        } catch (IllegalArgumentException e) {
            throw badRequest(RerankParams.RERANK_FIELDS, e.getMessage());
        }
        RerankRequest request = new RerankRequest(
                modelName,
                lease.options(),
                text,
                pipeline.effectiveReRankDocs(),
                scoring,
                TailScores.modeFor(operator, lease.options().activation(), weight),
                spec.timeoutMs(),
                spec.failOpen(),
                pipeline,
                thenName == null ? null : new Cascade(thenName, thenLease.options(), thenDocs));
        RerankTrace trace = RerankTrace.of(req);
        if (params.getBool(CommonParams.DEBUG_QUERY, false) || params.get(CommonParams.DEBUG) != null) {
            trace.debug();
        }
        SchemaField uniqueKey = req.getSchema().getUniqueKeyField();
        String key = uniqueKey == null ? null : uniqueKey.getName();
        SolrRerankRescorer rescorer = new SolrRerankRescorer(
                request,
                lease.encoder(),
                plugin.metrics(),
                trace,
                PairCaches.binding(plugin, modelName, key, pipeline.useCache()),
                thenLease == null ? null : thenLease.encoder(),
                thenName == null ? null : PairCaches.binding(plugin, thenName, key, pipeline.useCache()));
        trace.replayer(rescorer);
        return new CrossEncoderRerankQuery(request, rescorer);
    }

    /** The request's first-pass query, parsed before the rank query; null outside a search request. */
    private Query mainQuery() {
        SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
        ResponseBuilder rb = info == null || info.getReq() != req ? null : info.getResponseBuilder();
        return rb == null ? null : rb.getQuery();
    }

    private static int parseReRankDocs(String value, int cap) {
        if (value == null) {
            return Math.min(RerankParams.RERANK_DOCS_DEFAULT, cap);
        }
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > cap) {
            throw badRequest(
                    RerankParams.RERANK_DOCS,
                    "must be a positive integer no greater than " + cap + " (maxReRankDocs in solrconfig.xml), got '"
                            + value + "'");
        }
        return (int) n;
    }

    /** The {@code then} model's name, or null without a cascade; 400 for an unknown model or a lone thenDocs. */
    private static String parseThen(SolrParams lp, PluginConfig config) {
        String then = lp.get(RerankParams.THEN);
        if (then == null || then.isBlank()) {
            if (then != null || lp.get(RerankParams.THEN_DOCS) != null) {
                throw badRequest(
                        then == null ? RerankParams.THEN_DOCS : RerankParams.THEN,
                        "a cascade needs then=MODEL, one of " + config.models().keySet());
            }
            return null;
        }
        then = then.trim();
        if (!config.models().containsKey(then)) {
            throw badRequest(
                    RerankParams.THEN,
                    "'" + then + "' is not a model configured for this collection; use one of "
                            + config.models().keySet());
        }
        return then;
    }

    /** thenDocs in [1, reRankDocs]; absent: min(reRankDocs, 30). */
    private static int parseThenDocs(String value, int reRankDocs) {
        if (value == null) {
            return Math.min(reRankDocs, Cascade.THEN_DOCS_DEFAULT);
        }
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > reRankDocs) {
            throw badRequest(
                    RerankParams.THEN_DOCS,
                    "must be a positive integer no greater than reRankDocs (" + reRankDocs + "), got '" + value + "'");
        }
        return (int) n;
    }

    private static float parseWeight(String value) {
        if (value == null) {
            return RerankParams.RERANK_WEIGHT_DEFAULT;
        }
        float w;
        try {
            w = Float.parseFloat(value.trim());
        } catch (NumberFormatException e) {
            w = Float.NaN;
        }
        if (!Float.isFinite(w)) {
            throw badRequest(RerankParams.RERANK_WEIGHT, "must be a finite number, got '" + value + "'");
        }
        return w;
    }

    private void checkFields(List<String> fields) {
        IndexSchema schema = req.getSchema();
        for (String f : fields) {
            SchemaField sf = schema.getFieldOrNull(f);
            if (sf == null) {
                throw badRequest(RerankParams.RERANK_FIELDS, "field '" + f + "' is not in the schema");
            }
            if (!sf.stored()) {
                throw badRequest(
                        RerankParams.RERANK_FIELDS,
                        "field '" + f + "' is not stored, so the model cannot read its text; use stored fields");
            }
        }
    }

    /**
     * The model's text from the user's q: without a leading local-params block ({!edismax ...}) and
     * without query-syntax escapes (a client that sends {@code ISO\/TS} for the text {@code ISO/TS}
     * means the latter); null when q is absent.
     */
    private String userQueryText(String q) throws SyntaxError {
        if (q == null) {
            return null;
        }
        // Trim only after unescaping: trimming "東京\\ " first would leave a dangling backslash.
        String s = q.stripLeading();
        if (s.startsWith(QueryParsing.LOCALPARAM_START)) {
            ModifiableSolrParams local = new ModifiableSolrParams();
            int end = QueryParsing.parseLocalParams(s, 0, local, params);
            String rest = s.substring(end).stripLeading();
            String v = local.get(QueryParsing.V);
            s = rest.isBlank() && v != null ? v : rest;
        }
        return unescape(s).trim();
    }

    /** Removes Lucene query-syntax escapes: {@code \X} becomes {@code X}. */
    static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                c = text.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    static SolrException badRequest(String param, String problem) {
        return new SolrException(SolrException.ErrorCode.BAD_REQUEST, "jarerank: " + param + ": " + problem);
    }

    /** Whether {@code params} lists {@code name}, with or without a value. */
    private static boolean namesParameter(SolrParams params, String name) {
        for (Iterator<String> names = params.getParameterNamesIterator(); names.hasNext(); ) {
            if (names.next().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
