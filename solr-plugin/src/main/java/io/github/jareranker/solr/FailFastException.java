package io.github.jareranker.solr;

import org.apache.solr.common.SolrException;

/**
 * A failure the operator asked to surface ({@code failOpen=false}); carries its own HTTP status, which {@link
 * MonotonicReRankCollector} restores where Solr's collector would wrap it.
 */
final class FailFastException extends SolrException {
    private static final long serialVersionUID = 1L;

    FailFastException(RerankFailure failure, String message, Throwable cause) {
        super(failure.status(), message, cause);
    }
}
