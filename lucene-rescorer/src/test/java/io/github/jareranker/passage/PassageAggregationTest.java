package io.github.jareranker.passage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PassageAggregationTest {
    private static final float[] SCORES = {0.2f, 0.9f, 0.4f, 0.9f, 0.7f};

    private static float aggregate(PassageAggregation a, int k) {
        return PassageAggregation.mean(SCORES, a.contributors(SCORES, k));
    }

    @Test
    void maxFirstAndMeanTopK() {
        assertThat(aggregate(PassageAggregation.MAX, 3)).isEqualTo(0.9f);
        assertThat(PassageAggregation.MAX.contributors(SCORES, 3)).containsExactly(1); // first of the tie
        assertThat(aggregate(PassageAggregation.FIRST, 3)).isEqualTo(0.2f);
        assertThat(aggregate(PassageAggregation.MEAN_TOP_K, 3)).isCloseTo((0.9f + 0.9f + 0.7f) / 3, within());
        assertThat(aggregate(PassageAggregation.MEAN_TOP_K, 1)).isEqualTo(0.9f);
        assertThat(aggregate(PassageAggregation.MEAN_TOP_K, 10)).isCloseTo(3.1f / 5, within());
    }

    private static org.assertj.core.data.Offset<Float> within() {
        return org.assertj.core.data.Offset.offset(1e-6f);
    }

    @Test
    void parsesTheExternalNamesOnly() {
        assertThat(PassageAggregation.parse("max")).isEqualTo(PassageAggregation.MAX);
        assertThat(PassageAggregation.parse(" First ")).isEqualTo(PassageAggregation.FIRST);
        assertThat(PassageAggregation.parse("meantopk")).isEqualTo(PassageAggregation.MEAN_TOP_K);
        assertThatThrownBy(() -> PassageAggregation.parse("mean"))
                .hasMessageContaining("max, first, meanTopK")
                .hasMessageContaining("'mean'");
    }

    @Test
    void optionsRejectBadValuesNamingThem() {
        assertThatThrownBy(() -> PassageOptions.builder().maxPassages(0).build())
                .hasMessageStartingWith("maxPassages");
        assertThatThrownBy(() -> PassageOptions.builder().passageTokens(10).build())
                .hasMessageStartingWith("passageTokens");
        assertThatThrownBy(() -> PassageOptions.builder().topK(0).build()).hasMessageStartingWith("topK");
        assertThatThrownBy(() -> PassageOptions.builder().overlapSentences(-1).build())
                .hasMessageStartingWith("overlapSentences");
        assertThat(PassageOptions.builder().build())
                .isEqualTo(PassageOptions.builder().build());
        assertThat(PassageOptions.builder().maxPassages(4).build())
                .isNotEqualTo(PassageOptions.builder().build());
    }
}
