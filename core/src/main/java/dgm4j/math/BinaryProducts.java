package dgm4j.math;

import java.util.Arrays;

/**
 * Products whose left factor is a 0/1 matrix (sampled binary units, binarized data). Row r of X W is the sum of the
 * rows of W that row r of X selects, so it costs (ones in X) x n additions instead of the m k n multiply-adds of a
 * dense product; and since 1 W (the column sums of W) is one pass over W, row r is also those column sums minus the
 * rows that X leaves out, which costs (zeros in X) x n. The product therefore costs in proportion to min(d, 1 - d) of
 * X's density d. On MNIST-like visible layers (13% ones) this is ~2x faster than OpenBLAS's sgemm (bench/README.md).
 * W may be transposed; the sums then gather single entries of W's rows, which pays only for very sparse X
 * ({@link #MAX_DENSITY_TRANSPOSED}). When both ones and zeros exceed {@link #MAX_DENSITY} (divided by the product threads) the dense product is faster
 * and is used instead, as it is when X holds any value other than 0 and 1, or when the product has fewer than
 * {@link #MIN_ROWS} rows (copying W to the heap would cost more than the product). For finite W the result equals
 * gemm's up to rounding: the row sums are exact up to the order of additions, the complement's error is within
 * float epsilon times the column sums of |W|. (An infinite or NaN entry of W in a row that X does not select leaves
 * the row-sum result finite where gemm's 0 * inf would give NaN; trainers check their parameters for that.) Work
 * space is per thread.
 */
final class BinaryProducts {
    /** The sparse path is taken up to this fraction of ones, or of zeros (one product thread; break-even ~0.3). */
    static final double MAX_DENSITY = 0.2;

    /** With W transposed the sums gather single floats (no vectors), so the sparse path pays only up to this fraction
     *  of ones or zeros (measured break-even ~0.045: 100x1000 by (500x1000)^T at 1% ones 0.35 ms against sgemm's 1.1). */
    static final double MAX_DENSITY_TRANSPOSED = 0.03;

    /** Products with fewer rows than this are left to gemm. */
    static final int MIN_ROWS = 8;

    /** -Ddgm4j.binaryProducts=false always uses the dense product (to measure what this saves). */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("dgm4j.binaryProducts", "true"));

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        int[] start = new int[0];     // list r of selected rows: index[start[r] .. start[r + 1])
        int[] index = new int[0];
        long[] masks = new long[0];   // X's ones as bits, row by row
        int[] rowStart = new int[0], rowIndex = new int[0];   // the listed columns of X, row by row
        float[] w = new float[0];     // W on the heap (a bulk copy: ~0.03 ms for 784 x 500)
        float[] out = new float[0];
        float[] c = new float[0];
        float[] columnSums = new float[0];
        Matrix sums;                  // 1 x n, the column sums of W before they go to the heap

        static int[] grow(int[] a, int n) { return a.length >= n ? a : new int[Math.max(n, 2 * a.length)]; }
        static long[] grow(long[] a, int n) { return a.length >= n ? a : new long[Math.max(n, 2 * a.length)]; }
        static float[] grow(float[] a, int n) { return a.length >= n ? a : new float[Math.max(n, 2 * a.length)]; }
    }

    private BinaryProducts() {}

    /**
     * C = alpha op(X) op(W) + beta C if X is 0/1 with few enough ones or few enough zeros; returns false (C untouched)
     * otherwise (and always for X and W both transposed). Shapes are checked by the caller: op(X) is m x k, op(W)
     * k x n, C m x n, all non-empty.
     */
    static boolean tryMultiply(boolean transX, boolean transW, float alpha, Matrix x, Matrix w, float beta, Matrix c,
                               int threads) {
        int xr = x.rows(), xc = x.cols(), words = (xc + 63) / 64;
        if (!ENABLED || (transX ? xc : xr) < MIN_ROWS || (transX && transW)) return false;
        Scratch s = SCRATCH.get();
        long size0 = (long) xr * xc;
        s.masks = Scratch.grow(s.masks, xr * words);
        double limit = (transW ? MAX_DENSITY_TRANSPOSED : MAX_DENSITY) / Math.max(1, threads) * size0;
        long nOnes = Numerics.kernels().binaryMasks(x, s.masks, (long) limit);
        if (nOnes < 0) return false;   // not a 0/1 matrix, or too many ones and zeros
        boolean complement;   // sum the rows X leaves out, subtracted from the column sums
        if (nOnes <= limit) complement = false;
        else if (size0 - nOnes <= limit) complement = true;
        else return false;
        int nnz = (int) (complement ? size0 - nOnes : nOnes);
        // the listed columns of each row of X, from the bit masks
        s.rowStart = Scratch.grow(s.rowStart, xr + 1);
        s.rowIndex = Scratch.grow(s.rowIndex, nnz);
        int[] rowStart = s.rowStart, rowIndex = s.rowIndex;
        long[] masks = s.masks;
        long lastWord = xc % 64 == 0 ? -1L : (1L << (xc % 64)) - 1;
        int listed = 0;
        for (int i = 0; i < xr; i++) {
            rowStart[i] = listed;
            for (int word = 0; word < words; word++) {
                long bits = masks[i * words + word];
                if (complement) bits = ~bits & (word == words - 1 ? lastWord : -1L);
                while (bits != 0) {
                    rowIndex[listed++] = 64 * word + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                }
            }
        }
        rowStart[xr] = listed;
        int outRows = transX ? xc : xr;
        int[] start = rowStart, index = rowIndex;
        if (transX) {
            // regroup by column: list j holds the rows i listed with column j (a counting sort)
            s.start = Scratch.grow(s.start, xc + 1);
            s.index = Scratch.grow(s.index, nnz);
            start = s.start;
            index = s.index;
            Arrays.fill(start, 0, xc + 1, 0);
            for (int p = 0; p < nnz; p++) start[rowIndex[p] + 1]++;
            for (int j = 0; j < xc; j++) start[j + 1] += start[j];
            for (int i = 0; i < xr; i++) {
                for (int p = rowStart[i]; p < rowStart[i + 1]; p++) index[start[rowIndex[p]]++] = i;
            }
            System.arraycopy(start, 0, start, 1, xc);   // the fill moved each start to the next list's
            start[0] = 0;
        }
        int k = transW ? w.cols() : w.rows(), n = transW ? w.rows() : w.cols();   // op(W) is k x n
        s.w = Scratch.grow(s.w, k * n);
        float[] wh = s.w;
        w.floats.get(w.offset, wh, 0, k * n);
        int size = outRows * n;  // output elements
        s.out = Scratch.grow(s.out, size);
        float[] out = s.out;
        float[] base = null;   // with the complement: 1 op(W), the sums over all k
        if (complement) {
            s.columnSums = Scratch.grow(s.columnSums, n);
            base = s.columnSums;
        }
        if (transW) {
            gatherWithinRows(outRows, start, index, wh, n, k, out, base);
        } else {
            Numerics.kernels().sumSelectedRows(outRows, start, index, wh, n, out);
            if (complement) {   // 1 W, the column sums (a product with ones: OpenBLAS)
                if (s.sums == null || s.sums.cols() != n) s.sums = Matrix.zeros(1, n);
                Elementwise.columnSums(w, 1f, 0f, s.sums).floats.get(s.sums.offset, base, 0, n);
            }
        }
        if (beta != 0f) {
            s.c = Scratch.grow(s.c, size);
            c.floats.get(c.offset, s.c, 0, size);
        }
        float[] old = s.c;
        for (int r = 0; r < outRows; r++) {
            int o = r * n;
            for (int j = 0; j < n; j++) {
                float sum = complement ? base[j] - out[o + j] : out[o + j];
                out[o + j] = beta == 0f ? alpha * sum : alpha * sum + beta * old[o + j];
            }
        }
        c.floats.put(c.offset, out, 0, size);
        return true;
    }

    /**
     * The product with W transposed, W n x k on the heap: out[r, i] = sum over the listed j of W[i, j], row i of W
     * staying in L1 while every list reads its entries (scalar gathers, so only for very sparse X:
     * {@link #MAX_DENSITY_TRANSPOSED}). base (may be null) receives the row sums of W, summed in index order.
     */
    private static void gatherWithinRows(int rows, int[] start, int[] index, float[] w, int n, int k, float[] out, float[] base) {
        for (int i = 0; i < n; i++) {
            int wi = i * k;
            for (int r = 0; r < rows; r++) {
                float sum = 0f;
                for (int p = start[r], end = start[r + 1]; p < end; p++) sum += w[wi + index[p]];
                out[r * n + i] = sum;
            }
            if (base != null) {
                float sum = 0f;
                for (int j = 0; j < k; j++) sum += w[wi + j];
                base[i] = sum;
            }
        }
    }
}
