package io.github.jareranker.solr;

import io.github.jareranker.encoder.TypedValues;
import java.util.List;
import org.apache.solr.common.util.NamedList;

/**
 * The one reader of the {@code jarerank} settings in solrconfig.xml: the values of one {@code <lst>} (the parser's
 * own, or one model's under {@code models/NAME}), each bad one a {@link ConfigException} naming its path ({@code
 * models/ja/timeoutMs}) worded one way. Its counterpart for request values is {@link RequestValues}. Immutable.
 */
final class ConfigValues {
    private final String prefix;
    private final NamedList<?> args;

    /** @param prefix the path of this {@code <lst>}, e.g. {@code "models/ja"}; empty for the parser's own */
    ConfigValues(String prefix, NamedList<?> args) {
        this.prefix = prefix;
        this.args = args == null ? new NamedList<>() : args;
    }

    /** The path of a setting of this {@code <lst>}, as error messages name it. */
    String path(String key) {
        return prefix.isEmpty() ? key : prefix + "/" + key;
    }

    /** The raw value of {@code key}, or null when it is not set. */
    Object raw(String key) {
        return args.get(key);
    }

    String string(String key, String def) {
        Object v = args.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof NamedList || v instanceof List) {
            throw ConfigException.of(path(key), "must be a single value, got a list");
        }
        return v.toString();
    }

    /** {@code key} as an integer {@code >= min}; {@code def} when not set. */
    int integer(String key, int def, int min) {
        Object v = args.get(key);
        if (v == null) {
            return def;
        }
        try {
            return TypedValues.integer(v.toString(), min);
        } catch (IllegalArgumentException e) {
            throw ConfigException.of(path(key), e.getMessage());
        }
    }

    boolean bool(String key, boolean def) {
        Object v = args.get(key);
        if (v == null) {
            return def;
        }
        try {
            return TypedValues.bool(v.toString());
        } catch (IllegalArgumentException e) {
            throw ConfigException.of(path(key), e.getMessage());
        }
    }

    /** Fails when {@code key} is given more than once in this {@code <lst>}. */
    void once(String key) {
        if (args.getAll(key).size() > 1) {
            throw ConfigException.of(path(key), "is given more than once; keep one");
        }
    }
}
