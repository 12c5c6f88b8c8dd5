package io.github.jareranker.evaluation.io;

import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.TieBreak;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a run as a TREC run file, {@code qid Q0 docid rank score tag}, each query's documents in
 * rank order (descending score, ties by the given {@link TieBreak}), ranks from 1, scores in full
 * precision ({@link Double#toString}), so that reading the file back gives the same ranking with
 * {@link TieBreak#INPUT_ORDER}.
 */
public final class RunWriter {
    private RunWriter() {}

    /** Writes {@code run} to {@code file} (created or replaced; parent directories created). */
    public static void writeTrec(Run run, Path file, TieBreak tieBreak) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeTrec(run, w, tieBreak);
        }
    }

    /** Writes {@code run} to {@code out} (not closed). */
    public static void writeTrec(Run run, Writer out, TieBreak tieBreak) throws IOException {
        String tag = run.name().isBlank() ? "run" : run.name().replaceAll("\\s+", "_");
        for (String qid : run.queryIds()) {
            requireToken(qid, "query id");
            List<Run.ScoredDoc> ranked = run.ranked(qid, tieBreak);
            for (int i = 0; i < ranked.size(); i++) {
                Run.ScoredDoc d = ranked.get(i);
                requireToken(d.docId(), "document id");
                out.write(qid + " Q0 " + d.docId() + " " + (i + 1) + " " + d.score() + " " + tag + "\n");
            }
        }
        out.flush();
    }

    private static void requireToken(String id, String what) throws IOException {
        if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
            throw new IOException(
                    "cannot write " + what + " '" + id + "' to a TREC run: it is empty or contains whitespace");
        }
    }
}
