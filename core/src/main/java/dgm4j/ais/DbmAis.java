package dgm4j.ais;

import java.util.ArrayList;
import java.util.List;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.dbm.Dbm;
import dgm4j.dbm.DbmSampler;
import dgm4j.math.Elementwise;
import dgm4j.math.LogMath;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;

/**
 * Annealed importance sampling for a deep Boltzmann machine (Salakhutdinov and Hinton, AISTATS 2009, section 4;
 * Salakhutdinov and Murray 2008). The intermediate distributions are geometric averages of a product-of-Bernoullis
 * base model A, with biases b_A,l on every layer, and the DBM:
 *
 * <pre>
 *   p*_beta(h0, .., hL) = exp(sum_l ((1 - beta) b_A,l + beta b_l)^T h_l + beta sum_l h_{l-1}^T W_l h_l)
 * </pre>
 *
 * The paper's base is the base-rate model: b_A,0 the data's log-odds, the hidden layers uniform (b_A,l = 0). A base
 * whose hidden biases are the log-odds of the mean-field posterior's average activations ({@link #baseRates}) starts
 * the annealing nearer the model: with the uniform base, annealing a trained MNIST DBM went through an abrupt change
 * (the forward runs' ln Z_beta and the reverse runs' parted between beta 0.7 and 0.94, by 66 nats).
 *
 * <p>The importance weights are functions of the odd layers (h1, h3, ...) only: the even ones (v, h2, ...), independent
 * given the odd ones, are summed out analytically, as in the paper (and pylearn2's port); the transitions are Gibbs
 * sweeps over all layers. With x_l = b_l + h_{l-1} W_l + h_{l+1} W_{l+1}^T the input of layer l:
 *
 * <pre>
 *   ln p*_beta(odd) = sum_{odd l} ((1 - beta) b_A,l + beta b_l)^T h_l + sum_{even l} sum_j softplus(beta x_l,j + (1 - beta) b_A,l,j)
 * </pre>
 *
 * At beta = 0 the layers are independent Bernoullis: ln Z_0 = sum_l sum_j softplus(b_A,l,j). A step from beta to
 * beta' adds ln p*_beta'(odd) - ln p*_beta(odd) to each run's log-weight (the even layers' inputs at beta' are also
 * used to sample them), then a Gibbs sweep at beta' (even layers, then odd layers) leaves p_beta' invariant.
 */
public final class DbmAis {
    private final Dbm dbm;
    private final List<Matrix> base;   // b_A,l, l = 0..L
    private final double logZBase;

    /** The base-rate model: visible biases {@code baseVisibleBias}, hidden layers uniform. */
    public DbmAis(Dbm dbm, Matrix baseVisibleBias) {
        this(dbm, uniformHidden(dbm, baseVisibleBias));
    }

    /** A base model with biases {@code baseBiases.get(l)} (1 x n_l) on every layer l = 0..L. */
    public DbmAis(Dbm dbm, List<Matrix> baseBiases) {
        if (baseBiases.size() != dbm.hiddenLayers() + 1) {
            throw new InputException("base model has " + baseBiases.size() + " layers of biases, the DBM " + (dbm.hiddenLayers() + 1));
        }
        double lz = 0;
        List<Matrix> copies = new ArrayList<>();
        for (int l = 0; l < baseBiases.size(); l++) {
            Matrix b = baseBiases.get(l);
            if (b == null) throw new InputException("base-model biases of layer " + l + " are missing");
            if (b.rows() != 1 || b.cols() != dbm.units(l)) {
                throw new InputException("base-model biases of layer " + l + " are " + b.shape() + ", expected 1x" + dbm.units(l));
            }
            for (int j = 0; j < b.cols(); j++) {
                if (!Float.isFinite(b.get(0, j))) throw new InputException("base-model bias " + j + " of layer " + l + " is " + b.get(0, j));
                lz += LogMath.softplus(b.get(0, j));
            }
            copies.add(b.copy());
        }
        this.dbm = dbm;
        this.base = List.copyOf(copies);
        this.logZBase = lz;
    }

    private static List<Matrix> uniformHidden(Dbm dbm, Matrix baseVisibleBias) {
        if (baseVisibleBias.rows() != 1 || baseVisibleBias.cols() != dbm.visibleUnits()) {
            throw new InputException("base-rate biases are " + baseVisibleBias.shape() + ", expected 1x" + dbm.visibleUnits());
        }
        List<Matrix> b = new ArrayList<>();
        b.add(baseVisibleBias);
        for (int l = 1; l <= dbm.hiddenLayers(); l++) b.add(Matrix.zeros(1, dbm.units(l)));
        return b;
    }

    /**
     * Base biases fitted to data: the visible layer's base rates ({@link RbmAis#baseRateBias}) and each hidden layer's
     * log-odds of its average mean-field posterior activation over the rows of {@code data} (binary), smoothed alike.
     */
    public static List<Matrix> baseRates(Dbm dbm, Matrix data, int meanFieldIterations) {
        dbm.requireVisible(data);
        List<Matrix> b = new ArrayList<>();
        b.add(BernoulliRbm.baseRateBias(data));
        List<Matrix> sums = new ArrayList<>();
        for (int l = 1; l <= dbm.hiddenLayers(); l++) sums.add(Matrix.zeros(1, dbm.units(l)));
        int chunk = 1000;
        Dbm.Posterior q = null;
        for (int start = 0; start < data.rows(); start += chunk) {
            Matrix rows = data.rows(start, Math.min(data.rows(), start + chunk));
            if (q == null || q.rows() != rows.rows()) q = dbm.newPosterior(rows.rows());
            dbm.meanField(rows, q, meanFieldIterations, 1e-6);
            for (int l = 1; l <= dbm.hiddenLayers(); l++) Elementwise.columnSums(q.mu.get(l), 1f, 1f, sums.get(l - 1));
        }
        for (Matrix s : sums) b.add(BernoulliRbm.smoothedLogOdds(s, data.rows()));
        return b;
    }

    /**
     * Base biases fitted to the model, the chains' final states (model samples for reverse AIS), and each chain's
     * average -E(x) over the second half of the sweeps (chains that mixed agree on it whatever their start).
     */
    public record ModelFit(List<Matrix> baseBiases, List<Matrix> samples, double[] chainNegativeEnergy, int fromStart) {}

    /**
     * A base fitted to the DBM itself: {@code chains} Gibbs chains, the first half from {@code start} (e.g. the
     * checkpoint's persistent chains; null: v ~ sigmoid(b_0)) and the rest from fair coins on every layer, run
     * {@code sweeps} sweeps; each unit's base bias is the log-odds of its average state over the second half of the
     * sweeps and all chains, Laplace-smoothed. The same chains' last states start reverse AIS. Like the RBM's, a base
     * near the model's own marginals keeps forward and reverse AIS close where a base fitted to the data
     * (near-deterministic background pixels) leaves forward AIS low by nats.
     */
    public static ModelFit fitToModel(Dbm dbm, List<Matrix> start, int chains, int sweeps, RandomStream random) {
        if (sweeps < 2) throw new InputException("need at least two Gibbs sweeps, got " + sweeps);
        if (chains < 2) throw new InputException("need at least two chains, got " + chains);
        int fromStart = (chains + 1) / 2;
        List<Matrix> first = DbmSampler.gibbsChains(dbm, start, fromStart, 1, random);
        List<Matrix> x = dbm.newLayers(chains);
        RandomStream noise = random.split(1);
        for (int l = 0; l <= dbm.hiddenLayers(); l++) {
            x.get(l).rows(0, fromStart).copyFrom(first.get(l));
            Matrix rest = x.get(l).rows(fromStart, chains);
            for (int i = 0; i < rest.rows(); i++) for (int j = 0; j < rest.cols(); j++) rest.set(i, j, 0.5f);
            noise.bernoulli(rest, rest);
        }
        return sweep(dbm, x, fromStart, sweeps, random);
    }

    /** {@link #fitToModel} continued: {@code sweeps} more sweeps from the chains' states in {@code fit}. */
    public static ModelFit continueFit(Dbm dbm, ModelFit fit, int sweeps, RandomStream random) {
        if (sweeps < 2) throw new InputException("need at least two Gibbs sweeps, got " + sweeps);
        List<Matrix> x = new ArrayList<>();
        for (Matrix m : fit.samples()) x.add(m.copy());
        return sweep(dbm, x, fit.fromStart(), sweeps, random);
    }

    private static ModelFit sweep(Dbm dbm, List<Matrix> x, int fromStart, int sweeps, RandomStream random) {
        int chains = x.get(0).rows();
        List<Matrix> sums = new ArrayList<>();
        for (int l = 0; l <= dbm.hiddenLayers(); l++) sums.add(Matrix.zeros(1, dbm.units(l)));
        long n = 0;
        double[] negativeEnergy = new double[chains];
        List<Matrix> scratch = dbm.newLayers(chains);
        List<Matrix> transposed = dbm.transposeWeights(dbm.newTransposedWeights());
        int averaged = 0;
        for (int t = 0; t < sweeps; t++) {
            dbm.gibbsSweep(x, null, null, random, transposed);
            if (t >= sweeps / 2) {
                for (int l = 0; l <= dbm.hiddenLayers(); l++) Elementwise.columnSums(x.get(l), 1f, 1f, sums.get(l));
                n += chains;
                double[] e = dbm.energy(x, scratch);
                for (int c = 0; c < chains; c++) negativeEnergy[c] -= e[c];
                averaged++;
            }
        }
        for (int c = 0; c < chains; c++) negativeEnergy[c] /= averaged;
        List<Matrix> b = new ArrayList<>();
        for (Matrix s : sums) b.add(BernoulliRbm.smoothedLogOdds(s, n));
        return new ModelFit(b, x, negativeEnergy, fromStart);
    }

    /** ln Z of the base model. */
    public double logZBase() { return logZBase; }

    /** Forward AIS: M runs from exact samples of the base model; estimates ln Z of the DBM. */
    public AisEstimate forward(AnnealingSchedule schedule, int runs, RandomStream random, Progress progress) {
        if (runs < 1) throw new InputException("AIS needs at least one run, got " + runs);
        List<Matrix> x = dbm.newLayers(runs);
        for (int l = 1; l <= dbm.hiddenLayers(); l += 2) {   // odd layers from the base model
            random.sigmoidBernoulli(Elementwise.broadcastRow(base.get(l), Matrix.zeros(runs, dbm.units(l))), null, x.get(l));
        }
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
        List<Matrix> x = new ArrayList<>();
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
        int top = dbm.hiddenLayers(), runs = x.get(0).rows();
        List<Matrix> input = dbm.newLayers(runs), inputNow = dbm.newLayers(runs), inputBefore = dbm.newLayers(runs);
        List<Matrix> offset = new ArrayList<>(), biasDifference = new ArrayList<>();
        for (int l = 0; l <= top; l++) {
            offset.add(Matrix.zeros(1, dbm.units(l)));
            biasDifference.add(Elementwise.axpby(1f, dbm.bias(l), -1f, base.get(l), Matrix.zeros(1, dbm.units(l))));   // b_l - b_A,l
        }
        double[] logW = new double[runs];
        int steps = gammas.length - 1;
        path.record(0, steps, gammas[0], logW);
        for (int k = 1; k <= steps; k++) {
            float now = (float) gammas[k], before = (float) gammas[k - 1];
            double step = (double) now - before;
            for (int l = 1; l <= top; l += 2) {                      // the part linear in beta: sum_{odd l} (b_l - b_A,l)^T h_l
                double[] t = Elementwise.rowDot(x.get(l), biasDifference.get(l));
                for (int n = 0; n < runs; n++) logW[n] += step * t[n];
            }
            for (int l = 0; l <= top; l += 2) {                      // even layers summed out at beta' and beta
                Matrix in = dbm.layerInput(x, l, input.get(l));
                double[] sNow = Elementwise.softplusRowSums(interpolate(in, now, l, offset.get(l), inputNow.get(l)), 1f);
                double[] sBefore = Elementwise.softplusRowSums(interpolate(in, before, l, offset.get(l), inputBefore.get(l)), 1f);
                for (int n = 0; n < runs; n++) logW[n] += sNow[n] - sBefore[n];
            }
            path.record(k, steps, gammas[k], logW);
            if (k < steps) {
                // Gibbs at beta': the even layers from the inputs just computed, then the odd layers
                for (int l = 0; l <= top; l += 2) random.sigmoidBernoulli(inputNow.get(l), null, x.get(l));
                for (int l = 1; l <= top; l += 2) {
                    random.sigmoidBernoulli(interpolate(dbm.layerInput(x, l, input.get(l)), now, l, offset.get(l), inputNow.get(l)), null, x.get(l));
                }
            }
            if ((k & 127) == 0 || k == steps) progress.update(task, k, steps);
        }
        progress.finish(task);
        return logW;
    }

    /** out = beta x_l + (1 - beta) b_A,l for the input x_l of layer l; offset a 1 x n_l work row. */
    private Matrix interpolate(Matrix in, float beta, int l, Matrix offset, Matrix out) {
        Elementwise.axpby(1f - beta, base.get(l), 0f, base.get(l), offset);
        Elementwise.axpby(beta, in, 0f, in, out);
        return Elementwise.addRowVector(out, offset, out);
    }
}
