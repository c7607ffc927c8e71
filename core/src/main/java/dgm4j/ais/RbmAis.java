package dgm4j.ais;

import dgm4j.InputException;
import dgm4j.math.Elementwise;
import dgm4j.math.LogMath;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.RbmSampler;

/**
 * Annealed importance sampling (Neal 2001) for the partition function of a binary RBM, as in Salakhutdinov and Murray
 * (ICML 2008). The annealing runs from a "base-rate" model A (W = 0, a = 0, visible biases b_A fitted to the data's
 * pixel marginals) to the RBM B through
 *
 * <pre>
 *   p*_beta(v) = exp((1 - beta) b_A^T v + beta b_B^T v) prod_j (1 + exp(beta (a_j + v^T W_j)))
 * </pre>
 *
 * with the hidden units summed out analytically; ln Z_A = sum_i softplus(b_A,i) + F ln 2. The transition at beta is
 * one Gibbs sweep h ~ sigmoid(beta (v W + a)), v ~ sigmoid((1 - beta) b_A + beta (b_B + W h)). The product v W is
 * computed once per step and used both for the importance weight and for sampling h. Log-weights are accumulated in
 * double.
 */
public final class RbmAis extends SingleBaseAnnealing {
    private final Matrix baseVisibleBias; // b_A
    private final double logZBase;
    private final Matrix bias;
    private Matrix biasDifference;
    private Matrix visibleInput;

    /**
     * @param baseVisibleBias b_A (1 x D), e.g. from {@link BernoulliRbm#baseRateBias(Matrix)}
     */
    public RbmAis(BernoulliRbm rbm, Matrix baseVisibleBias) {
        super(rbm);
        if (baseVisibleBias.rows() != 1 || baseVisibleBias.cols() != rbm.visibleUnits()) {
            throw new InputException("base-rate biases are " + baseVisibleBias.shape() + ", expected 1x" + rbm.visibleUnits());
        }
        this.baseVisibleBias = baseVisibleBias;
        double lz = rbm.hiddenUnits() * Math.log(2);
        for (int i = 0; i < baseVisibleBias.cols(); i++) lz += LogMath.softplus(baseVisibleBias.get(0, i));
        this.logZBase = lz;
        this.bias = Matrix.zeros(1, rbm.visibleUnits());
    }

    /**
     * The base of Salakhutdinov's {@code base_rate.m}: the marginals of the training intensities, smoothed by
     * {@code pseudo} x N pseudo-counts on each side (his code adds 5 per 100-example minibatch, pseudo = 0.05):
     * b_i = logit((c_i + pseudo N) / (N + 2 pseudo N)). The heavy smoothing keeps background pixels at logits near -3
     * rather than -11, where a base that is near-deterministic leaves forward AIS many nats low with no warning.
     */
    public static Matrix smoothedBaseRateBias(Matrix data, double pseudo) {
        if (data.rows() == 0) throw new InputException("cannot fit a base-rate model to an empty dataset");
        if (!(pseudo >= 0)) throw new InputException("pseudo-count fraction must be non-negative, got " + pseudo);
        Matrix counts = Elementwise.columnSums(data, 1f, 0f, Matrix.zeros(1, data.cols()));
        Matrix b = Matrix.zeros(1, counts.cols());
        double n = data.rows(), a = pseudo * n;
        for (int i = 0; i < counts.cols(); i++) {
            b.set(0, i, logit((counts.get(0, i) + a) / (n + 2 * a), 1e-6));
        }
        return b;
    }

    /**
     * A base fitted to the model itself: b_i = logit(m_i), m (1 x D) the model's visible marginals (e.g. from
     * {@link RbmSampler#run}), clipped to [1e-4, 1 - 1e-4].
     */
    public static Matrix marginalBias(Matrix marginals) {
        Matrix b = Matrix.zeros(1, marginals.cols());
        for (int i = 0; i < marginals.cols(); i++) {
            if (Float.isNaN(marginals.get(0, i))) throw new InputException("model marginals contain NaN");
            b.set(0, i, logit(marginals.get(0, i), 1e-4));
        }
        return b;
    }

    /** ln(p / (1 - p)) of p clipped to [floor, 1 - floor], as a float bias. */
    private static float logit(double p, double floor) {
        double q = Math.min(Math.max(p, floor), 1 - floor);
        return (float) Math.log(q / (1 - q));
    }

    /** ln Z of the base-rate model: sum_i softplus(b_A,i) + F ln 2. */
    @Override
    public double logZBase() { return logZBase; }

    /** v ~ sigmoid(b_A), independently per unit. */
    @Override
    protected void sampleBase(Matrix v, RandomStream random) {
        Matrix p = Matrix.zeros(v.rows(), rbm.visibleUnits());
        Elementwise.broadcastRow(baseVisibleBias, p);
        random.sigmoidBernoulli(p, null, v);
    }

    /** ln f_B(v) - ln f_A(v) = (b_B - b_A)^T v. */
    @Override
    protected double[] visibleLogRatio(Matrix v) {
        if (biasDifference == null) biasDifference = Elementwise.subtract(rbm.visibleBias(), baseVisibleBias, Matrix.zeros(1, rbm.visibleUnits()));
        return Elementwise.rowDot(v, biasDifference);
    }

    /** v ~ sigmoid((1 - beta) b_A + beta b_B + beta W h). */
    @Override
    protected void sampleVisible(Matrix h, float beta, Matrix v, RandomStream random) {
        if (visibleInput == null || visibleInput.rows() != v.rows()) visibleInput = Matrix.zeros(v.rows(), rbm.visibleUnits());
        Elementwise.axpby(1f - beta, baseVisibleBias, beta, rbm.visibleBias(), bias);
        Elementwise.broadcastRow(bias, visibleInput);
        Numerics.blas().gemm(false, true, beta, h, rbm.weights(), 1f, visibleInput);
        random.sigmoidBernoulli(visibleInput, null, v);
    }
}
