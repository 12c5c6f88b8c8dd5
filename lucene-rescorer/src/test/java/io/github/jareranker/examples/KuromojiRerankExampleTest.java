package io.github.jareranker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.testing.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the documented example end to end: it prints both rankings and an explanation, and the
 * reranked list is exactly the BM25 hits sorted by the model's score of each (query, title + " " +
 * body) pair, each pair scored here on its own by the engine (ties keep the BM25 order).
 */
class KuromojiRerankExampleTest {
    /** With the test model, the second query's reranked order differs from BM25's (the first's does not). */
    private static final String REORDERED_BY_TEST_MODEL = "送料 無料";
    /** One printed hit: id, score (4 decimals), title. */
    private static final Pattern HIT = Pattern.compile("^  (faq-\\d\\d)\\s+(-?[0-9]+\\.[0-9]{4})  (.*)$");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"送料は無料になりますか", REORDERED_BY_TEST_MODEL})
    void printsBm25AndRerankedLists(String query) throws Exception {
        String configured = System.getProperty("ja-reranker.example.model");
        Path model = configured == null
                ? TestModels.testModel()
                : TestModels.repoRoot().resolve(configured);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            KuromojiRerankExample.run(model, query, out);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(printed).contains("== BM25").contains("== cross-encoder").contains("faq-01");
        assertThat(printed).contains("combined first and second pass score").contains("first pass score");

        Map<String, List<String[]>> sections = sections(printed);
        List<String> bm25 = sections.get("BM25").stream().map(h -> h[0]).toList();
        List<String> reranked =
                sections.get("cross-encoder").stream().map(h -> h[0]).toList();
        assertThat(bm25).as("BM25 hits").isNotEmpty().contains("faq-01").doesNotHaveDuplicates();

        // The engine's score of each pair on its own, as the rescorer builds the text: title + " " + body.
        Map<String, Float> modelScore = new LinkedHashMap<>();
        try (CrossEncoder encoder =
                CrossEncoder.load(CrossEncoderOptions.builder(model).build())) {
            for (String id : bm25) {
                String[] page = page(id);
                modelScore.put(
                        id,
                        encoder.score(query, List.of(page[1] + " " + page[2])).score(0));
            }
        }
        List<String> expected = new ArrayList<>(bm25); // a stable sort: ties keep the BM25 order
        expected.sort(Comparator.comparing(modelScore::get, Comparator.reverseOrder()));
        assertThat(reranked)
                .as("reranked order (model scores " + modelScore + ")")
                .containsExactlyElementsOf(expected.subList(0, Math.min(10, expected.size())));
        if (configured == null && query.equals(REORDERED_BY_TEST_MODEL)) {
            assertThat(reranked).as("the test model reorders this query's hits").isNotEqualTo(bm25);
        }
        // the printed reranked score is the model's (replace, weight 1), to the 4 printed decimals
        for (String[] hit : sections.get("cross-encoder")) {
            assertThat(Double.parseDouble(hit[1])).as(hit[0]).isCloseTo(modelScore.get(hit[0]), within(1e-4));
            assertThat(hit[2]).isEqualTo(page(hit[0])[1]);
        }
    }

    /** Each "== NAME ..." heading's hits {id, score, title} in printed order, keyed by NAME's first word. */
    private static Map<String, List<String[]>> sections(String printed) {
        Map<String, List<String[]>> out = new LinkedHashMap<>();
        List<String[]> current = null;
        for (String line : printed.split("\n")) {
            if (line.startsWith("== ")) {
                current = new ArrayList<>();
                out.put(line.substring(3).split(" ")[0], current);
                continue;
            }
            Matcher m = HIT.matcher(line);
            if (current != null && m.matches()) {
                current.add(new String[] {m.group(1), m.group(2), m.group(3)});
            } else {
                current = null; // the explanation after the lists
            }
        }
        return out;
    }

    private static String[] page(String id) {
        for (String[] p : KuromojiRerankExample.SITE) {
            if (p[0].equals(id)) {
                return p;
            }
        }
        throw new AssertionError("no page " + id);
    }
}
