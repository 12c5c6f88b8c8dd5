package io.github.jareranker.cli;

import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.EngineOption;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The engine options of every command that loads a cross-encoder (a picocli mixin): one flag per
 * {@link EngineOption}, named {@link EngineOption#cliName()} and described by {@link
 * EngineOption#description()}, translated by {@link EngineOption#apply} exactly as Solr's
 * solrconfig.xml settings are. A flag's value is checked when it is parsed, so a bad value is a usage
 * error naming the flag.
 *
 * <p>Picocli needs its annotations at compile time, hence one small setter per option; {@code
 * ModelOptionsTest} checks that they and {@link EngineOption} name the same options.
 */
public final class ModelOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private final Map<EngineOption, String> values = new EnumMap<>(EngineOption.class);
    private Path model;

    /** The model directory given with {@code --model}; null when the command makes it optional. */
    public Path model() {
        return model;
    }

    @Option(
            names = "--model",
            paramLabel = "DIR",
            description = "Model directory with an ONNX file and tokenizer.json.")
    void model(Path dir) {
        this.model = dir;
    }

    @Option(names = "--onnx-file", paramLabel = "FILE", description = EngineOption.Help.ONNX_FILE)
    void onnxFile(String v) {
        set(EngineOption.ONNX_FILE, v);
    }

    @Option(names = "--max-length", paramLabel = "N", description = EngineOption.Help.MAX_LENGTH)
    void maxLength(String v) {
        set(EngineOption.MAX_LENGTH, v);
    }

    @Option(names = "--truncation", paramLabel = "MODE", description = EngineOption.Help.TRUNCATION)
    void truncation(String v) {
        set(EngineOption.TRUNCATION, v);
    }

    @Option(names = "--activation", paramLabel = "FN", description = EngineOption.Help.ACTIVATION)
    void activation(String v) {
        set(EngineOption.ACTIVATION, v);
    }

    @Option(names = "--workers", paramLabel = "N", description = EngineOption.Help.WORKERS)
    void workers(String v) {
        set(EngineOption.WORKERS, v);
    }

    @Option(names = "--max-queued-calls", paramLabel = "N", description = EngineOption.Help.MAX_QUEUED_CALLS)
    void maxQueuedCalls(String v) {
        set(EngineOption.MAX_QUEUED_CALLS, v);
    }

    @Option(names = "--max-queue-wait-ms", paramLabel = "MS", description = EngineOption.Help.MAX_QUEUE_WAIT_MS)
    void maxQueueWaitMs(String v) {
        set(EngineOption.MAX_QUEUE_WAIT_MS, v);
    }

    @Option(names = "--intra-op-threads", paramLabel = "N", description = EngineOption.Help.INTRA_OP_THREADS)
    void intraOpThreads(String v) {
        set(EngineOption.INTRA_OP_THREADS, v);
    }

    @Option(names = "--max-batch-tokens", paramLabel = "N", description = EngineOption.Help.MAX_BATCH_TOKENS)
    void maxBatchTokens(String v) {
        set(EngineOption.MAX_BATCH_TOKENS, v);
    }

    @Option(names = "--max-batch-size", paramLabel = "N", description = EngineOption.Help.MAX_BATCH_SIZE)
    void maxBatchSize(String v) {
        set(EngineOption.MAX_BATCH_SIZE, v);
    }

    @Option(names = "--device", paramLabel = "DEV", description = EngineOption.Help.DEVICE)
    void device(String v) {
        set(EngineOption.DEVICE, v);
    }

    @Option(names = "--sha256", paramLabel = "HEX", description = EngineOption.Help.SHA256)
    void sha256(String v) {
        set(EngineOption.SHA256, v);
    }

    @Option(names = "--cpu-arena", paramLabel = "BOOL", description = EngineOption.Help.CPU_ARENA)
    void cpuArena(String v) {
        set(EngineOption.CPU_ARENA, v);
    }

    @Option(names = "--optimize-graph", paramLabel = "BOOL", description = EngineOption.Help.OPTIMIZE_GRAPH)
    void optimizeGraph(String v) {
        set(EngineOption.OPTIMIZE_GRAPH, v);
    }

    /** The ONNX file given with {@code --onnx-file}, or null. */
    public String onnxFile() {
        return values.get(EngineOption.ONNX_FILE);
    }

    /** The options given on the command line, by option. */
    public Map<EngineOption, String> given() {
        return Map.copyOf(values);
    }

    /** The engine options for {@code --model}. */
    public CrossEncoderOptions toOptions() {
        if (model == null) {
            throw new ParameterException(command.commandLine(), "Missing required option: '--model=DIR'");
        }
        return toOptions(model);
    }

    /** The engine options for {@code modelDirectory} with the flags given. */
    public CrossEncoderOptions toOptions(Path modelDirectory) {
        CrossEncoderOptions.Builder b = CrossEncoderOptions.builder(modelDirectory);
        values.forEach((option, value) -> option.apply(b, value));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    private void set(EngineOption option, String value) {
        try {
            option.apply(CrossEncoderOptions.builder(), value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    command.commandLine(), "Invalid value for option '" + option.cliName() + "': " + e.getMessage());
        }
        values.put(option, value);
    }
}
