package io.github.jareranker.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarChartTest {
    /** The first series' colour. */
    private static final int FIRST_SERIES_RGB = 0x1f77b4;

    @TempDir
    Path tmp;

    @Test
    void barsOnAFixedAxisAreAsLongAsTheirValues() throws IOException {
        Path file = tmp.resolve("sub/chart.png");
        new BarChart("t", "", "v")
                .horizontal()
                .valueRange(0, 1)
                .add("ndcg@10", "run-a", 0.8)
                .add("ndcg@10", "run-b", 0.4)
                .writePng(file, 600, 300);
        BufferedImage png = ImageIO.read(file.toFile());
        assertThat(png.getWidth()).isEqualTo(600);
        assertThat(png.getHeight()).isEqualTo(300);
        // Horizontal bars: per pixel row, how many pixels have the series colour; a bar is a band of such rows.
        List<Integer> bars = new ArrayList<>();
        int longest = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            int n = 0;
            for (int x = 0; x < png.getWidth(); x++) {
                if ((png.getRGB(x, y) & 0xffffff) == FIRST_SERIES_RGB) {
                    n++;
                }
            }
            if (n > 0) {
                longest = Math.max(longest, n);
            } else if (longest > 0) {
                bars.add(longest);
                longest = 0;
            }
        }
        assertThat(bars).hasSize(2);
        assertThat((double) bars.get(0) / bars.get(1)).isCloseTo(2.0, within(0.05));
    }

    @Test
    void anEmptyChartOrAnEmptyRangeIsAnError() {
        assertThatThrownBy(() -> new BarChart("t", "", "v").writePng(tmp.resolve("x.png"), 100, 100))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no data");
        assertThatThrownBy(() -> new BarChart("t", "", "v").valueRange(1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower < upper");
    }
}
