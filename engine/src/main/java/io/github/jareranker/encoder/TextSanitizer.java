package io.github.jareranker.encoder;

/**
 * Makes arbitrary Java strings safe to hand to the native tokenizer. A lone UTF-16 surrogate has no
 * UTF-8 encoding; passed through JNI it can make the Rust tokenizer panic and take the JVM down, so
 * it is replaced with U+FFFD. Long documents are pre-cut (see {@link
 * CrossEncoderOptions#DOCUMENT_CHARS_PER_TOKEN}) without splitting a surrogate pair.
 */
final class TextSanitizer {
    private TextSanitizer() {}

    /** {@code text} with lone surrogates replaced, cut to at most {@code maxChars} chars; null is "". */
    static String sanitize(String text, int maxChars) {
        if (text == null) {
            return "";
        }
        int end = Math.min(text.length(), maxChars);
        if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // do not cut a surrogate pair in half
        }
        StringBuilder out = null;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            boolean lone;
            if (Character.isHighSurrogate(c)) {
                lone = i + 1 >= end || !Character.isLowSurrogate(text.charAt(i + 1));
                if (!lone) {
                    if (out != null) {
                        out.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                lone = Character.isLowSurrogate(c);
            }
            if (lone && out == null) {
                out = new StringBuilder(end).append(text, 0, i);
            }
            if (out != null) {
                out.append(lone ? '\uFFFD' : c);
            }
        }
        if (out != null) {
            return out.toString();
        }
        return end == text.length() ? text : text.substring(0, end);
    }
}
