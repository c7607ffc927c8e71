package dgm4j.ais;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import dgm4j.InputException;
import dgm4j.dbm.Dbm;
import dgm4j.math.Elementwise;
import dgm4j.math.LogMath;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.GaussianRbm;
import dgm4j.rbm.ReplicatedSoftmaxRbm;

/**
 * Exact ln Z of a small RBM by enumerating one binary layer (at most {@value #MAX_UNITS} units) and summing or
 * integrating the other out analytically. Configurations s are processed in blocks through the matrix product s W'.
 * <ul>
 *   <li>Binary RBM, over the smaller layer; over hidden configurations:
 *       ln Z = logsumexp_h [a^T h + sum_i softplus(b_i + W_i h)].</li>
 *   <li>Gaussian RBM, over the hidden layer: for each h, completing the square in v,
 *       -E(v, h) = -sum_i (v_i - m_i)^2 / (2 sigma_i^2) + a^T h + sum_i [b_i (W h)_i / sigma_i + (W h)_i^2 / 2] with
 *       m_i = b_i + sigma_i (W h)_i, and each Gaussian integral is sqrt(2 pi) sigma_i:
 *       ln Z = logsumexp_h [a^T h + sum_i (b_i (W h)_i / sigma_i + (W h)_i^2 / 2)] + sum_i ln(sqrt(2 pi) sigma_i).</li>
 * </ul>
 */
public final class ExactPartition {
    public static final int MAX_UNITS = 25;
    private static final int BLOCK = 4096;

    private ExactPartition() {}

    public static double logZ(BernoulliRbm rbm) {
        int d = rbm.visibleUnits(), f = rbm.hiddenUnits();
        boolean overHidden = f <= d;
        Matrix w = overHidden ? transpose(rbm.weights()) : rbm.weights();   // units x other
        Matrix enumeratedBias = overHidden ? rbm.hiddenBias() : rbm.visibleBias();
        Matrix otherBias = overHidden ? rbm.visibleBias() : rbm.hiddenBias();
        return logSumOverStates(w, (s, x) -> {
            // x = s W' + other bias, then sum_i softplus(x_i) + enumerated bias^T s
            Elementwise.addRowVector(x, otherBias, x);
            double[] sp = Elementwise.softplusRowSums(x, 1f);
            double[] lin = Elementwise.rowDot(s, enumeratedBias);
            for (int r = 0; r < sp.length; r++) sp[r] += lin[r];
            return sp;
        });
    }

    /** Gaussian-Bernoulli RBM, enumerating the hidden layer (F at most {@value #MAX_UNITS}). */
    public static double logZ(GaussianRbm rbm) {
        int d = rbm.visibleUnits();
        Matrix bOverSigma = Elementwise.multiply(rbm.visibleBias(), Elementwise.exp(
                Elementwise.scale(rbm.logVariance().copy(), -0.5f), Matrix.zeros(1, d)), Matrix.zeros(1, d));
        double lz = logSumOverStates(transpose(rbm.weights()), (h, x) -> {
            // x = h W^T: a^T h + (b / sigma)^T x + |x|^2 / 2
            double[] lin = Elementwise.rowDot(x, bOverSigma);
            double[] hid = Elementwise.rowDot(h, rbm.hiddenBias());
            double[] sq = Elementwise.rowSums(Elementwise.square(x, x));
            for (int r = 0; r < lin.length; r++) lin[r] += hid[r] + 0.5 * sq[r];
            return lin;
        });
        // + sum_i ln(sqrt(2 pi) sigma_i) = D ln(2 pi) / 2 + sum_i z_i / 2
        return lz + 0.5 * d * Math.log(2 * Math.PI) + 0.5 * Elementwise.sum(rbm.logVariance());
    }

    /** Log-terms of a block of enumerated states s (n x units), given x = s w (n x other, overwritable). */
    private interface BlockTerms {
        double[] logTerms(Matrix s, Matrix x);
    }

    /** logsumexp over all 2^units binary states s of terms(s, s w), w being units x other. */
    private static double logSumOverStates(Matrix w, BlockTerms terms) {
        int units = w.rows();
        if (units > MAX_UNITS) {
            throw new InputException("exact ln Z enumerates 2^" + units + " states; at most " + MAX_UNITS + " units on the enumerated side are supported");
        }
        Matrix x = Matrix.zeros(blockRows(units), w.cols());
        double[] acc = {Double.NEGATIVE_INFINITY};
        forEachStateBlock(units, sb -> {
            Matrix xb = x.rows(0, sb.rows());
            Numerics.blas().gemm(false, false, 1f, sb, w, 0f, xb);
            acc[0] = LogMath.logAddExp(acc[0], LogMath.logSumExp(terms.logTerms(sb, xb)));
        });
        return acc[0];
    }

    /** Rows of the blocks {@link #forEachStateBlock} visits: 2^units, at most {@value #BLOCK}. */
    private static int blockRows(int units) {
        return (int) Math.min(BLOCK, 1L << units);
    }

    /**
     * Visits every binary state of {@code units} units in order, a block of at most {@value #BLOCK} at a time: each
     * row of the n x units matrix it receives is one state, unit u on iff bit u of the state's number is set.
     */
    private static void forEachStateBlock(int units, Consumer<Matrix> block) {
        long states = 1L << units;
        Matrix s = Matrix.zeros(blockRows(units), units);
        float[] row = new float[units];
        for (long start = 0; start < states; start += s.rows()) {
            int n = (int) Math.min(s.rows(), states - start);
            Matrix sb = s.rows(0, n);
            for (int r = 0; r < n; r++) {
                long code = start + r;
                for (int u = 0; u < units; u++) row[u] = (code >>> u & 1L) != 0 ? 1f : 0f;
                sb.setRow(r, row);
            }
            block.accept(sb);
        }
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
        Matrix x = Matrix.zeros(blockRows(f), k);
        double[] acc = new double[lengths.length];
        Arrays.fill(acc, Double.NEGATIVE_INFINITY);
        forEachStateBlock(f, sb -> {
            int n = sb.rows();
            Matrix xb = x.rows(0, n);
            rbm.visibleInput(sb, xb);                                   // b + W h
            double[] lse = Elementwise.logSumExpRows(xb);
            double[] lin = Elementwise.rowDot(sb, rbm.hiddenBias());   // a^T h
            double[] terms = new double[n];
            for (int i = 0; i < lengths.length; i++) {
                for (int r = 0; r < n; r++) terms[r] = lengths[i] * (lin[r] + lse[r]);
                acc[i] = LogMath.logAddExp(acc[i], LogMath.logSumExp(terms));
            }
        });
        return acc;
    }

    /**
     * Exact ln Z of a small DBM. Given one parity of layers the other is independent, so it is summed out
     * analytically and every joint state of the smaller side is enumerated: the even layers (v, h2, ...; the odd ones
     * summed out, {@link Dbm#logUnnormalizedEvenLayers}) or the odd layers (h1, h3, ...; v and the even hidden layers
     * summed out, {@link Dbm#logUnnormalizedOddLayers}), at most {@value #MAX_UNITS} units. The second makes ln Z of
     * a DBM with a full-sized visible layer and a narrow h1 exact, e.g. 784-20-500.
     */
    public static double logZ(Dbm dbm) {
        int even = 0, odd = 0;
        for (int l = 0; l <= dbm.hiddenLayers(); l++) {
            if (l % 2 == 0) even += dbm.units(l); else odd += dbm.units(l);
        }
        return logSumOverParity(dbm, odd < even ? 1 : 0);
    }

    private static List<Matrix> firstRows(List<Matrix> layers, int n) {
        List<Matrix> rows = new ArrayList<>();
        for (Matrix m : layers) rows.add(m.rows(0, n));
        return rows;
    }

    /**
     * Exact ln p*(v) = ln sum_h exp(-E(v, h)) of each row of v. With v clamped, the hidden layers h1..hL form a DBM
     * of their own (h1's bias b_1 + v W_1): ln p*(v) = b_0^T v + its ln Z, which {@link #logZ} computes by enumerating
     * the smaller parity of h1..hL (so a narrow h2 or a narrow h1 both work).
     */
    public static double[] logUnnormalizedProbability(Dbm dbm, Matrix v) {
        dbm.requireVisible(v);
        int hidden = dbm.hiddenLayers();
        double[] out = new double[v.rows()];
        double[] visibleTerm = Elementwise.rowDot(v, dbm.bias(0));
        Matrix h1Bias = Matrix.zeros(1, dbm.units(1));
        for (int r = 0; r < out.length; r++) {
            Elementwise.broadcastRow(dbm.bias(1), h1Bias);
            Numerics.blas().gemm(false, false, 1f, v.rows(r, r + 1), dbm.weights(1), 1f, h1Bias);   // b_1 + v W_1
            double rest;
            if (hidden == 1) {
                rest = Elementwise.softplusRowSums(h1Bias, 1f)[0];
            } else {
                List<Matrix> w = new ArrayList<>(), b = new ArrayList<>();
                b.add(h1Bias);
                for (int l = 2; l <= hidden; l++) {
                    w.add(dbm.weights(l));
                    b.add(dbm.bias(l));
                }
                rest = logZ(new Dbm(w, b));
            }
            out[r] = visibleTerm[r] + rest;
        }
        return out;
    }

    /** ln Z by enumerating the even layers whatever their size relative to the odd ones (tests compare the two ways). */
    static double logZOverEvenStates(Dbm dbm) {
        return logSumOverParity(dbm, 0);
    }

    /** logsumexp over every joint state of the layers of one parity (0: v, h2, ...; 1: h1, h3, ...), the others summed out. */
    private static double logSumOverParity(Dbm dbm, int parity) {
        int units = 0;
        for (int l = parity; l <= dbm.hiddenLayers(); l += 2) units += dbm.units(l);
        if (units > MAX_UNITS) {
            throw new InputException("exact ln Z enumerates 2^" + units + " states of the DBM's " + (parity == 0 ? "even" : "odd")
                    + " layers; at most " + MAX_UNITS + " units are supported");
        }
        long states = 1L << units;
        int block = (int) Math.min(BLOCK, states);
        List<Matrix> x = dbm.newLayers(block), scratch = dbm.newLayers(block);
        double acc = Double.NEGATIVE_INFINITY;
        for (long start = 0; start < states; start += block) {
            int n = (int) Math.min(block, states - start);
            for (int s = 0; s < n; s++) {
                long code = start + s;
                for (int l = parity; l <= dbm.hiddenLayers(); l += 2) {
                    Matrix layer = x.get(l);
                    for (int u = 0; u < layer.cols(); u++, code >>>= 1) layer.set(s, u, (code & 1L) != 0 ? 1f : 0f);
                }
            }
            List<Matrix> rows = firstRows(x, n), work = firstRows(scratch, n);
            double[] logP = parity == 0 ? dbm.logUnnormalizedEvenLayers(rows, work) : dbm.logUnnormalizedOddLayers(rows, work);
            acc = LogMath.logAddExp(acc, LogMath.logSumExp(logP));
        }
        return acc;
    }

    private static Matrix transpose(Matrix m) {
        return Elementwise.transpose(m, Matrix.zeros(m.cols(), m.rows()));
    }
}
