package io.github.jareranker.solr;

import io.github.jareranker.encoder.TypedValues;
import java.util.Iterator;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.search.QueryParsing;
import org.apache.solr.search.SyntaxError;

/**
 * The one reader of {@code rq={!jarerank ...}} request values. Every bad value is an HTTP 400 worded one way: {@code
 * jarerank: <parameter>: <what is accepted>, got '<value>'}. Its counterpart for solrconfig.xml is {@link
 * ConfigValues}. Stateless.
 */
final class RequestValues {
    private RequestValues() {}

    /** HTTP 400 naming {@code param}. */
    static SolrException badRequest(String param, String problem) {
        return new SolrException(SolrException.ErrorCode.BAD_REQUEST, "jarerank: " + param + ": " + problem);
    }

    /**
     * {@code name} as an integer in {@code [min, max]}; {@code def} when absent. {@code maxNote} says where the upper
     * bound comes from (e.g. " (maxReRankDocs in solrconfig.xml)"), empty for none.
     */
    static int integer(SolrParams params, String name, int def, int min, int max, String maxNote) {
        String value = params.get(name);
        try {
            return value == null ? def : TypedValues.integer(value, min, max, maxNote);
        } catch (IllegalArgumentException e) {
            throw badRequest(name, e.getMessage());
        }
    }

    /** {@code name} as an integer {@code >= min}; {@code def} when absent. */
    static int integer(SolrParams params, String name, int def, int min) {
        return integer(params, name, def, min, Integer.MAX_VALUE, "");
    }

    /** {@code name} as a finite number; {@code def} when absent. */
    static float finite(SolrParams params, String name, float def) {
        String value = params.get(name);
        try {
            return value == null ? def : TypedValues.finite(value);
        } catch (IllegalArgumentException e) {
            throw badRequest(name, e.getMessage());
        }
    }

    /** {@code name} as exactly {@code true} or {@code false} (any case); {@code def} when absent. */
    static boolean bool(SolrParams params, String name, boolean def) {
        String value = params.get(name);
        try {
            return value == null ? def : TypedValues.bool(value);
        } catch (IllegalArgumentException e) {
            throw badRequest(name, e.getMessage());
        }
    }

    /** Whether {@code params} lists {@code name}, with or without a value. */
    static boolean namesParameter(SolrParams params, String name) {
        for (Iterator<String> names = params.getParameterNamesIterator(); names.hasNext(); ) {
            if (names.next().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The model's text from the user's q: without a leading local-params block ({!edismax ...}) and
     * without query-syntax escapes (a client that sends {@code ISO\/TS} for the text {@code ISO/TS}
     * means the latter); null when q is absent.
     *
     * @param params the request's parameters, for {@code $references} inside the local params
     */
    static String userQueryText(String q, SolrParams params) throws SyntaxError {
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
}
