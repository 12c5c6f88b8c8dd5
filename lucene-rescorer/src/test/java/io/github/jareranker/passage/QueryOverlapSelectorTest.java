package io.github.jareranker.passage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryOverlapSelectorTest {
    private static final List<String> PASSAGES = List.of(
            "当社の会社概要です。創業は一九八〇年です。",
            "営業時間は平日の九時から十八時までです。",
            "送料は全国一律で五百円です。五千円以上のご注文で送料が無料になります。",
            "返品は商品到着後七日以内に受け付けます。",
            "送料についてのよくある質問をまとめました。");

    @Test
    void keepsTheFirstPassageAndTheBestMatchesInDocumentOrder() {
        QueryOverlapSelector selector = new QueryOverlapSelector("送料は無料ですか");
        assertThat(selector.queryTerms()).contains("送料", "無料");
        assertThat(selector.select(PASSAGES, 3)).containsExactly(0, 2, 4);
        assertThat(selector.select(PASSAGES, 2)).containsExactly(0, 2);
        assertThat(selector.select(PASSAGES, 1)).containsExactly(0);
        assertThat(selector.select(PASSAGES, 5)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void scoresFollowBm25OverTheDocumentsPassages() {
        QueryOverlapSelector selector = new QueryOverlapSelector("返品");
        float[] scores = selector.scores(PASSAGES);
        // "返品" is in one passage of five: idf = ln(1 + (5 - 1 + 0.5) / (1 + 0.5)) = ln 4; tf 1
        List<String> terms = QueryOverlapSelector.terms(PASSAGES.get(3));
        double avg = PASSAGES.stream()
                .mapToInt(p -> QueryOverlapSelector.terms(p).size())
                .average()
                .orElseThrow();
        double expected = Math.log(4) * 2.2 / (1 + 1.2 * (0.25 + 0.75 * terms.size() / avg));
        assertThat((double) scores[3]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(scores[0]).isZero();
        assertThat(scores[1]).isZero();
    }

    @Test
    void aQueryWithoutTermsKeepsTheLeadingPassages() {
        assertThat(new QueryOverlapSelector("の").select(PASSAGES, 3)).containsExactly(0, 1, 2);
    }
}
