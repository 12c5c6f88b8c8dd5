package io.github.jareranker.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The window-level operators on hand-computed windows, negative logits included. */
class WindowCombinerTest {
    private static final float[] FIRST_PASS = {10f, 8f, 6f, 2f};
    // Logits: negative values must take part like any other (Solr's reRankScale would drop them).
    private static final float[] LOGITS = {-3f, 2f, 2f, -1f};

    @Test
    void rrfSumsReciprocalRanksAndEqualModelScoresKeepFirstPassOrder() {
        WindowCombiner.Combined c = WindowCombiner.combine(CombineOperator.RRF, 1f, 60, FIRST_PASS, LOGITS);
        // model ranks: hit 1 (2.0) 1st, hit 2 (2.0, later in first pass) 2nd, hit 3 (-1) 3rd, hit 0 (-3) 4th
        float[] expected = {
            (float) (1.0 / 61 + 1.0 / 64),
            (float) (1.0 / 62 + 1.0 / 61),
            (float) (1.0 / 63 + 1.0 / 62),
            (float) (1.0 / 64 + 1.0 / 63)
        };
        for (int i = 0; i < expected.length; i++) {
            assertThat(c.score(i)).as("hit " + i).isEqualTo(expected[i]);
        }
        assertThat(c.describe(2)).contains("first-pass rank 3, model rank 2");
    }

    @Test
    void rrfWeightAndKApply() {
        WindowCombiner.Combined c = WindowCombiner.combine(CombineOperator.RRF, 2f, 0, FIRST_PASS, LOGITS);
        assertThat(c.score(0)).isEqualTo((float) (1.0 / 1 + 2.0 / 4));
        assertThat(c.score(1)).isEqualTo((float) (1.0 / 2 + 2.0 / 1));
    }

    @Test
    void minmaxNormalizesBothSidesOverTheWindow() {
        WindowCombiner.Combined c = WindowCombiner.combine(CombineOperator.MINMAX, 0.5f, 60, FIRST_PASS, LOGITS);
        // first pass over [2, 10]: 1, .75, .5, 0; logits over [-3, 2]: 0, 1, 1, .4
        float[] expected = {1f, 1.25f, 1.0f, 0.2f};
        for (int i = 0; i < expected.length; i++) {
            assertThat(c.score(i)).as("hit " + i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void minmaxOfAllEqualValuesIsOneAndNonFiniteIsZero() {
        float[] equal = {-2f, -2f, -2f};
        WindowCombiner.Combined c =
                WindowCombiner.combine(CombineOperator.MINMAX, 1f, 60, new float[] {3f, 2f, 1f}, equal);
        assertThat(new float[] {c.score(0), c.score(1), c.score(2)}).containsExactly(2f, 1.5f, 1f);
        WindowCombiner.Combined one =
                WindowCombiner.combine(CombineOperator.MINMAX, 1f, 60, new float[] {-7f}, new float[] {-9f});
        assertThat(one.score(0)).isEqualTo(2f);
        WindowCombiner.Combined nan = WindowCombiner.combine(
                CombineOperator.MINMAX, 1f, 60, new float[] {Float.NaN, 4f, 2f}, new float[] {1f, 0f, 1f});
        assertThat(nan.score(0)).isEqualTo(0f + 1f);
    }

    @Test
    void perHitOperatorsCombineEachHit() {
        WindowCombiner.Combined c = WindowCombiner.combine(CombineOperator.ADD, 2f, 60, FIRST_PASS, LOGITS);
        assertThat(c.score(0)).isEqualTo(10f + 2f * -3f);
        assertThatThrownBy(() -> CombineOperator.RRF.combine(1f, 1f, 1f))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(CombineOperator.parse("RRF")).isEqualTo(CombineOperator.RRF);
        assertThat(CombineOperator.parse("minmax")).isEqualTo(CombineOperator.MINMAX);
        assertThatThrownBy(() -> RescorerOptions.builder().rrfK(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rrfK");
    }
}
