package io.github.jareranker.cli;

import io.github.jareranker.evaluation.data.DataLocations;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Which JSQuAD v1.3 file a command reads: its {@code --data}, else the full data's valid split. Stateless. */
final class JsquadFile {
    private JsquadFile() {}

    /**
     * {@code data} when given, else {@code jsquad-v1.3/valid-v1.3.json} where {@link DataLocations}
     * finds the full data under {@code home}.
     *
     * @throws ParameterException (a usage error) saying where the file was looked for, when it is not found
     */
    static Path validSplit(Path data, Path home, CommandLine cl) {
        if (data != null) {
            return data;
        }
        return DataLocations.jsquad(home, "valid")
                .orElseThrow(() -> new ParameterException(
                        cl,
                        DataLocations.missing(home, "the JSQuAD v1.3 valid file (jsquad-v1.3/valid-v1.3.json)")
                                + " Or give --data FILE."));
    }
}
