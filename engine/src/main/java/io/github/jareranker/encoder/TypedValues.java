package io.github.jareranker.encoder;

/**
 * The one parser of typed setting values written as text (solrconfig.xml, request parameters, command-line flags,
 * benchmark options), with one wording of what is wrong. Each method returns the value or throws an {@link
 * IllegalArgumentException} whose message says what the value must be and what it got (e.g. {@code must be an
 * integer >= 1, got 'x'}); the caller puts the setting's name or path in front, in its own exception type (an HTTP
 * 400, a configuration error, a usage error). Stateless.
 */
public final class TypedValues {
    private TypedValues() {}

    /** Exactly {@code true} or {@code false}, in any case, surrounding blanks ignored. */
    public static boolean bool(String text) {
        String v = text == null ? "" : text.trim();
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("must be true or false, got '" + text + "'");
    }

    /** Any int. */
    public static int integer(String text) {
        return integer(text, Integer.MIN_VALUE, Integer.MAX_VALUE, "");
    }

    /** An int {@code >= min}. */
    public static int integer(String text, int min) {
        return integer(text, min, Integer.MAX_VALUE, "");
    }

    /**
     * An int in {@code [min, max]}; {@code maxNote} says where the upper bound comes from (e.g. {@code " (maxReRankDocs
     * in solrconfig.xml)"}), empty for none.
     */
    public static int integer(String text, int min, int max, String maxNote) {
        long n;
        try {
            n = Long.parseLong(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            n = Long.MIN_VALUE;
        }
        if (n == Long.MIN_VALUE || n < min || n > max) {
            throw new IllegalArgumentException("must be " + range(min, max, maxNote) + ", got '" + text + "'");
        }
        return (int) n;
    }

    /** A finite float. */
    public static float finite(String text) {
        float f;
        try {
            f = Float.parseFloat(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            f = Float.NaN;
        }
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException("must be a finite number, got '" + text + "'");
        }
        return f;
    }

    private static String range(int min, int max, String maxNote) {
        if (min == Integer.MIN_VALUE && max == Integer.MAX_VALUE) {
            return "an integer";
        }
        return max == Integer.MAX_VALUE ? "an integer >= " + min : "an integer from " + min + " to " + max + maxNote;
    }
}
