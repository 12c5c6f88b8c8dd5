package io.github.jareranker.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void showsCountRateAndEta() {
        AtomicLong now = new AtomicLong(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = ProgressBar.on(new PrintStream(bytes, true, StandardCharsets.UTF_8), "rerank", 100, now::get);
        now.set(10_000_000_000L); // 10 s
        bar.step(25);
        String line = bar.render(now.get());
        assertThat(line).startsWith("rerank [######..................] 25/100  25% 2.5/s ETA 0:30");
        now.set(40_000_000_000L);
        bar.step(75);
        bar.close();
        String all = bytes.toString(StandardCharsets.UTF_8);
        assertThat(all).contains("\r").contains("100/100 100% 2.5/s in 0:40").endsWith(System.lineSeparator());
    }

    @Test
    void disabledBarPrintsNothingAndDurationsFormat() {
        ProgressBar.disabled().step(5);
        ProgressBar.disabled().close();
        assertThat(ProgressBar.duration(59.6)).isEqualTo("1:00");
        assertThat(ProgressBar.duration(3725)).isEqualTo("1:02:05");
    }
}
