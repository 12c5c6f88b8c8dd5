package io.github.jareranker.evaluation;

/**
 * A step-for-step port of Numba's {@code np.argsort(a)} for float64 arrays (kind "quicksort",
 * {@code numba/misc/quicksort.py} with the NaN-aware float comparison of {@code numba/np/arrayobj.py}),
 * which ranx uses to rank every run. Quicksort is not stable, so the position of tied values after
 * sorting depends on this exact algorithm: median-of-three pivot, Hoare-style partition with the
 * pivot stashed at the end, the larger partition pushed on a stack, insertion sort for ranges
 * shorter than 16.
 */
final class NumbaQuicksort {
    /** Under this size ({@code high - low < SMALL_QUICKSORT}) switch to insertion sort. */
    private static final int SMALL_QUICKSORT = 15;

    private NumbaQuicksort() {}

    /** The indices that sort {@code a} ascending, NaN last, ties placed as Numba places them. */
    static int[] argsort(double[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = i;
        }
        if (a.length < 2) {
            return r;
        }
        int[] stackLow = new int[64];
        int[] stackHigh = new int[64];
        stackLow[0] = 0;
        stackHigh[0] = a.length - 1;
        int n = 1;
        while (n > 0) {
            n--;
            int low = stackLow[n];
            int high = stackHigh[n];
            while (high - low >= SMALL_QUICKSORT) {
                int i = partition(a, r, low, high);
                if (high - i > i - low) {
                    if (high > i) {
                        stackLow[n] = i + 1;
                        stackHigh[n] = high;
                        n++;
                    }
                    high = i - 1;
                } else {
                    if (i > low) {
                        stackLow[n] = low;
                        stackHigh[n] = i - 1;
                        n++;
                    }
                    low = i + 1;
                }
            }
            insertionSort(a, r, low, high);
        }
        return r;
    }

    /** Numba's {@code lt_floats}: {@code a < b}, with NaN greater than every number. */
    private static boolean lt(double a, double b) {
        return a < b || (Double.isNaN(b) && !Double.isNaN(a));
    }

    private static void insertionSort(double[] a, int[] r, int low, int high) {
        if (high <= low) {
            return;
        }
        for (int i = low + 1; i <= high; i++) {
            int k = r[i];
            double v = a[k];
            int j = i;
            while (j > low && lt(v, a[r[j - 1]])) {
                r[j] = r[j - 1];
                j--;
            }
            r[j] = k;
        }
    }

    private static int partition(double[] a, int[] r, int low, int high) {
        int mid = (low + high) >>> 1;
        if (lt(a[r[mid]], a[r[low]])) {
            swap(r, low, mid);
        }
        if (lt(a[r[high]], a[r[mid]])) {
            swap(r, high, mid);
        }
        if (lt(a[r[mid]], a[r[low]])) {
            swap(r, low, mid);
        }
        double pivot = a[r[mid]];
        swap(r, high, mid);
        int i = low;
        int j = high - 1;
        while (true) {
            while (i < high && lt(a[r[i]], pivot)) {
                i++;
            }
            while (j >= low && lt(pivot, a[r[j]])) {
                j--;
            }
            if (i >= j) {
                break;
            }
            swap(r, i, j);
            i++;
            j--;
        }
        swap(r, i, high);
        return i;
    }

    private static void swap(int[] r, int x, int y) {
        int t = r[x];
        r[x] = r[y];
        r[y] = t;
    }
}
