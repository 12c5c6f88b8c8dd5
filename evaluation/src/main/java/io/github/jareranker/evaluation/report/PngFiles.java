package io.github.jareranker.evaluation.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/** Writes the project's charts ({@link BarChart}, {@link LineChart}) as PNG files. Stateless. */
final class PngFiles {
    private PngFiles() {}

    /**
     * Writes {@code chart} as a PNG image of {@code width} × {@code height} pixels, creating the parent directory.
     *
     * @throws IllegalStateException when {@code empty}: a chart without data is a mistake, not an empty picture
     */
    static void write(boolean empty, Supplier<JFreeChart> chart, Path file, int width, int height) throws IOException {
        if (empty) {
            throw new IllegalStateException("no data to chart for " + file);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart.get(), width, height);
    }
}
