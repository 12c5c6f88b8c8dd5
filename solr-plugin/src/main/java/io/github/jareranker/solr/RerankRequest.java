package io.github.jareranker.solr;

import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.lucene.CombineOperator;
import io.github.jareranker.lucene.RescorerOptions;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The settings of one {@code rq={!jarerank ...}}: everything that decides the reranked result,
 * built once by {@link CrossEncoderRerankQParser} from the request and the model's configuration and
 * handed to both {@link CrossEncoderRerankQuery} (whose {@code equals}/{@code hashCode}, and so the
 * queryResultCache key, are this value's) and {@link SolrRerankRescorer}. Immutable and thread-safe;
 * holds no per-request state and no resources (the model itself is leased separately).
 *
 * @param modelName the configured model name ({@code model=})
 * @param modelOptions the engine options the model was loaded with (a different model file or
 *     engine option gives different scores)
 * @param queryText the text scored against each hit
 * @param reRankDocs first-pass hits rescored (per shard), at least 1
 * @param scoring fields read, {@code reRankOperator} and {@code reRankWeight}
 * @param tailMode how hits past {@code reRankDocs} are scored
 * @param timeoutMs the model's scoring budget, 0 for none
 * @param failOpen whether a scoring failure answers in first-pass order (else the request fails)
 * @param pipeline skip decision and pair budget ({@code reRankDocs} above is already capped by it)
 * @param cascade the second stage ({@code then=}, {@code thenDocs=}), or null for none
 */
record RerankRequest(
        String modelName,
        CrossEncoderOptions modelOptions,
        String queryText,
        int reRankDocs,
        RescorerOptions scoring,
        TailScores.Mode tailMode,
        long timeoutMs,
        boolean failOpen,
        PipelineRequest pipeline,
        Cascade cascade) {

    RerankRequest {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modelOptions, "modelOptions");
        Objects.requireNonNull(queryText, "queryText");
        Objects.requireNonNull(scoring, "scoring");
        Objects.requireNonNull(tailMode, "tailMode");
        Objects.requireNonNull(pipeline, "pipeline");
        if (reRankDocs < 1) {
            throw new IllegalArgumentException("reRankDocs must be at least 1, got " + reRankDocs);
        }
    }

    List<String> fields() {
        return scoring.fields();
    }

    float weight() {
        return scoring.weight();
    }

    CombineOperator operator() {
        return scoring.operator();
    }

    /** The request in local-params syntax, for logs and {@code debug.parsedquery}. */
    @Override
    public String toString() {
        return "{!jarerank model=" + modelName + " reRankDocs=" + reRankDocs + " reRankWeight=" + weight()
                + " reRankOperator=" + operator().name().toLowerCase(Locale.ROOT) + " reRankFields="
                + String.join(",", fields())
                + scoring.passages().map(p -> " " + p).orElse("") + " reRankText='"
                + queryText + "'" + (cascade == null ? "" : " " + cascade) + "}";
    }
}
