package io.github.jareranker.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Draws the benchmark results as PNG charts for docs/performance.md: per-query p50 latency of each
 * method per model, the engine's share of the measured peak, and Solr throughput by client count.
 * Reads the JSON files that {@link LatencyBenchmark} ({@code latency-*.json}) and {@code bin/ja-reranker
 * bench-solr} ({@code solr-*.json}) wrote.
 */
@Command(name = "charts", mixinStandardHelpOptions = true, description = "PNG charts from benchmark results.")
public final class Charts implements Callable<Integer> {
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd)
    };

    @Option(names = "--results", required = true, description = "Directory of latency-*.json and solr-*.json.")
    Path results;

    @Option(names = "--out", required = true, description = "Directory for the PNG files.")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Charts()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper();
        DefaultCategoryDataset latency = new DefaultCategoryDataset();
        DefaultCategoryDataset share = new DefaultCategoryDataset();
        for (Path file : files("latency-")) {
            JsonNode r = json.readTree(file.toFile());
            String label = label(file, "latency-");
            for (JsonNode m : r.path("methods")) {
                latency.addValue(m.path("p50Ms").asDouble(), m.path("method").asText(), label);
                if (m.has("shareOfPeak")) {
                    share.addValue(
                            100 * m.path("shareOfPeak").asDouble(),
                            m.path("method").asText(),
                            label);
                }
            }
        }
        if (latency.getRowCount() > 0) {
            save(bar("Rerank 100 candidates: p50 per query (lower is better)", "model", "ms", latency), "latency.png");
        }
        if (share.getRowCount() > 0) {
            save(
                    bar("Share of the measured GEMM peak (higher is better)", "model", "% of peak", share),
                    "share-of-peak.png");
        }
        DefaultCategoryDataset solr = new DefaultCategoryDataset();
        for (Path file : files("solr-")) {
            JsonNode r = json.readTree(file.toFile());
            String label = label(file, "solr-");
            for (JsonNode cell : r.path("cells")) {
                if (cell.path("mode").asText().equals("rerank")) {
                    solr.addValue(
                            cell.path("pairsPerSecond").asDouble(),
                            label,
                            cell.path("clients").asInt() + " clients");
                }
            }
        }
        if (solr.getRowCount() > 0) {
            save(
                    bar("Solr reranking throughput by concurrent clients", "", "scored pairs / s", solr),
                    "solr-throughput.png");
        }
        return 0;
    }

    private List<Path> files(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(results)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && p.toString().endsWith(".json"))
                    .sorted()
                    .toList();
        }
    }

    private static String label(Path file, String prefix) {
        String name = file.getFileName().toString();
        return name.substring(prefix.length(), name.length() - ".json".length());
    }

    private static JFreeChart bar(String title, String x, String y, DefaultCategoryDataset data) {
        JFreeChart chart = ChartFactory.createBarChart(title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        return chart;
    }

    private void save(JFreeChart chart, String name) throws IOException {
        ChartUtils.saveChartAsPNG(out.resolve(name).toFile(), chart, 900, 480);
        System.out.println("wrote " + out.resolve(name));
    }
}
