package dgm4j.math;

/**
 * Elementwise kernels over matrix storage; one implementation uses the Vector API, the other plain Java. Callers go
 * through {@link Elementwise}, which checks shapes. Ranges are flat element ranges of equal-shaped matrices.
 */
interface Kernels {
    /** Unary functions applied elementwise. */
    enum Fn { SIGMOID, TANH, SOFTPLUS, EXP, LOG, SQUARE }

    /** Functions of two equal-shaped operands (a, b), mostly the backward passes of {@link Fn}:
     *  TANH_BACKWARD a (1 - b^2) with b = tanh(x); SIGMOID_BACKWARD a b (1 - b) with b = sigmoid(x);
     *  SOFTPLUS_BACKWARD a sigmoid(b) with b = x; DIVIDE a / b. */
    enum Fn2 { TANH_BACKWARD, SIGMOID_BACKWARD, SOFTPLUS_BACKWARD, DIVIDE }

    String name();

    /** out[k] = fn(a[k], b[k]) for k in [0, n). */
    void map2(Fn2 fn, Matrix a, Matrix b, Matrix out, int n);

    /** Adam (Kingma &amp; Ba 2015, bias correction folded into stepSize and epsilon):
     *  m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2;  param -= stepSize m / (sqrt(v) + epsilon). */
    void adamStep(Matrix param, Matrix gradient, Matrix m, Matrix v, float beta1, float beta2, float stepSize,
                  float epsilon, int n);

    /** out[i] = sum_j x[i,j] l[i,j] - softplus(l[i,j]) (log Bernoulli(x | sigmoid(l)), terms in float32 summed in double
     *  by four accumulators j mod 4, combined (s0 + s1) + (s2 + s3)) and grad[i,j] = x[i,j] - sigmoid(l[i,j]), its derivative in l; one exp and one log per element. */
    void bernoulliLogLikelihood(Matrix logits, Matrix x, Matrix grad, double[] out);
    // x may have fewer rows than logits (a divisor of them): row i of logits then goes with row i / (rows / x.rows())

    /** out[k] = fn(x[k]) for k in [0, n). */
    void map(Fn fn, Matrix x, Matrix out, int n);

    /** out[k] = a * x[k] + b * y[k] (y may be null: then b is ignored). */
    void axpby(float a, Matrix x, float b, Matrix y, Matrix out, int n);

    /** out[k] = x[k] * y[k]. */
    void multiply(Matrix x, Matrix y, Matrix out, int n);

    /** velocity = momentum * velocity + lr * (gradient - decay * param); param += velocity. */
    void momentumStep(Matrix param, Matrix gradient, Matrix velocity, float momentum, float lr, float decay, int n);

    /** Diagonal Gaussian row log-densities: u = (z - mu) e^-ls into u, e^-ls into inverseSigma, and
     *  out[i] = sum_j (-log(2 pi)/2 - ls_ij - u_ij^2 / 2), terms in float32 summed in double by four accumulators
     *  (j mod 4) combined (s0 + s1) + (s2 + s3). */
    void gaussianLogDensity(Matrix z, Matrix mu, Matrix logSigma, Matrix u, Matrix inverseSigma, double[] out);

    /** With du = g_i u inverseSigma: dz = -du, dmu = du, dlogSigma = g_i (u^2 - 1); null outputs are skipped. */
    void gaussianLogDensityBackward(Matrix u, Matrix inverseSigma, double[] g, Matrix dz, Matrix dmu, Matrix dlogSigma);

    /** out[i, :] = sum_{s &lt; k} g[i k + s, :] (summed in float, s in order). */
    void sumRowGroups(Matrix g, int k, Matrix out);

    /** out[r n .. r n + n) = sum over p in [start[r], start[r + 1]) of w[index[p] n .. index[p] n + n), r &lt; rows, summed
     *  in float in list order: the rows of w (n columns, on the heap) that each list selects ({@link BinaryProducts}). */
    void sumSelectedRows(int rows, int[] start, int[] index, float[] w, int n, float[] out);

    /** Bit j mod 64 of masks[i w + j / 64] (w = (cols + 63) / 64 words per row) set where x[i, j] == 1, clear where it
     *  is 0; returns the number of ones, -1 (masks then undefined) if x holds any other value, or -2 as soon as, after
     *  a row, both the ones and the zeros seen exceed {@code limit} (the caller then has no use for the masks). */
    long binaryMasks(Matrix x, long[] masks, long limit);

    /** out[i, :] = (float) s[i] * x[i, :]. */
    void scaleRows(Matrix x, double[] s, Matrix out);

    /** out[i, :] = x[i, :] + v (v a 1 x cols row vector). */
    void addRowVector(Matrix x, Matrix v, Matrix out);

    /** dst[from + k] = (u[k] &lt; p[from + k]) ? 1 : 0 for k in [0, len); if sigmoid, p is first replaced by sigmoid(p)
     *  written to prob (when prob is not null). {@code work} is scratch of at least len floats. */
    void bernoulli(Matrix p, boolean sigmoid, Matrix prob, Matrix dst, float[] u, float[] work, int from, int len);

    /** Box-Muller keeping both outputs ({@link FloatMath#boxMuller}): with h = (len + 1) / 2 uniform pairs (u1[p], u2[p]),
     *  dst[from + p] = mean + std * r_p cos_p and dst[from + h + p] = mean + std * r_p sin_p (the latter for
     *  h + p &lt; len); mean / std null mean 0 / 1. u1 and u2 are overwritten. */
    void gaussian(Matrix mean, Matrix std, Matrix dst, float[] u1, float[] u2, int from, int len);

    /** out[i] = sum_j softplus(scale * x[i, j]), each term in float32, summed in double in index order. */
    void softplusRowSums(Matrix x, float scale, double[] out);

    /** out[i] = log sum_j exp(x[i, j]), accumulated in double. */
    void logSumExpRows(Matrix x, double[] out);

    /** Advances the 16-lane xoshiro128++ state, writing n uniforms in [0, 1) to dst: element 16r + l is lane l's r-th
     *  output, so every implementation gives bitwise the same numbers. */
    void uniforms(int[] state, float[] dst, int n);

    /** The LSTM cell's state (Hochreiter &amp; Schmidhuber 1997, with a forget gate): {@code act} holds per row the activated
     *  gates in column blocks [i f o g] of width H = c.cols(); c = f cPrev + i g, elementwise. */
    void lstmState(Matrix act, Matrix cPrev, Matrix c);

    /** The LSTM cell's output h = o tanhC (o the third block of {@code act}). */
    void lstmOutput(Matrix act, Matrix tanhC, Matrix h);

    /** The cell's backward pass, with dc~ = dc + dh o (1 - tanhC^2): d i = dc~ g i (1 - i), d f = dc~ cPrev f (1 - f),
     *  d o = dh tanhC o (1 - o), d g = dc~ i (1 - g^2) into the blocks of dGates (pre-activation gradients), and
     *  dcPrev = dc~ f. */
    void lstmBackward(Matrix act, Matrix cPrev, Matrix tanhC, Matrix dh, Matrix dc, Matrix dGates, Matrix dcPrev);
}
