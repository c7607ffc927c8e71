package dgm4j.dbm;

import java.util.ArrayList;
import java.util.List;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;

/**
 * A deep Boltzmann machine with binary units (Salakhutdinov and Hinton, AISTATS 2009), in the lecture's notation:
 * layers h0 = v, h1, ..., hL, weights W1..WL between neighbours (W_l is n_{l-1} x n_l), biases b0 (visible) .. bL.
 *
 * <pre>
 *   E(v, h1, ..., hL) = - sum_l h_{l-1}^T W_l h_l - sum_l b_l^T h_l
 *   p(h_l = 1 | neighbours) = sigmoid(b_l + h_{l-1} W_l + h_{l+1} W_{l+1}^T)       (bottom-up + top-down input)
 *   mean field: mu_l = sigmoid(b_l + mu_{l-1} W_l + mu_{l+1} W_{l+1}^T), mu_0 = v clamped
 *   log p(v) >= E_q[-E(v, h)] + H(q) - ln Z                                          (variational lower bound)
 * </pre>
 *
 * Given the even layers (v, h2, ...) the odd layers are independent, and the reverse: Gibbs sweeps update all even
 * layers, then all odd layers, and the odd layers can be summed out analytically
 * ({@link #logUnnormalizedEvenLayers}). States are lists of matrices, one per layer, index 0 the visible layer, rows
 * the examples or chains. Randomness and work buffers are arguments: no matrix is allocated in a training step.
 */
public final class Dbm {
    /** Model kind written in model files. */
    public static final String KIND = "dbm";

    private final List<Matrix> weights;   // W_1..W_L at index l - 1
    private final List<Matrix> biases;    // b_0..b_L

    public Dbm(List<Matrix> weights, List<Matrix> biases) {
        if (weights.isEmpty() || biases.size() != weights.size() + 1) {
            throw new InputException("a DBM needs L >= 1 weight matrices and L + 1 bias vectors, got "
                    + weights.size() + " and " + biases.size());
        }
        for (int l = 1; l <= weights.size(); l++) {
            Matrix w = weights.get(l - 1), below = biases.get(l - 1), above = biases.get(l);
            if (below.rows() != 1 || above.rows() != 1 || w.rows() != below.cols() || w.cols() != above.cols()) {
                throw new InputException("DBM parameters disagree at layer " + l + ": W" + l + " is " + w.shape()
                        + ", b" + (l - 1) + " " + below.shape() + ", b" + l + " " + above.shape());
            }
        }
        this.weights = List.copyOf(weights);
        this.biases = List.copyOf(biases);
    }

    /** A new DBM with layer sizes units[0] (visible) .. units[L], W ~ N(0, 0.01^2), zero biases. */
    public static Dbm initialize(int[] units, RandomStream random) {
        if (units.length < 2) throw new InputException("a DBM needs a visible and at least one hidden layer");
        List<Matrix> w = new ArrayList<>(), b = new ArrayList<>();
        for (int l = 0; l < units.length; l++) {
            if (units[l] < 1) throw new InputException("layer " + l + " needs at least one unit, got " + units[l]);
            b.add(Matrix.zeros(1, units[l]));
            if (l > 0) {
                Matrix m = Matrix.zeros(units[l - 1], units[l]);
                random.gaussian(m);
                w.add(Elementwise.scale(m, 0.01f));
            }
        }
        return new Dbm(w, b);
    }

    /** L, the number of hidden layers. */
    public int hiddenLayers() { return weights.size(); }

    /** n_l, the units of layer l (0 = visible). */
    public int units(int l) { return biases.get(l).cols(); }

    public int visibleUnits() { return units(0); }

    /** Layer sizes n_0 .. n_L. */
    public int[] layerSizes() {
        int[] n = new int[biases.size()];
        for (int l = 0; l < n.length; l++) n[l] = units(l);
        return n;
    }

    /** W_l (n_{l-1} x n_l), l = 1..L. */
    public Matrix weights(int l) { return weights.get(l - 1); }

    /** b_l (1 x n_l), l = 0..L. */
    public Matrix bias(int l) { return biases.get(l); }

    /** W_1..W_L, then b_0..b_L; trainers update them in place. */
    public List<Matrix> parameters() {
        List<Matrix> p = new ArrayList<>(weights);
        p.addAll(biases);
        return p;
    }

    /** Names of {@link #parameters()} (tensor names in model files): weights_1.., visible_bias, hidden_bias_1.. */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        for (int l = 1; l <= hiddenLayers(); l++) names.add("weights_" + l);
        names.add("visible_bias");
        for (int l = 1; l <= hiddenLayers(); l++) names.add("hidden_bias_" + l);
        return names;
    }

    /** One zero matrix per layer, {@code rows} rows each (states, means or work space). */
    public List<Matrix> newLayers(int rows) {
        List<Matrix> x = new ArrayList<>();
        for (int l = 0; l <= hiddenLayers(); l++) x.add(Matrix.zeros(rows, units(l)));
        return x;
    }

    /** out = b_l + h_{l-1} W_l + h_{l+1} W_{l+1}^T: layer l's total input from its neighbours in state x. */
    public Matrix layerInput(List<Matrix> x, int l, Matrix out) {
        return layerInput(x, l, out, null);
    }

    /**
     * {@link #layerInput(List, int, Matrix)} with, if not null, copies of the transposed weights from
     * {@link #transposeWeights} (index l - 1 holds W_l^T): the top-down product h_{l+1} W_{l+1}^T then reads rows of
     * W_{l+1}^T, so that sampled (0/1) states take the vector row sums of {@link dgm4j.math.Blas#gemmBinaryLeft}.
     */
    public Matrix layerInput(List<Matrix> x, int l, Matrix out, List<Matrix> transposed) {
        var blas = Numerics.blas();
        Elementwise.broadcastRow(biases.get(l), out);
        if (l > 0) blas.gemmBinaryLeft(false, false, 1f, x.get(l - 1), weights.get(l - 1), 1f, out);   // sampled states: sparse sums
        if (l < hiddenLayers()) {
            if (transposed != null) blas.gemmBinaryLeft(false, false, 1f, x.get(l + 1), transposed.get(l), 1f, out);
            else blas.gemmBinaryLeft(false, true, 1f, x.get(l + 1), weights.get(l), 1f, out);
        }
        return out;
    }

    /** Work space for {@link #transposeWeights}: one n_l x n_{l-1} matrix per weight matrix. */
    public List<Matrix> newTransposedWeights() {
        List<Matrix> t = new ArrayList<>();
        for (Matrix w : weights) t.add(Matrix.zeros(w.cols(), w.rows()));
        return t;
    }

    /** out.get(l - 1) = W_l^T for every l: a snapshot, valid until the weights change. */
    public List<Matrix> transposeWeights(List<Matrix> out) {
        for (int l = 0; l < weights.size(); l++) Elementwise.transpose(weights.get(l), out.get(l));
        return out;
    }

    /**
     * x_l ~ p(h_l | neighbours) at inverse temperature beta_r of each row r (null: all 1), p_beta = exp(-beta E) / Z;
     * prob (may be null) receives the probabilities; transposed as for {@link #layerInput(List, int, Matrix, List)}.
     */
    public void sampleLayer(List<Matrix> x, int l, double[] betas, Matrix prob, RandomStream random, List<Matrix> transposed) {
        Matrix input = prob != null ? prob : x.get(l);
        layerInput(x, l, input, transposed);
        if (betas != null) Elementwise.scaleRows(input, betas, input);
        random.sigmoidBernoulli(input, prob, x.get(l));
    }

    /**
     * One Gibbs sweep: every even layer (v, h2, ...) given the odd ones, then every odd layer given the even ones;
     * oddProbabilities (may be null) receives p(h_l | even layers) of the odd layers, for Rao-Blackwellised statistics.
     */
    public void gibbsSweep(List<Matrix> x, double[] betas, List<Matrix> oddProbabilities, RandomStream random) {
        gibbsSweep(x, betas, oddProbabilities, random, null);
    }

    /** {@link #gibbsSweep(List, double[], List, RandomStream)} with transposed weights (may be null, see {@link #layerInput(List, int, Matrix, List)}). */
    public void gibbsSweep(List<Matrix> x, double[] betas, List<Matrix> oddProbabilities, RandomStream random,
                           List<Matrix> transposed) {
        for (int l = 0; l <= hiddenLayers(); l += 2) sampleLayer(x, l, betas, null, random, transposed);
        for (int l = 1; l <= hiddenLayers(); l += 2) {
            sampleLayer(x, l, betas, oddProbabilities == null ? null : oddProbabilities.get(l), random, transposed);
        }
    }

    /** p(h_l = 1 | even layers) of every odd layer l into prob.get(l), without changing x. */
    public void oddLayerProbabilities(List<Matrix> x, List<Matrix> prob) {
        for (int l = 1; l <= hiddenLayers(); l += 2) Elementwise.sigmoid(layerInput(x, l, prob.get(l)), prob.get(l));
    }

    /**
     * Work space of the mean-field posterior for a given number of rows: the means mu_l = E_q[h_l] (mu_0 = v), the total
     * inputs that gave them (mu_l = sigmoid(input_l)), and buffers; from {@link #newPosterior}. Reused, it makes
     * {@link #meanField} allocate nothing.
     */
    public static final class Posterior {
        /** mu_0 = v, mu_1 .. mu_L. */
        public final List<Matrix> mu;
        /** input_l, the total input that gave mu_l (index 0 unused). */
        public final List<Matrix> input;
        private final List<Matrix> scratch;
        private final Matrix bottomUp;   // b_1 + v W_1: fixed while v is clamped

        private Posterior(Dbm dbm, int rows) {
            mu = dbm.newLayers(rows);
            input = dbm.newLayers(rows);
            scratch = dbm.newLayers(rows);
            bottomUp = Matrix.zeros(rows, dbm.units(1));
        }

        public int rows() { return mu.get(0).rows(); }
    }

    /** Mean-field work space for {@code rows} examples. */
    public Posterior newPosterior(int rows) {
        return new Posterior(this, rows);
    }

    /**
     * The mean-field fixed point q(h | v) = prod q(h_l,j), mu_l = E_q[h_l] (Salakhutdinov and Hinton 2009, section 3):
     * bottom-up initialisation with doubled weights for the layers below the top (the top-down input they will get is
     * replaced by a copy of the bottom-up one, as in the authors' code), then sweeps mu_l = sigmoid(b_l + mu_{l-1} W_l +
     * mu_{l+1} W_{l+1}^T), l = 1..L in order, until the root-mean-square change of a sweep is below {@code tolerance}
     * or {@code maxIterations} sweeps. The product v W_1 is computed once (v is clamped). Results in q.
     *
     * @return the number of sweeps run
     */
    public int meanField(Matrix v, Posterior q, int maxIterations, double tolerance) {
        if (v.cols() != visibleUnits()) {
            throw new InputException("data have " + v.cols() + " columns but the DBM has " + visibleUnits() + " visible units");
        }
        if (v.rows() != q.rows()) throw new IllegalArgumentException("posterior work space has " + q.rows() + " rows, data " + v.rows());
        if (maxIterations < 1) throw new InputException("mean field needs at least one iteration, got " + maxIterations);
        int top = hiddenLayers();
        List<Matrix> mu = q.mu, input = q.input;
        var blas = Numerics.blas();
        mu.get(0).copyFrom(v);
        blas.gemmBinaryLeft(false, false, 1f, v, weights.get(0), 0f, q.bottomUp);
        Elementwise.addRowVector(q.bottomUp, biases.get(1), q.bottomUp);
        for (int l = 1; l <= top; l++) {
            // bottom-up: the top-down input of h_{l+1} is taken to equal the bottom-up one (2 W_l); nothing above the top
            float twice = l < top ? 2f : 1f;
            if (l == 1) {
                Elementwise.axpby(twice, q.bottomUp, 1f - twice, Elementwise.broadcastRow(biases.get(1), input.get(1)), input.get(1));
            } else {
                Elementwise.broadcastRow(biases.get(l), input.get(l));
                blas.gemm(false, false, twice, mu.get(l - 1), weights.get(l - 1), 1f, input.get(l));
            }
            Elementwise.sigmoid(input.get(l), mu.get(l));
        }
        long units = 0;
        for (int l = 1; l <= top; l++) units += (long) v.rows() * units(l);
        int sweep = 0;
        while (sweep < maxIterations) {
            sweep++;
            double change = 0;
            for (int l = 1; l <= top; l++) {
                Matrix next = q.scratch.get(l), now = mu.get(l), in = input.get(l);
                if (l == 1) {
                    in.copyFrom(q.bottomUp);
                    if (top > 1) blas.gemm(false, true, 1f, mu.get(2), weights.get(1), 1f, in);
                } else {
                    layerInput(mu, l, in);
                }
                Elementwise.sigmoid(in, next);
                if (tolerance > 0) {
                    Elementwise.subtract(now, next, now);      // now = mu_old - mu_new
                    change += Elementwise.sum(Elementwise.square(now, now));
                }
                now.copyFrom(next);
            }
            if (tolerance > 0 && Math.sqrt(change / units) < tolerance) break;
        }
        return sweep;
    }

    /**
     * The variational lower bound on each row's log-probability, ln p(v) &gt;= E_q[-E(v, h)] + H(q) - ln Z, with q the
     * mean-field posterior ({@link #meanField}, at most {@code iterations} sweeps). Rows of binary data.
     */
    public double[] logProbabilityLowerBound(Matrix v, double logZ, int iterations, double tolerance) {
        requireVisible(v);
        Posterior q = newPosterior(v.rows());
        meanField(v, q, iterations, tolerance);
        double[] bound = meanFieldBound(q);
        for (int n = 0; n < bound.length; n++) bound[n] -= logZ;
        return bound;
    }

    /**
     * E_q[-E(v, h)] + H(q) per row for the factorised q that {@link #meanField} left in {@code q}: the lower bound on
     * ln p*(v) = ln sum_h exp(-E(v, h)), so ln p(v) >= this - ln Z. Since neighbouring layers are independent under q,
     * E_q[-E] = sum_l mu_{l-1}^T W_l mu_l + sum_l b_l^T mu_l; with mu = sigmoid(x),
     * H(mu) = -mu ln mu - (1 - mu) ln(1 - mu) = softplus(x) - mu x. In double.
     */
    public double[] meanFieldBound(Posterior q) {
        double[] out = negativeEnergy(q.mu, q.scratch);
        for (int l = 1; l <= hiddenLayers(); l++) {
            double[] softplus = Elementwise.softplusRowSums(q.input.get(l), 1f);
            double[] cross = Elementwise.rowSums(Elementwise.multiply(q.mu.get(l), q.input.get(l), q.scratch.get(l)));
            for (int r = 0; r < out.length; r++) out[r] += softplus[r] - cross[r];
        }
        return out;
    }

    /** E(x) per row, in double; scratch (from {@link #newLayers}, same rows) is work space. */
    public double[] energy(List<Matrix> x, List<Matrix> scratch) {
        double[] e = negativeEnergy(x, scratch);
        for (int r = 0; r < e.length; r++) e[r] = -e[r];
        return e;
    }

    /** -E(x) = sum_l h_{l-1}^T W_l h_l + sum_l b_l^T h_l per row (also E_q[-E] when x holds the means of a factorised q). */
    private double[] negativeEnergy(List<Matrix> x, List<Matrix> scratch) {
        double[] out = Elementwise.rowDot(x.get(0), biases.get(0));
        for (int l = 1; l <= hiddenLayers(); l++) {
            Matrix product = scratch.get(l);
            Numerics.blas().gemm(false, false, 1f, x.get(l - 1), weights.get(l - 1), 0f, product);
            Elementwise.multiply(product, x.get(l), product);
            double[] pairwise = Elementwise.rowSums(product);
            double[] bias = Elementwise.rowDot(x.get(l), biases.get(l));
            for (int r = 0; r < out.length; r++) out[r] += pairwise[r] + bias[r];
        }
        return out;
    }

    /**
     * ln of the unnormalised probability of the even layers (v, h2, ...) with the odd layers summed out analytically:
     * sum_{even l} b_l^T h_l + sum_{odd l} sum_j softplus(b_l,j + (h_{l-1} W_l + h_{l+1} W_{l+1}^T)_j), per row, in
     * double; scratch as for {@link #energy} (its odd layers are overwritten).
     */
    public double[] logUnnormalizedEvenLayers(List<Matrix> x, List<Matrix> scratch) {
        return logUnnormalizedKeeping(0, x, scratch);
    }

    /**
     * ln of the unnormalised probability of the odd layers (h1, h3, ...) with the even layers (v, h2, ...) summed out
     * analytically: sum_{odd l} b_l^T h_l + sum_{even l} sum_j softplus(b_l,j + (h_{l-1} W_l + h_{l+1} W_{l+1}^T)_j),
     * per row, in double; scratch as for {@link #energy} (its even layers are overwritten).
     */
    public double[] logUnnormalizedOddLayers(List<Matrix> x, List<Matrix> scratch) {
        return logUnnormalizedKeeping(1, x, scratch);
    }

    /** The layers of the given parity kept (their bias terms), the others summed out (softplus of their inputs). */
    private double[] logUnnormalizedKeeping(int parity, List<Matrix> x, List<Matrix> scratch) {
        double[] out = new double[x.get(0).rows()];
        for (int l = 0; l <= hiddenLayers(); l++) {
            double[] term = l % 2 == parity ? Elementwise.rowDot(x.get(l), biases.get(l))
                    : Elementwise.softplusRowSums(layerInput(x, l, scratch.get(l)), 1f);
            for (int r = 0; r < out.length; r++) out[r] += term[r];
        }
        return out;
    }

    /**
     * gradients[k] += scale * sum over rows of -dE(x)/d theta_k for the parameters in {@link #parameters()} order:
     * h_{l-1}^T h_l for W_l, column sums of h_l for b_l. Means (mean field) or Rao-Blackwellised probabilities may
     * stand in for states: the log-likelihood gradient is this at the data's q(h | v) (scale 1/B) minus this at the
     * model's persistent chains (scale -1/M).
     */
    public void addStatistics(List<Matrix> x, float scale, List<Matrix> gradients) {
        int top = hiddenLayers();
        for (int l = 1; l <= top; l++) Numerics.blas().gemmBinaryLeft(true, false, scale, x.get(l - 1), x.get(l), 1f, gradients.get(l - 1));
        for (int l = 0; l <= top; l++) Elementwise.columnSums(x.get(l), scale, 1f, gradients.get(top + l));
    }

    /** A deep copy. */
    public Dbm copy() {
        List<Matrix> w = new ArrayList<>(), b = new ArrayList<>();
        for (Matrix m : weights) w.add(m.copy());
        for (Matrix m : biases) b.add(m.copy());
        return new Dbm(w, b);
    }

    /** Refuses data of the wrong width or not in {0, 1}. */
    public void requireVisible(Matrix v) {
        if (v.cols() != visibleUnits()) {
            throw new InputException("data have " + v.cols() + " columns but the DBM has " + visibleUnits() + " visible units");
        }
        Binarization.requireBinary(v, "DBM");
    }
}
