package io.github.jareranker.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes (query, document) pairs with the tokenizer's own pair template, truncated to the maximum
 * length and not padded (the caller pads each batch to its own longest pair). Thread-safe: the
 * native tokenizers are configured once and only read afterwards. Owns two native tokenizers and
 * frees them in {@link #close()}.
 */
final class PairTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer primary;
    /** Longest-first tokenizer used when document-only truncation cannot fit the query. */
    private final HuggingFaceTokenizer longestFirst;

    private final Truncation truncation;
    private final int maxLength;
    private final int pairOverhead;
    private final int maxDocumentChars;

    private PairTokenizer(
            HuggingFaceTokenizer primary, HuggingFaceTokenizer longestFirst, Truncation truncation, int maxLength) {
        this.primary = primary;
        this.longestFirst = longestFirst;
        this.truncation = truncation;
        this.maxLength = maxLength;
        this.pairOverhead = longestFirst.encode("", "").getIds().length;
        this.maxDocumentChars =
                (int) Math.min(Integer.MAX_VALUE, (long) maxLength * CrossEncoderOptions.DOCUMENT_CHARS_PER_TOKEN);
    }

    static PairTokenizer load(Path tokenizerJson, Truncation truncation, int maxLength) throws ModelLoadException {
        NativeRuntime.prepare();
        HuggingFaceTokenizer longest = null;
        try {
            longest = newTokenizer(tokenizerJson, "LONGEST_FIRST", maxLength);
            HuggingFaceTokenizer primary = truncation == Truncation.DOCUMENT_ONLY
                    ? newTokenizer(tokenizerJson, "ONLY_SECOND", maxLength)
                    : longest;
            return new PairTokenizer(primary, longest, truncation, maxLength);
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            if (longest != null) {
                longest.close();
            }
            throw new ModelLoadException(
                    "cannot load tokenizer "
                            + tokenizerJson
                            + " with DJL HuggingFace tokenizers: "
                            + e
                            + " (expected a HuggingFace tokenizers JSON file; the native library needs Linux"
                            + " glibc >= 2.34, macOS arm64 or Windows x86-64)",
                    e);
        }
    }

    private static HuggingFaceTokenizer newTokenizer(Path file, String truncation, int maxLength) throws IOException {
        Map<String, String> options = new HashMap<>();
        options.put("addSpecialTokens", "true");
        options.put("truncation", truncation);
        options.put("padding", "false");
        options.put("maxLength", Integer.toString(maxLength));
        options.put("modelMaxLength", Integer.toString(maxLength));
        return HuggingFaceTokenizer.newInstance(file, options);
    }

    /** Special tokens the pair template adds (4 for {@code <s> A </s> <s> B </s>}). */
    int pairOverhead() {
        return pairOverhead;
    }

    /**
     * Encodes every pair in one native call. Returns one token-id array per document, in input order.
     *
     * @throws ScoringException if the native tokenizer fails
     */
    EncodedPairs encode(String query, List<String> documents) {
        String q = TextSanitizer.sanitize(query, maxDocumentChars);
        PairList<String, String> pairs = new PairList<>(documents.size());
        for (String doc : documents) {
            pairs.add(q, TextSanitizer.sanitize(doc, maxDocumentChars));
        }
        HuggingFaceTokenizer tokenizer = primary;
        if (truncation == Truncation.DOCUMENT_ONLY && primary != longestFirst) {
            int queryTokens = longestFirst.encode(q, false, false).getIds().length;
            if (queryTokens + pairOverhead >= maxLength) {
                tokenizer = longestFirst; // the query alone fills the window: cut it too
            }
        }
        Encoding[] encodings;
        try {
            encodings = tokenizer.batchEncode(pairs);
        } catch (RuntimeException e) {
            throw new ScoringException("tokenizer failed on a batch of " + documents.size() + " pairs: " + e, e);
        }
        long[][] ids = new long[encodings.length][];
        long[][] typeIds = new long[encodings.length][];
        boolean[] truncated = new boolean[encodings.length];
        for (int i = 0; i < encodings.length; i++) {
            ids[i] = encodings[i].getIds();
            typeIds[i] = encodings[i].getTypeIds();
            truncated[i] = encodings[i].exceedMaxLength();
        }
        return new EncodedPairs(ids, typeIds, truncated);
    }

    /**
     * Tokenizes each text alone, without special tokens, as the model's tokenizer splits a document
     * (lone surrogates replaced, pre-cut as in {@link #encode}); at most {@code maxLength} tokens per
     * text are reported. Returns, per text, the UTF-16 index just past each token, in order.
     *
     * @throws ScoringException if the native tokenizer fails
     */
    int[][] tokenEnds(List<String> texts) {
        List<String> clean = new ArrayList<>(texts.size());
        for (String t : texts) {
            clean.add(TextSanitizer.sanitize(t, maxDocumentChars));
        }
        Encoding[] encodings;
        try {
            encodings = longestFirst.batchEncode(clean, false, false);
        } catch (RuntimeException e) {
            throw new ScoringException("tokenizer failed on a batch of " + texts.size() + " texts: " + e, e);
        }
        int[][] ends = new int[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            ends[i] = TokenOffsets.utf16Ends(clean.get(i), encodings[i].getCharTokenSpans());
        }
        return ends;
    }

    /**
     * Token ids and token type ids of every pair in input order (no padding), and whether each was
     * truncated. The arrays are shared, not copied.
     */
    record EncodedPairs(long[][] ids, long[][] typeIds, boolean[] truncated) {}

    @Override
    public void close() {
        if (primary != longestFirst) {
            primary.close();
        }
        longestFirst.close();
    }
}
