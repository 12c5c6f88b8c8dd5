package io.github.jareranker.encoder;

/**
 * Keeps DJL's native tokenizer offline and quiet inside a server. Before its first use DJL would
 * otherwise probe the EC2 metadata address and an S3 telemetry URL, and on a host with a GPU try to
 * download a CUDA build of libtokenizers. This sets, only where the operator has not set them
 * already: {@code OPT_OUT_TRACKING=true}, {@code ai.djl.offline=true} (forces the CPU build bundled
 * in the jar) and, if {@code ja-reranker.native.cache} is given, {@code ENGINE_CACHE_DIR} (where
 * DJL extracts the native library; default {@code ~/.djl.ai}). Idempotent and thread-safe; these
 * are JVM-wide system properties, which is why this is the one piece of global state.
 */
public final class NativeRuntime {
    /** System property naming the directory where DJL extracts its native tokenizer library. */
    public static final String NATIVE_CACHE_PROPERTY = "ja-reranker.native.cache";

    private NativeRuntime() {}

    /** Applies the settings above. Called by every loader; cheap after the first call. */
    public static synchronized void prepare() {
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.offline", "true");
        String cache = System.getProperty(NATIVE_CACHE_PROPERTY);
        if (cache != null && !cache.isBlank()) {
            setIfAbsent("ENGINE_CACHE_DIR", cache);
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
