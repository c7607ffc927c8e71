package dgm4j.ais;

import dgm4j.InputException;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.rbm.GaussianRbm;

/**
 * Annealed importance sampling (Neal 2001) for the partition function of a Gaussian-Bernoulli RBM, structured as
 * {@link RbmAis}. The annealing runs from a base model A (W = 0, a = 0, visible means b_A, e.g. the data's column
 * means, and the RBM's own sigmas) to the RBM B through
 *
 * <pre>
 *   p*_beta(v) = exp(-(1 - beta) sum_i (v_i - b_A,i)^2 / (2 sigma_i^2) - beta sum_i (v_i - b_i)^2 / (2 sigma_i^2))
 *                prod_j (1 + exp(beta (a_j + sum_i W_ij v_i / sigma_i)))
 * </pre>
 *
 * with the hidden units summed out analytically; ln Z_A = F ln 2 + sum_i ln(sqrt(2 pi) sigma_i). Sharing the sigmas
 * keeps every intermediate distribution a Gaussian RBM of the same form (visible means (1 - beta) b_A + beta b,
 * weights beta W), so its Gibbs transition is exact: h ~ sigmoid(beta x), x = (v / sigma) W + a, then
 * v ~ N((1 - beta) b_A + beta (b + sigma W h), sigma^2). (A base with the data's standard deviations would fit the
 * data's spread better, but the quadratic terms would no longer share a variance, and with standardised data and unit
 * variances the two coincide.) Between betas the quadratic terms differ only linearly in v:
 * ln p*_now(v) - ln p*_before(v) = (now - before) [sum_i v_i (b_i - b_A,i) / sigma_i^2 + sum_i (b_A,i^2 - b_i^2) /
 * (2 sigma_i^2)] + sum_j [softplus(now x_j) - softplus(before x_j)]. Log-weights are accumulated in double.
 */
public final class GaussianRbmAis extends SingleBaseAnnealing {
    private final Matrix baseMean;  // b_A
    private final Matrix sigma;     // sigma of both A and B, fixed during annealing
    private final double logZBase;
    private final Matrix slope;
    private final double constant;
    private final Matrix bias;
    private Matrix mean;
    private Matrix std;

    /**
     * @param baseMean b_A (1 x D), e.g. from {@link #baseMean(Matrix)}
     */
    public GaussianRbmAis(GaussianRbm rbm, Matrix baseMean) {
        super(rbm);
        if (baseMean.rows() != 1 || baseMean.cols() != rbm.visibleUnits()) {
            throw new InputException("base-model means are " + baseMean.shape() + ", expected 1x" + rbm.visibleUnits());
        }
        if (baseMean.hasNonFinite()) throw new InputException("base-model means contain NaN or infinite values");
        this.baseMean = baseMean;
        this.sigma = rbm.standardDeviations();
        // ln Z_A = F ln 2 + D ln(2 pi) / 2 + sum_i z_i / 2
        this.logZBase = rbm.hiddenUnits() * Math.log(2) + 0.5 * rbm.visibleUnits() * Math.log(2 * Math.PI)
                + 0.5 * Elementwise.sum(rbm.logVariance());
        // (b - b_A) / sigma^2 and sum_i (b_A,i^2 - b_i^2) / (2 sigma_i^2): the quadratic terms' difference, linear in v
        Matrix inverseVariance = Elementwise.exp(Elementwise.scale(rbm.logVariance().copy(), -1f), Matrix.zeros(1, rbm.visibleUnits()));
        this.slope = Elementwise.multiply(Elementwise.subtract(rbm.visibleBias(), baseMean, Matrix.zeros(1, rbm.visibleUnits())), inverseVariance, Matrix.zeros(1, rbm.visibleUnits()));
        this.constant = 0.5 * (Elementwise.rowDot(Elementwise.multiply(baseMean, inverseVariance, Matrix.zeros(1, rbm.visibleUnits())), baseMean)[0]
                - Elementwise.rowDot(Elementwise.multiply(rbm.visibleBias(), inverseVariance, Matrix.zeros(1, rbm.visibleUnits())), rbm.visibleBias())[0]);
        this.bias = Matrix.zeros(1, rbm.visibleUnits());
    }

    /** Means of the base model: the data's column means. */
    public static Matrix baseMean(Matrix data) {
        if (data.rows() == 0) throw new InputException("cannot fit a base model to an empty dataset");
        return Elementwise.columnSums(data, 1f / data.rows(), 0f, Matrix.zeros(1, data.cols()));
    }

    /** ln Z of the base model: F ln 2 + D ln(2 pi) / 2 + sum_i z_i / 2. */
    @Override
    public double logZBase() { return logZBase; }

    /** v ~ N(b_A, sigma^2), independently per unit. */
    @Override
    protected void sampleBase(Matrix v, RandomStream random) {
        int runs = v.rows(), d = rbm.visibleUnits();
        random.gaussian(Elementwise.broadcastRow(baseMean, Matrix.zeros(runs, d)), Elementwise.broadcastRow(sigma, Matrix.zeros(runs, d)), v);
    }

    /** ln f_B(v) - ln f_A(v) = slope^T v + constant. */
    @Override
    protected double[] visibleLogRatio(Matrix v) {
        double[] r = Elementwise.rowDot(v, slope);
        for (int n = 0; n < r.length; n++) r[n] += constant;
        return r;
    }

    /** v ~ N((1 - beta) b_A + beta b + beta sigma (W h), sigma^2). */
    @Override
    protected void sampleVisible(Matrix h, float beta, Matrix v, RandomStream random) {
        if (mean == null || mean.rows() != v.rows()) {
            mean = Matrix.zeros(v.rows(), rbm.visibleUnits());
            std = Elementwise.broadcastRow(sigma, Matrix.zeros(v.rows(), rbm.visibleUnits()));
        }
        Elementwise.axpby(1f - beta, baseMean, beta, rbm.visibleBias(), bias);
        Numerics.blas().gemm(false, true, beta, h, rbm.weights(), 0f, mean);
        Elementwise.multiplyRowVector(mean, sigma, mean);
        Elementwise.addRowVector(mean, bias, mean);
        random.gaussian(mean, std, v);
    }
}
