package io.github.jareranker.optimizer;

/** One rewrite of a graph into fused ONNX Runtime operators. */
interface GraphFusion {
    /** Short name used in the report, e.g. {@code SkipLayerNormalization}. */
    String name();

    /**
     * Rewrites every occurrence of the pattern that it can prove equivalent and leaves the others
     * alone.
     *
     * @return how many fused nodes it created
     */
    int apply(OnnxGraph graph);
}
