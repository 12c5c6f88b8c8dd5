package io.github.jareranker.evaluation.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.github.jareranker.evaluation.Run;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads runs, keeping each query's documents in file order (which {@link
 * io.github.jareranker.evaluation.TieBreak} may depend on):
 *
 * <ul>
 *   <li>{@code .lz4}: a ranx run as {@code Run.save("x.lz4")} writes it: an LZ4 frame whose content
 *       is another LZ4 frame whose content is CBOR, a map query id → map document id → score;
 *   <li>{@code .json}: ranx JSON, {@code {"qid": {"docid": score}}};
 *   <li>anything else: a TREC run, {@code qid Q0 docid rank score tag} per line (the rank column is
 *       ignored, as in ranx; the tag of the first line names the run).
 * </ul>
 *
 * A {@code .gz} suffix is decompressed first. Errors name the file and line or
 * position.
 */
public final class RunReader {
    private RunReader() {}

    /** Reads {@code file}, choosing the format by extension. */
    public static Run read(Path file) throws IOException {
        String base = EvalFiles.baseName(file);
        if (base.endsWith(".lz4")) {
            return readRanxLz4(file);
        }
        if (base.endsWith(".json")) {
            return readJson(file);
        }
        return readTrec(file);
    }

    /** The file name without directory and extensions ({@code runs/bm25.lz4} → {@code bm25}). */
    public static String defaultName(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Reads a TREC run file. */
    public static Run readTrec(Path file) throws IOException {
        Run.Builder[] b = {null}; // the tag of the first line names the run
        TrecLines.read(file, "run", "qid Q0 docid rank score tag", (f, at) -> {
            double score = at.parseDouble(f[4], "score");
            if (b[0] == null) {
                b[0] = Run.builder(f[5]);
            }
            b[0].add(f[0], f[2], score);
        });
        return (b[0] == null ? Run.builder(defaultName(file)) : b[0]).build();
    }

    /** Reads a ranx {@code .lz4} run (LZ4 frame in LZ4 frame, CBOR map). */
    public static Run readRanxLz4(Path file) throws IOException {
        byte[] raw;
        try (InputStream in = EvalFiles.open(file, "run")) {
            raw = in.readAllBytes();
        }
        byte[] cbor;
        try {
            cbor = Lz4Frames.decompress(Lz4Frames.decompress(raw));
        } catch (IOException e) {
            throw new IOException(
                    file + ": not a ranx .lz4 run (LZ4 frame in LZ4 frame, CBOR map): " + e.getMessage(), e);
        }
        return readMap(new CBORFactory().createParser(cbor), file, defaultName(file));
    }

    /** Reads a ranx JSON run. */
    public static Run readJson(Path file) throws IOException {
        try (InputStream in = EvalFiles.open(file, "run")) {
            return readMap(new JsonFactory().createParser(in), file, defaultName(file));
        }
    }

    private static Run readMap(JsonParser p, Path file, String name) throws IOException {
        try (p) {
            Run.Builder b = Run.builder(name);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + ": expected a map of query ids (" + where(p) + ")");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String qid = p.currentName();
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException(
                            file + ": query " + qid + " does not map to a map of document scores (" + where(p) + ")");
                }
                b.addQuery(qid);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String doc = p.currentName();
                    JsonToken t = p.nextToken();
                    if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                        throw new IOException(
                                file + ": score of " + qid + "/" + doc + " is not a number (" + where(p) + ")");
                    }
                    b.add(qid, doc, p.getDoubleValue());
                }
                if (p.currentToken() != JsonToken.END_OBJECT) {
                    throw new IOException(file + ": malformed results of query " + qid + " (" + where(p) + ")");
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IOException(file + ": malformed run map (" + where(p) + ")");
            }
            return b.build();
        }
    }

    private static String where(JsonParser p) {
        var loc = p.currentLocation();
        return loc.getLineNr() > 0
                ? "line " + loc.getLineNr() + ", column " + loc.getColumnNr()
                : "byte " + loc.getByteOffset();
    }
}
