package io.github.jareranker.passage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Splitting with a meter that counts one token per character, so every budget is checkable by hand. */
class PassageSplitterTest {
    private static final AtomicInteger CALLS = new AtomicInteger();

    /** One token per UTF-16 unit, at most 512 reported (as the real tokenizer caps at maxLength). */
    private static int[][] perChar(List<String> texts) {
        CALLS.incrementAndGet();
        int[][] out = new int[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            int n = Math.min(texts.get(i).length(), 512);
            out[i] = new int[n];
            for (int k = 0; k < n; k++) {
                out[i][k] = k + 1;
            }
        }
        return out;
    }

    private static final PassageSplitter SPLITTER = new PassageSplitter(PassageSplitterTest::perChar);

    private static PassageOptions overlap(int sentences) {
        return PassageOptions.builder().overlapSentences(sentences).build();
    }

    private static List<String> texts(PassageSplitter.SplitDocument doc) {
        List<String> out = new ArrayList<>();
        doc.passages().forEach(p -> out.add(p.text()));
        return out;
    }

    @Test
    void windowsOfWholeSentencesUpToTheBudgetWithOverlap() {
        // sentences of 5, 5, 5, 5 characters; budget 11: two per window, one repeated
        String body = "一二三四。五六七八。九十一二。三四五六。";
        PassageSplitter.SplitDocument doc = SPLITTER.split(List.of(DocumentText.of(body)), 11, " ", overlap(1), 100)
                .get(0);
        assertThat(texts(doc)).containsExactly("一二三四。五六七八。", "五六七八。九十一二。", "九十一二。三四五六。");
        assertThat(doc.passages()).extracting(Passage::index).containsExactly(0, 1, 2);
        assertThat(doc.passages().get(1).span()).isEqualTo(new TextSpan(5, 15));

        PassageSplitter.SplitDocument noOverlap = SPLITTER.split(
                        List.of(DocumentText.of(body)), 11, " ", overlap(0), 100)
                .get(0);
        assertThat(texts(noOverlap)).containsExactly("一二三四。五六七八。", "九十一二。三四五六。");
    }

    @Test
    void aSentenceLongerThanTheBudgetIsCutAtTheBudget() {
        String body = "短い。" + "あ".repeat(25) + "。最後。";
        PassageSplitter.SplitDocument doc = SPLITTER.split(List.of(DocumentText.of(body)), 10, " ", overlap(0), 100)
                .get(0);
        assertThat(texts(doc)).containsExactly("短い。", "あ".repeat(10), "あ".repeat(10), "あああああ。最後。");
        doc.passages().forEach(p -> assertThat(p.text().length()).isLessThanOrEqualTo(10));
    }

    @Test
    void textWithoutSentenceEndsLongerThanTheMetersCapIsCutAllTheWay() {
        String body = "字".repeat(1300);
        PassageSplitter.SplitDocument doc = SPLITTER.split(List.of(DocumentText.of(body)), 500, " ", overlap(1), 100)
                .get(0);
        assertThat(texts(doc)).containsExactly("字".repeat(500), "字".repeat(500), "字".repeat(300));
    }

    @Test
    void theTitleIsPrependedToEveryPassageAndCountsAgainstTheBudget() {
        String body = "一二三四。五六七八。九十一二。";
        // title "題名" + " " = 3 tokens by this meter's estimate (2 + separator): 8 left, one sentence each
        PassageSplitter.SplitDocument doc = SPLITTER.split(
                        List.of(new DocumentText("題名", body)), 11, " ", overlap(0), 100)
                .get(0);
        assertThat(texts(doc)).containsExactly("題名 一二三四。", "題名 五六七八。", "題名 九十一二。");
        assertThat(doc.passages().get(2).span().of(body)).isEqualTo("九十一二。");

        PassageSplitter.SplitDocument untitled = SPLITTER.split(
                        List.of(new DocumentText("題名", body)),
                        11,
                        " ",
                        PassageOptions.builder()
                                .overlapSentences(0)
                                .prependTitle(false)
                                .build(),
                        100)
                .get(0);
        assertThat(texts(untitled)).containsExactly("一二三四。五六七八。", "九十一二。");
    }

    @Test
    void aTitleLongerThanHalfTheBudgetIsCutToHalf() {
        PassageSplitter.SplitDocument doc = SPLITTER.split(
                        List.of(new DocumentText("長".repeat(30), "本文。")), 20, " ", overlap(0), 100)
                .get(0);
        assertThat(texts(doc)).containsExactly("長".repeat(10) + " 本文。");
    }

    @Test
    void aHeadingMovesToTheWindowItIntroduces() {
        String body = "一二三四。\n見出し\n五六七八。";
        PassageSplitter.SplitDocument doc = SPLITTER.split(List.of(DocumentText.of(body)), 12, " ", overlap(0), 100)
                .get(0);
        assertThat(texts(doc)).containsExactly("一二三四。", "見出し\n五六七八。");
    }

    @Test
    void emptyDocumentsGiveOnePassageOfTheTitleOrNothing() {
        List<PassageSplitter.SplitDocument> docs = SPLITTER.split(
                List.of(DocumentText.of(""), new DocumentText("題名だけ", " \n ")), 50, " ", overlap(1), 100);
        assertThat(texts(docs.get(0))).containsExactly("");
        assertThat(texts(docs.get(1))).containsExactly("題名だけ");
    }

    @Test
    void theCharacterCapCutsTheBodyAndSaysSo() {
        String body = "あいうえお。かきくけこ。さしすせそ。";
        PassageOptions capped = PassageOptions.builder().maxDocumentChars(12).build();
        PassageSplitter.SplitDocument doc = SPLITTER.split(List.of(DocumentText.of(body)), 100, " ", capped, 100)
                .get(0);
        assertThat(doc.cut()).isTrue();
        assertThat(doc.originalChars()).isEqualTo(18);
        assertThat(texts(doc)).containsExactly("あいうえお。かきくけこ。");
    }

    @Test
    void firstPOnlyBuildsTheFirstWindow() {
        String body = "一二三四。五六七八。九十一二。";
        PassageSplitter.SplitDocument doc = SPLITTER.split(List.of(DocumentText.of(body)), 6, " ", overlap(0), 1)
                .get(0);
        assertThat(texts(doc)).containsExactly("一二三四。");
    }

    @Test
    void allDocumentsAreMeasuredTogether() {
        List<DocumentText> docs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            docs.add(new DocumentText("題" + i, "一文目です。二文目です。三文目です。"));
        }
        CALLS.set(0);
        SPLITTER.split(docs, 12, " ", overlap(0), 100);
        assertThat(CALLS.get()).isEqualTo(2); // sentences and titles once, the final passages once
    }
}
