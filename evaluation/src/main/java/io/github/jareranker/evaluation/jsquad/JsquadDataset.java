package io.github.jareranker.evaluation.jsquad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.evaluation.Qrels;
import io.github.jareranker.evaluation.solr.QuerySet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * JSQuAD (JGLUE, SQuAD v1.1 format) as a retrieval workload: every paragraph is a document, every
 * question a query whose only relevant document is its own paragraph. A context is
 * {@code "title [SEP] text"}; the title and text are split at the first {@code " [SEP] "}.
 * Paragraph ids are {@code jsquad-<split>-<article>-<paragraph>} (0-based indices in file order),
 * so re-indexing the same file replaces the same documents. Immutable.
 */
public final class JsquadDataset {
    /** The separator JGLUE puts between an article title and the paragraph text. */
    public static final String SEP = " [SEP] ";

    private final String split;
    private final List<Paragraph> paragraphs;
    private final List<Question> questions;
    private final Map<String, Paragraph> byId;

    private JsquadDataset(String split, List<Paragraph> paragraphs, List<Question> questions) {
        this.split = split;
        this.paragraphs = List.copyOf(paragraphs);
        this.questions = List.copyOf(questions);
        Map<String, Paragraph> m = new HashMap<>();
        for (Paragraph p : this.paragraphs) {
            m.put(p.id(), p);
        }
        this.byId = Map.copyOf(m);
    }

    /** One paragraph (document). */
    public record Paragraph(String id, String title, String text) {
        public Paragraph {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(text, "text");
        }
    }

    /** One question and the id of its own paragraph. */
    public record Question(String qid, String question, String paragraphId) {}

    /**
     * Reads a JGLUE JSQuAD file ({@code valid-v1.3.json} or {@code test-v1.3.json}); the split name
     * is the file name up to the first '-'.
     */
    public static JsquadDataset read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(
                    file.toString(), null, "JSQuAD file does not exist (the full data sets: evaluation/data/fetch.sh)");
        }
        String name = file.getFileName().toString();
        String split = name.contains("-") ? name.substring(0, name.indexOf('-')) : name.replaceAll("\\.json$", "");
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode data = root.path("data");
        if (!data.isArray()) {
            throw new IOException(file + ": no \"data\" array (not SQuAD format)");
        }
        List<Paragraph> paragraphs = new ArrayList<>();
        List<Question> questions = new ArrayList<>();
        for (int a = 0; a < data.size(); a++) {
            JsonNode article = data.get(a);
            String articleTitle = article.path("title").asText("");
            JsonNode ps = article.path("paragraphs");
            for (int p = 0; p < ps.size(); p++) {
                JsonNode para = ps.get(p);
                JsonNode ctx = para.get("context");
                if (ctx == null || !ctx.isTextual()) {
                    throw new IOException(file + ": data[" + a + "].paragraphs[" + p + "] has no context string");
                }
                String context = ctx.asText();
                int sep = context.indexOf(SEP);
                String title = sep >= 0 ? context.substring(0, sep) : articleTitle;
                String text = sep >= 0 ? context.substring(sep + SEP.length()) : context;
                String pid = "jsquad-" + split + "-" + a + "-" + p;
                paragraphs.add(new Paragraph(pid, title, text));
                for (JsonNode qa : para.path("qas")) {
                    String qid = qa.path("id").asText("");
                    String q = qa.path("question").asText("");
                    if (qid.isEmpty() || q.isBlank()) {
                        throw new IOException(
                                file + ": a question of data[" + a + "].paragraphs[" + p + "] lacks an id or text");
                    }
                    questions.add(new Question(qid, q, pid));
                }
            }
        }
        return new JsquadDataset(split, paragraphs, questions);
    }

    /** The split name ({@code valid}, {@code test}). */
    public String split() {
        return split;
    }

    /** The paragraphs in file order. */
    public List<Paragraph> paragraphs() {
        return paragraphs;
    }

    /** The questions in file order. */
    public List<Question> questions() {
        return questions;
    }

    /** The first {@code n} questions (all when {@code n <= 0} or larger than the set). */
    public JsquadDataset limitQuestions(int n) {
        if (n <= 0 || n >= questions.size()) {
            return this;
        }
        return new JsquadDataset(split, paragraphs, questions.subList(0, n));
    }

    /**
     * A deterministic random sample of {@code n} questions (all when {@code n <= 0} or larger than
     * the set): the question indices are shuffled with {@code new java.util.Random(seed)}
     * (Fisher-Yates, {@link java.util.Collections#shuffle(List, java.util.Random)}), the first
     * {@code n} are kept, and the sample is returned in file order. The same file, {@code n} and
     * seed always give the same questions. Paragraphs are all kept (the index must hold them all).
     */
    public JsquadDataset sampleQuestions(int n, long seed) {
        if (n <= 0 || n >= questions.size()) {
            return this;
        }
        List<Integer> idx = new ArrayList<>(questions.size());
        for (int i = 0; i < questions.size(); i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(seed));
        List<Integer> keep = new ArrayList<>(idx.subList(0, n));
        Collections.sort(keep);
        List<Question> out = new ArrayList<>(n);
        for (int i : keep) {
            out.add(questions.get(i));
        }
        return new JsquadDataset(split, paragraphs, out);
    }

    /** The questions as a query set. */
    public QuerySet querySet() {
        List<QuerySet.Entry> e = new ArrayList<>(questions.size());
        for (Question q : questions) {
            e.add(new QuerySet.Entry(q.qid(), q.question()));
        }
        return new QuerySet(e);
    }

    /** Each question's own paragraph as its single relevant document (relevance 1). */
    public Qrels qrels() {
        Qrels.Builder b = Qrels.builder();
        for (Question q : questions) {
            b.add(q.qid(), q.paragraphId(), 1);
        }
        return b.build();
    }

    /** Paragraph by id, or null. */
    public Paragraph paragraph(String id) {
        return byId.get(id);
    }
}
