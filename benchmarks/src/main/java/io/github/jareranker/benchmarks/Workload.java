package io.github.jareranker.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.evaluation.data.DataLocations;
import io.github.jareranker.evaluation.longpages.LongPageSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import picocli.CommandLine;

/**
 * A realistic rerank workload built from JSQuAD (the full validation set, found by {@code
 * DataLocations}): each query is a JSQuAD question; its candidates are its own paragraph plus other
 * paragraphs drawn with a fixed seed, as "title text" (how the models were evaluated). Immutable.
 */
final class Workload {
    final List<String> queries;
    final List<List<String>> candidates;

    private Workload(List<String> queries, List<List<String>> candidates) {
        this.queries = List.copyOf(queries);
        this.candidates = List.copyOf(candidates);
    }

    /**
     * The full data's JSQuAD v1.3 valid split under {@code -Dja-reranker.home} (else the working directory), or a usage
     * error of {@code command} saying where it was looked for.
     */
    static Path validSplit(Object command) {
        Path home = home();
        return DataLocations.jsquad(home, "valid")
                .orElseThrow(() -> new CommandLine.ParameterException(
                        new CommandLine(command),
                        DataLocations.missing(home, "JSQuAD v1.3 (jsquad-v1.3/valid-v1.3.json)")));
    }

    /** The checkout the benchmarks read data from: {@code -Dja-reranker.home}, else the working directory. */
    static Path home() {
        return Path.of(System.getProperty("ja-reranker.home", "."))
                .toAbsolutePath()
                .normalize();
    }

    static Workload jsquad(Path jsquadJson, int queryCount, int candidatesPerQuery, long seed) throws IOException {
        JsonNode root = new ObjectMapper().readTree(jsquadJson.toFile());
        List<String> paragraphs = new ArrayList<>();
        List<String> questions = new ArrayList<>();
        List<Integer> questionParagraph = new ArrayList<>();
        for (JsonNode article : root.path("data")) {
            for (JsonNode paragraph : article.path("paragraphs")) {
                String context = paragraph.path("context").asText();
                int sep = context.indexOf(" [SEP] ");
                String text = sep >= 0 ? context.substring(0, sep) + " " + context.substring(sep + 7) : context;
                paragraphs.add(text);
                for (JsonNode qa : paragraph.path("qas")) {
                    questions.add(qa.path("question").asText());
                    questionParagraph.add(paragraphs.size() - 1);
                }
            }
        }
        Random random = new Random(seed);
        List<String> queries = new ArrayList<>();
        List<List<String>> candidates = new ArrayList<>();
        for (int q = 0; q < queryCount; q++) {
            int pick = random.nextInt(questions.size());
            List<String> docs = new ArrayList<>();
            docs.add(paragraphs.get(questionParagraph.get(pick)));
            while (docs.size() < candidatesPerQuery) {
                docs.add(paragraphs.get(random.nextInt(paragraphs.size())));
            }
            Collections.shuffle(docs, random);
            queries.add(questions.get(pick));
            candidates.add(docs);
        }
        return new Workload(queries, candidates);
    }

    /**
     * The long-pages workload: each query is a question of {@link LongPageSet} (JSQuAD paragraphs of one article
     * joined into pages of 1,500–5,000 characters, so most pairs reach the model's maximum length and are cut there);
     * its candidates are its own page plus other pages drawn with a fixed seed, as "title body".
     */
    static Workload longPages(Path jsquadJson, int queryCount, int candidatesPerQuery, long seed) throws IOException {
        LongPageSet set = LongPageSet.build(jsquadJson);
        List<LongPageSet.Page> pages = set.pages();
        List<LongPageSet.PageQuestion> questions = set.questions();
        Random random = new Random(seed);
        List<String> queries = new ArrayList<>();
        List<List<String>> candidates = new ArrayList<>();
        for (int q = 0; q < queryCount; q++) {
            LongPageSet.PageQuestion question = questions.get(random.nextInt(questions.size()));
            List<String> docs = new ArrayList<>();
            docs.add(text(set.page(question.pageId())));
            while (docs.size() < candidatesPerQuery) {
                docs.add(text(pages.get(random.nextInt(pages.size()))));
            }
            Collections.shuffle(docs, random);
            queries.add(question.question());
            candidates.add(docs);
        }
        return new Workload(queries, candidates);
    }

    private static String text(LongPageSet.Page page) {
        return page.title() + " " + page.body();
    }
}
