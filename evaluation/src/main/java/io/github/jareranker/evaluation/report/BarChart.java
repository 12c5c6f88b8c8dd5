package io.github.jareranker.evaluation.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * A grouped bar chart written as a PNG file (JFreeChart): the one chart style of the project's docs, used by the
 * benchmarks' {@code Charts} and by {@code eval --chart}. Bars are grouped by category (e.g. a model or a run) and
 * coloured by series (e.g. a method or a metric), in the order they were first added. Not thread-safe.
 */
public final class BarChart {
    private static final Color[] PALETTE = {
        new Color(0x1f77b4),
        new Color(0xff7f0e),
        new Color(0x2ca02c),
        new Color(0xd62728),
        new Color(0x9467bd),
        new Color(0x8c564b),
        new Color(0xe377c2),
        new Color(0x7f7f7f)
    };

    /** The colour of the {@code i}-th series, shared with {@link LineChart}. */
    static Color color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    private final String title;
    private final String categoryAxis;
    private final String valueAxis;
    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private boolean horizontal;
    private String valueLabels;
    private double[] range;

    /**
     * @param title the chart's title
     * @param categoryAxis the label of the axis of the groups ("" for none)
     * @param valueAxis the label of the value axis, e.g. "ms"
     */
    public BarChart(String title, String categoryAxis, String valueAxis) {
        this.title = title;
        this.categoryAxis = categoryAxis;
        this.valueAxis = valueAxis;
    }

    /** Adds the bar of {@code series} in the group {@code category} (a later value for the same pair replaces it). */
    public BarChart add(String series, String category, double value) {
        data.addValue(value, series, category);
        return this;
    }

    /** Bars running left to right, groups listed top to bottom: for long category names such as run names. */
    public BarChart horizontal() {
        this.horizontal = true;
        return this;
    }

    /** Writes each bar's value at its end, formatted with a {@link DecimalFormat} pattern such as {@code 0.000}. */
    public BarChart valueLabels(String pattern) {
        this.valueLabels = pattern;
        return this;
    }

    /** Fixes the value axis to {@code [lower, upper]} (e.g. 0..1 for a rank metric) instead of fitting the data. */
    public BarChart valueRange(double lower, double upper) {
        if (!(lower < upper)) {
            throw new IllegalArgumentException("value range needs lower < upper, got " + lower + ".." + upper);
        }
        this.range = new double[] {lower, upper};
        return this;
    }

    /** Whether no bar was added. */
    public boolean isEmpty() {
        return data.getRowCount() == 0;
    }

    /** The number of groups (categories). */
    public int categories() {
        return data.getColumnCount();
    }

    /**
     * Writes the chart as a PNG image of {@code width} × {@code height} pixels, creating the parent directory.
     *
     * @throws IllegalStateException when no bar was added
     */
    public void writePng(Path file, int width, int height) throws IOException {
        PngFiles.write(isEmpty(), this::chart, file, width, height);
    }

    private JFreeChart chart() {
        JFreeChart chart = ChartFactory.createBarChart(
                title,
                categoryAxis,
                valueAxis,
                data,
                horizontal ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL,
                data.getRowCount() > 1,
                false,
                false);
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (horizontal) {
            // Long names (runs) get up to half the width instead of being cut; the value axis goes below the bars.
            plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.5f);
            plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        }
        if (range != null) {
            plot.getRangeAxis().setRange(range[0], range[1]);
        }
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, color(i));
        }
        if (valueLabels != null) {
            renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator(
                    "{2}", new DecimalFormat(valueLabels, DecimalFormatSymbols.getInstance(Locale.ROOT))));
            renderer.setDefaultItemLabelsVisible(true);
            renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        }
        return chart;
    }
}
