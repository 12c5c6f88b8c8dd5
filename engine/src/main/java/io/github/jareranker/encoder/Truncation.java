package io.github.jareranker.encoder;

import java.util.Locale;

/** How a (query, document) pair longer than the maximum sequence length is cut. */
public enum Truncation {
    /**
     * Remove tokens from the longer of the two sequences until the pair fits, as HF tokenizers' {@code
     * longest_first} (the sentence-transformers CrossEncoder default, and how the published benchmark
     * figures were computed).
     */
    LONGEST_FIRST,
    /**
     * Cut only the document, so the query is never shortened. A query that alone leaves no room for
     * the document falls back to {@link #LONGEST_FIRST} for that call.
     */
    DOCUMENT_ONLY;

    /**
     * Parses {@code longest_first} / {@code document_only} (case-insensitive, {@code -} or {@code _}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Truncation parse(String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Truncation t : values()) {
            if (t.name().equals(v)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "unknown truncation '" + value + "': expected longest_first or document_only");
    }
}
