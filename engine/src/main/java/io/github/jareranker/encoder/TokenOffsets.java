package io.github.jareranker.encoder;

import ai.djl.huggingface.tokenizers.jni.CharSpan;

/**
 * Turns the native tokenizer's character spans into UTF-16 end indices of a Java string. The
 * tokenizer counts Unicode code points, Java strings count UTF-16 units: they differ after any
 * character outside the BMP (emoji, rare kanji), so the conversion walks the string once.
 */
final class TokenOffsets {
    private TokenOffsets() {}

    /**
     * @param text the text that was tokenized
     * @param spans the tokens' spans in code points (null entries, e.g. for tokens with no source
     *     text, take the previous end)
     * @return per token, the UTF-16 index just past it; never decreasing and never past the text
     */
    static int[] utf16Ends(String text, CharSpan[] spans) {
        int[] ends = new int[spans.length];
        int cp = 0; // code points walked
        int unit = 0; // UTF-16 index of code point cp
        int last = 0;
        for (int k = 0; k < spans.length; k++) {
            int target = spans[k] == null ? -1 : spans[k].getEnd();
            if (target >= 0) {
                while (cp < target && unit < text.length()) {
                    unit += Character.charCount(text.codePointAt(unit));
                    cp++;
                }
                last = Math.max(last, unit);
            }
            ends[k] = last;
        }
        return ends;
    }
}
