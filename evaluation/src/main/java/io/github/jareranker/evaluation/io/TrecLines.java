package io.github.jareranker.evaluation.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a whitespace-separated TREC file line by line: skips blank lines and {@code #} comments,
 * checks the field count, and hands each record to a callback; parse errors name the file and line.
 */
final class TrecLines {
    /** One record of a TREC file. */
    @FunctionalInterface
    interface RecordHandler {
        void accept(String[] fields, Record at) throws IOException;
    }

    /** Where a record came from, for error messages. */
    static final class Record {
        private final Path file;
        private final int line;

        Record(Path file, int line) {
            this.file = file;
            this.line = line;
        }

        /** An error naming the file and line. */
        IOException error(String problem) {
            return new IOException(file + " line " + line + ": " + problem);
        }

        int parseInt(String value, String name) throws IOException {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw error(name + " '" + value + "' is not an integer");
            }
        }

        double parseDouble(String value, String name) throws IOException {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw error(name + " '" + value + "' is not a number");
            }
        }
    }

    private TrecLines() {}

    /**
     * Calls {@code handler} for every record of {@code file}.
     *
     * @param what "qrels" or "run", for the missing-file message
     * @param layout the expected columns, e.g. {@code qid iteration docid relevance}
     */
    static void read(Path file, String what, String layout, RecordHandler handler) throws IOException {
        int expected = layout.split(" ").length;
        try (BufferedReader r = EvalFiles.reader(file, what)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] fields = trimmed.split("\\s+");
                Record at = new Record(file, lineNo);
                if (fields.length != expected) {
                    throw at.error("a TREC " + what + " line has " + expected + " fields (" + layout + "), found "
                            + fields.length);
                }
                handler.accept(fields, at);
            }
        }
    }
}
