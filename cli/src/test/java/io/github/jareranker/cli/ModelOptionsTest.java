package io.github.jareranker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.EngineOption;
import io.github.jareranker.encoder.ExecutionDevice;
import io.github.jareranker.encoder.Truncation;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;

/** The command line reaches every engine option, under the translator's names, with its checks. */
class ModelOptionsTest {
    @Command(name = "probe")
    static final class Probe implements Runnable {
        @Mixin
        ModelOptions model;

        @Override
        public void run() {}
    }

    private static CommandLine parse(Probe probe, String... args) {
        CommandLine cl = new CommandLine(probe);
        cl.parseArgs(args);
        return cl;
    }

    @Test
    void everyEngineOptionHasItsFlagWithTheSameDescriptionAndNoOtherFlagExists() {
        CommandLine cl = new CommandLine(new Probe());
        Set<String> flags = cl.getCommandSpec().options().stream()
                .map(OptionSpec::longestName)
                .collect(Collectors.toSet());
        Set<String> expected =
                Arrays.stream(EngineOption.values()).map(EngineOption::cliName).collect(Collectors.toSet());
        expected.add("--model");
        assertThat(flags).isEqualTo(expected);
        for (EngineOption o : EngineOption.values()) {
            OptionSpec spec = cl.getCommandSpec().findOption(o.cliName());
            assertThat(spec.description()).as(o.cliName()).containsExactly(o.description());
            assertThat(spec.paramLabel()).as(o.cliName()).isEqualTo(o.valueLabel());
        }
    }

    @Test
    void flagsTranslateLikeSolrconfigSettings() {
        Probe probe = new Probe();
        parse(
                probe,
                "--model",
                "/m",
                "--onnx-file",
                "onnx/model_qint8_avx2.onnx",
                "--max-length",
                "256",
                "--truncation",
                "document_only",
                "--workers",
                "3",
                "--intra-op-threads",
                "2",
                "--max-batch-tokens",
                "2048",
                "--max-batch-size",
                "8",
                "--device",
                "cpu");
        CrossEncoderOptions fromCli = probe.model.toOptions();
        CrossEncoderOptions.Builder b = CrossEncoderOptions.builder(Path.of("/m"));
        List.of(
                        "onnxFile=onnx/model_qint8_avx2.onnx",
                        "maxLength=256",
                        "truncation=document_only",
                        "workers=3",
                        "intraOpThreads=2",
                        "maxBatchTokens=2048",
                        "maxBatchSize=8",
                        "device=cpu")
                .forEach(kv -> b.set(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1)));
        assertThat(fromCli).isEqualTo(b.build());
        assertThat(fromCli.maxBatchSize().getAsInt()).isEqualTo(8);
        assertThat(fromCli.truncation()).isEqualTo(Truncation.DOCUMENT_ONLY);
        assertThat(fromCli.workers()).isEqualTo(3);
        assertThat(fromCli.device()).isEqualTo(ExecutionDevice.cpu());
    }

    @Test
    void badValuesAreUsageErrorsNamingTheFlag() {
        assertThat(usageError("--max-length", "abc")).contains("--max-length").contains("'abc'");
        assertThat(usageError("--truncation", "middle")).contains("--truncation");
        assertThat(usageError("--device", "tpu")).contains("--device").contains("cuda:N");
        CommandLine cl = new CommandLine(new Probe());
        Probe probe = cl.getCommand();
        cl.parseArgs("--model", "/m", "--workers", "-2");
        try {
            probe.model.toOptions();
            throw new AssertionError("workers=-2 accepted");
        } catch (CommandLine.ParameterException e) {
            assertThat(e.getMessage()).contains("workers must be >= 0");
        }
    }

    private static String usageError(String flag, String value) {
        try {
            parse(new Probe(), "--model", "/m", flag, value);
            throw new AssertionError(flag + " " + value + " accepted");
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
    }
}
