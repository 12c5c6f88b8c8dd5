package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.jareranker.testing.TestModels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code eval longpages} smoke test on the committed JSQuAD slice with the committed random-weight test
 * model: the coverage table (tokenizer only) and the Lucene quality table, a few questions.
 */
@ExtendWith(RepoHome.class)
class LongPagesCommandTest {
    /** A coverage row: setting, coverage %, pairs/page, tokens/page, x truncation. */
    private static final Pattern COVERAGE_ROW = Pattern.compile(
            "^(truncation|passages=\\S+(?: maxPassages=\\d+)?)\\s+([0-9.]+)%\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)$",
            Pattern.MULTILINE);
    /** A quality row: run, three metrics, pairs/q, tokens/q, ms/q. */
    private static final Pattern QUALITY_ROW = Pattern.compile(
            "^(bm25|rerank truncation|rerank passages=max maxPassages=8)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)"
                    + "\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)$",
            Pattern.MULTILINE);

    private static Map<String, double[]> rows(Pattern p, String out, int columns) {
        Map<String, double[]> rows = new LinkedHashMap<>();
        Matcher m = p.matcher(out);
        while (m.find()) {
            double[] v = new double[columns];
            for (int i = 0; i < columns; i++) {
                v[i] = Double.parseDouble(m.group(i + 2));
            }
            rows.put(m.group(1), v);
        }
        return rows;
    }

    @Test
    void coverageAndQualityTablesForAFewQuestions() {
        String[] r = run(
                "eval",
                "longpages",
                "--model",
                TestModels.testModel().toString(),
                "--data",
                RepoHome.committedJsquad().toString(),
                "--questions",
                "4",
                "--rerank-docs",
                "5",
                "--max-length",
                "128");
        assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
        String out = r[1].replace("\r", "");
        Matcher header = Pattern.compile("long pages from .*: (\\d+) pages \\(4-8 paragraphs, .*\\), (\\d+) questions")
                .matcher(out);
        assertThat(header.find()).as(out).isTrue();
        assertThat(Integer.parseInt(header.group(1))).isPositive();
        assertThat(header.group(2)).isEqualTo("4");
        assertThat(out).contains("(RANDOM WEIGHTS)", "maxLength 128, passageTokens = maxLength");

        Map<String, double[]> coverage = rows(COVERAGE_ROW, out, 4);
        assertThat(new ArrayList<>(coverage.keySet()))
                .as(out)
                .containsExactly(
                        "truncation",
                        "passages=first",
                        "passages=max maxPassages=4",
                        "passages=max maxPassages=8",
                        "passages=max maxPassages=16");
        double[] truncation = coverage.get("truncation");
        assertThat(truncation[1]).as("truncation pairs/page").isEqualTo(1.0);
        assertThat(truncation[3]).as("truncation x truncation").isEqualTo(1.0);
        for (Map.Entry<String, double[]> e : coverage.entrySet()) {
            double[] v = e.getValue();
            assertThat(v[0]).as(e.getKey() + " coverage %").isBetween(0.0, 100.0);
            assertThat(v[1]).as(e.getKey() + " pairs/page").isGreaterThanOrEqualTo(1.0);
            assertThat(v[2]).as(e.getKey() + " tokens/page").isPositive().isLessThanOrEqualTo(16 * 128.0);
            assertThat(v[3]).as(e.getKey() + " x truncation").isCloseTo(v[2] / truncation[2], within(0.01));
        }
        // pages are 1,500-5,000 characters against 128 tokens: more passages read more of the page
        assertThat(coverage.get("passages=max maxPassages=4")[1]).isLessThanOrEqualTo(4.0);
        assertThat(coverage.get("passages=max maxPassages=8")[1]).isLessThanOrEqualTo(8.0);
        assertThat(coverage.get("passages=max maxPassages=16")[0])
                .isGreaterThanOrEqualTo(coverage.get("truncation")[0]);
        assertThat(coverage.get("passages=max maxPassages=16")[1])
                .isGreaterThan(1.0)
                .isGreaterThanOrEqualTo(coverage.get("passages=max maxPassages=8")[1]);

        assertThat(out)
                .contains("BM25 top 5 reranked (Lucene in this process, 4 questions):")
                .contains("MEANINGLESS")
                .contains("(ms/q: wall time of the reranking alone");
        Map<String, double[]> quality = rows(QUALITY_ROW, out, 6);
        assertThat(new ArrayList<>(quality.keySet()))
                .as(out)
                .containsExactly("bm25", "rerank truncation", "rerank passages=max maxPassages=8");
        for (Map.Entry<String, double[]> e : quality.entrySet()) {
            double[] v = e.getValue();
            for (int i = 0; i < 3; i++) {
                assertThat(v[i]).as(e.getKey() + " metric " + i).isBetween(0.0, 1.0);
            }
        }
        assertThat(quality.get("bm25")[3]).as("bm25 pairs/q").isZero();
        // truncation: one pair per reranked page (at most --rerank-docs 5); passages: at least as many
        double truncPairs = quality.get("rerank truncation")[3];
        assertThat(truncPairs).isPositive().isLessThanOrEqualTo(5.0);
        assertThat(quality.get("rerank passages=max maxPassages=8")[3])
                .isGreaterThanOrEqualTo(truncPairs)
                .isLessThanOrEqualTo(5 * 8.0);
        assertThat(quality.get("rerank truncation")[4]).as("tokens/q").isPositive();
        // recall@20 of the reranked top 5 cannot exceed BM25's: reranking only reorders that top 5
        assertThat(quality.get("rerank truncation")[2]).isLessThanOrEqualTo(quality.get("bm25")[2] + 1e-9);
    }

    @Test
    void coverageOnlyRunsNoQualityTable() {
        String[] r = run(
                "eval",
                "longpages",
                "--model",
                TestModels.testModel().toString(),
                "--data",
                RepoHome.committedJsquad().toString(),
                "--questions",
                "2",
                "--coverage-only");
        assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
        assertThat(rows(COVERAGE_ROW, r[1].replace("\r", ""), 4)).hasSize(5);
        assertThat(r[1]).doesNotContain("BM25 top", "rerank truncation");
    }

    @Test
    void zeroRerankDocsIsAUsageError() {
        String[] r =
                run("eval", "longpages", "--data", RepoHome.committedJsquad().toString(), "--rerank-docs", "0");
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2]).contains("--rerank-docs");
    }
}
