package dgm4j.math;

import java.util.Arrays;

/**
 * Elementwise operations on matrices (shape-checked), dispatched to the Vector API or scalar kernels
 * ({@link Numerics}). Every method allows {@code out} to be one of its inputs.
 */
public final class Elementwise {
    private Elementwise() {}

    /** out = sigmoid(x) = 1 / (1 + exp(-x)). */
    public static Matrix sigmoid(Matrix x, Matrix out) { return map(Kernels.Fn.SIGMOID, x, out); }

    public static Matrix tanh(Matrix x, Matrix out) { return map(Kernels.Fn.TANH, x, out); }

    /** out = log(1 + exp(x)), stable for large |x|. */
    public static Matrix softplus(Matrix x, Matrix out) { return map(Kernels.Fn.SOFTPLUS, x, out); }

    public static Matrix exp(Matrix x, Matrix out) { return map(Kernels.Fn.EXP, x, out); }

    public static Matrix log(Matrix x, Matrix out) { return map(Kernels.Fn.LOG, x, out); }

    public static Matrix square(Matrix x, Matrix out) { return map(Kernels.Fn.SQUARE, x, out); }

    private static Matrix map(Kernels.Fn fn, Matrix x, Matrix out) {
        Matrix.requireSameShape(x, out, fn.name().toLowerCase());
        Numerics.kernels().map(fn, x, out, x.size());
        return out;
    }

    /** out = max(x, 0): the rectifier. */
    public static Matrix relu(Matrix x, Matrix out) {
        Matrix.requireSameShape(x, out, "relu");
        int n = x.size();
        for (int k = 0; k < n; k++) out.floats.put(out.offset + k, Math.max(0f, x.floats.get(x.offset + k)));
        return out;
    }

    /** out = g where y &gt; 0, else 0: the gradient through y = relu(x). */
    public static Matrix reluBackward(Matrix g, Matrix y, Matrix out) {
        Matrix.requireSameShape(g, y, "reluBackward");
        Matrix.requireSameShape(g, out, "reluBackward");
        int n = g.size();
        for (int k = 0; k < n; k++) out.floats.put(out.offset + k, y.floats.get(y.offset + k) > 0f ? g.floats.get(g.offset + k) : 0f);
        return out;
    }

    /** c = beta * c. */
    public static Matrix scale(Matrix c, float beta) {
        if (beta == 0f) return c.fill(0f);
        Numerics.kernels().axpby(beta, c, 0f, null, c, c.size());
        return c;
    }

    /** out = a * x + b * y. */
    public static Matrix axpby(float a, Matrix x, float b, Matrix y, Matrix out) {
        Matrix.requireSameShape(x, y, "axpby");
        Matrix.requireSameShape(x, out, "axpby");
        Numerics.kernels().axpby(a, x, b, y, out, x.size());
        return out;
    }

    /** x += c for every element. */
    public static Matrix addScalar(Matrix x, float c) {
        int n = x.size();
        for (int k = 0; k < n; k++) x.floats.put(x.offset + k, x.floats.get(x.offset + k) + c);
        return x;
    }

    /** out = x + y. */
    public static Matrix add(Matrix x, Matrix y, Matrix out) { return axpby(1f, x, 1f, y, out); }

    /** out = x - y. */
    public static Matrix subtract(Matrix x, Matrix y, Matrix out) { return axpby(1f, x, -1f, y, out); }

    /** out = x * y (elementwise). */
    public static Matrix multiply(Matrix x, Matrix y, Matrix out) {
        Matrix.requireSameShape(x, y, "multiply");
        Matrix.requireSameShape(x, out, "multiply");
        Numerics.kernels().multiply(x, y, out, x.size());
        return out;
    }

    /** out[i, :] = x[i, :] + v, where v is a 1 x cols row vector (a bias broadcast over rows). */
    public static Matrix addRowVector(Matrix x, Matrix v, Matrix out) {
        Matrix.requireSameShape(x, out, "addRowVector");
        if (v.rows() != 1 || v.cols() != x.cols()) {
            throw new IllegalArgumentException("addRowVector: expected a 1x" + x.cols() + " row vector, got " + v.shape());
        }
        Numerics.kernels().addRowVector(x, v, out);
        return out;
    }

    /** out[i, :] = x[i, :] * v (elementwise), where v is a 1 x cols row vector (a per-column scale, e.g. 1 / sigma). */
    public static Matrix multiplyRowVector(Matrix x, Matrix v, Matrix out) {
        Matrix.requireSameShape(x, out, "multiplyRowVector");
        if (v.rows() != 1 || v.cols() != x.cols()) {
            throw new IllegalArgumentException("multiplyRowVector: expected a 1x" + x.cols() + " row vector, got " + v.shape());
        }
        int r = x.rows(), c = x.cols();
        for (int i = 0; i < r; i++) {
            int xi = x.offset + i * c, oi = out.offset + i * c;
            for (int j = 0; j < c; j++) out.floats.put(oi + j, x.floats.get(xi + j) * v.floats.get(v.offset + j));
        }
        return out;
    }

    /** out[i, :] = v for every row i, where v is a 1 x cols row vector (e.g. to start a product with a bias). */
    public static Matrix broadcastRow(Matrix v, Matrix out) {
        if (v.rows() != 1 || v.cols() != out.cols()) {
            throw new IllegalArgumentException("broadcastRow: expected a 1x" + out.cols() + " row vector, got " + v.shape());
        }
        if (out.rows() == 0) return out;
        Numerics.blas().gemm(false, false, 1f, ones(out.rows()).reshape(out.rows(), 1), v, 0f, out); // 1 v: an outer product
        return out;
    }

    private static final ThreadLocal<float[][]> TRANSPOSE_SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    /** out = x^T (out is cols x rows): bulk copies to the heap and a 32 x 32 blocked transpose there (~0.4 ms for 784 x 500). */
    public static Matrix transpose(Matrix x, Matrix out) {
        int r = x.rows(), c = x.cols();
        if (out.rows() != c || out.cols() != r) {
            throw new IllegalArgumentException("transpose: " + x.shape() + " into " + out.shape());
        }
        float[][] scratch = TRANSPOSE_SCRATCH.get();
        int n = r * c;
        if (scratch[0].length < n) {
            scratch[0] = new float[n];
            scratch[1] = new float[n];
        }
        float[] a = scratch[0], t = scratch[1];
        x.floats.get(x.offset, a, 0, n);
        final int block = 32;
        for (int i0 = 0; i0 < r; i0 += block) {
            int i1 = Math.min(r, i0 + block);
            for (int j0 = 0; j0 < c; j0 += block) {
                int j1 = Math.min(c, j0 + block);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) t[j * r + i] = a[i * c + j];
                }
            }
        }
        out.floats.put(out.offset, t, 0, n);
        return out;
    }

    /** out[i] = log sum_j exp(x[i, j]), max-shifted and accumulated in double. */
    public static double[] logSumExpRows(Matrix x) {
        double[] out = new double[x.rows()];
        if (x.cols() == 0) {
            Arrays.fill(out, Double.NEGATIVE_INFINITY);
            return out;
        }
        Numerics.kernels().logSumExpRows(x, out);
        return out;
    }

    /** out[i] = log (1/cols) sum_j exp(x[i, j]), e.g. an importance-sampling estimate from log-weights. */
    public static double[] logMeanExpRows(Matrix x) {
        double[] out = logSumExpRows(x);
        double logCount = Math.log(x.cols());
        for (int i = 0; i < out.length; i++) out[i] -= logCount;
        return out;
    }

    /**
     * out[i] = sum_j softplus(scale * x[i, j]), summed in double: the hidden units summed out of an RBM's free energy
     * (at inverse temperature {@code scale} in AIS), in one pass without writing the softplus values.
     */
    public static double[] softplusRowSums(Matrix x, float scale) {
        double[] out = new double[x.rows()];
        if (x.cols() > 0) Numerics.kernels().softplusRowSums(x, scale, out);
        return out;
    }

    /** out[i] = sum_j x[i, j], in double. */
    public static double[] rowSums(Matrix x) {
        double[] out = new double[x.rows()];
        int c = x.cols();
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            int base = x.offset + i * c;
            for (int j = 0; j < c; j++) s += x.floats.get(base + j);
            out[i] = s;
        }
        return out;
    }

    /** out[i] = sum_j x[i, j] * v[j] for a 1 x cols row vector v, in double. */
    public static double[] rowDot(Matrix x, Matrix v) {
        if (v.rows() != 1 || v.cols() != x.cols()) {
            throw new IllegalArgumentException("rowDot: expected a 1x" + x.cols() + " row vector, got " + v.shape());
        }
        double[] out = new double[x.rows()];
        int c = x.cols();
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            int base = x.offset + i * c;
            for (int j = 0; j < c; j++) s += (double) x.floats.get(base + j) * v.floats.get(v.offset + j);
            out[i] = s;
        }
        return out;
    }

    /** out[i] = sum_j x[i, j] * y[i, j] (row-wise dot products of equal-shaped matrices), in double. */
    public static double[] rowDotRows(Matrix x, Matrix y) {
        Matrix.requireSameShape(x, y, "rowDotRows");
        double[] out = new double[x.rows()];
        int c = x.cols();
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            int xi = x.offset + i * c, yi = y.offset + i * c;
            for (int j = 0; j < c; j++) s += (double) x.floats.get(xi + j) * y.floats.get(yi + j);
            out[i] = s;
        }
        return out;
    }

    /** out (1 x cols) = alpha * column sums of x + beta * out: a bias gradient (a product with a row of ones). */
    public static Matrix columnSums(Matrix x, float alpha, float beta, Matrix out) {
        if (out.rows() != 1 || out.cols() != x.cols()) {
            throw new IllegalArgumentException("columnSums: expected a 1x" + x.cols() + " output, got " + out.shape());
        }
        Numerics.blas().gemm(false, false, alpha, ones(x.rows()), x, beta, out);
        return out;
    }

    private static volatile Matrix ones = Matrix.zeros(1, 0);

    /** A 1 x n row of ones (shared, read-only by convention). */
    static Matrix ones(int n) {
        Matrix o = ones;
        if (o.cols() < n) {
            o = Matrix.zeros(1, Math.max(n, 2 * o.cols())).fill(1f);
            ones = o;
        }
        return o.cols() == n ? o : o.reshape(1, o.cols()).columnsPrefix(n);
    }

    /**
     * One pass of SGD with momentum and L2 decay (decay applied to this parameter):
     * velocity = momentum * velocity + lr * (gradient - decay * param);  param += velocity.
     */
    public static void momentumStep(Matrix param, Matrix gradient, Matrix velocity, float momentum, float lr, float decay) {
        Matrix.requireSameShape(param, gradient, "momentumStep");
        Matrix.requireSameShape(param, velocity, "momentumStep");
        Numerics.kernels().momentumStep(param, gradient, velocity, momentum, lr, decay, param.size());
    }

    /** Sum of all elements, in double. */
    public static double sum(Matrix x) {
        double s = 0;
        int n = x.size();
        for (int k = 0; k < n; k++) s += x.floats.get(x.offset + k);
        return s;
    }

    /** Sum of the squares of all elements, in double (e.g. a gradient's squared norm). */
    public static double sumOfSquares(Matrix x) {
        double s = 0;
        int n = x.size();
        for (int k = 0; k < n; k++) {
            double v = x.floats.get(x.offset + k);
            s += v * v;
        }
        return s;
    }

    /**
     * out[i, :] = softmax(x[i, :]) = exp(x[i, j] - m_i) / sum_j exp(x[i, j] - m_i), m_i the row maximum; sums in double.
     * A row containing +infinity puts its mass evenly on those entries; a row of -infinity or NaN gives NaN.
     */
    public static Matrix softmaxRows(Matrix x, Matrix out) {
        Matrix.requireSameShape(x, out, "softmaxRows");
        int r = x.rows(), c = x.cols();
        float[] row = new float[c];
        for (int i = 0; i < r; i++) {
            x.floats.get(x.offset + i * c, row);
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, row[j]);
            if (max == Float.POSITIVE_INFINITY) {
                int count = 0;
                for (int j = 0; j < c; j++) if (row[j] == max) count++;
                for (int j = 0; j < c; j++) row[j] = row[j] == max ? 1f / count : 0f;
            } else {
                double s = 0;
                for (int j = 0; j < c; j++) {
                    float e = FloatMath.exp(row[j] - max);
                    row[j] = e;
                    s += e;
                }
                float inv = (float) (1.0 / s);
                for (int j = 0; j < c; j++) row[j] *= inv;
            }
            out.floats.put(out.offset + i * c, row);
        }
        return out;
    }

    /**
     * One categorical draw per row from softmax(logits[i, :]) by inverse CDF: out[i] = the first j at which the
     * cumulative probability exceeds uniforms[i, 0] (in [0, 1)), in double; the last category catches rounding.
     */
    public static int[] sampleCategoricalRows(Matrix logits, Matrix uniforms, int[] out) {
        int r = logits.rows(), c = logits.cols();
        if (uniforms.rows() != r || uniforms.cols() != 1) throw new IllegalArgumentException("sampleCategoricalRows: uniforms " + uniforms.shape() + " for " + r + " rows");
        if (out.length != r) throw new IllegalArgumentException("sampleCategoricalRows: " + out.length + " outputs for " + r + " rows");
        float[] row = new float[c];
        for (int i = 0; i < r; i++) {
            logits.floats.get(logits.offset + i * c, row);
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, row[j]);
            double z = 0;
            for (int j = 0; j < c; j++) z += Math.exp(row[j] - max);
            double u = uniforms.floats.get(uniforms.offset + i) * z, cumulative = 0;
            int chosen = c - 1;
            for (int j = 0; j < c - 1; j++) {
                cumulative += Math.exp(row[j] - max);
                if (cumulative > u) {
                    chosen = j;
                    break;
                }
            }
            out[i] = chosen;
        }
        return out;
    }

    /** out[i, :] = s[i] * x[i, :] (a per-row scale, e.g. probabilities times document lengths). */
    public static Matrix scaleRows(Matrix x, double[] s, Matrix out) {
        Matrix.requireSameShape(x, out, "scaleRows");
        if (s.length != x.rows()) throw new IllegalArgumentException("scaleRows: " + s.length + " scales for " + x.rows() + " rows");
        Numerics.kernels().scaleRows(x, s, out);
        return out;
    }

    /** out = g * (1 - y^2): the gradient through y = tanh(x). */
    public static Matrix tanhBackward(Matrix g, Matrix y, Matrix out) { return map2(Kernels.Fn2.TANH_BACKWARD, g, y, out); }

    /** out = g * y * (1 - y): the gradient through y = sigmoid(x). */
    public static Matrix sigmoidBackward(Matrix g, Matrix y, Matrix out) { return map2(Kernels.Fn2.SIGMOID_BACKWARD, g, y, out); }

    /** out = g * sigmoid(x): the gradient through softplus(x). */
    public static Matrix softplusBackward(Matrix g, Matrix x, Matrix out) { return map2(Kernels.Fn2.SOFTPLUS_BACKWARD, g, x, out); }

    /** out = a / b (elementwise). */
    public static Matrix divide(Matrix a, Matrix b, Matrix out) { return map2(Kernels.Fn2.DIVIDE, a, b, out); }

    private static Matrix map2(Kernels.Fn2 fn, Matrix a, Matrix b, Matrix out) {
        String name = fn.name().toLowerCase();
        Matrix.requireSameShape(a, b, name);
        Matrix.requireSameShape(a, out, name);
        Numerics.kernels().map2(fn, a, b, out, a.size());
        return out;
    }

    /**
     * One Adam step (Kingma &amp; Ba 2015) in one pass: m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g^2,
     * param -= stepSize m / (sqrt(v) + epsilon). The caller folds the bias corrections of step t into
     * stepSize = lr sqrt(1 - beta2^t) / (1 - beta1^t) and epsilon = eps sqrt(1 - beta2^t) (then this equals PyTorch's Adam).
     */
    public static void adamStep(Matrix param, Matrix gradient, Matrix m, Matrix v, float beta1, float beta2,
                                float stepSize, float epsilon) {
        Matrix.requireSameShape(param, gradient, "adamStep");
        Matrix.requireSameShape(param, m, "adamStep");
        Matrix.requireSameShape(param, v, "adamStep");
        Numerics.kernels().adamStep(param, gradient, m, v, beta1, beta2, stepSize, epsilon, param.size());
    }

    /**
     * Row log-likelihoods of binary data x under Bernoulli units with logits l, and their gradient in one pass:
     * out[i] = sum_j x_ij l_ij - softplus(l_ij) (in double), grad = x - sigmoid(l). If x has n rows and l has n k, row
     * i of l is scored against row i / k of x (k samples per example, without repeating the data).
     */
    public static double[] bernoulliLogLikelihood(Matrix logits, Matrix x, Matrix grad, double[] out) {
        boolean fits = x.cols() == logits.cols() && (x.rows() == 0 ? logits.rows() == 0 : logits.rows() % x.rows() == 0);
        if (!fits) {
            throw new IllegalArgumentException("bernoulliLogLikelihood: data " + x.shape() + " do not fit logits " + logits.shape()
                    + " (equal shapes, or logits rows a multiple of the data's: each data row repeated)");
        }
        Matrix.requireSameShape(logits, grad, "bernoulliLogLikelihood");
        if (out.length != logits.rows()) throw new IllegalArgumentException("bernoulliLogLikelihood: " + out.length + " outputs for " + logits.rows() + " rows");
        if (logits.cols() == 0) Arrays.fill(out, 0.0);
        else Numerics.kernels().bernoulliLogLikelihood(logits, x, grad, out);
        return out;
    }

    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    /**
     * Row log-densities of z under diagonal Gaussians N(mu, exp(logSigma)^2):
     * out[i] = sum_j -log(2 pi)/2 - logSigma_ij - u_ij^2 / 2 with u = (z - mu) / sigma, in double.
     * mu and logSigma null mean 0 (the standard normal prior). If {@code u} is not null it receives u, and
     * {@code inverseSigma} (if not null) 1 / sigma, for {@link #gaussianLogDensityBackward}.
     */
    public static double[] gaussianLogDensity(Matrix z, Matrix mu, Matrix logSigma, double[] out, Matrix u, Matrix inverseSigma) {
        checkGaussian(z, mu, logSigma, out.length);
        if ((mu == null) != (logSigma == null)) throw new IllegalArgumentException("gaussianLogDensity: give both mu and logSigma, or neither");
        if (u != null) Matrix.requireSameShape(z, u, "gaussianLogDensity");
        if (inverseSigma != null) Matrix.requireSameShape(z, inverseSigma, "gaussianLogDensity");
        int r = z.rows(), c = z.cols();
        if (mu != null) {
            Numerics.kernels().gaussianLogDensity(z, mu, logSigma, u != null ? u : Matrix.zeros(r, c),
                    inverseSigma != null ? inverseSigma : Matrix.zeros(r, c), out);
            return out;
        }
        for (int i = 0; i < r; i++) {              // the standard normal: u = z
            double s = 0;
            for (int j = 0; j < c; j++) {
                float uk = z.floats.get(z.offset + i * c + j);
                if (u != null) u.floats.put(u.offset + i * c + j, uk);
                s += -HALF_LOG_TWO_PI - 0.5 * uk * uk;
            }
            out[i] = s;
        }
        if (inverseSigma != null) inverseSigma.fill(1f);
        return out;
    }

    /**
     * The gradient of sum_i g[i] * gaussianLogDensity(...)[i] from the u and 1 / sigma it wrote (inverseSigma null
     * means sigma = 1): dz = -g u / sigma, dmu = g u / sigma, dlogSigma = g (u^2 - 1). Outputs may be null (not wanted).
     */
    public static void gaussianLogDensityBackward(Matrix u, Matrix inverseSigma, double[] g, Matrix dz, Matrix dmu, Matrix dlogSigma) {
        if (g.length != u.rows()) throw new IllegalArgumentException("gaussianLogDensityBackward: " + g.length + " row values for " + u.rows() + " rows");
        for (Matrix m : new Matrix[] {inverseSigma, dz, dmu, dlogSigma}) if (m != null) Matrix.requireSameShape(u, m, "gaussianLogDensityBackward");
        if (inverseSigma == null) {
            inverseSigma = Matrix.zeros(u.rows(), u.cols()).fill(1f);
        }
        Numerics.kernels().gaussianLogDensityBackward(u, inverseSigma, g, dz, dmu, dlogSigma);
    }

    private static void checkGaussian(Matrix z, Matrix mu, Matrix logSigma, int rows) {
        if (mu != null) Matrix.requireSameShape(z, mu, "gaussianLogDensity");
        if (logSigma != null) Matrix.requireSameShape(z, logSigma, "gaussianLogDensity");
        if (rows != z.rows()) throw new IllegalArgumentException("gaussianLogDensity: " + rows + " row values for " + z.rows() + " rows");
    }

    /** out[i k + s, :] = x[i, :] for s &lt; k: each row repeated k times in a row (bulk copies, no allocation). */
    public static Matrix repeatRows(Matrix x, int k, Matrix out) {
        if (out.rows() != x.rows() * k || out.cols() != x.cols()) {
            throw new IllegalArgumentException("repeatRows: " + x.shape() + " repeated " + k + " times does not fill " + out.shape());
        }
        int c = x.cols();
        for (int i = 0; i < x.rows(); i++) {
            for (int s = 0; s < k; s++) out.floats.put(out.offset + (i * k + s) * c, x.floats, x.offset + i * c, c);
        }
        return out;
    }

    /** out[i, :] = sum_{s &lt; k} g[i k + s, :]: the gradient of {@link #repeatRows}. */
    public static Matrix sumRowGroups(Matrix g, int k, Matrix out) {
        if (g.rows() != out.rows() * k || g.cols() != out.cols()) {
            throw new IllegalArgumentException("sumRowGroups: " + g.shape() + " in groups of " + k + " does not give " + out.shape());
        }
        Numerics.kernels().sumRowGroups(g, k, out);
        return out;
    }

    /** out[i, :] = s[i] for every column (a per-row value spread along its row). */
    public static Matrix broadcastColumn(double[] s, Matrix out) {
        if (s.length != out.rows()) throw new IllegalArgumentException("broadcastColumn: " + s.length + " values for " + out.rows() + " rows");
        int c = out.cols();
        for (int i = 0; i < s.length; i++) {
            float v = (float) s[i];
            for (int j = 0; j < c; j++) out.floats.put(out.offset + i * c + j, v);
        }
        return out;
    }

    // ---------------------------------------------------------------- recurrent cells

    /**
     * One LSTM cell (Hochreiter &amp; Schmidhuber 1997; with the forget gate of Gers et al. 2000) from its gates'
     * pre-activations, H = c.cols(), gate blocks [i f o g] of width H in each row of {@code gates} (B x 4H):
     * act = [sigmoid(i) sigmoid(f) sigmoid(o) tanh(g)], c = f cPrev + i g, tanhC = tanh(c), h = o tanhC.
     * act and tanhC are kept for {@link #lstmCellBackward}.
     */
    public static void lstmCell(Matrix gates, Matrix cPrev, Matrix act, Matrix c, Matrix tanhC, Matrix h) {
        checkLstm(gates, act, cPrev, c, tanhC, h);
        int rows = c.rows(), n = c.cols();
        Kernels k = Numerics.kernels();
        k.map(Kernels.Fn.SIGMOID, gates, act, gates.size());   // all four blocks; g is then replaced by tanh(g)
        for (int i = 0; i < rows; i++) {
            int g = 4 * n * i + 3 * n;
            k.map(Kernels.Fn.TANH, gates.flatView(g, n), act.flatView(g, n), n);
        }
        k.lstmState(act, cPrev, c);
        k.map(Kernels.Fn.TANH, c, tanhC, c.size());
        k.lstmOutput(act, tanhC, h);
    }

    /**
     * The gradient of {@link #lstmCell}: from dh and dc (d loss / d h and d c; either may be all zeros), the
     * pre-activation gradient dGates (B x 4H) and dcPrev.
     */
    public static void lstmCellBackward(Matrix act, Matrix cPrev, Matrix tanhC, Matrix dh, Matrix dc, Matrix dGates, Matrix dcPrev) {
        checkLstm(dGates, act, cPrev, tanhC, dh, dc, dcPrev);
        Numerics.kernels().lstmBackward(act, cPrev, tanhC, dh, dc, dGates, dcPrev);
    }

    private static void checkLstm(Matrix gates, Matrix act, Matrix... states) {
        Matrix.requireSameShape(gates, act, "lstmCell");
        for (Matrix m : states) {
            if (m.rows() != gates.rows() || 4 * m.cols() != gates.cols()) {
                throw new IllegalArgumentException("lstmCell: gates " + gates.shape() + " do not fit a state of " + m.shape());
            }
        }
    }

    /**
     * KL(N(mu, diag(exp(logSigma))^2) || N(0, I)) per row, in closed form (Kingma &amp; Welling 2014, appendix B):
     * out[i] = sum_j (mu_ij^2 + exp(2 logSigma_ij) - 2 logSigma_ij - 1) / 2, in double; {@code variance} receives
     * exp(2 logSigma) for the backward pass.
     */
    public static double[] gaussianKlToStandard(Matrix mu, Matrix logSigma, Matrix variance, double[] out) {
        Matrix.requireSameShape(mu, logSigma, "gaussianKlToStandard");
        Matrix.requireSameShape(mu, variance, "gaussianKlToStandard");
        if (out.length != mu.rows()) throw new IllegalArgumentException("gaussianKlToStandard: " + out.length + " outputs for " + mu.rows() + " rows");
        axpby(2f, logSigma, 0f, logSigma, variance);
        exp(variance, variance);
        int r = mu.rows(), c = mu.cols();
        for (int i = 0; i < r; i++) {
            double s = 0;
            for (int j = 0; j < c; j++) {
                int k = i * c + j;
                double m = mu.floats.get(mu.offset + k), l = logSigma.floats.get(logSigma.offset + k);
                s += 0.5 * (m * m + variance.floats.get(variance.offset + k) - 2 * l - 1);
            }
            out[i] = s;
        }
        return out;
    }

    /** The gradient of sum_i g[i] KL_i: dmu = g mu, dlogSigma = g (exp(2 logSigma) - 1); outputs may be null. */
    public static void gaussianKlToStandardBackward(Matrix mu, Matrix variance, double[] g, Matrix dmu, Matrix dlogSigma) {
        int r = mu.rows(), c = mu.cols();
        for (int i = 0; i < r; i++) {
            float gi = (float) g[i];
            for (int j = 0; j < c; j++) {
                int k = i * c + j;
                if (dmu != null) dmu.floats.put(dmu.offset + k, gi * mu.floats.get(mu.offset + k));
                if (dlogSigma != null) dlogSigma.floats.put(dlogSigma.offset + k, gi * (variance.floats.get(variance.offset + k) - 1f));
            }
        }
    }
}
