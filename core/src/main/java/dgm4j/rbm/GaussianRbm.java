package dgm4j.rbm;

import java.util.List;

import dgm4j.InputException;
import dgm4j.data.Standardization;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;

/**
 * The Gaussian-Bernoulli RBM for real-valued data, v in R^D, h in {0,1}^F (Salakhutdinov and Hinton 2007; Hinton's
 * practical guide, section 13.2; learned variances as in Cho, Ilin and Raiko 2011), with per-visible standard
 * deviations sigma_i = exp(z_i / 2), z_i = ln sigma_i^2 the log-variance:
 *
 * <pre>
 *   E(v, h) = sum_i (v_i - b_i)^2 / (2 sigma_i^2) - sum_ij (v_i / sigma_i) W_ij h_j - a^T h
 *   p(h_j = 1 | v) = sigmoid(a_j + sum_i W_ij v_i / sigma_i)
 *   p(v_i | h) = N(b_i + sigma_i sum_j W_ij h_j, sigma_i^2)
 *   F(v) = sum_i (v_i - b_i)^2 / (2 sigma_i^2) - sum_j softplus(a_j + sum_i W_ij v_i / sigma_i)
 *   E_{h|v}[-dE/dW] = (v / sigma) p(h|v)^T,  E_{h|v}[-dE/db] = (v - b) / sigma^2,  E_{h|v}[-dE/da] = p(h|v)
 *   E_{h|v}[-dE/dz_i] = (v_i - b_i)^2 / (2 sigma_i^2) - (v_i / (2 sigma_i)) sum_j W_ij p(h_j = 1 | v)
 * </pre>
 *
 * The log-variances are learned only when {@link #learnsVariance()}; otherwise their statistic is zero, so a trainer
 * leaves them where they are (they are still saved). The usual set-up is standardised data (each column to mean 0 and
 * standard deviation 1, see {@link Standardization}) with fixed unit variances, z = 0 (Hinton's guide);
 * learning the variances with CD is less stable, and wants a smaller learning rate.
 *
 * <p>Not thread-safe: the model keeps B x D work buffers for v / sigma (give each thread its own {@link #copy()}).
 */
public final class GaussianRbm extends RbmParameters {
    private final Matrix logVariance;   // z = ln sigma^2, 1 x D
    private final boolean learnVariance;
    // work buffers: 1 / sigma, sigma, and two B x D matrices (grown on demand)
    private final Matrix inverseSigma;
    private final Matrix sigma;
    private final Matrix rowScratch;
    private Matrix scratchA = Matrix.zeros(0, 0);
    private Matrix scratchB = Matrix.zeros(0, 0);

    public GaussianRbm(Matrix weights, Matrix visibleBias, Matrix hiddenBias, Matrix logVariance, boolean learnVariance) {
        super("Gaussian RBM", weights, visibleBias, hiddenBias);
        int d = weights.rows();
        if (logVariance.rows() != 1 || logVariance.cols() != d) {
            throw new InputException("Gaussian RBM parameters disagree: W is " + weights.shape() + ", log-variance "
                    + logVariance.shape() + " (expected 1x" + d + ")");
        }
        this.logVariance = logVariance;
        this.learnVariance = learnVariance;
        this.inverseSigma = Matrix.zeros(1, d);
        this.sigma = Matrix.zeros(1, d);
        this.rowScratch = Matrix.zeros(1, d);
    }

    /** A new Gaussian RBM with W ~ N(0, 0.01^2), zero biases and unit variances (z = 0), for standardised data. */
    public static GaussianRbm initialize(int visible, int hidden, boolean learnVariance, RandomStream random) {
        return new GaussianRbm(smallRandomWeights(visible, hidden, random), Matrix.zeros(1, visible), Matrix.zeros(1, hidden), Matrix.zeros(1, visible), learnVariance);
    }

    @Override public String visibleType() { return "gaussian"; }

    /** z = ln sigma^2 (1 x D), live. */
    public Matrix logVariance() { return logVariance; }

    /** True if training updates the log-variances. */
    public boolean learnsVariance() { return learnVariance; }

    /** sigma = exp(z / 2) (1 x D), a new matrix. */
    public Matrix standardDeviations() {
        return Elementwise.exp(Elementwise.axpby(0.5f, logVariance, 0f, logVariance, Matrix.zeros(1, visibleUnits())),
                Matrix.zeros(1, visibleUnits()));
    }

    @Override
    public List<Matrix> parameters() { return List.of(weights, visibleBias, hiddenBias, logVariance); }

    @Override
    public List<String> parameterNames() {
        return List.of(RbmFiles.WEIGHTS, RbmFiles.VISIBLE_BIAS, RbmFiles.HIDDEN_BIAS, RbmFiles.LOG_VARIANCE);
    }

    /** Refreshes sigma and 1 / sigma from z (trainers change z in place). */
    private void refreshSigma() {
        Elementwise.exp(Elementwise.axpby(0.5f, logVariance, 0f, logVariance, sigma), sigma);
        Elementwise.exp(Elementwise.axpby(-0.5f, logVariance, 0f, logVariance, inverseSigma), inverseSigma);
    }

    /** out = the first {@code rows} rows of a reusable B x D buffer. */
    private Matrix scratch(boolean first, int rows) {
        Matrix s = first ? scratchA : scratchB;
        if (s.rows() < rows) {
            s = Matrix.zeros(rows, visibleUnits());
            if (first) scratchA = s; else scratchB = s;
        }
        return s.rows(0, rows);
    }

    /** out = (v / sigma) W + a. */
    @Override
    public Matrix hiddenInput(Matrix v, Matrix out) {
        requireWidth(v);
        refreshSigma();
        Matrix scaled = Elementwise.multiplyRowVector(v, inverseSigma, scratch(true, v.rows()));
        Elementwise.broadcastRow(hiddenBias, out);
        Numerics.blas().gemm(false, false, 1f, scaled, weights, 1f, out);
        return out;
    }

    /** out = E[v | h] = b + sigma * (h W^T) (B x D). */
    public Matrix visibleMean(Matrix h, Matrix out) {
        refreshSigma();
        Numerics.blas().gemm(false, true, 1f, h, weights, 0f, out);
        Elementwise.multiplyRowVector(out, sigma, out);
        return Elementwise.addRowVector(out, visibleBias, out);
    }

    /** mean = E[v | h] (may be null), sample ~ N(mean, sigma^2). */
    @Override
    public void sampleVisible(Matrix h, Matrix mean, Matrix sample, RandomStream random) {
        Matrix m = visibleMean(h, mean != null ? mean : scratch(false, h.rows()));
        random.gaussian(m, Elementwise.broadcastRow(sigma, scratch(true, h.rows())), sample);
    }

    @Override
    public double[] freeEnergy(Matrix v, Matrix scratch) {
        Matrix x = hiddenScratch(v, scratch);
        Elementwise.softplus(hiddenInput(v, x), x);
        double[] softplusSums = Elementwise.rowSums(x);
        // (v - b) / sigma = v / sigma - b / sigma, squared
        Matrix r = standardizedResiduals(v, scratch(true, v.rows()));
        double[] squares = Elementwise.rowSums(Elementwise.square(r, r));
        double[] out = new double[v.rows()];
        for (int n = 0; n < out.length; n++) out[n] = 0.5 * squares[n] - softplusSums[n];
        return out;
    }

    /** out = (v - b) / sigma, with sigma refreshed. */
    private Matrix standardizedResiduals(Matrix v, Matrix out) {
        refreshSigma();
        Elementwise.multiplyRowVector(v, inverseSigma, out);
        Elementwise.multiply(visibleBias, inverseSigma, rowScratch);
        Elementwise.scale(rowScratch, -1f);
        return Elementwise.addRowVector(out, rowScratch, out);
    }

    @Override
    public void addStatistics(Matrix v, Matrix hiddenProb, float scale, List<Matrix> gradients) {
        requireWidth(v);
        int rows = v.rows();
        refreshSigma();
        Matrix scaled = Elementwise.multiplyRowVector(v, inverseSigma, scratch(true, rows));
        // W: (v / sigma)^T p(h|v)
        Numerics.blas().gemm(true, false, scale, scaled, hiddenProb, 1f, gradients.get(0));
        // b: sum over rows of (v - b) / sigma^2 = (1 / sigma) * column sums of (v - b) / sigma
        Matrix r = standardizedResiduals(v, scratch(false, rows));
        Elementwise.columnSums(r, scale, 0f, rowScratch);
        Elementwise.multiply(rowScratch, inverseSigma, rowScratch);
        Elementwise.add(gradients.get(1), rowScratch, gradients.get(1));
        // a: p(h|v)
        Elementwise.columnSums(hiddenProb, scale, 1f, gradients.get(2));
        // z: (v - b)^2 / (2 sigma^2) - (v / (2 sigma)) (p(h|v) W^T), or nothing when the variances are fixed
        if (learnVariance) {
            Elementwise.columnSums(Elementwise.square(r, r), 0.5f * scale, 1f, gradients.get(3));
            Matrix q = scratch(false, rows);
            Numerics.blas().gemm(false, true, 1f, hiddenProb, weights, 0f, q);
            Elementwise.multiply(q, scaled, q);
            Elementwise.columnSums(q, -0.5f * scale, 1f, gradients.get(3));
        }
    }

    /** Width D and finite values (standardise the data first: unit variances assume mean 0, standard deviation 1). */
    @Override
    public void requireVisible(Matrix v) {
        requireWidth(v);
        int n = v.size();
        for (int k = 0; k < n; k++) {
            float x = v.getFlat(k);
            if (!Float.isFinite(x)) {
                throw new InputException("a Gaussian RBM needs finite real values; found " + x + " at row " + (k / v.cols())
                        + ", column " + (k % v.cols()));
            }
        }
    }

    @Override
    public GaussianRbm copy() {
        return new GaussianRbm(weights.copy(), visibleBias.copy(), hiddenBias.copy(), logVariance.copy(), learnVariance);
    }
}
