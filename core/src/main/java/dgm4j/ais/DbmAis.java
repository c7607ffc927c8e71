package dgm4j.ais;

import java.util.List;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.dbm.Dbm;
import dgm4j.math.Elementwise;
import dgm4j.math.LogMath;
import dgm4j.math.Matrix;
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
 * The odd layers (h1, h3, ...) are summed out analytically and the chains run over the even ones (v, h2, ...):
 *
 * <pre>
 *   ln p*_beta(even) = ((1 - beta) b_A + beta b_0)^T v + beta sum_{even l>0} b_l^T h_l + sum_{odd l} sum_j softplus(beta x_l,j)
 * </pre>
 *
 * x_l the odd layer's total input from its (even) neighbours. At beta = 0 this is the base-rate model with uniform
 * hidden units: ln Z_0 = sum_i softplus(b_A,i) + (n_1 + ... + n_L) ln 2, and exact samples are cheap. A step from beta
 * to beta' adds ln p*_beta'(even) - ln p*_beta(even) to each run's log-weight (the inputs x_l computed once, also used
 * to sample the odd layers), then a Gibbs sweep at beta' (odd layers, then even layers) leaves p_beta' invariant.
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
        int top = dbm.hiddenLayers();
        List<Matrix> x = dbm.newLayers(runs);
        List<Matrix> input = dbm.newLayers(runs);
        Matrix base = Elementwise.broadcastRow(baseVisibleBias, Matrix.zeros(runs, dbm.visibleUnits()));
        random.sigmoidBernoulli(base, null, x.get(0));                    // v ~ sigmoid(b_A)
        for (int l = 2; l <= top; l += 2) random.bernoulli(x.get(l).fill(0.5f), x.get(l));   // uniform hidden layers
        Matrix scaledBase = Matrix.zeros(1, dbm.visibleUnits());
        Matrix biasDifference = Elementwise.subtract(dbm.bias(0), baseVisibleBias, Matrix.zeros(1, dbm.visibleUnits()));
        double[] betas = schedule.betas();
        double[] logW = new double[runs];
        int steps = betas.length - 1;
        for (int k = 1; k <= steps; k++) {
            float now = (float) betas[k], before = (float) betas[k - 1];
            double step = (double) now - before;
            // the part linear in beta: (b_0 - b_A)^T v + sum_{even l>0} b_l^T h_l
            double[] linear = Elementwise.rowDot(x.get(0), biasDifference);
            for (int l = 2; l <= top; l += 2) {
                double[] t = Elementwise.rowDot(x.get(l), dbm.bias(l));
                for (int n = 0; n < runs; n++) linear[n] += t[n];
            }
            for (int n = 0; n < runs; n++) logW[n] += step * linear[n];
            for (int l = 1; l <= top; l += 2) {
                Matrix in = dbm.layerInput(x, l, input.get(l));
                double[] sNow = Elementwise.softplusRowSums(in, now), sBefore = Elementwise.softplusRowSums(in, before);
                for (int n = 0; n < runs; n++) logW[n] += sNow[n] - sBefore[n];
            }
            if (k < steps) {
                // Gibbs at beta': odd layers from the inputs just computed, then the even layers
                for (int l = 1; l <= top; l += 2) random.sigmoidBernoulli(Elementwise.scale(input.get(l), now), null, x.get(l));
                // v ~ sigmoid((1 - beta') b_A + beta' (b_0 + h1 W1^T))
                Elementwise.axpby(1f - now, baseVisibleBias, 0f, baseVisibleBias, scaledBase);
                Matrix v = Elementwise.scale(dbm.layerInput(x, 0, input.get(0)), now);
                Elementwise.addRowVector(v, scaledBase, v);
                random.sigmoidBernoulli(v, null, x.get(0));
                for (int l = 2; l <= top; l += 2) random.sigmoidBernoulli(Elementwise.scale(dbm.layerInput(x, l, input.get(l)), now), null, x.get(l));
            }
            if ((k & 127) == 0 || k == steps) progress.update("DBM AIS", k, steps);
        }
        progress.finish("DBM AIS");
        return new AisEstimate(logZBase, logW, schedule.size(), false);
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
