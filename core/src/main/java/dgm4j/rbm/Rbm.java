package dgm4j.rbm;

import dgm4j.InputException;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;

/**
 * A restricted Boltzmann machine with binary (Bernoulli) visible units v in {0,1}^D and binary hidden units h in
 * {0,1}^F, in the lecture's notation:
 *
 * <pre>
 *   E(v, h) = -v^T W h - b^T v - a^T h                         W: D x F, b: visible bias, a: hidden bias
 *   p(h_j = 1 | v) = sigmoid(a_j + sum_i W_ij v_i)
 *   p(v_i = 1 | h) = sigmoid(b_i + sum_j W_ij h_j)
 *   F(v) = -b^T v - sum_j softplus(a_j + sum_i W_ij v_i)        (free energy: p(v) = exp(-F(v)) / Z)
 * </pre>
 *
 * Rows of every matrix argument are examples. The model is its parameters and this math; training lives in
 * {@link RbmTrainer}, partition-function estimation in {@code dgm4j.ais}.
 */
public final class Rbm {
    /** Model kind written in model files. */
    public static final String KIND = "rbm";

    private final Matrix weights;       // W, D x F
    private final Matrix visibleBias;   // b, 1 x D
    private final Matrix hiddenBias;    // a, 1 x F

    public Rbm(Matrix weights, Matrix visibleBias, Matrix hiddenBias) {
        int d = weights.rows(), f = weights.cols();
        if (visibleBias.rows() != 1 || visibleBias.cols() != d || hiddenBias.rows() != 1 || hiddenBias.cols() != f) {
            throw new InputException("RBM parameters disagree: W is " + weights.shape() + ", visible bias "
                    + visibleBias.shape() + " (expected 1x" + d + "), hidden bias " + hiddenBias.shape() + " (expected 1x" + f + ")");
        }
        this.weights = weights;
        this.visibleBias = visibleBias;
        this.hiddenBias = hiddenBias;
    }

    /** A new RBM with W ~ N(0, 0.01^2), hidden biases 0 and visible biases 0. */
    public static Rbm initialize(int visible, int hidden, RandomStream random) {
        if (visible < 1 || hidden < 1) throw new InputException("an RBM needs at least one visible and one hidden unit");
        Matrix w = Matrix.zeros(visible, hidden);
        random.gaussian(w);
        Elementwise.scale(w, 0.01f);
        return new Rbm(w, Matrix.zeros(1, visible), Matrix.zeros(1, hidden));
    }

    public int visibleUnits() { return weights.rows(); }

    public int hiddenUnits() { return weights.cols(); }

    /** W (D x F), live: trainers update it in place. */
    public Matrix weights() { return weights; }

    /** b (1 x D), live. */
    public Matrix visibleBias() { return visibleBias; }

    /** a (1 x F), live. */
    public Matrix hiddenBias() { return hiddenBias; }

    /** out = v W + a: the hidden units' total input (B x F). */
    public Matrix hiddenInput(Matrix v, Matrix out) {
        requireVisible(v);
        Elementwise.broadcastRow(hiddenBias, out);
        Numerics.blas().gemm(false, false, 1f, v, weights, 1f, out);
        return out;
    }

    /** out = h W^T + b: the visible units' total input (B x D). */
    public Matrix visibleInput(Matrix h, Matrix out) {
        Elementwise.broadcastRow(visibleBias, out);
        Numerics.blas().gemm(false, true, 1f, h, weights, 1f, out);
        return out;
    }

    /** prob = p(h = 1 | v) = sigmoid(v W + a). */
    public Matrix hiddenProbabilities(Matrix v, Matrix prob) {
        return Elementwise.sigmoid(hiddenInput(v, prob), prob);
    }

    /** prob = p(h = 1 | v), sample ~ prob (prob may be null if only the sample is wanted; then sample holds the input first). */
    public void sampleHidden(Matrix v, Matrix prob, Matrix sample, RandomStream random) {
        Matrix input = prob != null ? prob : sample;
        hiddenInput(v, input);
        random.sigmoidBernoulli(input, prob, sample);
    }

    /** prob = p(v = 1 | h), sample ~ prob. */
    public void sampleVisible(Matrix h, Matrix prob, Matrix sample, RandomStream random) {
        Matrix input = prob != null ? prob : sample;
        visibleInput(h, input);
        random.sigmoidBernoulli(input, prob, sample);
    }

    /**
     * Free energy per row, F(v) = -b^T v - sum_j softplus(a_j + v^T W_j), accumulated in double.
     * {@code scratch} is a B x F buffer (or null to allocate one).
     */
    public double[] freeEnergy(Matrix v, Matrix scratch) {
        Matrix x = scratch != null ? scratch : Matrix.zeros(v.rows(), hiddenUnits());
        Elementwise.softplus(hiddenInput(v, x), x);
        double[] softplusSums = Elementwise.rowSums(x);
        double[] biasTerms = Elementwise.rowDot(v, visibleBias);
        double[] out = new double[v.rows()];
        for (int n = 0; n < out.length; n++) out[n] = -biasTerms[n] - softplusSums[n];
        return out;
    }

    /** A deep copy (for snapshots and tests). */
    public Rbm copy() {
        return new Rbm(weights.copy(), visibleBias.copy(), hiddenBias.copy());
    }

    /** Checks that v has D columns. */
    public void requireVisible(Matrix v) {
        if (v.cols() != visibleUnits()) {
            throw new InputException("data has " + v.cols() + " columns but the RBM has " + visibleUnits() + " visible units");
        }
    }

}
