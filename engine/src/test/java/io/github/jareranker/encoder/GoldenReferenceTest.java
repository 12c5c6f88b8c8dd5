package io.github.jareranker.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.testing.CpuFeatures;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine reproduces models/test-model/reference.json, which was computed without ONNX Runtime
 * and without HF tokenizers (Python sentencepiece + a port of HF's truncation, PyTorch eager, and
 * a numpy interpreter of the int8 graph): token ids exactly, fp32 logits within the reference's
 * tolerance (1e-4), int8 logits within its int8 tolerance.
 */
class GoldenReferenceTest {
    private static JsonNode reference;
    private static CrossEncoder fp32;

    @BeforeAll
    static void load() throws IOException {
        reference = new ObjectMapper()
                .readTree(TestModels.testModel().resolve("reference.json").toFile());
        fp32 = TestModels.loadTestModel();
    }

    @AfterAll
    static void close() {
        fp32.close();
    }

    static Stream<Arguments> pairCases() throws IOException {
        JsonNode ref = new ObjectMapper()
                .readTree(TestModels.testModel().resolve("reference.json").toFile());
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode c : ref.path("tokenization_cases")) {
            if (c.path("kind").asText().equals("pair")) {
                cases.add(Arguments.of(c.path("id").asText(), c));
            }
        }
        assertThat(cases).hasSizeGreaterThan(30);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairCases")
    void tokenIdsMatchExactly(String id, JsonNode c) throws ModelLoadException {
        Truncation truncation =
                c.path("strategy").asText().equals("OnlySecond") ? Truncation.DOCUMENT_ONLY : Truncation.LONGEST_FIRST;
        Path tokenizerJson = TestModels.testModel().resolve("tokenizer.json");
        try (PairTokenizer tokenizer = PairTokenizer.load(
                tokenizerJson, truncation, c.path("max_length").asInt())) {
            PairTokenizer.EncodedPairs encoded = tokenizer.encode(
                    c.path("query").asText(), List.of(c.path("document").asText()));
            assertThat(encoded.ids()[0]).as(id).containsExactly(longs(c.path("input_ids")));
            assertThat(encoded.typeIds()[0]).as(id + " type ids").containsExactly(longs(c.path("token_type_ids")));
            assertThat(encoded.truncated()[0])
                    .as(id + " truncated")
                    .isEqualTo(c.path("truncated").asBoolean());
        }
    }

    @Test
    void fp32LogitsMatchPyTorchEager() {
        double tolerance = reference.path("scoring").path("fp32_tolerance").asDouble();
        assertThat(tolerance).isEqualTo(1e-4);
        int pairs = 0;
        for (JsonNode q : reference.path("scoring").path("queries")) {
            List<String> docs = new ArrayList<>();
            for (JsonNode d : q.path("documents")) {
                docs.add(d.path("document").asText());
            }
            ScoredPairs scored = fp32.score(q.path("query").asText(), docs);
            int i = 0;
            for (JsonNode d : q.path("documents")) {
                assertThat((double) scored.logit(i))
                        .as(d.path("id").asText())
                        .isCloseTo(d.path("logit").asDouble(), org.assertj.core.data.Offset.offset(tolerance));
                i++;
                pairs++;
            }
        }
        assertThat(pairs).isGreaterThanOrEqualTo(100);
    }

    @Test
    void scoringInputIdsMatchTheReference() throws ModelLoadException {
        try (PairTokenizer tokenizer =
                PairTokenizer.load(TestModels.testModel().resolve("tokenizer.json"), Truncation.LONGEST_FIRST, 512)) {
            for (JsonNode q : reference.path("scoring").path("queries")) {
                for (JsonNode d : q.path("documents")) {
                    PairTokenizer.EncodedPairs encoded = tokenizer.encode(
                            q.path("query").asText(), List.of(d.path("document").asText()));
                    assertThat(encoded.ids()[0]).as(d.path("id").asText()).containsExactly(longs(d.path("input_ids")));
                }
            }
        }
    }

    @Test
    void paddedReferenceBatchesAgreeWithSinglePairs() {
        // The reference proves in PyTorch that padding with a proper mask changes nothing; the engine
        // must give the same logits for those documents however it batches them.
        for (JsonNode check : reference.path("padding_checks")) {
            JsonNode query = findQuery(check.path("query_id").asText());
            List<String> docs = new ArrayList<>();
            for (JsonNode docId : check.path("document_ids")) {
                docs.add(findDocument(query, docId.asText()).path("document").asText());
            }
            ScoredPairs scored = fp32.score(query.path("query").asText(), docs);
            for (int i = 0; i < docs.size(); i++) {
                assertThat((double) scored.logit(i))
                        .isCloseTo(check.path("logits").get(i).asDouble(), org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    @Test
    void int8LogitsMatchTheNumpyInterpretationOfTheGraph() throws ModelLoadException {
        CpuFeatures.assumeExactInt8();
        double tolerance = reference.path("scoring").path("int8_tolerance").asDouble();
        try (CrossEncoder int8 = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                .onnxFile("onnx/model_qint8_avx2.onnx")
                .intraOpThreads(1)
                .build())) {
            assertThat(int8.info().dynamicallyQuantized()).isTrue();
            assertThat(int8.info().maxBatchSize()).isEqualTo(1);
            assertThat(fp32.info().dynamicallyQuantized()).isFalse();
            int close = 0;
            int total = 0;
            for (JsonNode q : reference.path("scoring").path("queries")) {
                List<String> docs = new ArrayList<>();
                for (JsonNode d : q.path("documents")) {
                    docs.add(d.path("document").asText());
                }
                ScoredPairs scored = int8.score(q.path("query").asText(), docs);
                int i = 0;
                for (JsonNode d : q.path("documents")) {
                    double expected = d.path("logit_int8").asDouble();
                    assertThat((double) scored.logit(i))
                            .as(d.path("id").asText())
                            .isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
                    close += Math.abs(scored.logit(i) - expected) < 1e-3 ? 1 : 0;
                    total++;
                    i++;
                }
            }
            // Rounding of activations at quantization ties moves a few pairs; nearly all agree tightly.
            assertThat(close).isGreaterThanOrEqualTo((int) (0.9 * total));
        }
    }

    private static JsonNode findQuery(String id) {
        for (JsonNode q : reference.path("scoring").path("queries")) {
            if (q.path("id").asText().equals(id)) {
                return q;
            }
        }
        throw new AssertionError("no query " + id + " in reference.json");
    }

    private static JsonNode findDocument(JsonNode query, String id) {
        for (JsonNode d : query.path("documents")) {
            if (d.path("id").asText().equals(id)) {
                return d;
            }
        }
        throw new AssertionError("no document " + id);
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
