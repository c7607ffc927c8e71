package dgm4j.ais;

import dgm4j.InputException;
import dgm4j.math.Elementwise;
import dgm4j.math.LogMath;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.ReplicatedSoftmaxRbm;

/**
 * Exact ln Z of a small binary RBM by enumerating the smaller layer (at most {@value #MAX_UNITS} units) and summing the
 * other out analytically. Over hidden configurations: ln Z = logsumexp_h [a^T h + sum_i softplus(b_i + W_i h)].
 * Configurations are processed in blocks through the matrix product.
 */
public final class ExactPartition {
    public static final int MAX_UNITS = 25;
    private static final int BLOCK = 4096;

    private ExactPartition() {}

    public static double logZ(BernoulliRbm rbm) {
        int d = rbm.visibleUnits(), f = rbm.hiddenUnits();
        boolean overHidden = f <= d;
        int units = overHidden ? f : d;
        if (units > MAX_UNITS) {
            throw new InputException("exact ln Z enumerates 2^" + units + " states; at most " + MAX_UNITS + " units on the smaller side are supported");
        }
        Matrix w = overHidden ? transpose(rbm.weights()) : rbm.weights();   // units x other
        Matrix enumeratedBias = overHidden ? rbm.hiddenBias() : rbm.visibleBias();
        Matrix otherBias = overHidden ? rbm.visibleBias() : rbm.hiddenBias();
        int other = overHidden ? d : f;
        long states = 1L << units;
        int block = (int) Math.min(BLOCK, states);
        Matrix s = Matrix.zeros(block, units);
        Matrix x = Matrix.zeros(block, other);
        double acc = Double.NEGATIVE_INFINITY;
        float[] row = new float[units];
        for (long start = 0; start < states; start += block) {
            int n = (int) Math.min(block, states - start);
            Matrix sb = s.rows(0, n), xb = x.rows(0, n);
            for (int r = 0; r < n; r++) {
                long code = start + r;
                for (int u = 0; u < units; u++) row[u] = (code >>> u & 1L) != 0 ? 1f : 0f;
                sb.setRow(r, row);
            }
            Elementwise.broadcastRow(otherBias, xb);
            Numerics.blas().gemm(false, false, 1f, sb, w, 1f, xb);
            double[] sp = Elementwise.rowSums(Elementwise.softplus(xb, xb));
            double[] lin = Elementwise.rowDot(sb, enumeratedBias);
            double[] terms = new double[n];
            for (int r = 0; r < n; r++) terms[r] = lin[r] + sp[r];
            acc = LogMath.logAddExp(acc, LogMath.logSumExp(terms));
        }
        return acc;
    }

    /**
     * Exact ln Z_D of a replicated softmax model for each document length D in {@code lengths}, by enumerating the
     * hidden configurations (at most {@value #MAX_UNITS} hidden units): Z_D, the sum over all K^D word sequences of length
     * D, is sum_h exp(D a^T h) (sum_k exp(b_k + (W h)_k))^D, so
     * ln Z_D = logsumexp_h D [a^T h + logsumexp_k (b_k + (W h)_k)].
     */
    public static double[] logZ(ReplicatedSoftmaxRbm rbm, int[] lengths) {
        int k = rbm.visibleUnits(), f = rbm.hiddenUnits();
        if (f > MAX_UNITS) {
            throw new InputException("exact ln Z enumerates 2^" + f + " hidden states; at most " + MAX_UNITS + " hidden units are supported");
        }
        for (int d : lengths) if (d < 0) throw new InputException("document lengths must be non-negative, got " + d);
        long states = 1L << f;
        int block = (int) Math.min(BLOCK, states);
        Matrix s = Matrix.zeros(block, f);
        Matrix x = Matrix.zeros(block, k);
        double[] acc = new double[lengths.length];
        java.util.Arrays.fill(acc, Double.NEGATIVE_INFINITY);
        float[] row = new float[f];
        for (long start = 0; start < states; start += block) {
            int n = (int) Math.min(block, states - start);
            Matrix sb = s.rows(0, n), xb = x.rows(0, n);
            for (int r = 0; r < n; r++) {
                long code = start + r;
                for (int u = 0; u < f; u++) row[u] = (code >>> u & 1L) != 0 ? 1f : 0f;
                sb.setRow(r, row);
            }
            rbm.visibleInput(sb, xb);                                   // b + W h
            double[] lse = Elementwise.logSumExpRows(xb);
            double[] lin = Elementwise.rowDot(sb, rbm.hiddenBias());   // a^T h
            double[] terms = new double[n];
            for (int i = 0; i < lengths.length; i++) {
                for (int r = 0; r < n; r++) terms[r] = lengths[i] * (lin[r] + lse[r]);
                acc[i] = LogMath.logAddExp(acc[i], LogMath.logSumExp(terms));
            }
        }
        return acc;
    }

    private static Matrix transpose(Matrix m) {
        Matrix t = Matrix.zeros(m.cols(), m.rows());
        for (int i = 0; i < m.rows(); i++) for (int j = 0; j < m.cols(); j++) t.set(j, i, m.get(i, j));
        return t;
    }
}
