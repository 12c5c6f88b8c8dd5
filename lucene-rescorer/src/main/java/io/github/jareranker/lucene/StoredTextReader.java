package io.github.jareranker.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DocumentStoredFieldVisitor;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;

/**
 * Reads the text a cross-encoder sees for a hit: the configured stored fields, in order, every
 * value joined with the separator; optionally, in the same pass, a key field that identifies the
 * document (the pair-score cache's document identity). Only these fields are decoded. Stateless and
 * thread-safe.
 */
public final class StoredTextReader {
    private final List<String> fields;
    private final Set<String> fieldSet;
    private final String separator;
    private final String keyField; // null: none

    public StoredTextReader(List<String> fields, String separator) {
        this(fields, separator, null);
    }

    /**
     * @param keyField a stored field read with the text fields by {@link #readWithKeys} (its values
     *     joined with a space), or null for none
     */
    public StoredTextReader(List<String> fields, String separator, String keyField) {
        this.fields = List.copyOf(fields);
        Set<String> all = new HashSet<>(fields);
        if (keyField != null) {
            all.add(keyField);
        }
        this.fieldSet = Set.copyOf(all);
        this.separator = separator;
        this.keyField = keyField;
    }

    /**
     * What {@link #readWithKeys} read: per doc id, the text field by field (as {@link #readFields})
     * and the key field's value ("" when it has none).
     */
    public record FieldsAndKeys(List<String[]> parts, List<String> keys) {}

    /**
     * Returns the text of each document, in the order given. Pass doc ids in ascending order so each
     * segment's stored fields are read front to back once.
     *
     * @return one string per doc id; empty when none of the fields has a value
     */
    public List<String> read(IndexSearcher searcher, int[] docIds) throws IOException {
        List<String> texts = new ArrayList<>(docIds.length);
        for (String[] parts : readFields(searcher, docIds)) {
            texts.add(join(parts, 0));
        }
        return texts;
    }

    /**
     * Returns each document's text field by field: per doc id, one string per configured field (its
     * values joined with the separator; empty when it has none), in the configured order.
     */
    public List<String[]> readFields(IndexSearcher searcher, int[] docIds) throws IOException {
        return read(searcher, docIds, null).parts();
    }

    /**
     * As {@link #readFields}, and the key field of each document from the same stored-fields visit.
     *
     * @throws IllegalStateException when this reader has no key field
     */
    public FieldsAndKeys readWithKeys(IndexSearcher searcher, int[] docIds) throws IOException {
        if (keyField == null) {
            throw new IllegalStateException("this reader has no key field");
        }
        return read(searcher, docIds, new ArrayList<>(docIds.length));
    }

    private FieldsAndKeys read(IndexSearcher searcher, int[] docIds, List<String> keys) throws IOException {
        StoredFields stored = searcher.storedFields();
        List<String[]> out = new ArrayList<>(docIds.length);
        for (int docId : docIds) {
            DocumentStoredFieldVisitor visitor = new DocumentStoredFieldVisitor(fieldSet);
            stored.document(docId, visitor);
            Document doc = visitor.getDocument();
            String[] parts = new String[fields.size()];
            for (int f = 0; f < parts.length; f++) {
                parts[f] = values(doc, fields.get(f), separator);
            }
            out.add(parts);
            if (keys != null) {
                keys.add(values(doc, keyField, " "));
            }
        }
        return new FieldsAndKeys(out, keys);
    }

    /** The non-empty values of {@code field} in {@code doc}, joined with {@code separator}. */
    private static String values(Document doc, String field, String separator) {
        StringBuilder sb = new StringBuilder();
        for (IndexableField value : doc.getFields(field)) {
            String s = value.stringValue();
            if (s != null && !s.isEmpty()) {
                sb.append(sb.length() > 0 ? separator : "").append(s);
            }
        }
        return sb.toString();
    }

    /** The non-empty parts from {@code from} on, joined with the separator: the text the model reads. */
    public String join(String[] parts, int from) {
        StringBuilder sb = new StringBuilder();
        for (int f = from; f < parts.length; f++) {
            if (parts[f].isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(separator);
            }
            sb.append(parts[f]);
        }
        return sb.toString();
    }
}
