package dgm4j.rbm;

import java.util.List;

import dgm4j.InputException;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;

/**
 * What every RBM kind stores: W (D x F), visible biases b (1 x D) and hidden biases a (1 x F), checked to agree,
 * with their accessors; the kinds add their energy, conditionals and any further parameters.
 */
abstract class RbmParameters implements Rbm {
    protected final Matrix weights;       // W, D x F
    protected final Matrix visibleBias;   // b, 1 x D
    protected final Matrix hiddenBias;    // a, 1 x F

    RbmParameters(String what, Matrix weights, Matrix visibleBias, Matrix hiddenBias) {
        int d = weights.rows(), f = weights.cols();
        if (visibleBias.rows() != 1 || visibleBias.cols() != d || hiddenBias.rows() != 1 || hiddenBias.cols() != f) {
            throw new InputException(what + " parameters disagree: W is " + weights.shape() + ", visible bias "
                    + visibleBias.shape() + " (expected 1x" + d + "), hidden bias " + hiddenBias.shape() + " (expected 1x" + f + ")");
        }
        this.weights = weights;
        this.visibleBias = visibleBias;
        this.hiddenBias = hiddenBias;
    }

    /** W, b, a; kinds with more parameters (Gaussian log-variances) append theirs. */
    @Override public List<Matrix> parameters() { return List.of(weights, visibleBias, hiddenBias); }

    @Override public List<String> parameterNames() { return List.of(RbmFiles.WEIGHTS, RbmFiles.VISIBLE_BIAS, RbmFiles.HIDDEN_BIAS); }

    /** W ~ N(0, 0.01^2), the usual start (Hinton's practical guide, section 8). */
    static Matrix smallRandomWeights(int visible, int hidden, RandomStream random) {
        if (visible < 1 || hidden < 1) throw new InputException("an RBM needs at least one visible and one hidden unit");
        Matrix w = Matrix.zeros(visible, hidden);
        random.gaussian(w);
        return Elementwise.scale(w, 0.01f);
    }

    @Override public final int visibleUnits() { return weights.rows(); }

    @Override public final int hiddenUnits() { return weights.cols(); }

    @Override public final Matrix weights() { return weights; }

    @Override public final Matrix visibleBias() { return visibleBias; }

    @Override public final Matrix hiddenBias() { return hiddenBias; }

    /**
     * out = b + h W^T (B x D): the visible units' total input (for word counts, the softmax's input, the same for each
     * of a document's words; a Gaussian RBM scales W h by sigma instead).
     */
    public Matrix visibleInput(Matrix h, Matrix out) {
        Elementwise.broadcastRow(visibleBias, out);
        Numerics.blas().gemmBinaryLeft(false, true, downwardMultiplier(), h, weights, 1f, out);   // sampled h: sparse sums
        return out;
    }

    /** Multiplier of h W^T in {@link #visibleInput} (1 but in DBM pretraining, see BernoulliRbm#withInputMultipliers). */
    protected float downwardMultiplier() { return 1f; }

    /** The B x F work space of a free energy: {@code scratch} if given, else a new one. */
    protected final Matrix hiddenScratch(Matrix v, Matrix scratch) {
        return scratch != null ? scratch : Matrix.zeros(v.rows(), hiddenUnits());
    }

    /**
     * F(v) = -b^T v - sum_j softplus(x_j(v)) per row, given the rows' softplus sums: the free energy of the kinds whose
     * energy has the visible term -b^T v (binary units and word counts; x is {@link #hiddenInput}).
     */
    protected final double[] freeEnergyFromSoftplusSums(Matrix v, double[] softplusSums) {
        double[] biasTerms = Elementwise.rowDot(v, visibleBias);
        double[] out = new double[v.rows()];
        for (int n = 0; n < out.length; n++) out[n] = -biasTerms[n] - softplusSums[n];
        return out;
    }

    /** Refuses data whose width is not D. */
    protected final void requireWidth(Matrix v) {
        if (v.cols() != visibleUnits()) {
            throw new InputException("data have " + v.cols() + " columns but the RBM has " + visibleUnits() + " visible units");
        }
    }
}
