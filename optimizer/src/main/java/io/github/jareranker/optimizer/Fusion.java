package io.github.jareranker.optimizer;

/** The rewrites {@link GraphOptimizer} can apply, in the order it applies them. */
public enum Fusion {
  /** Self-attention with rotary embedding → RotaryEmbedding ×2 + MultiHeadAttention. */
  ATTENTION("MultiHeadAttention+RotaryEmbedding"),
  /** Residual Add + LayerNormalization → SkipLayerNormalization. */
  SKIP_LAYER_NORM("SkipLayerNormalization"),
  /** GeGLU input projection + chunk(2) Slices → two half-width projections. */
  GEGLU_SPLIT("GeGLU projection split"),
  /** Last layer computed for the pooled (CLS) row only; matrix products spared are counted. */
  POOLED_ROW("last layer on the pooled row only");

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
      case ATTENTION -> new AttentionFusion(maxPositions);
      case SKIP_LAYER_NORM -> new SkipLayerNormFusion();
      case GEGLU_SPLIT -> new GeGluSplitFusion();
      case POOLED_ROW -> new PooledRowPruning();
    };
  }
}
