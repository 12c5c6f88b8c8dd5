package io.github.jareranker.optimizer;

/** The rewrites {@link GraphOptimizer} can apply, in the order it applies them. */
public enum Fusion {
    /** Self-attention with rotary embedding → RotaryEmbedding ×2 + MultiHeadAttention. */
    ATTENTION("MultiHeadAttention+RotaryEmbedding"),
    /**
     * Self-attention → MultiHeadAttention, keeping the exported rotary subgraph (runs only if {@link
     * #ATTENTION} did not fuse the block). ONNX Runtime's RotaryEmbedding kernel rounds differently
     * from the exported Mul/Add form; MultiHeadAttention alone reproduces the original bit for bit.
     */
    ATTENTION_KEEPING_ROTARY("MultiHeadAttention (exported rotary kept)"),
    /** Residual Add + LayerNormalization → SkipLayerNormalization. */
    SKIP_LAYER_NORM("SkipLayerNormalization"),
    /** GeGLU input projection + chunk(2) Slices → two half-width projections. */
    GEGLU_SPLIT("GeGLU projection split"),
    /** Last layer computed for the pooled (CLS) row only; matrix products spared are counted. */
    POOLED_ROW("last layer on the pooled row only"),
    /**
     * Global-attention layers without their padding bias, which is all zeros for one unpadded pair: only for graphs that
     * never see padding (not in {@link GraphOptimizer#ALL}).
     */
    UNPADDED_GLOBAL_ATTENTION("global attention without its padding bias (one unpadded pair per run)"),
    /**
     * Sliding-window layers fused by {@link #ATTENTION} computed over blocks of half a window (64 tokens for
     * ModernBERT's 128) against the three blocks around each, their padding bias dropped: only for graphs that never see
     * padding: added by {@link GraphOptimizer#forUnpaddedRuns}, not in {@link GraphOptimizer#ALL}.
     */
    BANDED_LOCAL_ATTENTION("sliding-window attention over 64-token blocks (one unpadded pair per run)");

    private final String reportName;

    Fusion(String reportName) {
        this.reportName = reportName;
    }

    /** The key of this fusion in {@link OptimizationReport#fusions()}. */
    public String reportName() {
        return reportName;
    }

    GraphFusion create(int maxPositions) {
        return switch (this) {
            case ATTENTION -> new AttentionFusion(maxPositions, true);
            case ATTENTION_KEEPING_ROTARY -> new AttentionFusion(maxPositions, false);
            case SKIP_LAYER_NORM -> new SkipLayerNormFusion();
            case GEGLU_SPLIT -> new GeGluSplitFusion();
            case POOLED_ROW -> new PooledRowPruning();
            case UNPADDED_GLOBAL_ATTENTION -> new UnpaddedGlobalAttention();
            case BANDED_LOCAL_ATTENTION -> new BandedLocalAttention();
        };
    }
}
