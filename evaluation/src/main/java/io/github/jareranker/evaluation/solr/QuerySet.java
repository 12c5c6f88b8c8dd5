package io.github.jareranker.evaluation.solr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Queries to run: a TSV file ({@code qid<TAB>query text}, one per line) or, for {@code .jsonl},
 * {@code {"qid": ..., "query": ...}} per line (a candidate dataset works too: extra fields are
 * ignored). Blank lines and, in TSV, {@code #} comment lines are skipped. Immutable.
 */
public record QuerySet(List<Entry> queries) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public QuerySet {
        queries = List.copyOf(queries);
    }

    /** One query. */
    public record Entry(String qid, String text) {
        public Entry {
            Objects.requireNonNull(qid, "qid");
            Objects.requireNonNull(text, "text");
        }
    }

    /** Reads {@code file}; errors name the file and line. */
    public static QuerySet read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "query file does not exist or is not a regular file");
        }
        boolean jsonl = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl");
        List<Entry> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || (!jsonl && line.startsWith("#"))) {
                    continue;
                }
                String where = file + " line " + lineNo;
                Entry e;
                if (jsonl) {
                    JsonNode n;
                    try {
                        n = JSON.readTree(line);
                    } catch (JsonProcessingException ex) {
                        throw new IOException(where + ": not JSON: " + ex.getOriginalMessage());
                    }
                    JsonNode qid = n.get("qid");
                    JsonNode q = n.get("query");
                    if (qid == null || qid.asText().isBlank() || q == null || !q.isTextual()) {
                        throw new IOException(where + ": expected {\"qid\": ..., \"query\": \"...\"}");
                    }
                    e = new Entry(qid.asText(), q.asText());
                } else {
                    int tab = line.indexOf('\t');
                    if (tab <= 0) {
                        throw new IOException(where + ": expected 'qid<TAB>query'");
                    }
                    e = new Entry(
                            line.substring(0, tab).strip(),
                            line.substring(tab + 1).strip());
                }
                if (e.text().isBlank()) {
                    throw new IOException(where + ": query " + e.qid() + " has empty text");
                }
                if (!seen.add(e.qid())) {
                    throw new IOException(where + ": query id " + e.qid() + " appears twice");
                }
                out.add(e);
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": no queries");
        }
        return new QuerySet(out);
    }
}
