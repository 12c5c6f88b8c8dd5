package io.github.jareranker.evaluation.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** Opening input files with clear errors; {@code .gz} files are decompressed transparently. */
final class EvalFiles {
    private EvalFiles() {}

    static InputStream open(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(
                    file.toString(), null, what + " file does not exist or is not a regular file");
        }
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }

    static BufferedReader reader(Path file, String what) throws IOException {
        return new BufferedReader(new InputStreamReader(open(file, what), StandardCharsets.UTF_8), 1 << 16);
    }

    /** The file name without {@code .gz}, lower-cased, for format detection. */
    static String baseName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }
}
