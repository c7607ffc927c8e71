package dgm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dgm4j.math.LogMath;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * The sampled gradient against the exact log-likelihood gradient E_data[v h^T] - E_model[v h^T], computed by
 * enumerating all (v, h) of a tiny RBM: with many chains run long, CD-k and PCD must agree with it within Monte Carlo
 * error.
 */
class RbmGradientTest {
    static final int D = 5, F = 3;

    /** Exact d(mean log-likelihood)/dW over the data rows. */
    static double[][] exactGradient(BernoulliRbm rbm, Matrix data) {
        double[][] g = new double[D][F];
        // data term: v p(h|v)
        Matrix p = rbm.hiddenProbabilities(data, Matrix.zeros(data.rows(), F));
        for (int n = 0; n < data.rows(); n++) for (int i = 0; i < D; i++) for (int j = 0; j < F; j++) g[i][j] += data.get(n, i) * p.get(n, j) / data.rows();
        // model term by enumeration
        double logZ = Double.NEGATIVE_INFINITY;
        double[] logp = new double[1 << (D + F)];
        for (int c = 0; c < logp.length; c++) {
            logp[c] = RbmTest.negativeEnergy(rbm, RbmTest.bits(c, D), RbmTest.bits(c >>> D, F));
            logZ = LogMath.logAddExp(logZ, logp[c]);
        }
        for (int c = 0; c < logp.length; c++) {
            double pr = Math.exp(logp[c] - logZ);
            float[] v = RbmTest.bits(c, D), h = RbmTest.bits(c >>> D, F);
            for (int i = 0; i < D; i++) for (int j = 0; j < F; j++) g[i][j] -= pr * v[i] * h[j];
        }
        return g;
    }

    @Test
    void longChainsGiveTheExactGradient() {
        BernoulliRbm rbm = RbmTest.randomRbm(D, F, 1f, 21);
        int n = 20000;
        Matrix data = Matrix.zeros(n, D);
        RandomStream r = new RandomStream(22);
        for (int k = 0; k < n; k++) data.setRow(k, RbmTest.bits(r.nextInt(1 << D) & 0b10111, D));
        double[][] exact = exactGradient(rbm, data);
        for (boolean persistent : new boolean[] {false, true}) {
            RbmTrainer.Config c = RbmTrainer.Config.defaults().withPersistent(persistent).withGibbsSteps(50);
            RbmTrainer t = new RbmTrainer(rbm, c, new RandomStream(23));
            if (persistent) t.estimateGradient(data); // burn the persistent chains in
            t.estimateGradient(data);
            Matrix g = t.gradient().get(0);
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < F; j++) {
                    // each term is a mean of n values in [0, 1]: standard error below 0.5 / sqrt(n) per term
                    assertEquals(exact[i][j], g.get(i, j), 6 * Math.sqrt(2) * 0.5 / Math.sqrt(n),
                            (persistent ? "PCD" : "CD") + " dW[" + i + "][" + j + "]");
                }
            }
        }
    }

    /**
     * Centering: the gradient taken in the centered parameterisation (v - mu, h - lambda) and mapped back must equal
     * gW - mu ga^T - gb lambda^T (and the bias corrections) of the exact gradient.
     */
    @Test
    void centeredGradientIsTheExactGradientInCenteredCoordinates() {
        BernoulliRbm rbm = RbmTest.randomRbm(D, F, 1f, 31);
        int n = 20000;
        Matrix data = Matrix.zeros(n, D);
        RandomStream r = new RandomStream(32);
        for (int k = 0; k < n; k++) data.setRow(k, RbmTest.bits(r.nextInt(1 << D) & 0b11011, D));
        double[][] gW = exactGradient(rbm, data);
        // exact bias gradients: <v>_data - <v>_model and <h>_data - <h>_model, by enumeration
        double[] gb = new double[D], ga = new double[F];
        Matrix p = rbm.hiddenProbabilities(data, Matrix.zeros(n, F));
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < D; i++) gb[i] += data.get(k, i) / n;
            for (int j = 0; j < F; j++) ga[j] += p.get(k, j) / n;
        }
        double logZ = Double.NEGATIVE_INFINITY;
        double[] lp = new double[1 << (D + F)];
        for (int c = 0; c < lp.length; c++) {
            lp[c] = RbmTest.negativeEnergy(rbm, RbmTest.bits(c, D), RbmTest.bits(c >>> D, F));
            logZ = LogMath.logAddExp(logZ, lp[c]);
        }
        for (int c = 0; c < lp.length; c++) {
            double pr = Math.exp(lp[c] - logZ);
            float[] v = RbmTest.bits(c, D), h = RbmTest.bits(c >>> D, F);
            for (int i = 0; i < D; i++) gb[i] -= pr * v[i];
            for (int j = 0; j < F; j++) ga[j] -= pr * h[j];
        }
        RbmTrainer.Config c = RbmTrainer.Config.defaults().withCentering(true).withGibbsSteps(50);
        RbmTrainer t = new RbmTrainer(rbm, c, new RandomStream(33));
        Matrix mu = Matrix.of(1, D, 0.3f, 0.6f, 0.1f, 0.9f, 0.5f);
        t.setVisibleOffset(mu);
        t.estimateGradient(data);  // the first update sets lambda to the batch's mean p(h|v)
        double[] lambda = new double[F];
        for (int j = 0; j < F; j++) lambda[j] = t.hiddenMean().get(0, j);
        double[][] wc = new double[D][F];
        for (int i = 0; i < D; i++) for (int j = 0; j < F; j++) wc[i][j] = gW[i][j] - mu.get(0, i) * ga[j] - gb[i] * lambda[j];
        double tol = 6 * Math.sqrt(2) * 0.5 / Math.sqrt(n) * 4;
        for (int i = 0; i < D; i++) {
            double bc = gb[i];
            for (int j = 0; j < F; j++) {
                assertEquals(wc[i][j], t.gradient().get(0).get(i, j), tol, "centered dW[" + i + "][" + j + "]");
                bc -= wc[i][j] * lambda[j];
            }
            assertEquals(bc, t.gradient().get(1).get(0, i), tol * 2, "centered db[" + i + "]");
        }
        for (int j = 0; j < F; j++) {
            double ac = ga[j];
            for (int i = 0; i < D; i++) ac -= wc[i][j] * mu.get(0, i);
            assertEquals(ac, t.gradient().get(2).get(0, j), tol * 2, "centered da[" + j + "]");
        }
    }
}
