package dgm4j.ais;

import java.util.List;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.dbm.Dbm;
import dgm4j.math.Elementwise;
import dgm4j.math.LogMath;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;

/**
 * Annealed importance sampling for a deep Boltzmann machine (Salakhutdinov and Hinton, AISTATS 2009, section 4;
 * Salakhutdinov and Murray 2008). The intermediate distributions scale the DBM's energy by beta and move the visible
 * biases from a base-rate model's b_A to the DBM's b_0:
 *
 * <pre>
 *   p*_beta(h0, .., hL) = exp(((1 - beta) b_A + beta b_0)^T v + beta [sum_l h_{l-1}^T W_l h_l + sum_{l>0} b_l^T h_l])
 * </pre>
 *
 * The importance weights are functions of the odd layers (h1, h3, ...) only: the even ones (v, h2, ...), independent
 * given the odd ones, are summed out analytically, as in the paper (and pylearn2's port); the transitions are Gibbs
 * sweeps over all layers. (Summing out the odd layers instead is equally valid; on a 784-500-1000 MNIST model both
 * gave the same spread of log-weights, sd 1.85 with 58,001 betas, and ln Z 454.6 here against 455.5-457.4 over three
 * seeds there: with 100 runs the seed matters more than the choice.) With u = h1 W1^T and
 * x_l = b_l + h_{l-1} W_l + h_{l+1} W_{l+1}^T:
 *
 * <pre>
 *   ln p*_beta(odd) = beta sum_{odd l} b_l^T h_l + sum_i softplus(beta (b_0 + u)_i + (1 - beta) b_A,i)
 *                     + sum_{even l>0} sum_j softplus(beta x_l,j)
 * </pre>
 *
 * At beta = 0 the odd layers are uniform: ln Z_0 = sum_i softplus(b_A,i) + (n_1 + ... + n_L) ln 2. A step from beta
 * to beta' adds ln p*_beta'(odd) - ln p*_beta(odd) to each run's log-weight (the even layers' inputs computed once,
 * also used to sample them), then a Gibbs sweep at beta' (even layers, then odd layers) leaves p_beta' invariant.
 */
public final class DbmAis {
    private final Dbm dbm;
    private final Matrix baseVisibleBias;  // b_A
    private final double logZBase;

    public DbmAis(Dbm dbm, Matrix baseVisibleBias) {
        if (baseVisibleBias.rows() != 1 || baseVisibleBias.cols() != dbm.visibleUnits()) {
            throw new InputException("base-rate biases are " + baseVisibleBias.shape() + ", expected 1x" + dbm.visibleUnits());
        }
        this.dbm = dbm;
        this.baseVisibleBias = baseVisibleBias;
        double lz = 0;
        for (int l = 1; l <= dbm.hiddenLayers(); l++) lz += dbm.units(l) * Math.log(2);
        for (int i = 0; i < baseVisibleBias.cols(); i++) lz += LogMath.softplus(baseVisibleBias.get(0, i));
        this.logZBase = lz;
    }

    /** ln Z of the base-rate model. */
    public double logZBase() { return logZBase; }

    /** Forward AIS: M runs from exact samples of the base-rate model; estimates ln Z of the DBM. */
    public AisEstimate forward(AnnealingSchedule schedule, int runs, RandomStream random, Progress progress) {
        if (runs < 1) throw new InputException("AIS needs at least one run, got " + runs);
        List<Matrix> x = dbm.newLayers(runs);
        for (int l = 1; l <= dbm.hiddenLayers(); l += 2) random.bernoulli(x.get(l).fill(0.5f), x.get(l));   // uniform odd layers
        AisPath path = AisPath.along(schedule.betas());
        return new AisEstimate(logZBase, anneal(x, schedule.betas(), random, progress, "DBM AIS", path), path, schedule.size(), false);
    }

    /**
     * Reverse AIS (Burda, Grosse and Salakhutdinov, AISTATS 2015): one run from each row of {@code modelStates} (states
     * of every layer, e.g. the end of long Gibbs chains: {@link dgm4j.dbm.DbmSampler#gibbsChains}), annealed from beta = 1
     * to 0; E[w] = Z_0 / Z. If the start states are samples of the DBM its ln Z errs high, the forward one low, so the
     * two bracket the truth; if the chains missed modes of the model, both miss them.
     */
    public AisEstimate reverse(List<Matrix> modelStates, AnnealingSchedule schedule, RandomStream random, Progress progress) {
        if (modelStates.size() != dbm.hiddenLayers() + 1) {
            throw new InputException("reverse AIS needs states of " + (dbm.hiddenLayers() + 1) + " layers, got " + modelStates.size());
        }
        List<Matrix> x = new java.util.ArrayList<>();
        for (int l = 0; l < modelStates.size(); l++) {
            Matrix m = modelStates.get(l);
            if (m.cols() != dbm.units(l) || m.rows() != modelStates.get(0).rows()) {
                throw new InputException("reverse AIS: layer " + l + " states are " + m.shape() + ", expected " + modelStates.get(0).rows() + "x" + dbm.units(l));
            }
            x.add(m.copy());
        }
        if (x.get(0).rows() < 1) throw new InputException("reverse AIS needs at least one run");
        double[] up = schedule.betas(), down = new double[up.length];
        for (int k = 0; k < up.length; k++) down[k] = up[up.length - 1 - k];
        AisPath path = AisPath.along(down);
        return new AisEstimate(logZBase, anneal(x, down, random, progress, "DBM reverse AIS", path), path, schedule.size(), true);
    }

    /**
     * Runs the chains in x (one per row; only the odd layers matter at the start) through the intermediate
     * distributions gammas[0], gammas[1], ...: before each transition at gamma_k, adds ln p*_{gamma_k}(odd) -
     * ln p*_{gamma_{k-1}}(odd) to the row's log-weight. Increasing gammas: forward AIS; decreasing: reverse. Records
     * the partial log-weights in {@code path}.
     */
    private double[] anneal(List<Matrix> x, double[] gammas, RandomStream random, Progress progress, String task, AisPath path) {
        int top = dbm.hiddenLayers(), visible = dbm.visibleUnits(), runs = x.get(0).rows();
        List<Matrix> input = dbm.newLayers(runs);
        Matrix u = input.get(0);                                     // h1 W1^T, the visible units' input without b_0
        Matrix visibleNow = Matrix.zeros(runs, visible), visibleBefore = Matrix.zeros(runs, visible);
        Matrix offset = Matrix.zeros(1, visible);                    // beta b_0 + (1 - beta) b_A
        double[] logW = new double[runs];
        int steps = gammas.length - 1;
        path.record(0, steps, gammas[0], logW);
        for (int k = 1; k <= steps; k++) {
            float now = (float) gammas[k], before = (float) gammas[k - 1];
            double step = (double) now - before;
            for (int l = 1; l <= top; l += 2) {                      // the part linear in beta: sum_{odd l} b_l^T h_l
                double[] t = Elementwise.rowDot(x.get(l), dbm.bias(l));
                for (int n = 0; n < runs; n++) logW[n] += step * t[n];
            }
            // visible units summed out: softplus(beta u + beta b_0 + (1 - beta) b_A) at beta' and beta
            Numerics.blas().gemm(false, true, 1f, x.get(1), dbm.weights(1), 0f, u);
            visibleInput(u, now, offset, visibleNow);
            visibleInput(u, before, offset, visibleBefore);
            double[] sNow = Elementwise.softplusRowSums(visibleNow, 1f), sBefore = Elementwise.softplusRowSums(visibleBefore, 1f);
            for (int n = 0; n < runs; n++) logW[n] += sNow[n] - sBefore[n];
            for (int l = 2; l <= top; l += 2) {                      // even hidden layers summed out
                Matrix in = dbm.layerInput(x, l, input.get(l));
                sNow = Elementwise.softplusRowSums(in, now);
                sBefore = Elementwise.softplusRowSums(in, before);
                for (int n = 0; n < runs; n++) logW[n] += sNow[n] - sBefore[n];
            }
            path.record(k, steps, gammas[k], logW);
            if (k < steps) {
                // Gibbs at beta': the even layers from the inputs just computed, then the odd layers
                random.sigmoidBernoulli(visibleNow, null, x.get(0));
                for (int l = 2; l <= top; l += 2) random.sigmoidBernoulli(Elementwise.scale(input.get(l), now), null, x.get(l));
                for (int l = 1; l <= top; l += 2) random.sigmoidBernoulli(Elementwise.scale(dbm.layerInput(x, l, input.get(l)), now), null, x.get(l));
            }
            if ((k & 127) == 0 || k == steps) progress.update(task, k, steps);
        }
        progress.finish(task);
        return logW;
    }

    /** out = beta u + (beta b_0 + (1 - beta) b_A), offset a 1 x n_0 work row. */
    private void visibleInput(Matrix u, float beta, Matrix offset, Matrix out) {
        Elementwise.axpby(beta, dbm.bias(0), 1f - beta, baseVisibleBias, offset);
        Elementwise.axpby(beta, u, 0f, u, out);
        Elementwise.addRowVector(out, offset, out);
    }

    /**
     * The variational lower bound on each row's log-probability, ln p(v) &gt;= E_q[-E(v, h)] + H(q) - ln Z, with q the
     * mean-field posterior ({@link Dbm#meanField}, at most {@code iterations} sweeps). Rows of binary data.
     */
    public static double[] logProbabilityLowerBound(Dbm dbm, Matrix v, double logZ, int iterations, double tolerance) {
        dbm.requireVisible(v);
        Dbm.Posterior q = dbm.newPosterior(v.rows());
        dbm.meanField(v, q, iterations, tolerance);
        double[] bound = dbm.meanFieldBound(q);
        for (int n = 0; n < bound.length; n++) bound[n] -= logZ;
        return bound;
    }
}
