package dgm4j.ais;

import dgm4j.Progress;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.Rbm;

/**
 * The annealing loop shared by every RBM kind (Neal 2001; Salakhutdinov and Murray 2008). From a base model A with
 * W = 0 and a = 0 to the RBM B, with the hidden units summed out analytically:
 *
 * <pre>
 *   ln p*_beta(v) = (1 - beta) ln f_A(v) + beta ln f_B(v) + sum_j softplus(beta x_j(v))
 * </pre>
 *
 * where x(v) is B's hidden input and f_A, f_B the visible parts. A step from beta to beta' adds
 * (beta' - beta) [ln f_B(v) - ln f_A(v)] + sum_j [softplus(beta' x_j) - softplus(beta x_j)] to the log-weight, then
 * makes one Gibbs transition at beta': h ~ sigmoid(beta' x), v ~ p_beta'(v | h). The product giving x is computed
 * once per step and used both for the weight and for sampling h. Kinds supply only the visible parts.
 */
abstract class RbmAnnealing {
    protected final Rbm rbm;

    RbmAnnealing(Rbm rbm) {
        this.rbm = rbm;
    }

    /** ln f_B(v) - ln f_A(v) for each row: the part of the log-weight linear in beta. */
    protected abstract double[] visibleLogRatio(Matrix v);

    /** v ~ p_beta(v | h), overwriting v (which holds the chain's current state, e.g. document lengths). */
    protected abstract void sampleVisible(Matrix h, float beta, Matrix v, RandomStream random);

    /**
     * Runs the chains v through gamma_0, gamma_1, ...; returns the log-weights, E[w] = Z_{gamma_last} / Z_{gamma_0}
     * when v starts from p_{gamma_0} (increasing gammas: forward AIS; decreasing: reverse AIS). Records the partial
     * log-weights in {@code path} if it is not null.
     */
    final double[] anneal(Matrix v, double[] gammas, RandomStream random, Progress progress, String task, AisPath path) {
        int m = v.rows(), f = rbm.hiddenUnits();
        Matrix x = Matrix.zeros(m, f);
        Matrix scaled = Matrix.zeros(m, f);
        Matrix h = Matrix.zeros(m, f);
        double[] logW = new double[m];
        int steps = gammas.length - 1;
        if (path != null) path.record(0, steps, gammas[0], logW);
        for (int k = 1; k <= steps; k++) {
            float now = (float) gammas[k];
            float before = (float) gammas[k - 1];
            rbm.hiddenInput(v, x);
            double[] ratio = visibleLogRatio(v);
            double[] sNow = Elementwise.softplusRowSums(x, now);
            double[] sBefore = Elementwise.softplusRowSums(x, before);
            double step = (double) now - before;
            for (int n = 0; n < m; n++) logW[n] += step * ratio[n] + sNow[n] - sBefore[n];
            if (path != null) path.record(k, steps, gammas[k], logW);
            if (k < steps) {
                Elementwise.axpby(now, x, 0f, x, scaled);
                random.sigmoidBernoulli(scaled, null, h);  // h ~ p_now(h | v)
                sampleVisible(h, now, v, random);          // v ~ p_now(v | h)
            }
            if ((k & 127) == 0 || k == steps) progress.update(task, k, steps);
        }
        progress.finish(task);
        return logW;
    }

    /**
     * Reverse AIS from samples of the RBM (rows of {@code modelSamples}, e.g. the end of long Gibbs chains), annealed
     * from beta = 1 to 0: E[w] = Z_A / Z_B. Its estimate tends to err the other way from the forward one; reporting both
     * brackets the truth when the chains mixed.
     */
    final AisEstimate reverse(double logZBase, Matrix modelSamples, AnnealingSchedule schedule, RandomStream random,
                              Progress progress) {
        rbm.requireVisible(modelSamples);
        double[] up = schedule.betas();
        double[] down = new double[up.length];
        for (int k = 0; k < up.length; k++) down[k] = up[up.length - 1 - k];
        AisPath path = AisPath.along(down);
        return new AisEstimate(logZBase, anneal(modelSamples.copy(), down, random, progress, "reverse AIS", path), path, schedule.size(), true);
    }
}
