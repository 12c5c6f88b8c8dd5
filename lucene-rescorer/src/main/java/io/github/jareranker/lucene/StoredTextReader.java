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
 * value joined with the separator. Only the configured fields are decoded. Stateless and
 * thread-safe.
 */
public final class StoredTextReader {
    private final List<String> fields;
    private final Set<String> fieldSet;
    private final String separator;

    public StoredTextReader(List<String> fields, String separator) {
        this.fields = List.copyOf(fields);
        this.fieldSet = Set.copyOf(new HashSet<>(fields));
        this.separator = separator;
    }

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
        StoredFields stored = searcher.storedFields();
        List<String[]> out = new ArrayList<>(docIds.length);
        for (int docId : docIds) {
            DocumentStoredFieldVisitor visitor = new DocumentStoredFieldVisitor(fieldSet);
            stored.document(docId, visitor);
            Document doc = visitor.getDocument();
            String[] parts = new String[fields.size()];
            for (int f = 0; f < parts.length; f++) {
                StringBuilder sb = new StringBuilder();
                for (IndexableField value : doc.getFields(fields.get(f))) {
                    String s = value.stringValue();
                    if (s != null && !s.isEmpty()) {
                        sb.append(sb.length() > 0 ? separator : "").append(s);
                    }
                }
                parts[f] = sb.toString();
            }
            out.add(parts);
        }
        return out;
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
