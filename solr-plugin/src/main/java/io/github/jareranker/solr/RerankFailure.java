package io.github.jareranker.solr;

import org.apache.solr.common.SolrException;

/** Why a request was not reranked: each has its own counter and, with {@code failOpen=false}, HTTP status. */
enum RerankFailure {
    /** timeoutMs or Solr's timeAllowed ran out: 503. */
    TIMEOUT(SolrException.ErrorCode.SERVICE_UNAVAILABLE),
    /** The inference pool turned the call away (queue full or waited too long): 503. */
    OVERLOAD(SolrException.ErrorCode.SERVICE_UNAVAILABLE),
    /** The model or ONNX Runtime failed: 500. */
    ERROR(SolrException.ErrorCode.SERVER_ERROR);

    private final SolrException.ErrorCode status;

    RerankFailure(SolrException.ErrorCode status) {
        this.status = status;
    }

    /** The status of a request that fails fast for this reason. */
    SolrException.ErrorCode status() {
        return status;
    }
}
