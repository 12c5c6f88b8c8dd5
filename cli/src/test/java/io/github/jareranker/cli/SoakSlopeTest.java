package io.github.jareranker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The soak's least-squares slope: MB per minute of a series sampled in seconds, after the warm-up samples. */
class SoakSlopeTest {
    @Test
    void aLineGivesItsSlopePerMinute() {
        double[] t = {0, 60, 120, 180, 240};
        double[] mb = {500, 501, 502, 503, 504}; // 1 MB a minute
        assertThat(SoakMemory.slopePerMinute(t, mb, 0)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void theWarmUpIsLeftOut() {
        double[] t = {0, 10, 20, 30, 40, 50};
        double[] mb = {100, 300, 400, 400, 400, 400}; // climbs while warming up, then flat
        assertThat(SoakMemory.slopePerMinute(t, mb, 2)).isCloseTo(0.0, within(1e-9));
        assertThat(SoakMemory.slopePerMinute(t, mb, 0)).isGreaterThan(100);
    }

    @Test
    void noiseAroundAFlatLineAveragesOut() {
        double[] t = new double[120];
        double[] mb = new double[120];
        for (int i = 0; i < t.length; i++) {
            t[i] = 10 * i;
            mb[i] = 600 + (i % 2 == 0 ? 3 : -3); // +-3 MB, no trend
        }
        assertThat(Math.abs(SoakMemory.slopePerMinute(t, mb, 0))).isLessThan(0.05);
    }

    @Test
    void tooFewSamplesHaveNoSlope() {
        assertThat(SoakMemory.slopePerMinute(new double[] {5}, new double[] {7}, 0))
                .isZero();
        assertThat(SoakMemory.slopePerMinute(new double[] {1, 2}, new double[] {7, 9}, 1))
                .isZero();
    }
}
