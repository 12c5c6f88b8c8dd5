package io.github.jareranker.evaluation.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A line chart of numeric x against y, one line per series, written as a PNG file (JFreeChart), in the style of
 * {@link BarChart}: for values that change with a size, such as latency per query against the number of candidates.
 * Series keep the order in which they were first added; points are sorted by x. Not thread-safe.
 */
public final class LineChart {
    private final String title;
    private final String xAxis;
    private final String yAxis;
    private final Map<String, XYSeries> series = new LinkedHashMap<>();

    /**
     * @param title the chart's title
     * @param xAxis the label of the horizontal axis, e.g. "candidates per query"
     * @param yAxis the label of the vertical axis, e.g. "ms"
     */
    public LineChart(String title, String xAxis, String yAxis) {
        this.title = title;
        this.xAxis = xAxis;
        this.yAxis = yAxis;
    }

    /** Adds the point ({@code x}, {@code y}) to {@code name}'s line (a later y for the same x replaces it). */
    public LineChart add(String name, double x, double y) {
        series.computeIfAbsent(name, n -> new XYSeries(n, true, false)).addOrUpdate(x, y);
        return this;
    }

    /** Whether no point was added. */
    public boolean isEmpty() {
        return series.isEmpty();
    }

    /**
     * Writes the chart as a PNG image of {@code width} × {@code height} pixels, creating the parent directory.
     *
     * @throws IllegalStateException when no point was added
     */
    public void writePng(Path file, int width, int height) throws IOException {
        PngFiles.write(isEmpty(), this::chart, file, width, height);
    }

    private JFreeChart chart() {
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(
                title, xAxis, yAxis, data, PlotOrientation.VERTICAL, series.size() > 1, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, BarChart.color(i));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        return chart;
    }
}
