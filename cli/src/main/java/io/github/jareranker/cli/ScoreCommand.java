package io.github.jareranker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.passage.Passage;
import io.github.jareranker.passage.PassageOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code score}: scores documents against a query with a cross-encoder and prints JSON lines.
 *
 * <ul>
 *   <li>{@code --query TEXT [--docs FILE]}: documents one per line (stdin without --docs); prints
 *       {@code {"index": i, "logit": x, "score": s}} per document, in input order.
 *   <li>{@code --input FILE.jsonl}: one {@code {"query": ..., "docs": [...]}} per line; prints
 *       {@code {"logits": [...], "scores": [...]}} per input line, sharing one model load.
 * </ul>
 *
 * <p>With {@code --passages max|first|meanTopK} each document is scored by its passages ({@link
 * PassageOptionsMixin}): the score is the aggregate, and the best passage is reported as {@code
 * "passage": {"index": k, "text": "..."}} ({@code --docs}; k counts from 0 in document order, the
 * text is exactly what the model read after the query) or as {@code "passages": [...]}, one per
 * document in input order ({@code --input}).
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = "Score documents against a query; prints one JSON object per line.")
public final class ScoreCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    PassageOptionsMixin passageOptions;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @ArgGroup(exclusive = false)
        SingleQuery single;

        @Option(
                names = "--input",
                paramLabel = "FILE.jsonl",
                description = "Lines of {\"query\": ..., \"docs\": [...]}.")
        Path input;
    }

    static final class SingleQuery {
        @Option(names = "--query", required = true, paramLabel = "TEXT", description = "The query.")
        String query;

        @Option(names = "--docs", paramLabel = "FILE", description = "Documents, one per line (default: stdin).")
        Path docs;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        // Validate inputs before paying for the model load (and before reading stdin).
        PassageOptions passages = passageOptions.toOptions();
        List<String> singleDocs = source.single != null ? readDocs(source.single.docs) : null;
        // Every --input line is checked before any is scored: a bad line writes nothing, so no output is partial.
        List<QueryDocs> jsonl = source.input != null ? readJsonl(source.input) : null;
        PrintWriter out = spec.commandLine().getOut();
        try (CrossEncoder encoder = CrossEncoder.load(modelOptions.toOptions())) {
            DocumentScorer scorer = new DocumentScorer(encoder, passages);
            if (singleDocs != null) {
                DocumentScorer.Scores scored = scorer.score(source.single.query, singleDocs);
                for (int i = 0; i < scored.logits().length; i++) {
                    ObjectNode line = JSON.createObjectNode();
                    line.put("index", i);
                    line.put("logit", scored.logits()[i]);
                    line.put("score", scored.scores()[i]);
                    if (scored.best() != null) {
                        line.set("passage", passageNode(scored.best().get(i)));
                    }
                    out.println(JSON.writeValueAsString(line));
                }
            } else {
                scoreJsonl(scorer, jsonl, out);
            }
        }
        out.flush();
        return 0;
    }

    /** One line of {@code --input}. */
    private record QueryDocs(String query, List<String> docs) {}

    /**
     * Reads and checks every line of {@code input} (blank lines are skipped).
     *
     * @throws IOException naming the file and the first bad line
     */
    private static List<QueryDocs> readJsonl(Path input) throws IOException {
        if (!Files.isReadable(input)) {
            throw new IOException("--input " + input + " does not exist or is not readable");
        }
        List<QueryDocs> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IOException(input + " line " + lineNo + " is not JSON: " + e.getOriginalMessage());
                }
                if (!node.path("query").isTextual() || !node.path("docs").isArray()) {
                    throw new IOException(
                            input + " line " + lineNo + ": expected {\"query\": string, \"docs\": [string, ...]}");
                }
                List<String> docs = new ArrayList<>();
                for (JsonNode d : node.path("docs")) {
                    if (!d.isTextual()) {
                        throw new IOException(
                                input + " line " + lineNo + ": every element of \"docs\" must be a string");
                    }
                    docs.add(d.asText());
                }
                lines.add(new QueryDocs(node.path("query").asText(), docs));
            }
        }
        return lines;
    }

    private static void scoreJsonl(DocumentScorer scorer, List<QueryDocs> lines, PrintWriter out) throws IOException {
        for (QueryDocs line : lines) {
            DocumentScorer.Scores scored = scorer.score(line.query(), line.docs());
            ObjectNode result = JSON.createObjectNode();
            ArrayNode logits = result.putArray("logits");
            ArrayNode scores = result.putArray("scores");
            for (int i = 0; i < scored.logits().length; i++) {
                logits.add(scored.logits()[i]);
                scores.add(scored.scores()[i]);
            }
            if (scored.best() != null) {
                ArrayNode best = result.putArray("passages");
                scored.best().forEach(p -> best.add(passageNode(p)));
            }
            out.println(JSON.writeValueAsString(result));
        }
    }

    /** {@code {"index": k, "text": "..."}}: the passage's position in its document and the text the model read. */
    private static ObjectNode passageNode(Passage p) {
        ObjectNode node = JSON.createObjectNode();
        node.put("index", p.index());
        node.put("text", p.text());
        return node;
    }

    private static List<String> readDocs(Path file) throws IOException {
        if (file != null && !Files.isReadable(file)) {
            throw new IOException("--docs " + file + " does not exist or is not readable");
        }
        try (BufferedReader reader = file == null
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<String> docs = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                docs.add(line);
            }
            return docs;
        }
    }
}
