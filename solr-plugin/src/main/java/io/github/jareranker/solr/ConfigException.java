package io.github.jareranker.solr;

import org.apache.solr.common.SolrException;

/**
 * A bad {@code jarerank} setting in solrconfig.xml. Thrown while the core loads, so the core fails
 * to load with a message that names the setting (e.g. {@code models/ja/maxLength}) and the fix.
 */
public final class ConfigException extends SolrException {
    private static final long serialVersionUID = 1L;

    private ConfigException(String message) {
        super(ErrorCode.SERVER_ERROR, message);
    }

    /** An error about the setting at {@code path} (slash separated, relative to the queryParser element). */
    static ConfigException of(String path, String problem) {
        return new ConfigException("jarerank queryParser in solrconfig.xml: " + path + " " + problem);
    }
}
