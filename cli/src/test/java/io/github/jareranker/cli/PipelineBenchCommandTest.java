package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PipelineBenchCommandTest {
    @Test
    void zipfLogDrawsRankRWithWeightOneOverRToTheS() {
        List<String> log = PipelineBenchCommand.zipfLog(List.of("a", "b", "c"), 60_000, 1.0, new Random(7));
        // weights 1, 1/2, 1/3: shares 6/11, 3/11, 2/11
        assertThat(Collections.frequency(log, "a") / 60_000.0).isCloseTo(6 / 11.0, within(0.01));
        assertThat(Collections.frequency(log, "b") / 60_000.0).isCloseTo(3 / 11.0, within(0.01));
        assertThat(Collections.frequency(log, "c") / 60_000.0).isCloseTo(2 / 11.0, within(0.01));
        List<String> uniform = PipelineBenchCommand.zipfLog(List.of("a", "b"), 20_000, 0.0, new Random(7));
        assertThat(Collections.frequency(uniform, "a") / 20_000.0).isCloseTo(0.5, within(0.015));
    }

    @Test
    void badArgumentsAreAUsageError() {
        String[] r = run("bench-pipeline", "--requests", "0");
        assertThat(r[0]).isNotEqualTo("0");
        assertThat(r[2]).contains("--requests");
    }
}
