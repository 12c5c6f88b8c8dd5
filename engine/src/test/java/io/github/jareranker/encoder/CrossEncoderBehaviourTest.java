package io.github.jareranker.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.jareranker.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Behaviour of the engine on the committed test model: batching, odd inputs, threads, lifecycle. */
class CrossEncoderBehaviourTest {
    private static final String QUERY = "東京でおすすめの観光地は?";
    private static final List<String> DOCS = List.of(
            "浅草の浅草寺は東京で最も古い寺です。",
            "東京スカイツリーからは関東平野を一望できます。晴れた日には富士山も見えます。",
            "大阪の道頓堀",
            "",
            "上野公園には美術館や動物園が集まっていて、一日中楽しめます。春には桜が咲き、多くの花見客でにぎわいます。" + "近くのアメ横商店街では食べ歩きもできます。",
            "Tokyo Tower is 333 m tall.");

    private static CrossEncoder encoder;

    @BeforeAll
    static void load() throws ModelLoadException {
        encoder = TestModels.loadTestModel();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void scoresComeBackInInputOrder() {
        ScoredPairs all = encoder.score(QUERY, DOCS);
        assertThat(all.size()).isEqualTo(DOCS.size());
        for (int i = 0; i < DOCS.size(); i++) {
            ScoredPairs one = encoder.score(QUERY, List.of(DOCS.get(i)));
            assertThat(all.logit(i)).as("doc %d", i).isCloseTo(one.logit(0), within(1e-5f));
            assertThat(all.score(i)).isCloseTo(Activation.SIGMOID.apply(all.logit(i)), within(1e-7f));
        }
    }

    @Test
    void scoreDoesNotDependOnBatchMates() throws ModelLoadException {
        // Many pairs of mixed length with a small budget: the same pair lands in batches of different
        // shapes and paddings. Alone vs. mixed must agree within 1e-5.
        Random random = new Random(7);
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            StringBuilder sb = new StringBuilder();
            int sentences = 1 + random.nextInt(12);
            for (int s = 0; s < sentences; s++) {
                sb.append(DOCS.get(random.nextInt(DOCS.size())));
            }
            docs.add(sb.toString());
        }
        try (CrossEncoder small = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                        .intraOpThreads(1)
                        .maxBatchTokens(300)
                        .maxBatchSize(5)
                        .build());
                CrossEncoder big = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                        .intraOpThreads(1)
                        .maxBatchTokens(100_000)
                        .maxBatchSize(64)
                        .build())) {
            ScoredPairs mixedSmall = small.score(QUERY, docs);
            ScoredPairs mixedBig = big.score(QUERY, docs);
            assertThat(mixedSmall.stats().batches()).isGreaterThan(1);
            assertThat(mixedBig.stats().batches()).isEqualTo(1);
            for (int i = 0; i < docs.size(); i++) {
                float alone = small.score(QUERY, List.of(docs.get(i))).logit(0);
                assertThat(mixedSmall.logit(i)).as("small batches, doc %d", i).isCloseTo(alone, within(1e-5f));
                assertThat(mixedBig.logit(i)).as("one big batch, doc %d", i).isCloseTo(alone, within(1e-5f));
            }
        }
    }

    @Test
    void cpuArenaOffScoresBitForBitLikeArenaOn() throws ModelLoadException {
        float[] arenaOn = encoder.score(QUERY, DOCS).logits();
        try (CrossEncoder arenaOff =
                CrossEncoder.load(encoder.options().toBuilder().cpuArena(false).build())) {
            assertThat(arenaOff.options().cpuArena()).isFalse();
            assertThat(arenaOff.score(QUERY, DOCS).logits()).containsExactly(arenaOn);
        }
    }

    @Test
    void shuffledInputGivesTheSameScores() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < DOCS.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(3));
        List<String> shuffled = new ArrayList<>();
        for (int i : order) {
            shuffled.add(DOCS.get(i));
        }
        ScoredPairs original = encoder.score(QUERY, DOCS);
        ScoredPairs reordered = encoder.score(QUERY, shuffled);
        for (int k = 0; k < order.size(); k++) {
            assertThat(reordered.logit(k)).isCloseTo(original.logit(order.get(k)), within(1e-5f));
        }
    }

    @Test
    void oddInputsScoreWithoutCrashing() {
        StringBuilder megabyte = new StringBuilder();
        while (megabyte.length() < 1_000_000) {
            megabyte.append("長い文書のテスト。The quick brown fox. 1234567890 ");
        }
        List<String> odd = new ArrayList<>(List.of(
                "",
                "   \t\n  ",
                megabyte.toString(),
                "絵文字😀🍣🗼👨‍👩‍👧‍👦 を含む文書",
                "制御文字\u0000\u0001\u0007\u001b[31m\u007f\u0085\u200b\uFEFF",
                "壊れたサロゲート\uD800と\uDC00",
                "\uDBFF",
                "<0x41> </s> <s> <pad> [SEP] [CLS]",
                "𠮷野家の𩸽"));
        odd.add(null);
        ScoredPairs scored = encoder.score("テスト\uD800", odd);
        assertThat(scored.size()).isEqualTo(odd.size());
        for (int i = 0; i < odd.size(); i++) {
            assertThat(scored.logit(i)).as("input %d", i).isFinite();
        }
        // The megabyte document was truncated to the maximum length.
        assertThat(scored.stats().truncatedPairs()).isGreaterThanOrEqualTo(1);
        // null counts as empty.
        assertThat(scored.logit(odd.size() - 1)).isCloseTo(scored.logit(0), within(1e-6f));
    }

    @Test
    void longQueriesAndDocumentsAreTruncatedToMaxLength() throws ModelLoadException {
        String longText = "東京の観光案内です。".repeat(200);
        for (Truncation truncation : Truncation.values()) {
            try (CrossEncoder short64 = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                    .intraOpThreads(1)
                    .maxLength(64)
                    .truncation(truncation)
                    .build())) {
                ScoredPairs scored = short64.score(longText, List.of(longText, "短い", ""));
                assertThat(scored.stats().paddedTokens()).isLessThanOrEqualTo(3L * 64);
                assertThat(scored.stats().truncatedPairs())
                        .as(truncation.name())
                        .isGreaterThanOrEqualTo(1);
                for (float logit : scored.logits()) {
                    assertThat(logit).isFinite();
                }
            }
        }
    }

    @Test
    void documentOnlyTruncationKeepsTheQuery() throws ModelLoadException {
        Path tokenizerJson = TestModels.testModel().resolve("tokenizer.json");
        String longDoc = "京都の紅葉は十一月が見頃です。".repeat(100);
        int maxLength = 40; // 36 tokens for text after the 4 special tokens
        try (PairTokenizer docOnly = PairTokenizer.load(tokenizerJson, Truncation.DOCUMENT_ONLY, maxLength);
                PairTokenizer longest = PairTokenizer.load(tokenizerJson, Truncation.LONGEST_FIRST, maxLength)) {
            // A query longer than half the window: longest-first cuts it, document-only keeps it whole.
            String query = "京都の紅葉の見頃はいつですか";
            int queryTokens = queryTokens(longest, query);
            while (queryTokens <= 18) {
                query = query + "、" + query;
                queryTokens = queryTokens(longest, query);
            }
            assertThat(queryTokens).as("query must fit in the window").isLessThan(maxLength - 4);
            long[] keep = docOnly.encode(query, List.of(longDoc)).ids()[0];
            long[] cut = longest.encode(query, List.of(longDoc)).ids()[0];
            assertThat(keep).hasSize(maxLength);
            assertThat(cut).hasSize(maxLength);
            assertThat(queryPart(keep)).hasSize(queryTokens);
            assertThat(queryPart(cut)).hasSizeLessThan(queryTokens);

            // A query that alone fills the window falls back to longest-first instead of failing.
            String huge = query.repeat(10);
            assertThat(docOnly.encode(huge, List.of(longDoc)).ids()[0])
                    .containsExactly(longest.encode(huge, List.of(longDoc)).ids()[0]);
        }
    }

    private static int queryTokens(PairTokenizer tokenizer, String query) {
        return queryPart(tokenizer.encode(query, List.of("")).ids()[0]).length;
    }

    /** The ids between the first {@code <s>} and the first {@code </s>} of {@code <s> q </s> <s> d </s>}. */
    private static long[] queryPart(long[] ids) {
        int end = 1;
        while (ids[end] != 2) {
            end++;
        }
        return java.util.Arrays.copyOfRange(ids, 1, end);
    }

    @Test
    void rawActivationReturnsLogits() throws ModelLoadException {
        try (CrossEncoder raw = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                .intraOpThreads(1)
                .activation(Activation.RAW)
                .build())) {
            ScoredPairs scored = raw.score(QUERY, DOCS);
            assertThat(scored.scores()).isEqualTo(scored.logits());
        }
    }

    @Test
    void emptyDocumentListCostsNothing() {
        ScoredPairs none = encoder.score(QUERY, List.of());
        assertThat(none.size()).isZero();
        assertThat(none.stats()).isEqualTo(ScoringStats.EMPTY);
    }

    @Test
    void concurrentCallersGetTheSameScores() throws Exception {
        float[] expected = encoder.score(QUERY, DOCS).logits();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit(() -> encoder.score(QUERY, DOCS).logits()));
            }
            for (Future<float[]> f : futures) {
                float[] got = f.get();
                for (int i = 0; i < expected.length; i++) {
                    assertThat(got[i]).isCloseTo(expected[i], within(1e-5f));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cancellationBeforeTheFirstBatch() {
        assertThatThrownBy(() -> encoder.score(QUERY, DOCS, () -> true)).isInstanceOf(ScoringCancelledException.class);
    }

    @Test
    void closedEncoderRefusesWork() throws ModelLoadException {
        CrossEncoder temp = TestModels.loadTestModel();
        temp.close();
        temp.close(); // idempotent
        assertThatThrownBy(() -> temp.score(QUERY, DOCS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void int8ModelLoadsFromTheOnnxFolderAndIsBatchInvariant() throws ModelLoadException {
        try (CrossEncoder int8 = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModelInt8())
                .intraOpThreads(1)
                .build())) {
            assertThat(int8.info().onnxFile().toString()).endsWith("onnx/model_qint8_avx2.onnx");
            assertThat(int8.info().dynamicallyQuantized()).isTrue();
            ScoredPairs all = int8.score(QUERY, DOCS);
            for (int i = 0; i < DOCS.size(); i++) {
                assertThat(all.logit(i))
                        .isCloseTo(int8.score(QUERY, List.of(DOCS.get(i))).logit(0), within(1e-5f));
            }
        }
    }
}
