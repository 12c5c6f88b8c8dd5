package io.github.jareranker.evaluation.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place that says where the full evaluation data sets are (all JQaRA run files, JSQuAD
 * v1.3 valid and test), laid out as {@code jqara-runs/{qrels.trec,runs/*.lz4}} and
 * {@code jsquad-v1.3/{valid,test}-v1.3.json}. In order:
 *
 * <ol>
 *   <li>the directory named by the system property {@value #PROPERTY}, or else by the environment
 *       variable {@value #ENV}: when set, it is the only place looked at;
 *   <li>{@code ../shared/data} beside the checkout;
 *   <li>{@code evaluation/data/full} in the checkout, where {@value #FETCH_SCRIPT} puts them.
 * </ol>
 *
 * <p>The small subsets the default tests read are committed under {@value #VENDORED} and are not
 * looked up here. The full sets are third-party data and never committed.
 */
public final class DataLocations {
    /** Environment variable naming the full data directory. */
    public static final String ENV = "JA_RERANKER_DATA";
    /** System property naming the full data directory (wins over {@value #ENV}). */
    public static final String PROPERTY = "ja-reranker.data";
    /** The script that fetches the full data sets, relative to the repository root. */
    public static final String FETCH_SCRIPT = "evaluation/data/fetch.sh";
    /** The committed subsets, relative to the repository root. */
    public static final String VENDORED = "evaluation/data";

    private DataLocations() {}

    /** The directories looked at, in order, for a checkout at {@code repoRoot}. */
    public static List<Path> candidates(Path repoRoot) {
        String explicit = explicit();
        if (explicit != null) {
            return List.of(Path.of(explicit).toAbsolutePath().normalize());
        }
        Path root = repoRoot.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        if (root.getParent() != null) {
            out.add(root.getParent().resolve("shared/data"));
        }
        out.add(root.resolve(VENDORED).resolve("full"));
        return List.copyOf(out);
    }

    /** The first of {@link #candidates} that is a directory, if any. */
    public static Optional<Path> fullData(Path repoRoot) {
        return candidates(repoRoot).stream().filter(Files::isDirectory).findFirst();
    }

    /** {@code jqara-runs} (qrels.trec, runs/*.lz4) of the full data, if its qrels are there. */
    public static Optional<Path> jqaraRuns(Path repoRoot) {
        return fullData(repoRoot)
                .map(d -> d.resolve("jqara-runs"))
                .filter(d -> Files.isRegularFile(d.resolve("qrels.trec")));
    }

    /** The full JSQuAD v1.3 file of {@code split} ("valid" or "test"), if it is there. */
    public static Optional<Path> jsquad(Path repoRoot, String split) {
        return fullData(repoRoot)
                .map(d -> d.resolve("jsquad-v1.3/" + split + "-v1.3.json"))
                .filter(Files::isRegularFile);
    }

    /** The committed JQaRA subset: qrels.trec, runs/bm25.lz4, runs/japanese-reranker-cross-encoder-xsmall-v1.lz4. */
    public static Path vendoredJqara(Path repoRoot) {
        return repoRoot.resolve(VENDORED).resolve("jqara");
    }

    /** The committed JSQuAD subset: the first 5 articles of valid-v1.3.json. */
    public static Path vendoredJsquad(Path repoRoot) {
        return repoRoot.resolve(VENDORED).resolve("jsquad/valid-v1.3-first5.json");
    }

    /**
     * A sentence for when the full data (or {@code what} inside it) is not found: where it was looked for and how to
     * get it.
     */
    public static String missing(Path repoRoot, String what) {
        String explicit = explicit();
        return what + " not found: looked in " + candidates(repoRoot)
                + (explicit != null
                        ? " (set by " + (isSet(System.getProperty(PROPERTY)) ? "-D" + PROPERTY : ENV) + ")"
                        : "")
                + ". Run " + FETCH_SCRIPT + " to fetch the full data sets into evaluation/data/full, or set " + ENV
                + "=DIR.";
    }

    private static String explicit() {
        String prop = System.getProperty(PROPERTY);
        if (isSet(prop)) {
            return prop;
        }
        String env = System.getenv(ENV);
        return isSet(env) ? env : null;
    }

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }
}
