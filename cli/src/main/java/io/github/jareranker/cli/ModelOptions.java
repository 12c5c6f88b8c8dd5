package io.github.jareranker.cli;

import io.github.jareranker.encoder.Activation;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.ExecutionDevice;
import io.github.jareranker.encoder.Truncation;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The model options shared by every command that loads a cross-encoder (a picocli mixin). */
public final class ModelOptions {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory with an ONNX file and tokenizer.json.")
  Path model;

  @Option(names = "--onnx-file", paramLabel = "FILE", description = "ONNX file inside the model directory (default: model.onnx, else the only onnx/*.onnx).")
  String onnxFile;

  @Option(names = "--max-length", paramLabel = "N", description = "Maximum tokens per pair (default: the tokenizer's, else 512).")
  Integer maxLength;

  @Option(names = "--truncation", paramLabel = "MODE", description = "longest_first (default) or document_only.", converter = TruncationConverter.class)
  Truncation truncation = Truncation.LONGEST_FIRST;

  @Option(names = "--activation", paramLabel = "FN", description = "sigmoid (default) or raw.", converter = ActivationConverter.class)
  Activation activation = Activation.SIGMOID;

  @Option(names = "--threads", paramLabel = "N", description = "ONNX Runtime intra-op threads (default: 0 = one per core).")
  int threads;

  @Option(names = "--batch-tokens", paramLabel = "N", description = "Token budget per ONNX Runtime run (default: ${DEFAULT-VALUE}).")
  int batchTokens = CrossEncoderOptions.DEFAULT_MAX_BATCH_TOKENS;

  @Option(names = "--device", paramLabel = "DEV", description = "cpu (default), cuda or cuda:N.", converter = DeviceConverter.class)
  ExecutionDevice device = ExecutionDevice.cpu();

  /** The engine options these flags describe. */
  public CrossEncoderOptions toOptions() {
    CrossEncoderOptions.Builder b =
        CrossEncoderOptions.builder(model)
            .onnxFile(onnxFile)
            .truncation(truncation)
            .activation(activation)
            .intraOpThreads(threads)
            .maxBatchTokens(batchTokens)
            .device(device);
    if (maxLength != null) {
      b.maxLength(maxLength);
    }
    return b.build();
  }

  static final class TruncationConverter implements picocli.CommandLine.ITypeConverter<Truncation> {
    @Override
    public Truncation convert(String value) {
      return Truncation.parse(value);
    }
  }

  static final class ActivationConverter implements picocli.CommandLine.ITypeConverter<Activation> {
    @Override
    public Activation convert(String value) {
      return Activation.parse(value);
    }
  }

  static final class DeviceConverter implements picocli.CommandLine.ITypeConverter<ExecutionDevice> {
    @Override
    public ExecutionDevice convert(String value) {
      return ExecutionDevice.parse(value);
    }
  }
}
