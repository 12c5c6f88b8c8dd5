package io.github.jareranker.cli;

import io.github.jareranker.evaluation.data.DataLocations;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --data FILE}: the JSQuAD v1.3 file a command reads (a picocli mixin). Without it, the full data's valid split
 * where {@link DataLocations} finds it; the evaluations then fail with a usage error saying where they looked, the
 * load commands ({@code soak}, {@code bench-solr}) fall back to the committed slice.
 */
final class JsquadDataOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = "--data",
            paramLabel = "FILE",
            description = "JSQuAD v1.3 JSON file, read at run time (default: jsquad-v1.3/valid-v1.3.json of the full"
                    + " data: $JA_RERANKER_DATA, else ../shared/data beside the checkout, else evaluation/data/full,"
                    + " where evaluation/data/fetch.sh puts it; soak and bench-solr fall back to the committed"
                    + " first 5 articles).")
    Path file;

    /**
     * {@code --data} when given, else {@code jsquad-v1.3/valid-v1.3.json} of the full data under {@code home}.
     *
     * @throws ParameterException (a usage error) saying where the file was looked for, when it is not found
     */
    Path validSplit(Path home) {
        if (file != null) {
            return file;
        }
        return DataLocations.jsquad(home, "valid")
                .orElseThrow(() -> new ParameterException(
                        command.commandLine(),
                        DataLocations.missing(home, "the JSQuAD v1.3 valid file (jsquad-v1.3/valid-v1.3.json)")
                                + " Or give --data FILE."));
    }

    /**
     * {@code --data} when given, else the full data's valid split where {@link DataLocations} finds it, else the
     * committed slice (the first 5 articles): what the load commands read, which run on any checkout.
     */
    Path validSplitOrCommittedSlice(Path home) {
        if (file != null) {
            return file;
        }
        return DataLocations.jsquad(home, "valid").orElse(DataLocations.vendoredJsquad(home));
    }
}
