package io.github.jareranker.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.GraphChoice;
import io.github.jareranker.evaluation.report.ResultsFileOption;
import io.github.jareranker.evaluation.report.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the fused graph costs at load ({@link CrossEncoderOptions#optimizeGraph()}): the wall time of {@link
 * CrossEncoder#load} three ways, in turn, several times — the file as it is ({@code optimizeGraph=false}), a first load
 * that rewrites and verifies (the model's cache folder removed before it), and a load that finds the cached rewrite —
 * plus the time the engine reports for choosing the graph ({@link GraphChoice#prepareMillis()}).
 */
@Command(name = "load-time", mixinStandardHelpOptions = true, description = "Load time of the fused graph.")
public final class LoadTimeBenchmark implements Callable<Integer> {
    @Mixin
    ModelFilesOption model = new ModelFilesOption();

    @Option(names = "--repeats", description = "Loads of each kind (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Mixin
    ResultsFileOption results = new ResultsFileOption();

    @Override
    public Integer call() throws Exception {
        CrossEncoderOptions fused = model.options().workers(1).build();
        CrossEncoderOptions asIs = fused.toBuilder().optimizeGraph(false).build();
        Path cache = model.directory().resolve(GraphChoice.CACHE_DIRECTORY);
        List<Double> plain = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        List<Double> cached = new ArrayList<>();
        List<Double> firstPrepare = new ArrayList<>();
        List<Double> cachedPrepare = new ArrayList<>();
        String detail = "";
        load(asIs); // warm the JVM and the file cache once, unmeasured
        for (int i = 0; i < repeats; i++) {
            plain.add(load(asIs).millis);
            deleteTree(cache);
            Loaded cold = load(fused);
            first.add(cold.millis);
            firstPrepare.add((double) cold.graph.prepareMillis());
            detail = cold.graph.toString();
            Loaded warm = load(fused);
            cached.add(warm.millis);
            cachedPrepare.add((double) warm.graph.prepareMillis());
        }
        ObjectNode result = new ObjectMapper().createObjectNode();
        model.describe(result);
        result.put("repeats", repeats);
        result.put("graph", detail);
        ArrayNode rows = result.putArray("loadMillis");
        row(rows, "as is (optimizeGraph=false)", plain, null);
        row(rows, "fused, first load (rewrite + verify)", first, firstPrepare);
        row(rows, "fused, cached", cached, cachedPrepare);
        System.out.println(detail);
        rows.forEach(r -> System.out.printf(
                Locale.ROOT,
                "%-40s median %7.0f ms (graph choice %s ms)%n",
                r.path("load").asText(),
                r.path("medianMs").asDouble(),
                r.path("prepareMedianMs").isMissingNode()
                        ? "-"
                        : r.path("prepareMedianMs").asText()));
        results.write(result);
        return 0;
    }

    private record Loaded(double millis, GraphChoice graph) {}

    private static Loaded load(CrossEncoderOptions options) throws Exception {
        long t0 = System.nanoTime();
        try (CrossEncoder encoder = CrossEncoder.load(options)) {
            return new Loaded((System.nanoTime() - t0) / 1e6, encoder.info().graph());
        }
    }

    private static void row(ArrayNode rows, String name, List<Double> millis, List<Double> prepare) {
        ObjectNode r = rows.addObject();
        r.put("load", name);
        r.put("medianMs", median(millis));
        ArrayNode all = r.putArray("ms");
        millis.forEach(all::add);
        if (prepare != null) {
            r.put("prepareMedianMs", median(prepare));
        }
    }

    private static double median(List<Double> values) {
        return Samples.percentile(
                values.stream().mapToDouble(Double::doubleValue).toArray(), 50);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
