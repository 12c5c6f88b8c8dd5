package io.github.jareranker.evaluation.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.evaluation.Qrels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads relevance judgments: TREC qrels ({@code qid iteration docid relevance}, whitespace
 * separated, one per line; the iteration column is ignored; blank lines and {@code #} comments are
 * skipped) or, for {@code .json}, ranx's JSON ({@code {"qid": {"docid": relevance}}}). A
 * {@code .gz} suffix is decompressed. Errors name the file and line.
 */
public final class QrelsReader {
    private QrelsReader() {}

    /** Reads {@code file}, choosing the format by extension (.json, else TREC). */
    public static Qrels read(Path file) throws IOException {
        if (EvalFiles.baseName(file).endsWith(".json")) {
            return readJson(file);
        }
        return readTrec(file);
    }

    /** Reads a TREC qrels file. */
    public static Qrels readTrec(Path file) throws IOException {
        Qrels.Builder b = Qrels.builder();
        TrecLines.read(
                file,
                "qrels",
                "qid iteration docid relevance",
                (f, at) -> b.add(f[0], f[2], at.parseInt(f[3], "relevance")));
        return b.build();
    }

    /** Reads ranx's JSON qrels. */
    public static Qrels readJson(Path file) throws IOException {
        Qrels.Builder b = Qrels.builder();
        try (InputStream in = EvalFiles.open(file, "qrels");
                JsonParser p = new ObjectMapper().getFactory().createParser(in)) {
            expect(p, JsonToken.START_OBJECT, file, "a JSON object of query ids");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String qid = p.currentName();
                expect(p, JsonToken.START_OBJECT, file, "an object of document ids for query " + qid);
                b.addQuery(qid);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String doc = p.currentName();
                    if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                        throw new IOException(
                                file + ": relevance of " + qid + "/" + doc + " is not an integer (" + where(p) + ")");
                    }
                    b.add(qid, doc, p.getIntValue());
                }
            }
        }
        return b.build();
    }

    private static void expect(JsonParser p, JsonToken token, Path file, String what) throws IOException {
        if (p.nextToken() != token) {
            throw new IOException(file + ": expected " + what + " (" + where(p) + ")");
        }
    }

    private static String where(JsonParser p) {
        return "line " + p.currentLocation().getLineNr() + ", column "
                + p.currentLocation().getColumnNr();
    }
}
