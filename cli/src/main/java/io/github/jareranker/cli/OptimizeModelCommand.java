package io.github.jareranker.cli;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.GraphChoice;
import io.github.jareranker.encoder.GraphVerifier;
import io.github.jareranker.optimizer.Fusion;
import io.github.jareranker.optimizer.GraphOptimizer;
import io.github.jareranker.optimizer.OptimizationReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code optimize-model}: writes the fused rewrite of a ModernBERT cross-encoder's ONNX file (see optimizer/README.md)
 * beside the original, for people who want the file. Without {@code --fusions} it is exactly the graph the engine
 * runs by default ({@code optimizeGraph=true}): made, verified on the engine's pairs and cached at load, then copied
 * here. With {@code --fusions} it applies only those and verifies the result the same way (float32 logits within
 * 1e-4; int8 within the int8 golden tolerance). The original file is never modified.
 */
@Command(
        name = "optimize-model",
        mixinStandardHelpOptions = true,
        description = "Write the fused, verified graph the engine runs by default as a file of its own.")
final class OptimizeModelCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --model (required) and --onnx-file choose the graph. */
    @Mixin
    ModelOptions engine = new ModelOptions();

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Output, relative to the model directory (default: the input with .fused.onnx).")
    String out;

    @Option(
            names = "--fusions",
            split = ",",
            paramLabel = "NAME,...",
            description = "Only these fusions: ${COMPLETION-CANDIDATES}.")
    List<Fusion> fusions;

    @Option(
            names = "--keep-unverified",
            description = "With --fusions: keep the file even when it does not score like the original (for"
                    + " measuring what a rewrite would gain; the engine never picks such a graph itself).")
    boolean keepUnverified;

    @Override
    public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        CrossEncoderOptions options = engine.toOptions().toBuilder().workers(1).build();
        Path dir = options.modelDirectory();
        String in;
        GraphChoice graph;
        try (CrossEncoder encoder = CrossEncoder.load(
                options.toBuilder().optimizeGraph(fusions == null).build())) {
            in = dir.relativize(encoder.info().onnxFile()).toString();
            graph = encoder.info().graph();
        }
        String output = out != null ? out : in.replaceAll("\\.onnx$", "") + ".fused.onnx";
        if (keepUnverified && fusions == null) {
            throw new ParameterException(spec.commandLine(), "--keep-unverified goes with --fusions");
        }
        if (Path.of(output).isAbsolute() || output.contains("..") || output.equals(in)) {
            throw new ParameterException(
                    spec.commandLine(), "--out must be a new file inside the model directory, got " + output);
        }
        Path target = dir.resolve(output);
        pw.println("optimize-model: " + dir.resolve(in) + " -> " + target);
        if (fusions == null) {
            // What the engine runs by default: its own verified, cached rewrite.
            if (!graph.fused()) {
                pw.println("not written: " + graph.detail());
                return 1;
            }
            Files.createDirectories(target.getParent());
            Files.copy(graph.file(), target, StandardCopyOption.REPLACE_EXISTING);
            pw.println(graph.detail());
        } else {
            OptimizationReport report = GraphOptimizer.create(
                            GraphOptimizer.DEFAULT_MAX_POSITIONS, EnumSet.copyOf(fusions))
                    .run(dir.resolve(in), target);
            pw.print(report);
            GraphVerifier.Result result = GraphVerifier.builtIn().verify(dir, in, output);
            pw.println("verified on the engine's pairs: " + result);
            if (!result.passed()) {
                if (keepUnverified) {
                    pw.println("kept (--keep-unverified) though it does not score like the original: for measurements"
                            + " only; load it with --onnx-file " + output + " --optimize-graph false");
                    return 0;
                }
                Files.deleteIfExists(target);
                pw.println("not kept: it does not score like the original");
                return 1;
            }
            pw.println("to load this copy by name: --onnx-file " + output + " --optimize-graph false (solrconfig.xml:"
                    + " <str name=\"onnxFile\">" + output + "</str>, <str name=\"optimizeGraph\">false</str>);"
                    + " by default the engine runs its own choice of fusions");
            return 0;
        }
        pw.println("the engine runs this graph by default (optimizeGraph=true); to load this copy by name: --onnx-file "
                + output + " (solrconfig.xml: <str name=\"onnxFile\">" + output + "</str>)");
        return 0;
    }
}
