package dgm4j.math;

/**
 * General matrix product C = alpha * op(A) * op(B) + beta * C, the one operation where nearly all of dgm4j's time goes.
 *
 * <p>Backends: {@link NativeBlas} (OpenBLAS bundled through JavaCPP, reading the off-heap matrices in place),
 * {@link VectorBlas} (a register-tiled Vector API kernel) and {@link ScalarBlas} (plain Java). {@link Numerics} chooses one.
 * This class checks shapes and handles the degenerate cases once, so that backends only see m, n, k &gt; 0.
 */
public abstract class Blas {

    /** Short name of the backend ("native", "vector", "scalar"). */
    public abstract String name();

    /**
     * C = alpha * op(A) op(B) + beta * C, where op(X) is X or its transpose.
     *
     * @throws IllegalArgumentException if the shapes do not agree
     */
    public final void gemm(boolean transA, boolean transB, float alpha, Matrix a, Matrix b, float beta, Matrix c) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("gemm: op(A) is " + m + "x" + k + ", op(B) is " + kb + "x" + n
                    + ", C is " + c.shape() + " (transA=" + transA + ", transB=" + transB + ")");
        }
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            Elementwise.scale(c, beta);
            return;
        }
        gemmKernel(transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    /**
     * C = alpha * op(X) op(W) + beta * C where X is expected to hold only 0s and 1s (sampled binary units, binarized
     * data): then each row of the product is a sum of selected rows of op(W) ({@link BinaryProducts}), at a cost
     * proportional to the ones in X (or to its zeros, when ones are the majority). Any X is accepted: with other
     * values, or too many ones and zeros for the sparse sums to pay, this is {@link #gemm}. For finite W results equal
     * gemm's up to rounding ({@link BinaryProducts} bounds it).
     */
    public final void gemmBinaryLeft(boolean transX, boolean transW, float alpha, Matrix x, Matrix w, float beta, Matrix c) {
        int m = transX ? x.cols() : x.rows();
        int k = transX ? x.rows() : x.cols();
        int kw = transW ? w.cols() : w.rows(), n = transW ? w.rows() : w.cols();
        if (k == kw && c.rows() == m && c.cols() == n && m > 0 && k > 0 && n > 0 && alpha != 0f
                && BinaryProducts.tryMultiply(transX, transW, alpha, x, w, beta, c, Numerics.threads())) {
            return;
        }
        gemm(transX, transW, alpha, x, w, beta, c);
    }

    /** C = A * B into a new matrix. */
    public final Matrix multiply(Matrix a, Matrix b) {
        Matrix c = Matrix.zeros(a.rows(), b.cols());
        gemm(false, false, 1f, a, b, 0f, c);
        return c;
    }

    /** Backend-specific product; shapes are valid and m, n, k &gt; 0. */
    protected abstract void gemmKernel(boolean transA, boolean transB, int m, int n, int k,
                                       float alpha, Matrix a, Matrix b, float beta, Matrix c);

    /** Sets the number of threads this backend uses for products. */
    protected abstract void setThreads(int threads);

    @Override
    public String toString() { return name(); }
}
