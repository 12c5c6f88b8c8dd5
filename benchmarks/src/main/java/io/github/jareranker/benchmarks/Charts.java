package io.github.jareranker.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.evaluation.report.BarChart;
import io.github.jareranker.evaluation.report.LineChart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Draws the benchmark results as PNG charts for docs/performance.md: per-query p50 latency of each
 * method per model, each method's time relative to ja-reranker (the paired ratios, the peer among them), the
 * engine's share of the measured peak, Solr throughput by client count, and p50 latency against the number of
 * candidates per query ({@code sweep-<model>-c<N>.json}: one LatencyBenchmark run per candidate count).
 * Reads the JSON files that {@link LatencyBenchmark} ({@code latency-*.json}) and {@code bin/ja-reranker
 * bench-solr} ({@code solr-*.json}) wrote. The chart style is the evaluation module's {@link BarChart}, shared with
 * {@code eval --chart}.
 */
@Command(name = "charts", mixinStandardHelpOptions = true, description = "PNG charts from benchmark results.")
public final class Charts implements Callable<Integer> {
    @Option(names = "--results", required = true, description = "Directory of latency-*.json and solr-*.json.")
    Path results;

    @Option(names = "--out", required = true, description = "Directory for the PNG files.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper();
        BarChart latency = new BarChart("Rerank 100 candidates: p50 per query (lower is better)", "model", "ms");
        BarChart share = new BarChart("Share of the measured GEMM peak (higher is better)", "model", "% of peak");
        BarChart ratios = new BarChart(
                        "Time per query ÷ ja-reranker's (paired median; above 1 = slower)",
                        "model",
                        "× ja-reranker's time")
                .valueLabels("0.00");
        for (Path file : files("latency-")) {
            JsonNode r = json.readTree(file.toFile());
            String label = label(file, "latency-");
            for (JsonNode m : r.path("methods")) {
                latency.add(m.path("method").asText(), label, m.path("p50Ms").asDouble());
                if (m.has("shareOfPeak")) {
                    share.add(
                            m.path("method").asText(),
                            label,
                            100 * m.path("shareOfPeak").asDouble());
                }
            }
            for (JsonNode p : r.path("pairedRatios")) {
                ratios.add(
                        p.path("slower").asText() + " / " + p.path("faster").asText(),
                        label,
                        p.path("median").asDouble());
            }
        }
        save(latency, "latency.png");
        save(share, "share-of-peak.png");
        save(ratios, "relative-time.png");
        BarChart solr = new BarChart("Solr reranking throughput by concurrent clients", "", "scored pairs / s");
        for (Path file : files("solr-")) {
            JsonNode r = json.readTree(file.toFile());
            String label = label(file, "solr-");
            if (r.has("engineAlonePairsPerSecond")) {
                // the single-stream engine in the same run: what the Solr bars are measured against
                solr.add(
                        label,
                        "engine alone",
                        r.path("engineAlonePairsPerSecond").asDouble());
            }
            for (JsonNode cell : r.path("cells")) {
                if (cell.path("mode").asText().equals("rerank")) {
                    solr.add(
                            label,
                            cell.path("clients").asInt() + " clients",
                            cell.path("pairsPerSecond").asDouble());
                }
            }
        }
        save(solr, "solr-throughput.png");
        LineChart sweep =
                new LineChart("p50 per query by number of candidates (lower is better)", "candidates per query", "ms");
        for (Path file : files("sweep-")) {
            JsonNode r = json.readTree(file.toFile());
            String label = label(file, "sweep-").replaceFirst("-c[0-9]+$", "");
            for (JsonNode m : r.path("methods")) {
                sweep.add(
                        label + " " + m.path("method").asText(),
                        r.path("candidates").asInt(),
                        m.path("p50Ms").asDouble());
            }
        }
        if (!sweep.isEmpty()) {
            sweep.writePng(out.resolve("latency-by-candidates.png"), 900, 520);
            System.out.println("wrote " + out.resolve("latency-by-candidates.png"));
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

    /** Writes the chart unless the results held nothing for it. */
    private void save(BarChart chart, String name) throws IOException {
        if (!chart.isEmpty()) {
            chart.writePng(out.resolve(name), 900, 480);
            System.out.println("wrote " + out.resolve(name));
        }
    }
}
