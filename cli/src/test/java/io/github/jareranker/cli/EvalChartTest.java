package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval --chart FILE.png}: the means per run as a bar chart next to the table. */
class EvalChartTest {
    @TempDir
    Path tmp;

    @Test
    void writesOneGroupOfBarsPerRun() throws IOException {
        Path qrels = Files.writeString(tmp.resolve("q.trec"), "q1 0 a 1\nq2 0 b 1\n");
        Path first = Files.writeString(tmp.resolve("first.trec"), "q1 Q0 a 1 2 f\nq2 Q0 b 1 2 f\n");
        Path second = Files.writeString(tmp.resolve("second.trec"), "q1 Q0 x 1 2 s\nq1 Q0 a 2 1 s\n");
        Path chart = tmp.resolve("charts/eval.png");
        String[] r = run(
                "eval",
                "--qrels",
                qrels.toString(),
                "--run",
                first.toString(),
                "--run",
                second.toString(),
                "--metrics",
                "mrr@10,ndcg@10",
                "--chart",
                chart.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("\nf ", "\ns "); // the table (runs named by their TREC tags) as without --chart
        assertThat(r[2]).contains("chart: " + chart);
        BufferedImage png = ImageIO.read(chart.toFile());
        assertThat(png.getWidth()).isEqualTo(900);
        // Its height grows with the runs and metrics: 110 + runs × (24 + 18 × metrics).
        assertThat(png.getHeight()).isEqualTo(110 + 2 * (24 + 18 * 2));
    }

    @Test
    void aChartThatIsNotPngIsRefusedBeforeAnythingRuns() throws IOException {
        Path qrels = Files.writeString(tmp.resolve("q.trec"), "q1 0 a 1\n");
        String[] r = run("eval", "--qrels", qrels.toString(), "--run", "missing.trec", "--chart", "out.svg");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--chart", "out.svg", "PNG");
        assertThat(tmp.resolve("out.svg")).doesNotExist();
    }
}
