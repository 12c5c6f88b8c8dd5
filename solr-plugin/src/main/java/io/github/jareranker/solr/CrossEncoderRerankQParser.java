package io.github.jareranker.solr;

import io.github.jareranker.lucene.CombineOperator;
import io.github.jareranker.lucene.RescorerOptions;
import io.github.jareranker.passage.PassageOptions;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.search.Query;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.schema.IndexSchema;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.QParser;
import org.apache.solr.search.SyntaxError;

/**
 * Parses {@code rq={!jarerank reRankDocs=100 reRankWeight=1 reRankOperator=replace model=NAME
 * reRankFields=title,body reRankText=$rrt}} into one immutable {@link RerankRequest}, and wires it
 * with the leased model(s) ({@link Stage}) and the request's {@link RerankTrace} into a {@link SolrRerankRescorer}
 * and a {@link CrossEncoderRerankQuery}. Every bad value is an HTTP 400 from {@link RequestValues} naming the
 * parameter and what is accepted. Takes what it needs from {@link RerankServices}, never from the plugin. One
 * instance per request.
 */
final class CrossEncoderRerankQParser extends QParser {
    private final RerankServices services;

    CrossEncoderRerankQParser(
            String qstr, SolrParams localParams, SolrParams params, SolrQueryRequest req, RerankServices services) {
        super(qstr, localParams, params, req);
        this.services = services;
    }

    @Override
    public Query parse() throws SyntaxError {
        SolrParams lp = localParams == null ? new ModifiableSolrParams() : localParams;
        PluginConfig config = services.config();

        String modelName = lp.get(RerankParams.MODEL, config.defaultModel()).trim();
        ModelSpec spec = config.models().get(modelName);
        if (spec == null) {
            throw RequestValues.badRequest(
                    RerankParams.MODEL,
                    "'" + modelName + "' is not a model configured for this collection; use one of "
                            + config.models().keySet());
        }

        int cap = config.maxReRankDocs();
        int reRankDocs = RequestValues.integer(
                lp,
                RerankParams.RERANK_DOCS,
                Math.min(RerankParams.RERANK_DOCS_DEFAULT, cap),
                1,
                cap,
                " (maxReRankDocs in solrconfig.xml)");
        float weight = RequestValues.finite(lp, RerankParams.RERANK_WEIGHT, RerankParams.RERANK_WEIGHT_DEFAULT);
        int rrfK = config.rrfK(lp);

        CombineOperator operator;
        try {
            operator = CombineOperator.parse(lp.get(RerankParams.RERANK_OPERATOR, "replace"));
        } catch (IllegalArgumentException e) {
            throw RequestValues.badRequest(RerankParams.RERANK_OPERATOR, e.getMessage());
        }

        List<String> fields = spec.fields();
        String fieldsParam = lp.get(RerankParams.RERANK_FIELDS);
        if (fieldsParam != null) {
            fields = ModelSpec.splitFields(fieldsParam);
            if (fields.isEmpty()) {
                throw RequestValues.badRequest(
                        RerankParams.RERANK_FIELDS, "must name at least one stored field, e.g. title,body");
            }
        }
        checkFields(fields);

        String explicitText = lp.get(RerankParams.RERANK_TEXT);
        if (explicitText == null && RequestValues.namesParameter(lp, RerankParams.RERANK_TEXT)) {
            // Solr's local-params parser keeps the name of a $reference to an absent request parameter, with no
            // value: falling back to q would score a text the client did not ask for.
            throw RequestValues.badRequest(
                    RerankParams.RERANK_TEXT,
                    "refers to a request parameter that is not set: reRankText=$name needs name=... in the request");
        }
        String text =
                explicitText != null ? explicitText : RequestValues.userQueryText(params.get(CommonParams.Q), params);
        Optional<SkipRules.Reason> skip = SkipRules.atParse(mainQuery(), explicitText, text, config.skipQueryPattern());
        if (!SkipRules.hasText(text) && skip.isEmpty()) {
            throw RequestValues.badRequest(
                    RerankParams.RERANK_TEXT,
                    "there is no query text for the model: q is empty or *:*; pass the text with"
                            + " reRankText=... (or reRankText=$param)");
        }
        text = SkipRules.hasText(text) ? text.trim() : ""; // no text: the model is skipped
        int maxPairs = config.maxPairs(lp);
        boolean useCache = PluginConfig.useCache(lp);

        // Passages stay off the request path unless the model or the request turns them on; 400s before the lease.
        PassageOptions passages = spec.passagesByDefault() || lp.get(PassageSettings.PASSAGES) != null
                ? spec.passages().forRequest(lp, reRankDocs).orElse(null)
                : null;
        String thenName = parseThen(lp, config);
        int thenDocs = thenName == null
                ? 0
                : RequestValues.integer(
                        lp,
                        RerankParams.THEN_DOCS,
                        Math.min(reRankDocs, Cascade.THEN_DOCS_DEFAULT),
                        1,
                        reRankDocs,
                        " (reRankDocs)");
        ModelRegistry.Lease thenLease = thenName == null ? null : services.lease(thenName);
        ModelRegistry.Lease lease = services.lease(modelName);
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
            throw RequestValues.badRequest(RerankParams.RERANK_FIELDS, e.getMessage());
        }
        RerankRequest request = new RerankRequest(
                spec,
                text,
                reRankDocs,
                maxPairs,
                skip,
                useCache,
                scoring,
                TailScores.modeFor(operator, spec.activation(), weight),
                thenName == null ? null : new Cascade(thenName, thenLease.options(), thenDocs));
        RerankTrace trace = RerankTrace.of(req);
        if (params.getBool(CommonParams.DEBUG_QUERY, false) || params.get(CommonParams.DEBUG) != null) {
            trace.debug();
        }
        SchemaField uniqueKey = req.getSchema().getUniqueKeyField();
        String key = uniqueKey == null ? null : uniqueKey.getName();
        // The pair cache stays off the request path when solrconfig.xml has none (pairCacheSize 0).
        boolean cached = useCache && key != null && config.pairCacheSize() > 0;
        Stage stage =
                new Stage(modelName, lease.encoder(), cached ? PairCaches.binding(services, modelName, key) : null);
        Stage thenStage = thenName == null
                ? null
                : new Stage(thenName, thenLease.encoder(), cached ? PairCaches.binding(services, thenName, key) : null);
        SolrRerankRescorer rescorer = new SolrRerankRescorer(request, stage, thenStage, services.metrics(), trace);
        return new CrossEncoderRerankQuery(request, rescorer);
    }

    /** The request's first-pass query, parsed before the rank query; null outside a search request. */
    private Query mainQuery() {
        SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
        ResponseBuilder rb = info == null || info.getReq() != req ? null : info.getResponseBuilder();
        return rb == null ? null : rb.getQuery();
    }

    /** The {@code then} model's name, or null without a cascade; 400 for an unknown model or a lone thenDocs. */
    private static String parseThen(SolrParams lp, PluginConfig config) {
        String then = lp.get(RerankParams.THEN);
        if (then == null || then.isBlank()) {
            if (then != null || lp.get(RerankParams.THEN_DOCS) != null) {
                throw RequestValues.badRequest(
                        then == null ? RerankParams.THEN_DOCS : RerankParams.THEN,
                        "a cascade needs then=MODEL, one of " + config.models().keySet());
            }
            return null;
        }
        then = then.trim();
        if (!config.models().containsKey(then)) {
            throw RequestValues.badRequest(
                    RerankParams.THEN,
                    "'" + then + "' is not a model configured for this collection; use one of "
                            + config.models().keySet());
        }
        return then;
    }

    private void checkFields(List<String> fields) {
        IndexSchema schema = req.getSchema();
        for (String f : fields) {
            SchemaField sf = schema.getFieldOrNull(f);
            if (sf == null) {
                throw RequestValues.badRequest(RerankParams.RERANK_FIELDS, "field '" + f + "' is not in the schema");
            }
            if (!sf.stored()) {
                throw RequestValues.badRequest(
                        RerankParams.RERANK_FIELDS,
                        "field '" + f + "' is not stored, so the model cannot read its text; use stored fields");
            }
        }
    }
}
