package io.github.jareranker.evaluation.longpages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.evaluation.data.DataLocations;
import io.github.jareranker.passage.PassageOptions;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The long-page set and its coverage computation, on the committed JSQuAD subset (5 articles). */
class LongPageSetTest {
    private static LongPageSet set;
    private static Path file;
    private static CrossEncoder encoder;

    @BeforeAll
    static void build() throws IOException {
        file = DataLocations.vendoredJsquad(TestModels.repoRoot());
        set = LongPageSet.build(file);
        encoder = TestModels.loadTestModel();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void pagesAreConsecutiveParagraphsOfOneArticleWithinTheLimits() {
        assertThat(set.pages()).isNotEmpty();
        for (LongPageSet.Page p : set.pages()) {
            assertThat(p.paragraphIds()).hasSizeBetween(LongPageSet.MIN_PARAGRAPHS, LongPageSet.MAX_PARAGRAPHS);
            assertThat(p.body().length()).isBetween(LongPageSet.MIN_CHARS, LongPageSet.MAX_CHARS);
            String article =
                    p.paragraphIds().get(0).substring(0, p.paragraphIds().get(0).lastIndexOf('-'));
            for (int i = 0; i < p.paragraphIds().size(); i++) {
                String id = p.paragraphIds().get(i);
                assertThat(id).startsWith(article + "-");
                if (i > 0) {
                    String prev = p.paragraphIds().get(i - 1);
                    assertThat(Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)))
                            .isEqualTo(Integer.parseInt(prev.substring(prev.lastIndexOf('-') + 1)) + 1);
                }
            }
        }
        assertThat(set.questions().size() + set.questionsLeftOut()).isEqualTo(635); // the subset's questions
    }

    @Test
    void everyAnswerSpanPointsAtItsFirstAnswerText() throws IOException {
        Map<String, String> firstAnswer = new HashMap<>();
        for (JsonNode article : new ObjectMapper().readTree(file.toFile()).path("data")) {
            for (JsonNode para : article.path("paragraphs")) {
                for (JsonNode qa : para.path("qas")) {
                    firstAnswer.put(
                            qa.path("id").asText(),
                            qa.path("answers").path(0).path("text").asText());
                }
            }
        }
        for (LongPageSet.PageQuestion q : set.questions()) {
            String body = set.page(q.pageId()).body();
            assertThat(body.substring(q.answerStart(), q.answerEnd())).isEqualTo(firstAnswer.get(q.qid()));
        }
    }

    @Test
    void coverageCountsAnswersInsideTheTextTheModelReads() {
        LongPageSet few = set.limitQuestions(40);
        PassageCoverage coverage = new PassageCoverage(encoder);

        // truncation, checked independently: the answer is read iff the pair of the question and the
        // page text up to the answer's end still fits the model's maximum length
        int expected = 0;
        for (LongPageSet.PageQuestion q : few.questions()) {
            LongPageSet.Page page = few.page(q.pageId());
            String upToAnswer = page.title() + " " + page.body().substring(0, q.answerEnd());
            int length = encoder.pairLengths(q.question(), List.of(upToAnswer))[0];
            int maxLength = encoder.info().maxLength();
            // at exactly maxLength the pair tokenizer may have cut: count the parts to tell
            boolean fits = length < maxLength
                    || (length == maxLength
                            && encoder.tokenEnds(List.of(q.question(), upToAnswer))[0].length
                                            + encoder.tokenEnds(List.of(upToAnswer))[0].length
                                            + encoder.info().pairOverhead()
                                    == maxLength);
            expected += fits ? 1 : 0;
        }
        PassageCoverage.Row truncation = coverage.truncation(few);
        assertThat(truncation.covered()).isEqualTo(expected);
        assertThat(truncation.coverage()).isLessThan(1.0); // pages are longer than the model reads
        assertThat(truncation.pairs()).isEqualTo(40);

        // every passage, none skipped: answers inside one sentence are always read
        PassageCoverage.Row everything = coverage.passages(
                few, PassageOptions.builder().maxPassages(1000).build(), "all");
        assertThat(everything.coverage()).isEqualTo(1.0);
        assertThat(everything.pairs()).isGreaterThan(40);

        // maxPassages=1 reads the first passage only: what FirstP reads. Computed here without the passage code:
        // the page's sentences (cut after 。！？ and at line breaks), whole, from the start, as long as their tokens
        // (each measured alone, as docs/passages.md says) fit the pair's budget less the title and its separator.
        PassageCoverage.Row one =
                coverage.passages(few, PassageOptions.builder().maxPassages(1).build(), "1");
        int inFirst = 0;
        for (LongPageSet.PageQuestion q : few.questions()) {
            LongPageSet.Page page = few.page(q.pageId());
            int budget = encoder.info().maxLength()
                    - encoder.info().pairOverhead()
                    - encoder.tokenEnds(List.of(q.question()))[0].length;
            int bodyBudget = budget - encoder.tokenEnds(List.of(page.title()))[0].length - 1;
            int firstEnd = 0;
            int used = 0;
            for (int[] sentence : sentences(page.body())) {
                int tokens = encoder.tokenEnds(List.of(page.body().substring(sentence[0], sentence[1])))[0].length;
                if (firstEnd > 0 && used + tokens > bodyBudget) {
                    break;
                }
                used += tokens;
                firstEnd = sentence[1];
            }
            inFirst += q.answerEnd() <= firstEnd ? 1 : 0;
        }
        assertThat(inFirst).as("FirstP reads some answers, not all").isBetween(1, 39);
        assertThat(one.covered()).isEqualTo(inFirst);
        assertThat(one.pairs()).isEqualTo(40);
    }

    /** Sentence spans of {@code text}: up to and including 。！？ (and a closing bracket after it), or up to a line break. */
    private static List<int[]> sentences(String text) {
        List<int[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int end = -1;
            int next = i + 1;
            if (c == '\n') {
                end = i;
            } else if ("。！？".indexOf(c) >= 0) {
                while (next < text.length() && "」』）".indexOf(text.charAt(next)) >= 0) {
                    next++;
                }
                end = next;
            }
            if (end >= 0) {
                if (!text.substring(start, end).isBlank()) {
                    out.add(new int[] {start, end});
                }
                start = next;
                i = next - 1;
            }
        }
        if (!text.substring(start).isBlank()) {
            out.add(new int[] {start, text.length()});
        }
        return out;
    }
}
