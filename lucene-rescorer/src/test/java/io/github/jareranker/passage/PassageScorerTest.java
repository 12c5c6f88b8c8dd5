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
        PassageOptions options =
                PassageOptions.builder().passageTokens(64).maxPassages(3).build();
        PassageScorer scorer = new PassageScorer(encoder, options, " ");
        PassageScores doc = scorer.score(QUERY, List.of(DocumentText.of(page(40, 0))), Cancellation.NONE)
                .documents()
                .get(0);
        assertThat(doc.passageCount()).isGreaterThan(3);
        assertThat(doc.scored()).hasSize(3);
        assertThat(doc.scored().get(0).passage().index()).isZero();
        List<Integer> indices = new ArrayList<>();
        doc.scored().forEach(p -> indices.add(p.passage().index()));
        assertThat(indices).isSorted();
        // the kept others are those richest in the query's terms (粗大, ごみ, 出す ...)
        List<String> bodies = new ArrayList<>();
        PassageSplitter.SplitDocument split =
                scorer.split(QUERY, List.of(DocumentText.of(page(40, 0)))).get(0);
        split.passages().forEach(p -> bodies.add(p.span().of(split.body())));
        assertThat(scorer.selected(QUERY, split)).containsExactly(new QueryOverlapSelector(QUERY).select(bodies, 3));
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
