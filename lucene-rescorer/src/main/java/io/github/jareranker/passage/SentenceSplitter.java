package io.github.jareranker.passage;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts text into sentences the way Japanese pages are written: after a sentence end ({@code 。．！？!?…}
 * and runs of them, e.g. {@code ！？} or {@code ……}), together with the closing brackets and quotes
 * right after it ({@code 」』）)】〕］]"”’}); after a Latin full stop followed by a space (mixed-script
 * text, without cutting {@code 3.5} or {@code example.com}); and at every line break, so headings,
 * list items and table rows written one per line are units of their own. Whitespace around a
 * sentence is not part of it; text without any sentence end is one sentence per line. Stateless.
 */
public final class SentenceSplitter {
    private static final String ENDS = "。．！？!?…‥";
    private static final String CLOSERS = "」』）)】〕］]\"”’〉》";

    private SentenceSplitter() {}

    /**
     * @return the sentences of {@code text} in order, as spans into it; none for null, empty or
     *     whitespace-only text
     */
    public static List<TextSpan> split(String text) {
        List<TextSpan> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        int n = text.length();
        int start = 0;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                add(text, start, i, out);
                start = i + 1;
                i++;
            } else if (ENDS.indexOf(c) >= 0 || isLatinFullStop(text, i)) {
                int j = i + 1;
                while (j < n && (ENDS.indexOf(text.charAt(j)) >= 0 || text.charAt(j) == '.')) {
                    j++;
                }
                while (j < n && CLOSERS.indexOf(text.charAt(j)) >= 0) {
                    j++;
                }
                add(text, start, j, out);
                start = j;
                i = j;
            } else {
                i++;
            }
        }
        add(text, start, n, out);
        return out;
    }

    /** A '.' that ends a Latin sentence: followed by whitespace or the end, after a letter or digit. */
    private static boolean isLatinFullStop(String text, int i) {
        if (text.charAt(i) != '.' || i == 0) {
            return false;
        }
        boolean endsHere = i + 1 >= text.length() || Character.isWhitespace(text.charAt(i + 1));
        return endsHere && Character.isLetterOrDigit(text.charAt(i - 1));
    }

    /** Adds {@code [from, to)} without its surrounding whitespace, unless nothing is left. */
    private static void add(String text, int from, int to, List<TextSpan> out) {
        while (from < to && isSpace(text.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(text.charAt(to - 1))) {
            to--;
        }
        if (to > from) {
            out.add(new TextSpan(from, to));
        }
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c); // U+3000 (ideographic space) too
    }

    /**
     * Whether a sentence looks like a heading: alone on its line, without a sentence end, and either
     * starting with a heading mark ({@code #■□◆◇●○▼▶【}) or short (at most 30 characters). Packing
     * keeps a heading with the text that follows it.
     */
    public static boolean isHeading(String text, TextSpan sentence) {
        char last = text.charAt(sentence.end() - 1);
        boolean closedSentence = CLOSERS.indexOf(last) >= 0
                && sentence.length() > 1
                && ENDS.indexOf(text.charAt(sentence.end() - 2)) >= 0;
        if (ENDS.indexOf(last) >= 0 || closedSentence) {
            return false;
        }
        if (!lineBreakOrEdge(text, sentence.end(), 1) || !lineBreakOrEdge(text, sentence.start() - 1, -1)) {
            return false;
        }
        return "#■□◆◇●○▼▶【".indexOf(text.charAt(sentence.start())) >= 0 || sentence.length() <= 30;
    }

    /** Whether, walking from {@code i} in direction {@code step} over spaces, a line break or the edge comes. */
    private static boolean lineBreakOrEdge(String text, int i, int step) {
        for (; i >= 0 && i < text.length(); i += step) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return true;
            }
            if (!isSpace(c)) {
                return false;
            }
        }
        return true;
    }
}
