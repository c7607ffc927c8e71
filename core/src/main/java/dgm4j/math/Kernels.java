package dgm4j.math;

/**
 * Elementwise kernels over matrix storage; one implementation uses the Vector API, the other plain Java. Callers go
 * through {@link Elementwise}, which checks shapes. Ranges are flat element ranges of equal-shaped matrices.
 */
interface Kernels {
    /** Unary functions applied elementwise. */
    enum Fn { SIGMOID, TANH, SOFTPLUS, EXP, LOG, SQUARE }

    String name();

    /** out[k] = fn(x[k]) for k in [0, n). */
    void map(Fn fn, Matrix x, Matrix out, int n);

    /** out[k] = a * x[k] + b * y[k] (y may be null: then b is ignored). */
    void axpby(float a, Matrix x, float b, Matrix y, Matrix out, int n);

    /** out[k] = x[k] * y[k]. */
    void multiply(Matrix x, Matrix y, Matrix out, int n);

    /** velocity = momentum * velocity + lr * (gradient - decay * param); param += velocity. */
    void momentumStep(Matrix param, Matrix gradient, Matrix velocity, float momentum, float lr, float decay, int n);

    /** out[i, :] = x[i, :] + v (v a 1 x cols row vector). */
    void addRowVector(Matrix x, Matrix v, Matrix out);

    /** dst[from + k] = (u[k] &lt; p[from + k]) ? 1 : 0 for k in [0, len); if sigmoid, p is first replaced by sigmoid(p)
     *  written to prob (when prob is not null). {@code work} is scratch of at least len floats. */
    void bernoulli(Matrix p, boolean sigmoid, Matrix prob, Matrix dst, float[] u, float[] work, int from, int len);

    /** dst[from + k] = mean + std * sqrt(-2 ln(1 - u1[k])) cos(2 pi u2[k]) (Box-Muller); mean / std null mean 0 / 1. */
    void gaussian(Matrix mean, Matrix std, Matrix dst, float[] u1, float[] u2, int from, int len);

    /** out[i] = sum_j softplus(scale * x[i, j]), each term in float32, summed in double in index order. */
    void softplusRowSums(Matrix x, float scale, double[] out);

    /** out[i] = log sum_j exp(x[i, j]), accumulated in double. */
    void logSumExpRows(Matrix x, double[] out);

    /** Advances the 16-lane xoshiro128++ state, writing n uniforms in [0, 1) to dst: element 16r + l is lane l's r-th
     *  output, so every implementation gives bitwise the same numbers. */
    void uniforms(int[] state, float[] dst, int n);
}
