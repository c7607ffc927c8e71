package dgm4j.rbm;

import java.util.List;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;

/**
 * The binary RBM, v in {0,1}^D, h in {0,1}^F, in the lecture's notation:
 *
 * <pre>
 *   E(v, h) = -v^T W h - b^T v - a^T h
 *   p(h_j = 1 | v) = sigmoid(a_j + sum_i W_ij v_i)
 *   p(v_i = 1 | h) = sigmoid(b_i + sum_j W_ij h_j)
 *   F(v) = -b^T v - sum_j softplus(a_j + sum_i W_ij v_i)
 *   E_{h|v}[-dE/dW] = v p(h|v)^T,  E_{h|v}[-dE/db] = v,  E_{h|v}[-dE/da] = p(h|v)
 * </pre>
 */
public final class BernoulliRbm extends RbmParameters {
    private final float upward;    // multiplier of v W in the hidden units' input (1, or 2 in DBM pretraining)
    private final float downward;  // multiplier of h W^T in the visible units' input

    public BernoulliRbm(Matrix weights, Matrix visibleBias, Matrix hiddenBias) {
        this(weights, visibleBias, hiddenBias, 1f, 1f);
    }

    private BernoulliRbm(Matrix weights, Matrix visibleBias, Matrix hiddenBias, float upward, float downward) {
        super("RBM", weights, visibleBias, hiddenBias);
        this.upward = upward;
        this.downward = downward;
    }

    /**
     * The same parameters (shared, not copied) with the hidden units' input from v multiplied by {@code upward} and
     * the visible units' input from h by {@code downward}: p(h_j = 1 | v) = sigmoid(a_j + upward (v^T W)_j), and
     * likewise down. This is the greedy pretraining of a deep Boltzmann machine (Salakhutdinov and Hinton 2009): the
     * bottom RBM is trained with its upward input doubled, the top one with its downward input doubled, standing in
     * for the input the missing neighbouring layer will give. Training it trains the shared W, b, a in place.
     */
    public BernoulliRbm withInputMultipliers(float upward, float downward) {
        if (!(upward > 0) || !(downward > 0)) {
            throw new InputException("input multipliers must be positive, got " + upward + ", " + downward);
        }
        return new BernoulliRbm(weights, visibleBias, hiddenBias, upward, downward);
    }

    /** A new RBM with W ~ N(0, 0.01^2) and zero biases. */
    public static BernoulliRbm initialize(int visible, int hidden, RandomStream random) {
        return new BernoulliRbm(smallRandomWeights(visible, hidden, random), Matrix.zeros(1, visible), Matrix.zeros(1, hidden));
    }

    @Override public String visibleType() { return "bernoulli"; }

    @Override protected float downwardMultiplier() { return downward; }

    /** out = v W + a. */
    @Override
    public Matrix hiddenInput(Matrix v, Matrix out) {
        requireWidth(v);
        Elementwise.broadcastRow(hiddenBias, out);
        Numerics.blas().gemmBinaryLeft(false, false, upward, v, weights, 1f, out);   // 0/1 data or samples: sparse sums
        return out;
    }

    /** prob = p(v = 1 | h) (may be null), sample ~ prob. */
    @Override
    public void sampleVisible(Matrix h, Matrix prob, Matrix sample, RandomStream random) {
        Matrix input = prob != null ? prob : sample;
        visibleInput(h, input);
        random.sigmoidBernoulli(input, prob, sample);
    }

    @Override
    public double[] freeEnergy(Matrix v, Matrix scratch) {
        return freeEnergyFromSoftplusSums(v, Elementwise.softplusRowSums(hiddenInput(v, hiddenScratch(v, scratch)), 1f));
    }

    @Override
    public void addStatistics(Matrix v, Matrix hiddenProb, float scale, List<Matrix> gradients) {
        Numerics.blas().gemmBinaryLeft(true, false, scale, v, hiddenProb, 1f, gradients.get(0));
        Elementwise.columnSums(v, scale, 1f, gradients.get(1));
        Elementwise.columnSums(hiddenProb, scale, 1f, gradients.get(2));
    }

    /** Width D and values in {0, 1}. */
    @Override
    public void requireVisible(Matrix v) {
        requireWidth(v);
        Binarization.requireBinary(v, "binary RBM");
    }

    @Override
    public BernoulliRbm copy() {
        return new BernoulliRbm(weights.copy(), visibleBias.copy(), hiddenBias.copy(), upward, downward);
    }

    /**
     * Visible biases of the base-rate model (W = 0, hidden biases 0: the pixels independent at their data rates):
     * b_i = logit(p_i), p_i = (count_i + 1) / (N + 2), the smoothed fraction of rows with pixel i on (values in
     * [0, 1]; intensities count fractionally). Also a DBM's and an RBM's customary initial visible biases.
     */
    public static Matrix baseRateBias(Matrix data) {
        if (data.rows() == 0) throw new InputException("cannot fit a base-rate model to an empty dataset");
        return smoothedLogOdds(Elementwise.columnSums(data, 1f, 0f, Matrix.zeros(1, data.cols())), data.rows());
    }

    /** logit((count_i + 1) / (n + 2)) for each column of the 1 x D counts (fractional counts allowed). */
    public static Matrix smoothedLogOdds(Matrix counts, long n) {
        Matrix b = Matrix.zeros(1, counts.cols());
        for (int i = 0; i < counts.cols(); i++) {
            double p = (counts.get(0, i) + 1.0) / (n + 2.0);
            b.set(0, i, (float) Math.log(p / (1 - p)));
        }
        return b;
    }
}
