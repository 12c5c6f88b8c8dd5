package io.github.jareranker.evaluation.rerank;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.evaluation.Qrels;
import io.github.jareranker.evaluation.Run;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A candidate-list (reranking) dataset: each query with the passages a first stage retrieved for
 * it. Read from JSONL, one query per line:
 *
 * <pre>{@code
 * {"qid": "q1", "query": "...", "candidates": [
 *   {"id": "d1", "title": "...", "text": "...", "relevance": 1, "score": 12.5}, ...]}
 * }</pre>
 *
 * <p>{@code title}, {@code relevance} (inline judgment, integer) and {@code score} (first-stage
 * score) are optional. Without {@code score} the file order is the first-stage ranking. Immutable.
 */
public final class CandidateDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final List<Query> queries;

    private CandidateDataset(String name, List<Query> queries) {
        this.name = name;
        this.queries = List.copyOf(queries);
    }

    /** A dataset from already-built queries (ids must be unique). */
    public static CandidateDataset of(String name, List<Query> queries) {
        Set<String> seen = new HashSet<>();
        for (Query q : queries) {
            if (!seen.add(q.qid())) {
                throw new IllegalArgumentException("query id " + q.qid() + " appears twice");
            }
        }
        return new CandidateDataset(name, queries);
    }

    /** One query and its candidates in first-stage order. */
    public record Query(String qid, String query, List<Candidate> candidates) {
        public Query {
            Objects.requireNonNull(qid, "qid");
            Objects.requireNonNull(query, "query");
            candidates = List.copyOf(candidates);
        }
    }

    /** One candidate passage. {@code title} may be null. */
    public record Candidate(String id, String title, String text, OptionalInt relevance, OptionalDouble score) {
        public Candidate {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(relevance, "relevance");
            Objects.requireNonNull(score, "score");
        }

        /**
         * The text given to the cross-encoder: {@code title + " " + text} (the seed protocol), or the
         * text alone when there is no title or {@code withTitle} is false.
         */
        public String passage(boolean withTitle) {
            return withTitle && title != null ? title + " " + text : text;
        }
    }

    /** Reads a JSONL dataset. Errors name the file, line and field. */
    public static CandidateDataset read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(
                    file.toString(), null, "dataset file does not exist or is not a regular file");
        }
        List<Query> queries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + " line " + lineNo;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IOException(where + ": not JSON: " + e.getOriginalMessage());
                }
                String qid = idText(node.get("qid"), where, "qid");
                if (!seen.add(qid)) {
                    throw new IOException(where + ": query id " + qid + " appears twice");
                }
                String query = text(node.get("query"), where, "query");
                JsonNode cands = node.get("candidates");
                if (cands == null || !cands.isArray()) {
                    throw new IOException(where + ": \"candidates\" must be an array");
                }
                List<Candidate> list = new ArrayList<>();
                Set<String> ids = new HashSet<>();
                for (int i = 0; i < cands.size(); i++) {
                    JsonNode c = cands.get(i);
                    String cw = where + " candidates[" + i + "]";
                    if (!c.isObject()) {
                        throw new IOException(cw + ": must be an object");
                    }
                    String id = idText(c.get("id"), cw, "id");
                    if (!ids.add(id)) {
                        throw new IOException(cw + ": candidate id " + id + " appears twice for query " + qid);
                    }
                    JsonNode title = c.get("title");
                    if (title != null && !title.isNull() && !title.isTextual()) {
                        throw new IOException(cw + ": \"title\" must be a string");
                    }
                    JsonNode rel = c.get("relevance");
                    if (rel != null && !rel.isNull() && !rel.canConvertToInt()) {
                        throw new IOException(cw + ": \"relevance\" must be an integer");
                    }
                    if (rel != null && rel.isNumber() && !rel.isIntegralNumber()) {
                        throw new IOException(cw + ": \"relevance\" must be an integer, not " + rel);
                    }
                    JsonNode score = c.get("score");
                    if (score != null && !score.isNull() && !score.isNumber()) {
                        throw new IOException(cw + ": \"score\" must be a number");
                    }
                    list.add(new Candidate(
                            id,
                            title == null || title.isNull() ? null : title.asText(),
                            text(c.get("text"), cw, "text"),
                            rel == null || rel.isNull() ? OptionalInt.empty() : OptionalInt.of(rel.intValue()),
                            score == null || score.isNull()
                                    ? OptionalDouble.empty()
                                    : OptionalDouble.of(score.doubleValue())));
                }
                queries.add(new Query(qid, query, list));
            }
        }
        if (queries.isEmpty()) {
            throw new IOException(file + ": no queries");
        }
        String name = file.getFileName().toString();
        return new CandidateDataset(name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name, queries);
    }

    private static String idText(JsonNode n, String where, String field) throws IOException {
        if (n == null || !(n.isTextual() || n.isIntegralNumber()) || n.asText().isBlank()) {
            throw new IOException(where + ": \"" + field + "\" must be a non-empty string (or integer)");
        }
        return n.asText();
    }

    private static String text(JsonNode n, String where, String field) throws IOException {
        if (n == null || !n.isTextual()) {
            throw new IOException(where + ": \"" + field + "\" must be a string");
        }
        return n.asText();
    }

    /** The dataset's name (file name without .jsonl). */
    public String name() {
        return name;
    }

    /** The queries in file order. */
    public List<Query> queries() {
        return queries;
    }

    /** Total number of candidates. */
    public int candidateCount() {
        int n = 0;
        for (Query q : queries) {
            n += q.candidates().size();
        }
        return n;
    }

    /** Whether any candidate carries an inline relevance judgment. */
    public boolean hasInlineJudgments() {
        for (Query q : queries) {
            for (Candidate c : q.candidates()) {
                if (c.relevance().isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The inline judgments as qrels: every query is included (a query whose candidates carry no
     * judgment, or only 0, is evaluated and scores 0, as ranx does with such a query).
     */
    public Qrels inlineQrels() {
        Qrels.Builder b = Qrels.builder();
        for (Query q : queries) {
            b.addQuery(q.qid());
            for (Candidate c : q.candidates()) {
                if (c.relevance().isPresent()) {
                    b.add(q.qid(), c.id(), c.relevance().getAsInt());
                }
            }
        }
        return b.build();
    }

    /**
     * The first-stage run: each candidate's {@code score} when every candidate of the query has one,
     * else the file order (score {@code n - position}).
     */
    public Run firstStageRun(String runName) {
        Run.Builder b = Run.builder(runName);
        for (Query q : queries) {
            b.addQuery(q.qid());
            boolean scored = q.candidates().stream().allMatch(c -> c.score().isPresent());
            int n = q.candidates().size();
            for (int i = 0; i < n; i++) {
                Candidate c = q.candidates().get(i);
                b.add(q.qid(), c.id(), scored ? c.score().getAsDouble() : n - i);
            }
        }
        return b.build();
    }
}
