package io.github.jareranker.encoder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The facts of a {@code tokenizer.json} that the encoder needs beyond what DJL exposes: whether it
 * has a pair template, its truncation length and its pad id. Reads the file once with a streaming
 * parser and skips the (large) vocabulary.
 *
 * @param truncationMaxLength {@code truncation.max_length}, if the file declares truncation
 * @param padId {@code padding.pad_id}, if the file declares padding
 * @param largestId the largest token id the tokenizer can produce (its vocabulary and added tokens), if it has any
 */
record TokenizerSpec(OptionalInt truncationMaxLength, OptionalInt padId, OptionalInt largestId) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static TokenizerSpec read(Path tokenizerJson) throws ModelLoadException {
        JsonNode postProcessor = null;
        JsonNode truncation = null;
        JsonNode padding = null;
        int largestId = -1;
        try (InputStream in = Files.newInputStream(tokenizerJson);
                JsonParser parser = new JsonFactory(MAPPER).createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ModelLoadException(
                        tokenizerJson + " is not a HuggingFace tokenizer.json: expected a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "post_processor":
                        postProcessor = parser.readValueAsTree();
                        break;
                    case "truncation":
                        truncation = parser.readValueAsTree();
                        break;
                    case "padding":
                        padding = parser.readValueAsTree();
                        break;
                    case "model":
                        largestId = Math.max(largestId, largestVocabularyId(parser));
                        break;
                    case "added_tokens":
                        for (JsonNode token : (JsonNode) parser.readValueAsTree()) {
                            largestId = Math.max(largestId, token.path("id").asInt(-1));
                        }
                        break;
                    default:
                        parser.skipChildren();
                }
            }
        } catch (ModelLoadException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelLoadException(
                    "cannot parse " + tokenizerJson + " as a HuggingFace tokenizer.json: " + e.getMessage(), e);
        }
        if (pairCapableType(postProcessor) == null) {
            throw new ModelLoadException(tokenizerJson
                    + " has no pair template (post_processor is "
                    + (postProcessor == null || postProcessor.isNull()
                            ? "null"
                            : postProcessor.path("type").asText("of unknown type"))
                    + "): a cross-encoder encodes (query, document) as one pair, so the tokenizer needs a"
                    + " TemplateProcessing post-processor with a 'pair' template (or RobertaProcessing /"
                    + " BertProcessing); export the tokenizer with its post-processor");
        }
        return new TokenizerSpec(
                intField(truncation, "max_length"),
                intField(padding, "pad_id"),
                largestId < 0 ? OptionalInt.empty() : OptionalInt.of(largestId));
    }

    /**
     * The largest id of {@code model.vocab}, streamed (a vocabulary has up to ~250k entries): an array of
     * [piece, score] (Unigram: the id is the position) or an object of piece to id (WordPiece, BPE, WordLevel).
     * The parser stands on the model object and is left after it; -1 when there is no vocabulary.
     */
    private static int largestVocabularyId(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return -1;
        }
        int largest = -1;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("vocab") && value == JsonToken.START_ARRAY) {
                int entries = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    parser.skipChildren();
                    entries++;
                }
                largest = Math.max(largest, entries - 1);
            } else if (field.equals("vocab") && value == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    parser.nextToken();
                    largest = Math.max(largest, parser.getValueAsInt(-1));
                    parser.skipChildren();
                }
            } else {
                parser.skipChildren();
            }
        }
        return largest;
    }

    /** The type of the (possibly nested) post-processor that defines a pair template, else null. */
    private static String pairCapableType(JsonNode processor) {
        if (processor == null || processor.isNull()) {
            return null;
        }
        String type = processor.path("type").asText("");
        switch (type) {
            case "TemplateProcessing":
                JsonNode pair = processor.path("pair");
                return pair.isArray() && pair.size() > 0 ? type : null;
            case "RobertaProcessing":
            case "BertProcessing":
                return type;
            case "Sequence":
                for (JsonNode child : processor.path("processors")) {
                    String found = pairCapableType(child);
                    if (found != null) {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static OptionalInt intField(JsonNode node, String name) {
        if (node == null || !node.isObject() || !node.path(name).canConvertToInt()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(node.path(name).intValue());
    }
}
