package dgm4j.math;

import java.util.Arrays;

/**
 * Many small matrix products, one per row: row r of each operand holds a small matrix (row-major), and row r of the
 * result receives C_r = op(A_r) op(B_r) (+ C_r). DRAW's attention multiplies every image by its own N x A and N x B
 * filterbanks this way (Gregor et al. 2015, eqs. 27 and 29): matrices of a few hundred elements, where a BLAS call per
 * example costs more than the arithmetic. Rows are copied to heap arrays and multiplied by loops whose inner loop runs
 * along contiguous memory (the JIT vectorises it).
 */
public final class BatchedProducts {
    private BatchedProducts() {}

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[5][0]);

    /**
     * For every row r: C_r = op(A_r) op(B_r) + beta C_r, where A_r is row r of {@code a} read as an aRows x (a.cols() /
     * aRows) matrix and B_r row r of {@code b} as a bRows x (b.cols() / bRows) matrix; op transposes where asked. Row r
     * of {@code c} receives the m x n result, row-major.
     *
     * @param beta 0 (overwrite) or 1 (accumulate)
     */
    public static void gemm(boolean transA, int aRows, Matrix a, boolean transB, int bRows, Matrix b, float beta, Matrix c) {
        Shape s = shape(transA, aRows, a, transB, bRows, b);
        if (c.rows() != a.rows() || c.cols() != s.m * s.n) {
            throw new IllegalArgumentException("batched gemm: result " + c.shape() + " does not hold " + a.rows() + " products of "
                    + s.m + "x" + s.n);
        }
        int m = s.m, k = s.k, n = s.n, sizeA = a.cols(), sizeB = b.cols(), sizeC = c.cols();
        float[][] scratch = SCRATCH.get();
        float[] ar = grow(scratch, 0, sizeA), br = grow(scratch, 1, sizeB), cr = grow(scratch, 2, sizeC);
        float[] an = grow(scratch, 3, m * k), bn = grow(scratch, 4, k * n);
        for (int r = 0; r < a.rows(); r++) {
            a.floats.get(a.offset + r * sizeA, ar, 0, sizeA);
            b.floats.get(b.offset + r * sizeB, br, 0, sizeB);
            float[] aa = ar, bb = br;
            if (transA) aa = transpose(ar, k, m, an);   // stored k x m
            if (transB) bb = transpose(br, n, k, bn);   // stored n x k
            if (beta == 0f) Arrays.fill(cr, 0, sizeC, 0f);
            else c.floats.get(c.offset + r * sizeC, cr, 0, sizeC);
            multiplyAdd(aa, bb, cr, m, k, n);
            c.floats.put(c.offset + r * sizeC, cr, 0, sizeC);
        }
    }

    /** The shape m x k times k x n of the products, checked. */
    private record Shape(int m, int k, int n) {}

    private static Shape shape(boolean transA, int aRows, Matrix a, boolean transB, int bRows, Matrix b) {
        if (aRows < 1 || bRows < 1 || a.cols() % aRows != 0 || b.cols() % bRows != 0) {
            throw new IllegalArgumentException("batched gemm: rows of " + a.shape() + " and " + b.shape() + " are not "
                    + aRows + "-row and " + bRows + "-row matrices");
        }
        if (a.rows() != b.rows()) throw new IllegalArgumentException("batched gemm: " + a.rows() + " and " + b.rows() + " products");
        int aCols = a.cols() / aRows, bCols = b.cols() / bRows;
        int m = transA ? aCols : aRows, k = transA ? aRows : aCols;
        int kb = transB ? bCols : bRows, n = transB ? bRows : bCols;
        if (k != kb) {
            throw new IllegalArgumentException("batched gemm: inner dimensions differ: " + aRows + "x" + aCols + (transA ? "^T" : "")
                    + " times " + bRows + "x" + bCols + (transB ? "^T" : ""));
        }
        return new Shape(m, k, n);
    }

    /** The number of columns op(A_r) op(B_r) has when flattened (m n), for callers sizing their result. */
    public static int resultSize(boolean transA, int aRows, Matrix a, boolean transB, int bRows, Matrix b) {
        Shape s = shape(transA, aRows, a, transB, bRows, b);
        return s.m * s.n;
    }

    /** The number of rows of op(A_r) op(B_r). */
    public static int resultRows(boolean transA, int aRows, Matrix a, boolean transB, int bRows, Matrix b) {
        return shape(transA, aRows, a, transB, bRows, b).m;
    }

    /** c (m x n) += a (m x k) b (k x n); the inner loop along b's and c's rows. */
    private static void multiplyAdd(float[] a, float[] b, float[] c, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            int ci = i * n;
            for (int p = 0; p < k; p++) {
                float v = a[i * k + p];
                if (v == 0f) continue;
                int bp = p * n;
                for (int j = 0; j < n; j++) c[ci + j] += v * b[bp + j];
            }
        }
    }

    /** dst (cols x rows) = src (rows x cols)^T. */
    private static float[] transpose(float[] src, int rows, int cols, float[] dst) {
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) dst[j * rows + i] = src[i * cols + j];
        return dst;
    }

    private static float[] grow(float[][] scratch, int i, int n) {
        if (scratch[i].length < n) scratch[i] = new float[n];
        return scratch[i];
    }
}
