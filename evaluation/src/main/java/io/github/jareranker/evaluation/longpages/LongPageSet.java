package io.github.jareranker.evaluation.longpages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.evaluation.jsquad.JsquadDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Long pages built from JSQuAD: consecutive paragraphs of one Wikipedia article joined with line
 * breaks into pages of {@value #MIN_PARAGRAPHS}–{@value #MAX_PARAGRAPHS} paragraphs and {@value
 * #MIN_CHARS}–{@value #MAX_CHARS} characters, the lengths of real site pages that a cross-encoder
 * cannot read whole. Each question's relevant page is the one holding its paragraph, and its answer
 * span (the first of its answers) is located in that page. Pages are cut greedily in article order;
 * where the next paragraphs cannot make a page within the limits, the window slides by one paragraph
 * (paragraphs, and their questions, in no page are left out and counted). Deterministic.
 */
public final class LongPageSet {
    public static final int MIN_PARAGRAPHS = 4;
    public static final int MAX_PARAGRAPHS = 8;
    public static final int MIN_CHARS = 1500;
    public static final int MAX_CHARS = 5000;
    /** Between paragraphs in a page. */
    public static final String PARAGRAPH_BREAK = "\n";

    /** A page: an article title and its paragraphs' texts, joined. */
    public record Page(String id, String title, String body, List<String> paragraphIds) {}

    /**
     * A question, its relevant page and where its answer lies in that page's body.
     *
     * @param answerStart UTF-16 offset of the answer in the page body
     * @param answerEnd offset just past it
     */
    public record PageQuestion(String qid, String question, String pageId, int answerStart, int answerEnd) {}

    private final List<Page> pages;
    private final List<PageQuestion> questions;
    private final int paragraphsLeftOut;
    private final int questionsLeftOut;

    private LongPageSet(List<Page> pages, List<PageQuestion> questions, int paragraphsLeftOut, int questionsLeftOut) {
        this.pages = List.copyOf(pages);
        this.questions = List.copyOf(questions);
        this.paragraphsLeftOut = paragraphsLeftOut;
        this.questionsLeftOut = questionsLeftOut;
    }

    public List<Page> pages() {
        return pages;
    }

    public List<PageQuestion> questions() {
        return questions;
    }

    public int paragraphsLeftOut() {
        return paragraphsLeftOut;
    }

    public int questionsLeftOut() {
        return questionsLeftOut;
    }

    /** The page with this id. */
    public Page page(String id) {
        for (Page p : pages) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no page " + id);
    }

    /** The first {@code n} questions (all when fewer), with every page kept (they are the collection). */
    public LongPageSet limitQuestions(int n) {
        return n >= questions.size()
                ? this
                : new LongPageSet(pages, questions.subList(0, n), paragraphsLeftOut, questionsLeftOut);
    }

    /** Builds the set from a JGLUE JSQuAD file ({@code valid-v1.3.json}, or the committed subset). */
    public static LongPageSet build(Path jsquadFile) throws IOException {
        JsquadDataset data = JsquadDataset.read(jsquadFile);
        Map<String, int[]> answers = answers(jsquadFile);
        // paragraphs by article, in file order (ids are jsquad-SPLIT-ARTICLE-PARAGRAPH)
        Map<String, List<JsquadDataset.Paragraph>> byArticle = new LinkedHashMap<>();
        for (JsquadDataset.Paragraph p : data.paragraphs()) {
            String article = p.id().substring(0, p.id().lastIndexOf('-'));
            byArticle.computeIfAbsent(article, k -> new ArrayList<>()).add(p);
        }
        List<Page> pages = new ArrayList<>();
        Map<String, String> pageOfParagraph = new HashMap<>();
        Map<String, Integer> offsetOfParagraph = new HashMap<>();
        for (List<JsquadDataset.Paragraph> paragraphs : byArticle.values()) {
            int start = 0;
            while (start < paragraphs.size()) {
                int end = start;
                int chars = 0;
                boolean made = false;
                while (end < paragraphs.size()) {
                    int next = chars
                            + (end > start ? PARAGRAPH_BREAK.length() : 0)
                            + paragraphs.get(end).text().length();
                    if (next > MAX_CHARS || end - start == MAX_PARAGRAPHS) {
                        break;
                    }
                    chars = next;
                    end++;
                    if (end - start >= MIN_PARAGRAPHS && chars >= MIN_CHARS) {
                        made = true;
                        break;
                    }
                }
                if (!made) {
                    start++; // slide: this paragraph cannot start a page within the limits
                    continue;
                }
                StringBuilder body = new StringBuilder();
                List<String> ids = new ArrayList<>();
                String pageId = "page-" + pages.size();
                for (int i = start; i < end; i++) {
                    if (i > start) {
                        body.append(PARAGRAPH_BREAK);
                    }
                    offsetOfParagraph.put(paragraphs.get(i).id(), body.length());
                    pageOfParagraph.put(paragraphs.get(i).id(), pageId);
                    body.append(paragraphs.get(i).text());
                    ids.add(paragraphs.get(i).id());
                }
                pages.add(new Page(pageId, paragraphs.get(start).title(), body.toString(), ids));
                start = end;
            }
        }
        List<PageQuestion> questions = new ArrayList<>();
        int questionsLeftOut = 0;
        for (JsquadDataset.Question q : data.questions()) {
            String pageId = pageOfParagraph.get(q.paragraphId());
            int[] answer = answers.get(q.qid());
            if (pageId == null || answer == null) {
                questionsLeftOut++;
                continue;
            }
            int offset = offsetOfParagraph.get(q.paragraphId());
            questions.add(new PageQuestion(q.qid(), q.question(), pageId, offset + answer[0], offset + answer[1]));
        }
        return new LongPageSet(pages, questions, data.paragraphs().size() - pageOfParagraph.size(), questionsLeftOut);
    }

    /** Per question id, its first answer's span in the paragraph text (the context less "title [SEP] "). */
    private static Map<String, int[]> answers(Path file) throws IOException {
        Map<String, int[]> out = new HashMap<>();
        for (JsonNode article : new ObjectMapper().readTree(file.toFile()).path("data")) {
            for (JsonNode para : article.path("paragraphs")) {
                String context = para.path("context").asText("");
                int sep = context.indexOf(JsquadDataset.SEP);
                int textStart = sep >= 0 ? sep + JsquadDataset.SEP.length() : 0;
                for (JsonNode qa : para.path("qas")) {
                    JsonNode a = qa.path("answers").path(0);
                    String text = a.path("text").asText("");
                    int start = a.path("answer_start").asInt(-1) - textStart;
                    if (!text.isEmpty() && start >= 0 && context.startsWith(text, start + textStart)) {
                        out.put(qa.path("id").asText(), new int[] {start, start + text.length()});
                    }
                }
            }
        }
        return out;
    }
}
