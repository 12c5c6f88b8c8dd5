package io.github.jareranker.passage;

/**
 * A half-open range {@code [start, end)} of UTF-16 indices into a text.
 *
 * @param start first index, inclusive
 * @param end last index, exclusive; not below {@code start}
 */
public record TextSpan(int start, int end) {
    public TextSpan {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
    }

    public int length() {
        return end - start;
    }

    /** The text of this span in {@code text}. */
    public String of(String text) {
        return text.substring(start, end);
    }
}
