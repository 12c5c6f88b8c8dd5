package io.github.jareranker.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.encoder.CrossEncoderOptions;
import java.nio.file.Path;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --model DIR [--onnx-file FILE]}: the model a benchmark main measures (a picocli mixin), the one declaration
 * of these options in the benchmarks. {@code --model} is required; without {@code --onnx-file} the engine chooses the
 * file as it does everywhere (model.onnx, else the one file under onnx/). A main that reads the ONNX file itself asks
 * for it with {@link #requireOnnxFile()}, which makes its absence a usage error.
 */
final class ModelFilesOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--model", required = true, description = "Model directory.")
    Path model;

    @Option(names = "--onnx-file", description = "ONNX file inside the model directory.")
    String onnxFile;

    /** The model directory. */
    Path directory() {
        return model;
    }

    /** The ONNX file given with {@code --onnx-file}, relative to the model directory, or null. */
    String onnxFile() {
        return onnxFile;
    }

    /** The ONNX file given with {@code --onnx-file}, resolved in the model directory; a usage error without it. */
    Path requireOnnxFile() {
        if (onnxFile == null) {
            OptionSpec option = command.findOption("--onnx-file");
            throw new MissingParameterException(
                    command.commandLine(),
                    option,
                    "Missing required option: '--onnx-file=" + option.paramLabel() + "'");
        }
        return model.resolve(onnxFile);
    }

    /** The engine options for this model and ONNX file, for the caller to add to. */
    CrossEncoderOptions.Builder options() {
        return CrossEncoderOptions.builder(model).onnxFile(onnxFile);
    }

    /** Records the model directory and the ONNX file (empty when not given) in a JSON result. */
    void describe(ObjectNode result) {
        result.put("model", model.toString());
        result.put("onnxFile", onnxFile == null ? "" : onnxFile);
    }
}
