package dgm4j.math;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Common part of the pure-Java backends: op(A) and op(B) are packed into heap arrays (resolving transposes), a kernel
 * computes the product of the packed arrays, and the result is merged into C as alpha * AB + beta * C. Rows of C are
 * split among threads; each row is computed in the same order whatever the thread count.
 */
abstract class JavaBlas extends Blas {
    private volatile int threads = 1;

    @Override
    protected void setThreads(int threads) { this.threads = threads; }

    /** c[rowFrom..rowTo) = a[m x k] * b[k x n] for the given rows; c is zero on entry. */
    protected abstract void multiplyRows(float[] a, float[] b, float[] c, int n, int k, int rowFrom, int rowTo);

    @Override
    protected void gemmKernel(boolean transA, boolean transB, int m, int n, int k,
                              float alpha, Matrix a, Matrix b, float beta, Matrix c) {
        float[] pa = pack(a, transA);
        float[] pb = pack(b, transB);
        float[] pc = new float[m * n];
        int t = Math.min(threads, Math.max(1, m / 16));
        if (t <= 1) {
            multiplyRows(pa, pb, pc, n, k, 0, m);
        } else {
            int chunk = (m + t - 1) / t;
            ForkJoinPool pool = Numerics.pool();
            pool.submit(() -> IntStream.range(0, t).parallel().forEach(w -> {
                int from = w * chunk;
                int to = Math.min(m, from + chunk);
                if (from < to) multiplyRows(pa, pb, pc, n, k, from, to);
            })).join();
        }
        float[] row = new float[n];
        for (int i = 0; i < m; i++) {
            if (beta == 0f) {
                for (int j = 0; j < n; j++) row[j] = alpha * pc[i * n + j];
            } else {
                c.getRow(i, row);
                for (int j = 0; j < n; j++) row[j] = alpha * pc[i * n + j] + beta * row[j];
            }
            c.setRow(i, row);
        }
    }

    /** op(X) as a row-major heap array. */
    private static float[] pack(Matrix x, boolean transpose) {
        float[] flat = x.toArray();
        if (!transpose) return flat;
        int r = x.rows();
        int cc = x.cols();
        float[] t = new float[flat.length];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < cc; j++) t[j * r + i] = flat[i * cc + j];
        }
        return t;
    }
}
