package io.github.jareranker.evaluation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How documents with equal scores are ordered when a run is ranked by descending score. Tied
 * scores are common (BM25 over short passages, quantized models, scores rounded in TREC files),
 * and their order moves rank-sensitive metrics, so it is a named, documented choice.
 *
 * <p>In every mode a NaN score ranks after every number.
 */
public enum TieBreak {
    /**
     * Exactly what ranx does (and hence the published JQaRA/JaCWIR figures): ranx stores a run as a
     * dict in input order and ranks it with Numba's {@code np.argsort(-scores)}, whose default kind is
     * an unstable quicksort (median-of-three partitioning, insertion sort below 16 elements). Ties end
     * up in the order that algorithm leaves them in, a deterministic function of the input order;
     * {@link NumbaQuicksort} reproduces it step for step.
     */
    RANX {
        @Override
        int[] order(double[] scores, String[] docIds) {
            double[] negated = new double[scores.length];
            for (int i = 0; i < scores.length; i++) {
                negated[i] = -scores[i];
            }
            return NumbaQuicksort.argsort(negated);
        }
    },
    /** Stable: tied documents keep their input order (TREC file order, JSONL candidate order). */
    INPUT_ORDER {
        @Override
        int[] order(double[] scores, String[] docIds) {
            return sorted(scores, (a, b) -> descending(scores[a], scores[b]));
        }
    },
    /** Tied documents in ascending document-id order (Java {@code String.compareTo}). */
    DOC_ID {
        @Override
        int[] order(double[] scores, String[] docIds) {
            return sorted(scores, (a, b) -> {
                int c = descending(scores[a], scores[b]);
                return c != 0 ? c : docIds[a].compareTo(docIds[b]);
            });
        }
    };

    /** The ranking of {@code docs}: indices into the list, best first. */
    public int[] order(List<Run.ScoredDoc> docs) {
        double[] scores = new double[docs.size()];
        String[] ids = new String[docs.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = docs.get(i).score();
            ids[i] = docs.get(i).docId();
        }
        return order(scores, ids);
    }

    abstract int[] order(double[] scores, String[] docIds);

    /** Parses {@code ranx}, {@code input} or {@code docid} (case-insensitive). */
    public static TieBreak parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "ranx":
                return RANX;
            case "input":
            case "input_order":
                return INPUT_ORDER;
            case "docid":
            case "doc_id":
                return DOC_ID;
            default:
                throw new IllegalArgumentException("unknown tie-break '" + value + "': expected ranx, input or docid");
        }
    }

    private static int descending(double a, double b) {
        boolean nanA = Double.isNaN(a);
        boolean nanB = Double.isNaN(b);
        if (nanA || nanB) {
            return Boolean.compare(nanA, nanB);
        }
        return a > b ? -1 : (a < b ? 1 : 0); // -0.0 and 0.0 tie, as in ranx
    }

    private static int[] sorted(double[] scores, Comparator<Integer> cmp) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, cmp); // TimSort: stable
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
