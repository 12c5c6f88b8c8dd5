package io.github.jareranker.cli;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.optimizer.Fusion;
import io.github.jareranker.optimizer.GraphOptimizer;
import io.github.jareranker.optimizer.OptimizationReport;
import io.github.jareranker.optimizer.OptimizationVerifier;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code optimize-model}: rewrites a ModernBERT cross-encoder's ONNX file into ONNX Runtime's fused
 * operators (see optimizer/README.md) and writes it beside the original, then verifies it: the
 * optimized file must score the golden pairs of the test model's reference.json like the original
 * (float32 within 1e-4; int8 within the int8 golden test's tolerance). Without {@code --fusions} it
 * uses every fusion and, if that does not verify, only the bitwise-exact ones. The original file is
 * never modified; the engine loads either.
 */
@Command(
        name = "optimize-model",
        mixinStandardHelpOptions = true,
        description = "Write a fused, verified copy of a model's ONNX file (use it with --onnx-file / onnxFile).")
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

    @Override
    public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        CrossEncoderOptions options = engine.toOptions();
        Path dir = options.modelDirectory();
        String in;
        try (CrossEncoder original =
                CrossEncoder.load(options.toBuilder().workers(1).build())) {
            in = dir.relativize(original.info().onnxFile()).toString();
        }
        String output = out != null ? out : in.replaceAll("\\.onnx$", "") + ".fused.onnx";
        if (Path.of(output).isAbsolute() || output.contains("..") || output.equals(in)) {
            throw new ParameterException(
                    spec.commandLine(), "--out must be a new file inside the model directory, got " + output);
        }
        Path reference = EmbeddedSolr.repoRoot().resolve("models/test-model/reference.json");
        OptimizationVerifier verifier = OptimizationVerifier.fromReference(reference);
        pw.println("optimize-model: " + dir.resolve(in) + " -> " + dir.resolve(output));
        pw.flush();
        if (fusions == null || fusions.isEmpty()) {
            GraphOptimizer.Verified v;
            try {
                v = GraphOptimizer.optimizeVerified(dir, in, output, verifier);
            } catch (IllegalStateException e) {
                pw.println("not written: " + e.getMessage());
                return 1;
            }
            pw.print(v.report());
            pw.println("fusions " + v.fusions() + "; verified on the golden pairs: " + v.verification());
        } else {
            Set<Fusion> enabled = EnumSet.copyOf(fusions);
            OptimizationReport report = GraphOptimizer.create(GraphOptimizer.DEFAULT_MAX_POSITIONS, enabled)
                    .run(dir.resolve(in), dir.resolve(output));
            pw.print(report);
            OptimizationVerifier.Result result = verifier.verify(dir, in, output);
            pw.println("verified on the golden pairs: " + result);
            if (!result.passed()) {
                Files.deleteIfExists(dir.resolve(output));
                pw.println("not kept: it does not score like the original");
                return 1;
            }
        }
        pw.println(
                "use it with --onnx-file " + output + " (solrconfig.xml: <str name=\"onnxFile\">" + output + "</str>)");
        return 0;
    }
}
