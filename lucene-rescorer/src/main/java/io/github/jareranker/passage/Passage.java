package io.github.jareranker.passage;

/**
 * One passage of a document.
 *
 * @param index the passage's position among all passages of its document, from 0, in document order
 * @param span where the passage's body part lies in the document's body (UTF-16 offsets; for a
 *     snippet or a highlight)
 * @param text exactly what the model reads after the query: the title and separator when prepended,
 *     then the body part
 */
public record Passage(int index, TextSpan span, String text) {}
