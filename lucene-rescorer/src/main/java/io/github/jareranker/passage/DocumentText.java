package io.github.jareranker.passage;

/**
 * A document as passage scoring sees it.
 *
 * @param title text put in front of every passage (when {@link PassageOptions#prependTitle()}); may
 *     be empty, null counts as empty
 * @param body the text split into passages; null counts as empty
 */
public record DocumentText(String title, String body) {
    public DocumentText {
        title = title == null ? "" : title;
        body = body == null ? "" : body;
    }

    /** A document without a title. */
    public static DocumentText of(String body) {
        return new DocumentText("", body);
    }
}
