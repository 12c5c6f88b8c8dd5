package io.github.jareranker.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {
    @TempDir
    Path tmp;

    @Test
    void aRisingLineRisesAndASecondSeriesHasTheSecondColour() throws IOException {
        Path file = tmp.resolve("sub/line.png");
        new LineChart("t", "candidates", "ms")
                .add("ours", 100, 500)
                .add("ours", 10, 50) // added out of order: points are sorted by x
                .add("peer", 10, 40)
                .add("peer", 100, 40)
                .writePng(file, 600, 400);
        BufferedImage png = ImageIO.read(file.toFile());
        assertThat(png.getWidth()).isEqualTo(600);
        int[] first = extent(png, BarChart.color(0).getRGB());
        int[] second = extent(png, BarChart.color(1).getRGB());
        // "ours": its leftmost pixels lie lower (a larger y) than its rightmost; "peer" is flat.
        assertThat(first[1]).isGreaterThan(first[3] + 100);
        assertThat(Math.abs(second[1] - second[3])).isLessThan(12);
    }

    @Test
    void anEmptyChartIsRefused() {
        assertThatThrownBy(() -> new LineChart("t", "x", "y").writePng(tmp.resolve("e.png"), 100, 100))
                .isInstanceOf(IllegalStateException.class);
    }

    /** {leftmost x, its y, rightmost x, its y} of the pixels of colour {@code rgb}, legend excluded (top 80 %). */
    private static int[] extent(BufferedImage png, int rgb) {
        int[] e = {Integer.MAX_VALUE, 0, -1, 0};
        for (int x = 0; x < png.getWidth(); x++) {
            for (int y = 0; y < png.getHeight() * 8 / 10; y++) {
                if ((png.getRGB(x, y) & 0xffffff) == (rgb & 0xffffff)) {
                    if (x < e[0]) {
                        e[0] = x;
                        e[1] = y;
                    }
                    if (x > e[2]) {
                        e[2] = x;
                        e[3] = y;
                    }
                }
            }
        }
        assertThat(e[2]).as("pixels of the series colour").isGreaterThanOrEqualTo(0);
        return e;
    }
}
