package io.github.jareranker.passage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.jareranker.encoder.Cancellation;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.ModelLoadException;
import io.github.jareranker.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Passage scoring with the real tokenizer and the random-weight test model. */
class PassageScorerTest {
    private static final String QUERY = "粗大ごみの出し方を教えてください";
    private static final String[] SENTENCES = {
        "市では家庭から出るごみを五種類に分けて収集しています。",
        "燃えるごみは月曜日と木曜日の朝八時までに出してください。",
        "資源ごみは水曜日に回収します。瓶と缶は分けてください！",
        "粗大ごみは事前に電話かインターネットで申し込みが必要です。",
        "申し込み後、コンビニで処理券を購入して品物に貼ってください。",
        "収集日の朝、指定された場所に出してください？",
        "エアコンやテレビなど家電リサイクル法の対象品は収集できません。",
        "詳しくは清掃事務所（電話０１２３‐４５‐６７８９）までお問い合わせください。"
    };

    private static CrossEncoder encoder;

    @BeforeAll
    static void load() throws ModelLoadException {
        encoder = TestModels.loadTestModel();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    private static String page(int sentences, int offset) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            sb.append(SENTENCES[(i + offset) % SENTENCES.length]);
            if (i % 3 == 2) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void tokenEndsAreUtf16OffsetsAtCodePointBoundaries() {
        // 😀 and 𠮷 are two UTF-16 units each; the tokenizer counts code points and falls back to bytes
        // for 😀 (its byte tokens share one span, which takes 東 with it)
        String text = "😀東京タワーの高さは333メートルです。𠮷野家";
        int[] ends = encoder.tokenEnds(List.of(text))[0];
        for (int k = 1; k < ends.length; k++) {
            assertThat(ends[k]).isGreaterThanOrEqualTo(ends[k - 1]);
        }
        assertThat(ends).contains(3, 4, 11, 14, 23);
        assertThat(ends[ends.length - 1]).isEqualTo(text.length());
    }

    @Test
    void maxPIsTheMaxOfEachPassageScoredAloneInOneEngineCall() {
        PassageOptions options =
                PassageOptions.builder().passageTokens(96).maxPassages(100).build();
        PassageScorer scorer = new PassageScorer(encoder, options, " ");
        List<DocumentText> docs = List.of(new DocumentText("ごみの出し方", page(24, 0)), new DocumentText("家電", page(10, 3)));
        PassageScorer.Result result = scorer.score(QUERY, docs, Cancellation.NONE);

        int passages = 0;
        for (PassageScores doc : result.documents()) {
            assertThat(doc.scored()).hasSizeGreaterThan(1);
            float max = Float.NEGATIVE_INFINITY;
            for (ScoredPassage p : doc.scored()) {
                float alone = encoder.score(QUERY, List.of(p.passage().text())).score(0);
                assertThat(p.score()).isCloseTo(alone, within(1e-5f));
                assertThat(encoder.pairLengths(QUERY, List.of(p.passage().text()))[0])
                        .isLessThanOrEqualTo(96);
                max = Math.max(max, alone);
            }
            assertThat(doc.score()).isCloseTo(max, within(1e-5f));
            assertThat(doc.bestPassage().score()).isEqualTo(doc.score());
            passages += doc.scored().size();
        }
        assertThat(result.stats().pairs()).isEqualTo(passages); // one call for every passage of every hit
        assertThat(result.stats().truncatedPairs()).isZero();
        assertThat(result.passages()).isEqualTo(passages);
    }

    @Test
    void passagesCoverTheWholeBodyInOrderWithTheTitleInFront() {
        String body = page(30, 1);
        PassageScorer scorer = new PassageScorer(
                encoder, PassageOptions.builder().passageTokens(128).build(), " ");
        PassageSplitter.SplitDocument doc =
                scorer.split(QUERY, List.of(new DocumentText("題名", body))).get(0);
        int coveredTo = 0;
        for (Passage p : doc.passages()) {
            assertThat(p.text()).isEqualTo("題名 " + p.span().of(body));
            assertThat(p.span().start()).isLessThanOrEqualTo(coveredTo + 1); // no gap (at most the newline)
            coveredTo = Math.max(coveredTo, p.span().end());
        }
        assertThat(coveredTo).isEqualTo(body.strip().length());
    }

    @Test
    void firstPOfADocumentThatFitsIsTodaysTruncationScore() {
        String title = "粗大ごみ";
        String body = SENTENCES[3] + SENTENCES[4];
        PassageScorer first = new PassageScorer(
                encoder,
                PassageOptions.builder().aggregation(PassageAggregation.FIRST).build(),
                " ");
        PassageScores doc = first.score(QUERY, List.of(new DocumentText(title, body)), Cancellation.NONE)
                .documents()
                .get(0);
        float today = encoder.score(QUERY, List.of(title + " " + body)).score(0);
        assertThat(doc.scored()).hasSize(1);
        assertThat(doc.score()).isCloseTo(today, within(1e-5f));
    }

    @Test
    void preSelectionScoresAtMostMaxPassagesAlwaysWithTheFirst() {
        // One sentence per passage (each fills most of the budget next to the query; no overlap). Only sentences 3
        // and 7 hold 粗大 and ごみ, sentence 5 holds ごみ alone, the rest none of the query's terms: the selection
        // must keep passage 0 (always) and 3 and 7, written out here rather than asked of QueryOverlapSelector.
        String[] sentences = {
            "市立公園の桜並木は毎年四月の初めに満開になり、週末には多くの家族連れでにぎわいます。",
            "中央図書館は毎週月曜日と月末の整理日が休館日で、祝日は通常どおり開館しています。",
            "市役所本庁舎の窓口は平日の午前八時半から午後五時十五分まで受け付けています。",
            "粗大ごみは収集の一週間前までに粗大ごみ受付センターへ電話で申し込んでください。",
            "駅前の市営駐輪場は最初の二時間が無料で、それ以降は一日百円の料金がかかります。",
            "燃えるごみは決められた曜日の朝八時までに、地域の集積所へ持って行ってください。",
            "市民夏祭りは八月の第一土曜日に中央公園で開かれ、夜には花火大会も予定されています。",
            "粗大ごみの手数料は品目ごとに決まっていて、処理券をコンビニで購入して貼ってください。",
            "市民プールは七月中旬から八月末まで営業し、小学生以下は保護者の同伴が必要です。",
        };
        String body = String.join("", sentences);
        PassageOptions options = PassageOptions.builder()
                .passageTokens(72)
                .overlapSentences(0)
                .maxPassages(3)
                .build();
        PassageScorer scorer = new PassageScorer(encoder, options, " ");
        PassageSplitter.SplitDocument split =
                scorer.split(QUERY, List.of(DocumentText.of(body))).get(0);
        List<String> passages = new ArrayList<>();
        split.passages().forEach(p -> passages.add(p.text()));
        assertThat(passages).as("one passage per sentence").containsExactly(sentences);

        assertThat(scorer.selected(QUERY, split)).containsExactly(0, 3, 7);
        PassageScores doc = scorer.score(QUERY, List.of(DocumentText.of(body)), Cancellation.NONE)
                .documents()
                .get(0);
        assertThat(doc.passageCount()).isEqualTo(sentences.length);
        List<Integer> scored = new ArrayList<>();
        doc.scored().forEach(p -> scored.add(p.passage().index()));
        assertThat(scored).containsExactly(0, 3, 7);
    }

    @Test
    void meanTopKAveragesTheBestPassages() {
        PassageOptions options = PassageOptions.builder()
                .aggregation(PassageAggregation.MEAN_TOP_K)
                .topK(2)
                .passageTokens(64)
                .maxPassages(100)
                .build();
        PassageScores doc = new PassageScorer(encoder, options, " ")
                .score(QUERY, List.of(DocumentText.of(page(16, 2))), Cancellation.NONE)
                .documents()
                .get(0);
        List<Float> scores = new ArrayList<>();
        doc.scored().forEach(p -> scores.add(p.score()));
        scores.sort((a, b) -> Float.compare(b, a));
        assertThat(doc.score()).isCloseTo((scores.get(0) + scores.get(1)) / 2, within(1e-6f));
    }
}
