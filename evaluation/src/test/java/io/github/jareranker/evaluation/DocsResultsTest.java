package io.github.jareranker.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every figure traceable (issue 19): every {@code docs/results/*.json} is valid JSON that records the commit and date
 * of its data, and the README's headline figures ("Measured here") agree with the raw files they name.
 *
 * <p>{@link #README_FIGURES} is the table of those figures: the exact README text holding the number, the number as
 * the README writes it, the raw file and JSON pointer it comes from and how it is derived (rounding, ratio, share,
 * minimum or maximum over several files). {@link #check} reports every row whose README text is gone or whose raw
 * value no longer rounds to the number written; {@link #theCheckReportsAChangedReadmeFigure} shows that it does.
 */
class DocsResultsTest {
    private static final Path ROOT = TestModels.repoRoot();
    private static final Path RESULTS = ROOT.resolve("docs/results");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final String DEF_TINY_FP32 = "latency-default-tiny-fp32.json";
    private static final String DEF_TINY_INT8 = "latency-default-tiny-int8.json";
    private static final String DEF_XSMALL_INT8 = "latency-default-xsmall-int8.json";
    private static final String DEF_XSMALL_FP32 = "latency-default-xsmall-fp32.json";
    private static final String DEF_LONG_TINY_FP32 = "latency-default-longpages-tiny-fp32.json";
    private static final String DEF_LONG_TINY_INT8 = "latency-default-longpages-tiny-int8.json";
    private static final String SOLR_DEFAULT_TINY = "solr-default-tiny-int8.json";
    private static final String AB = "ab-solr-5db32f1-tiny-int8.json";
    private static final String AB_AS_IS = "ab-solr-5db32f1-tiny-int8-as-is.json";
    private static final String SOLR_XSMALL = "solr-default-xsmall-int8.json";
    private static final String CASCADE = "cascade-tiny-xsmall-int8.json";
    private static final String SOAK = "soak-60m.json";
    private static final String LONG_PAGES = "longpages-bench-tiny-int8.txt";
    private static final String PIPELINE = "bench-pipeline-timings.json";
    private static final String[] SWEEP_TINY_INT8 = {
        "sweep-tiny-int8-c10.json", "sweep-tiny-int8-c25.json", "sweep-tiny-int8-c50.json", "sweep-tiny-int8-c100.json"
    };
    private static final int[] SWEEP_CANDIDATES = {10, 25, 50, 100};

    // Methods in the latency files, in the order the benchmark writes them.
    private static final String JA = "/methods/0";

    /** Rounded to 0, 1 or 2 decimals, thousands grouped with a comma (1,421). */
    static final Format R0 = v -> String.format(Locale.ROOT, "%,.0f", v);

    static final Format R1 = v -> String.format(Locale.ROOT, "%,.1f", v);
    static final Format R2 = v -> String.format(Locale.ROOT, "%,.2f", v);
    static final Format R3 = v -> String.format(Locale.ROOT, "%,.3f", v);
    /** "no" for zero (a count the README writes as "no errors"). */
    static final Format NO_IF_ZERO = v -> v == 0 ? "no" : R0.apply(v);
    /** "none" for zero (a count the README writes as a word). */
    static final Format NONE_IF_ZERO = v -> v == 0 ? "none" : R0.apply(v);

    /**
     * The README's headline figures: README text (exact, within one line), the number as written there, its source in
     * docs/results/ and how it is derived.
     */
    static final List<Figure> README_FIGURES = List.of(
            // CPU speed on the default path (latency-default-*.json: methods 0 ja-reranker, then langchain4j, as-is).
            fig("100 candidates per", "100", json(DEF_TINY_FP32, "/candidates"), R0),
            fig("over 12 JSQuAD queries × 2 passes", "12", json(DEF_TINY_FP32, "/queries"), R0),
            fig("over 12 JSQuAD queries × 2 passes", "2", json(DEF_TINY_FP32, "/rounds"), R0),
            fig("**1,192 ms**", "1,192", json(DEF_TINY_FP32, JA + "/p50Ms"), R0),
            fig("**4.33× faster than langchain4j's", "4.33", ratioNamed(DEF_TINY_FP32, "langchain4j"), R2),
            fig("1.44× faster than the same engine", "1.44", ratioNamed(DEF_TINY_FP32, "as-is"), R2),
            fig("(1.50× on", "1.50", ratioNamed(DEF_LONG_TINY_FP32, "as-is"), R2),
            fig("int8 p50 1,107 ms (tiny)", "1,107", json(DEF_TINY_INT8, JA + "/p50Ms"), R0),
            fig("/ 4,043 ms (xsmall)", "4,043", json(DEF_XSMALL_INT8, JA + "/p50Ms"), R0),
            fig("2.91× / 3.17× faster than langchain4j", "2.91", ratioNamed(DEF_TINY_INT8, "langchain4j"), R2),
            fig("2.91× / 3.17× faster than langchain4j", "3.17", ratioNamed(DEF_XSMALL_INT8, "langchain4j"), R2),
            fig("at 64 % / 58 % of this CPU's", "64", percent(json(DEF_TINY_INT8, JA + "/shareOfPeak")), R0),
            fig("at 64 % / 58 % of this CPU's", "58", percent(json(DEF_XSMALL_INT8, JA + "/shareOfPeak")), R0),
            fig("xsmall fp32 **3.17×** langchain4j", "3.17", ratioNamed(DEF_XSMALL_FP32, "langchain4j"), R2),
            fig("at 89 % of this CPU's float32 peak", "89", percent(json(DEF_XSMALL_FP32, JA + "/shareOfPeak")), R0),
            fig("langchain4j runs at 28 %", "28", percent(json(DEF_XSMALL_FP32, "/methods/1/shareOfPeak")), R0),
            fig("int8 gains 0.96–1.06× from", "0.96", ratioNamed(DEF_TINY_INT8, "as-is"), R2),
            fig("int8 gains 0.96–1.06× from", "1.06", ratioNamed(DEF_XSMALL_INT8, "as-is"), R2),
            fig("and 1.11× on tiny's long pages", "1.11", ratioNamed(DEF_LONG_TINY_INT8, "as-is"), R2),
            fig("the first costs 1.6–8.7 s", "8.7", divided(firstLoad("load-time-xsmall-int8.json"), 1000), R1),
            fig("the first costs 1.6–8.7 s", "1.6", divided(firstLoad("load-time-tiny-fp32.json"), 1000), R1),
            // Solr end to end (solr-*-int8.json): cells 2, 4 and 6 are the reranked cells with 1, 4 and 16 clients.
            fig("tiny int8 61 / 66 / 63", "61", json(SOLR_DEFAULT_TINY, "/cells/2/pairsPerSecond"), R0),
            fig("tiny int8 61 / 66 / 63", "66", json(SOLR_DEFAULT_TINY, "/cells/4/pairsPerSecond"), R0),
            fig("tiny int8 61 / 66 / 63", "63", json(SOLR_DEFAULT_TINY, "/cells/6/pairsPerSecond"), R0),
            fig("(0.99 / 1.07 / 1.02 of the engine", "0.99", json(SOLR_DEFAULT_TINY, "/cells/2/ofEngineAlone"), R2),
            fig("(0.99 / 1.07 / 1.02 of the engine", "1.07", json(SOLR_DEFAULT_TINY, "/cells/4/ofEngineAlone"), R2),
            fig("(0.99 / 1.07 / 1.02 of the engine", "1.02", json(SOLR_DEFAULT_TINY, "/cells/6/ofEngineAlone"), R2),
            fig("the engine alone moving by 0.5 %", "0.5", engineDrift(SOLR_DEFAULT_TINY), R1),
            fig(
                    "hold 96 % (tiny) and 99 % (xsmall)",
                    "96", percent(json(SOLR_DEFAULT_TINY, "/cells/6/cpuShare/ja-reranker-inf")), R0),
            fig("xsmall int8 28 / 28 / 29 pairs/s", "28", json(SOLR_XSMALL, "/cells/2/pairsPerSecond"), R0),
            fig("xsmall int8 28 / 28 / 29 pairs/s", "28", json(SOLR_XSMALL, "/cells/4/pairsPerSecond"), R0),
            fig("xsmall int8 28 / 28 / 29 pairs/s", "29", json(SOLR_XSMALL, "/cells/6/pairsPerSecond"), R0),
            fig("(1.03 / 1.04 / 1.08 of the engine alone", "1.03", json(SOLR_XSMALL, "/cells/2/ofEngineAlone"), R2),
            fig("(1.03 / 1.04 / 1.08 of the engine alone", "1.04", json(SOLR_XSMALL, "/cells/4/ofEngineAlone"), R2),
            fig("(1.03 / 1.04 / 1.08 of the engine alone", "1.08", json(SOLR_XSMALL, "/cells/6/ofEngineAlone"), R2),
            fig("which moved by 13 % within that\n  run", "13", engineDrift(SOLR_XSMALL), R0),
            fig(
                    "hold 96 % (tiny) and 99 % (xsmall)",
                    "99", percent(json(SOLR_XSMALL, "/cells/6/cpuShare/ja-reranker-inf")), R0),
            // User-level A/B (ab-solr-5db32f1-tiny-int8.json, and its as-is control).
            fig("(80.7 reranked per request", "80.7", json(AB, "/meanCandidates"), R1),
            fig("**1.12×** faster at\n  p50", "1.12", json(AB, "/speedup/p50"), R2),
            fig("(2,222 against 2,482 ms", "2,222", json(AB, "/builds/current/p50Ms"), R0),
            fig("(2,222 against 2,482 ms", "2,482", json(AB, "/builds/baseline/p50Ms"), R0),
            fig("per-question median 1.13×", "1.13", json(AB, "/speedup/pairedMedian"), R2),
            fig("faster in 94 % of questions", "94", percent(json(AB, "/speedup/currentFasterShare")), R0),
            fig("top 10 in 99 of 100\n  questions", "99", json(AB, "/sameTop10"), R0),
            fig("top 10 in 99 of 100\n  questions", "100", json(AB, "/queries"), R0),
            fig("the same A/B gives 0.99×", "0.99", json(AB_AS_IS, "/speedup/p50"), R2),
            // Cascade (cascade-tiny-xsmall-int8.json).
            fig(
                    "**0.48×** the time of one xsmall pass",
                    "0.48",
                    json(CASCADE, "/cascadeVsSecondModel/timeRatioMedian"),
                    R2),
            fig("pass over the same 200 hits", "200", json(CASCADE, "/reRankDocs"), R0),
            fig("(median over 30 questions)", "30", json(CASCADE, "/queries"), R0),
            fig("29.8 pairs per request", "29.8", secondModelPairs(), R1),
            fig("16.5 % of the cascade's", "16.5", percent(ratio(secondModelPairs(), cascadePairs())), R1),
            fig("the cascade's 180.6", "180.6", cascadePairs(), R1),
            fig(
                    "(19.8 % of the single",
                    "19.8", percent(json(CASCADE, "/cascadeVsSecondModel/pairsOfSecondModel")), R1),
            fig("xsmall pass's 150.7", "150.7", json(CASCADE, "/methods/then/pairsPerQuery"), R1),
            // Soak (soak-60m.json).
            fig("- 60 minutes, 16 clients, 12 core reloads", "60", divided(json(SOAK, "/durationSeconds"), 60), R0),
            fig("- 60 minutes, 16 clients, 12 core reloads", "16", json(SOAK, "/clients"), R0),
            fig("- 60 minutes, 16 clients, 12 core reloads", "12", json(SOAK, "/reloads"), R0),
            fig("2,236 queries, no errors", "2,236", json(SOAK, "/queries"), R0),
            fig("2,236 queries, no errors", "no", json(SOAK, "/errors"), NO_IF_ZERO),
            fig("0 of 224 checked orders", "224", json(SOAK, "/checked"), R0),
            fig("0 of 224 checked orders", "0", json(SOAK, "/wrongOrders"), R0),
            fig("slope after warm-up **+0.449 MB/min**", "0.449", json(SOAK, "/rssSlopeMbPerMin"), R3),
            // Long pages (longpages-bench-tiny-int8.txt, console output: rows by their label, columns after it).
            fig("reads for **100.00 %** of them", "100.00", text(LONG_PAGES, "passages=max maxPassages=8", 0), R2),
            fig("against 37.00 % with truncation", "37.00", text(LONG_PAGES, "truncation", 0), R2),
            fig(
                    "5.65× the tokens",
                    "5.65",
                    ratio(
                            text(LONG_PAGES, "rerank passages=max maxPassages=8", 4),
                            text(LONG_PAGES, "rerank truncation", 4)),
                    R2),
            fig(
                    "5.0× the time of truncation",
                    "5.0",
                    ratio(
                            text(LONG_PAGES, "rerank passages=max maxPassages=8", 5),
                            text(LONG_PAGES, "rerank truncation", 5)),
                    R1),
            // Pair-score cache (bench-pipeline-timings.json).
            fig(
                    "74.7 % fewer pairs",
                    "74.7", percent(json(PIPELINE, "/zipfReplayVaryingFilter/pairsSavedFraction")), R1),
            fig("(29,807 → 7,542)", "29,807", json(PIPELINE, "/zipfReplayVaryingFilter/noCache/pairsScored"), R0),
            fig("(29,807 → 7,542)", "7,542", json(PIPELINE, "/zipfReplayVaryingFilter/pairCache/pairsScored"), R0),
            fig(
                    "in 0.38× the wall time",
                    "0.38",
                    ratio(
                            json(PIPELINE, "/zipfReplayVaryingFilter/pairCache/wallSeconds"),
                            json(PIPELINE, "/zipfReplayVaryingFilter/noCache/wallSeconds")),
                    R2),
            fig(
                    "page 3 of a reranked window scores none",
                    "none",
                    json(PIPELINE, "/paging/pairCache/page3/pairsScored"),
                    NONE_IF_ZERO),
            // Latency by number of candidates (sweep-*.json): method 0 is ja-reranker, 1 langchain4j.
            fig("8 queries, one pass", "8", json(SWEEP_TINY_INT8[0], "/queries"), R0),
            fig("(tiny int8: 4.7–5.3 ms per candidate)", "4.7", min(perCandidate(0)), R1),
            fig("(tiny int8: 4.7–5.3 ms per candidate)", "5.3", max(perCandidate(0)), R1),
            fig(
                    "(tiny int8: 9.1 ms per candidate at 10",
                    "9.1",
                    divided(json(SWEEP_TINY_INT8[0], "/methods/1/p50Ms"), 10),
                    R1),
            fig("15.6 at 100)", "15.6", divided(json(SWEEP_TINY_INT8[3], "/methods/1/p50Ms"), 100), R1),
            fig("1.9–2.1× faster at 10 candidates", "1.9", min(sweepRatios(10)), R1),
            fig("1.9–2.1× faster at 10 candidates", "2.1", max(sweepRatios(10)), R1),
            fig("2.4–2.9× from 25 on", "2.4", min(sweepRatios(25, 50, 100)), R1),
            fig("2.4–2.9× from 25 on", "2.9", max(sweepRatios(25, 50, 100)), R1));

    @Test
    void everyResultsJsonIsValidAndRecordsItsCommitAndDate() throws IOException {
        List<Path> files = resultFiles(".json");
        assertThat(files).as("JSON files in docs/results").isNotEmpty();
        for (Path file : files) {
            JsonNode root = JSON.readTree(file.toFile());
            assertThat(root.isObject()).as(file + " is a JSON object").isTrue();
            assertThat(root.path("commit").asText()).as(file + ": commit").matches("[0-9a-f]{40}");
            assertThat(OffsetDateTime.parse(root.path("date").asText()))
                    .as(file + ": date")
                    .isNotNull();
            assertThat(root.path("provenance").path("machine").asText())
                    .as(file + ": provenance.machine")
                    .isNotBlank();
        }
    }

    @Test
    void theReadmeHeadlineFiguresAgreeWithTheirRawFiles() throws IOException {
        assertThat(check(readme(), Results.load())).isEmpty();
    }

    /** The check can fail: the README with one headline figure changed in memory is reported, naming that figure. */
    @Test
    void theCheckReportsAChangedReadmeFigure() throws IOException {
        String readme = readme();
        String original = "int8 p50 1,107 ms (tiny)";
        assertThat(readme).contains(original);
        String changed = readme.replace(original, "int8 p50 1,110 ms (tiny)");

        List<String> problems = check(changed, Results.load());

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains(original).contains("1,107").contains(DEF_TINY_INT8 + "#" + JA + "/p50Ms");
    }

    /** And the other way round: a raw value changed in memory no longer rounds to the README's figure. */
    @Test
    void theCheckReportsAChangedRawValue() throws IOException {
        Results results = Results.load();
        ((ObjectNode) results.json(DEF_XSMALL_INT8).at(JA)).put("p50Ms", 4053.2);

        List<String> problems = check(readme(), results);

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("4,043").contains("4,053").contains(DEF_XSMALL_INT8);
    }

    /**
     * Every bullet of the README's "Measured here" that holds a number names its raw file under docs/results/, or the
     * test that checks it.
     */
    @Test
    void everyMeasuredHereBulletNamesItsSource() throws IOException {
        String readme = readme();
        int start = readme.indexOf("\n## Measured here\n");
        assertThat(start).as("README section 'Measured here'").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> bullets = Arrays.stream(section.split("\n(?=- )"))
                .filter(b -> b.startsWith("- "))
                .toList();
        assertThat(bullets).isNotEmpty();
        Pattern test = Pattern.compile("`[A-Z][A-Za-z0-9]*Test`");
        for (String bullet : bullets) {
            if (bullet.matches("(?s).*\\d.*")) {
                assertThat(bullet.contains("docs/results/")
                                || test.matcher(bullet).find())
                        .as("names docs/results/... or a test: " + bullet)
                        .isTrue();
            }
        }
    }

    /**
     * Every docs/results path that README.md or docs/*.md names exists (a glob, a {a,b} list or a shell variable such as
     * {@code $arena} must match at least one file).
     */
    @Test
    void everyResultsPathTheDocsNameExists() throws IOException {
        List<Path> texts = new ArrayList<>();
        texts.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(texts::add);
        }
        Pattern path = Pattern.compile("docs/results/([A-Za-z0-9_.*{},$-]*[A-Za-z0-9_*}])");
        List<String> present;
        try (Stream<Path> files = Files.list(RESULTS)) {
            present = files.map(p -> p.getFileName().toString()).toList();
        }
        List<String> missing = new ArrayList<>();
        for (Path text : texts) {
            Matcher m = path.matcher(Files.readString(text, StandardCharsets.UTF_8));
            while (m.find()) {
                PathMatcher glob = FileSystems.getDefault()
                        .getPathMatcher("glob:" + m.group(1).replaceAll("\\$[A-Za-z_]+", "*"));
                if (present.stream().noneMatch(name -> glob.matches(Path.of(name)))) {
                    missing.add(ROOT.relativize(text) + ": " + m.group());
                }
            }
        }
        assertThat(missing).as("docs/results paths that match no file").isEmpty();
    }

    /**
     * Problems of the README text against the raw files: a figure whose README text is gone, or whose raw value no
     * longer gives the number written there. Empty when every figure agrees.
     */
    static List<String> check(String readme, Results results) {
        List<String> problems = new ArrayList<>();
        for (Figure f : README_FIGURES) {
            String source = f.source().describe();
            if (!f.readme().contains(f.shown())) {
                problems.add("table row: \"" + f.readme() + "\" does not contain " + f.shown());
                continue;
            }
            if (!readme.contains(f.readme())) {
                problems.add(
                        "README no longer says \"" + f.readme() + "\" (figure " + f.shown() + " from " + source + ")");
                continue;
            }
            String derived;
            try {
                derived = f.format().apply(f.source().value(results));
            } catch (RuntimeException e) {
                problems.add("figure " + f.shown() + " in \"" + f.readme() + "\": " + source + ": " + e.getMessage());
                continue;
            }
            if (!derived.equals(f.shown())) {
                problems.add(
                        "README says " + f.shown() + " in \"" + f.readme() + "\" but " + source + " gives " + derived);
            }
        }
        return problems;
    }

    private static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    }

    private static List<Path> resultFiles(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(RESULTS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }

    // ---- the table's vocabulary ----------------------------------------------------------------------------------

    /** A figure of the README: its text there, the number as written, where the number comes from, how it is written. */
    record Figure(String readme, String shown, Source source, Format format) {}

    /** How a raw value is written in the README. */
    interface Format {
        String apply(double value);
    }

    /** A number from the raw files, and how it was derived (shown in every report). */
    interface Source {
        double value(Results results);

        String describe();
    }

    static Figure fig(String readme, String shown, Source source, Format format) {
        return new Figure(readme, shown, source, format);
    }

    /** The number at a JSON pointer of a docs/results file. */
    /** The median paired ratio "{@code slower} / ja-reranker" of a latency file, found by the slower method's name. */
    static Source ratioNamed(String file, String slower) {
        return new Source() {
            @Override
            public double value(Results results) {
                for (JsonNode r : results.json(file).path("pairedRatios")) {
                    if (r.path("slower").asText().equals(slower)
                            && r.path("faster").asText().equals("ja-reranker")) {
                        return r.path("median").asDouble();
                    }
                }
                throw new IllegalStateException("no paired ratio " + slower + " / ja-reranker in " + file);
            }

            @Override
            public String describe() {
                return file + "#pairedRatios[" + slower + " / ja-reranker]/median";
            }
        };
    }

    /** The median first fused load (rewrite + verify) of a LoadTimeBenchmark file, in ms. */
    static Source firstLoad(String file) {
        return json(file, "/loadMillis/1/medianMs");
    }

    static Source json(String file, String pointer) {
        return new Source() {
            @Override
            public double value(Results results) {
                JsonNode n = results.json(file).at(pointer);
                if (!n.isNumber()) {
                    throw new IllegalStateException("no number at " + file + "#" + pointer);
                }
                return n.asDouble();
            }

            @Override
            public String describe() {
                return file + "#" + pointer;
            }
        };
    }

    /** The number in column {@code column} (after the label, whitespace-separated, '%' dropped) of a text row. */
    static Source text(String file, String rowLabel, int column) {
        return new Source() {
            @Override
            public double value(Results results) {
                for (String line : results.lines(file)) {
                    if (line.startsWith(rowLabel + " ")) {
                        String[] cells =
                                line.substring(rowLabel.length()).trim().split("\\s+");
                        return Double.parseDouble(cells[column].replace("%", ""));
                    }
                }
                throw new IllegalStateException("no row '" + rowLabel + "' in " + file);
            }

            @Override
            public String describe() {
                return file + " row '" + rowLabel + "' column " + column;
            }
        };
    }

    static Source derived(String name, DoubleUnaryOperator op, Source of) {
        return new Source() {
            @Override
            public double value(Results results) {
                return op.applyAsDouble(of.value(results));
            }

            @Override
            public String describe() {
                return name + "(" + of.describe() + ")";
            }
        };
    }

    static Source percent(Source of) {
        return derived("percent", v -> 100 * v, of);
    }

    static Source divided(Source of, double divisor) {
        return new Source() {
            @Override
            public double value(Results results) {
                return of.value(results) / divisor;
            }

            @Override
            public String describe() {
                return of.describe() + " ÷ " + (long) divisor;
            }
        };
    }

    static Source ratio(Source a, Source b) {
        return new Source() {
            @Override
            public double value(Results results) {
                return a.value(results) / b.value(results);
            }

            @Override
            public String describe() {
                return a.describe() + " ÷ " + b.describe();
            }
        };
    }

    static Source minus(Source a, Source b) {
        return new Source() {
            @Override
            public double value(Results results) {
                return a.value(results) - b.value(results);
            }

            @Override
            public String describe() {
                return a.describe() + " − " + b.describe();
            }
        };
    }

    static Source sum(Source a, Source b) {
        return new Source() {
            @Override
            public double value(Results results) {
                return a.value(results) + b.value(results);
            }

            @Override
            public String describe() {
                return a.describe() + " + " + b.describe();
            }
        };
    }

    static Source min(List<Source> of) {
        return extreme("min", of, true);
    }

    static Source max(List<Source> of) {
        return extreme("max", of, false);
    }

    private static Source extreme(String name, List<Source> of, boolean lowest) {
        return new Source() {
            @Override
            public double value(Results results) {
                double best = lowest ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                for (Source s : of) {
                    double v = s.value(results);
                    best = lowest ? Math.min(best, v) : Math.max(best, v);
                }
                return best;
            }

            @Override
            public String describe() {
                List<String> parts = new ArrayList<>();
                of.forEach(s -> parts.add(s.describe()));
                return name + "(" + String.join(", ", parts) + ")";
            }
        };
    }

    /** How far the two engine-alone cells (first and last) of a bench-solr run differ: larger ÷ smaller − 1, in %. */
    static Source engineDrift(String solrFile) {
        List<Source> cells =
                List.of(json(solrFile, "/cells/0/pairsPerSecond"), json(solrFile, "/cells/7/pairsPerSecond"));
        return percent(derived("minusOne", v -> v - 1, ratio(max(cells), min(cells))));
    }

    static Source cascadePairs() {
        return json(CASCADE, "/methods/cascade/pairsPerQuery");
    }

    /** Pairs the second model scores per request: the cascade's pairs less the first model's. */
    static Source secondModelPairs() {
        return minus(cascadePairs(), json(CASCADE, "/methods/first/pairsPerQuery"));
    }

    /** ms per candidate of one method over the tiny int8 sweep files. */
    static List<Source> perCandidate(int method) {
        List<Source> out = new ArrayList<>();
        for (int i = 0; i < SWEEP_TINY_INT8.length; i++) {
            out.add(divided(json(SWEEP_TINY_INT8[i], "/methods/" + method + "/p50Ms"), SWEEP_CANDIDATES[i]));
        }
        return out;
    }

    /** langchain4j ÷ ja-reranker paired medians of every sweep file with these candidate counts. */
    static List<Source> sweepRatios(int... candidates) {
        List<Source> out = new ArrayList<>();
        for (String model : List.of("tiny", "xsmall")) {
            for (String precision : List.of("int8", "fp32")) {
                for (int c : candidates) {
                    String file = "sweep-" + model + "-" + precision + "-c" + c + ".json";
                    out.add(json(file, "/pairedRatios/0/median"));
                }
            }
        }
        return out;
    }

    /** The raw files, read once per test (JSON trees can be changed in memory). */
    static final class Results {
        private final Map<String, JsonNode> json = new HashMap<>();
        private final Map<String, List<String>> text = new HashMap<>();

        static Results load() {
            return new Results();
        }

        JsonNode json(String file) {
            return json.computeIfAbsent(file, f -> {
                try {
                    return JSON.readTree(RESULTS.resolve(f).toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        List<String> lines(String file) {
            return text.computeIfAbsent(file, f -> {
                try {
                    return Files.readAllLines(RESULTS.resolve(f), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The files the table reads, for the record (each must exist). */
    @Test
    void everyFileTheTableReadsExists() {
        Set<String> files = new LinkedHashSet<>();
        Pattern name = Pattern.compile("[A-Za-z0-9_.-]+\\.(json|txt)");
        for (Figure f : README_FIGURES) {
            Matcher m = name.matcher(f.source().describe());
            while (m.find()) {
                files.add(m.group());
            }
        }
        assertThat(files)
                .isNotEmpty()
                .allSatisfy(f -> assertThat(RESULTS.resolve(f)).isRegularFile());
    }
}
