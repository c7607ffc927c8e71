package dgm4j.helmholtz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dgm4j.InputException;
import dgm4j.autodiff.Parameter;
import dgm4j.math.Blas;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;

/**
 * A Helmholtz machine (Dayan, Hinton, Neal &amp; Zemel 1995): a sigmoid belief net p (the generative model) and a
 * recognition net q of sigmoid layers going the other way, over binary layers h_0 = x, h_1, ..., h_L (lecture notation):
 * <ul>
 *   <li>p(h_L) = Bernoulli(sigmoid(b_L)), p(h_{l-1} | h_l) = Bernoulli(sigmoid(h_l W_l + c_{l-1})), l = L..1;</li>
 *   <li>q(h_1 | x) = Bernoulli(sigmoid(x V_1 + d_1)), q(h_{l+1} | h_l) = Bernoulli(sigmoid(h_l V_{l+1} + d_{l+1})).</li>
 * </ul>
 * Tensor names: {@code p_x.weight} (W_1, [n_1, n_0]), {@code p_x.bias} (c_0), {@code p_h1.weight} (W_2), ...,
 * {@code p_hL.bias} (b_L, the top prior); {@code q_h1.weight} (V_1, [n_0, n_1]), {@code q_h1.bias} (d_1), ...
 *
 * <p>Gradients are closed-form: d/d logits of a Bernoulli log-likelihood is target - sigmoid(logits), which
 * {@link Elementwise#bernoulliLogLikelihood} returns with the log-likelihood; weight gradients are products with the
 * layer below (the delta rule). Work happens in {@link Samples}: one set of layer states per row.
 */
public final class HelmholtzMachine {
    public static final String KIND = "helmholtz";

    private final int[] sizes;              // n_0 = data width, n_1 .. n_L
    private final Parameter[] pWeight;      // [l - 1] = W_l, [n_l, n_{l-1}]
    private final Parameter[] pBias;        // [l] = bias of p(h_l | h_{l+1}), [1, n_l]; [L] = b_L, the top prior
    private final Parameter[] qWeight;      // [l - 1] = V_l, [n_{l-1}, n_l]
    private final Parameter[] qBias;        // [l - 1] = d_l, [1, n_l]

    /** A machine with zero parameters, to be read from a file ({@link #initialize} makes a new one). sizes = {n_0, n_1, ..., n_L}. */
    public HelmholtzMachine(int... sizes) {
        if (sizes.length < 2) throw new InputException("a Helmholtz machine needs the data width and at least one latent layer, got " + sizes.length + " size(s)");
        for (int n : sizes) if (n < 1) throw new InputException("layer sizes must be positive, got " + Arrays.toString(sizes));
        this.sizes = sizes.clone();
        int layers = sizes.length - 1;
        pWeight = new Parameter[layers];
        pBias = new Parameter[layers + 1];
        qWeight = new Parameter[layers];
        qBias = new Parameter[layers];
        for (int l = 1; l <= layers; l++) {
            pWeight[l - 1] = new Parameter(pName(l - 1) + ".weight", Matrix.zeros(sizes[l], sizes[l - 1]));
            qWeight[l - 1] = new Parameter(qName(l) + ".weight", Matrix.zeros(sizes[l - 1], sizes[l]));
            qBias[l - 1] = new Parameter(qName(l) + ".bias", Matrix.zeros(1, sizes[l]));
        }
        for (int l = 0; l <= layers; l++) pBias[l] = new Parameter(pName(l) + ".bias", Matrix.zeros(1, sizes[l]));
    }

    private static String pName(int l) { return l == 0 ? "p_x" : "p_h" + l; }

    private static String qName(int l) { return "q_h" + l; }

    /** {n_0, n_1, ..., n_L}. */
    public int[] sizes() { return sizes.clone(); }

    public int dataDim() { return sizes[0]; }

    /** L, the number of latent layers. */
    public int latentLayers() { return sizes.length - 1; }

    /** Latent units in all (n_1 + ... + n_L). */
    public int latentUnits() {
        int s = 0;
        for (int l = 1; l < sizes.length; l++) s += sizes[l];
        return s;
    }

    /** p's parameters: W_1, c_0, W_2, c_1, ..., b_L. */
    public List<Parameter> generativeParameters() {
        List<Parameter> all = interleave(pWeight, pBias);
        all.add(pBias[pWeight.length]);
        return all;
    }

    /** q's parameters: V_1, d_1, V_2, d_2, ... */
    public List<Parameter> recognitionParameters() { return interleave(qWeight, qBias); }

    /** weights[0], biases[0], weights[1], biases[1], ... (as many pairs as weights). */
    private static List<Parameter> interleave(Parameter[] weights, Parameter[] biases) {
        List<Parameter> all = new ArrayList<>();
        for (int l = 0; l < weights.length; l++) {
            all.add(weights[l]);
            all.add(biases[l]);
        }
        return all;
    }

    /** p's then q's parameters (the order of the model file and of the optimizer). */
    public List<Parameter> parameters() {
        List<Parameter> all = generativeParameters();
        all.addAll(recognitionParameters());
        return all;
    }

    /**
     * A new machine with sizes {n_0, n_1, ..., n_L}: weights ~ N(0, 1 / fan-in) scaled by 0.1 (small, so that the units
     * start near their biases), biases 0 except p(x | h_1)'s: the logit of the training data's mean {@code dataMean}
     * (1 x n_0), clipped (so p starts at the data's marginals); 0 too if {@code dataMean} is null.
     */
    public static HelmholtzMachine initialize(int[] sizes, RandomStream random, Matrix dataMean) {
        HelmholtzMachine machine = new HelmholtzMachine(sizes);
        if (dataMean != null && dataMean.cols() != sizes[0]) {
            throw new IllegalArgumentException("data mean has " + dataMean.cols() + " columns, expected " + sizes[0]);
        }
        for (int l = 0; l < machine.pWeight.length; l++) {
            for (Parameter w : new Parameter[] {machine.pWeight[l], machine.qWeight[l]}) {
                random.gaussian(w.value());
                Elementwise.scale(w.value(), (float) (0.1 * Math.sqrt(1.0 / w.value().rows())));
            }
        }
        if (dataMean != null) {
            for (int j = 0; j < sizes[0]; j++) {
                double m = Math.min(1 - 1e-3, Math.max(1e-3, dataMean.get(0, j)));
                machine.pBias[0].value().set(0, j, (float) Math.log(m / (1 - m)));
            }
        }
        return machine;
    }

    /**
     * Layer states for a number of rows, with the logits and log-likelihood gradients of both nets:
     * {@code h[l]} (rows x n_l), log p(x, h) and log q(h | x) per row after {@link #generate} and {@link #recognize}.
     */
    public final class Samples {
        final int rows;
        final Matrix[] h, qLogits, pLogits;
        final double[] logP, logQ, term;

        public Samples(int rows) {
            this.rows = rows;
            int n = sizes.length;
            h = new Matrix[n];
            qLogits = new Matrix[n];
            pLogits = new Matrix[n];
            for (int l = 0; l < n; l++) {
                h[l] = Matrix.zeros(rows, sizes[l]);
                pLogits[l] = Matrix.zeros(rows, sizes[l]);
                if (l > 0) qLogits[l] = Matrix.zeros(rows, sizes[l]);
            }
            logP = new double[rows];
            logQ = new double[rows];
            term = new double[rows];
        }

        public int rows() { return rows; }

        /** h_l (h_0 = x), rows x n_l; write into it to score given states. */
        public Matrix layer(int l) { return h[l]; }

        /** log p(x, h) per row, after {@link #generate}. */
        public double[] logP() { return logP; }

        /** log q(h | x) per row, after {@link #recognize}. */
        public double[] logQ() { return logQ; }

        /** Sets h_0 to the data, each row repeated k times (rows = data rows x k). */
        public void setData(Matrix x, int k) {
            if (x.cols() != sizes[0]) throw new InputException("the data have " + x.cols() + " columns but the model has " + sizes[0] + " visible units");
            Elementwise.repeatRows(x, k, h[0]);
        }

        /** E[x | h_1] = sigmoid(h_1 W_1 + c_0) per row, after {@link #generate}: the means of p(x | h_1). */
        public Matrix visibleMeans() {
            Matrix m = Matrix.zeros(rows, sizes[0]);
            // pLogits[0] holds the gradient x - sigmoid(logits) after generate; recompute the logits
            logits(h[1], pWeight[0].value(), pBias[0].value(), m);
            return Elementwise.sigmoid(m, m);
        }
    }

    /** out = in W + bias (each row). */
    private static void logits(Matrix in, Matrix w, Matrix bias, Matrix out) {
        Elementwise.broadcastRow(bias, out);
        Numerics.blas().gemm(false, false, 1f, in, w, 1f, out);
    }

    /**
     * The recognition pass: with {@code random}, draws h_l ~ q(h_l | h_{l-1}) for l = 1..L from h_0; without, scores the
     * states already in s. Either way s.logQ = log q(h | x) and s.qLogits[l] = h_l - sigmoid(logits), its gradient.
     */
    public void recognize(Samples s, RandomStream random) {
        Arrays.fill(s.logQ, 0.0);
        for (int l = 1; l < sizes.length; l++) {
            Matrix a = s.qLogits[l];
            logits(s.h[l - 1], qWeight[l - 1].value(), qBias[l - 1].value(), a);
            if (random != null) random.sigmoidBernoulli(a, null, s.h[l]);
            addLogLikelihood(a, s.h[l], s.logQ, s.term);
        }
    }

    /**
     * The generative pass: with {@code random}, ancestral sampling h_L ~ p(h_L), then h_{l-1} ~ p(h_{l-1} | h_l) down to
     * x; without, scores the states in s. Either way s.logP = log p(x, h) and s.pLogits[l] = h_l - sigmoid(logits).
     */
    public void generate(Samples s, RandomStream random) {
        Arrays.fill(s.logP, 0.0);
        int top = sizes.length - 1;
        Elementwise.broadcastRow(pBias[top].value(), s.pLogits[top]);
        if (random != null) random.sigmoidBernoulli(s.pLogits[top], null, s.h[top]);
        addLogLikelihood(s.pLogits[top], s.h[top], s.logP, s.term);
        for (int l = top; l >= 1; l--) {
            Matrix a = s.pLogits[l - 1];
            logits(s.h[l], pWeight[l - 1].value(), pBias[l - 1].value(), a);
            if (random != null) random.sigmoidBernoulli(a, null, s.h[l - 1]);
            addLogLikelihood(a, s.h[l - 1], s.logP, s.term);
        }
    }

    /** sum += log Bernoulli(target; sigmoid(logits)) per row; logits are replaced by the gradient target - sigmoid(logits). */
    private static void addLogLikelihood(Matrix logits, Matrix target, double[] sum, double[] term) {
        Elementwise.bernoulliLogLikelihood(logits, target, logits, term);
        for (int i = 0; i < sum.length; i++) sum[i] += term[i];
    }

    /** log w = log p(x, h) - log q(h | x) for h ~ q(h | x) drawn from the data in s.h[0]. */
    public void logWeights(Samples s, RandomStream random, double[] out) {
        recognize(s, random);
        generate(s, null);
        for (int i = 0; i < s.rows; i++) out[i] = s.logP[i] - s.logQ[i];
    }

    /**
     * Adds scale * sum_r weight_r grad log p(x_r, h_r) to p's gradient buffers (weight null: all 1), from the last
     * {@link #generate} on s. Consumes the stored gradients (they are scaled in place).
     */
    public void addGenerativeGradient(Samples s, double[] weight, float scale) {
        Blas blas = Numerics.blas();
        int top = sizes.length - 1;
        for (int l = 0; l <= top; l++) {
            Matrix g = s.pLogits[l];
            if (weight != null) Elementwise.scaleRows(g, weight, g);
            if (l < top) blas.gemm(true, false, scale, s.h[l + 1], g, 1f, pWeight[l].gradient());   // dW_{l+1} = h_{l+1}^T delta_l
            Elementwise.columnSums(g, scale, 1f, pBias[l].gradient());
        }
    }

    /** Adds scale * sum_r weight_r grad log q(h_r | x_r) to q's gradient buffers, from the last {@link #recognize} on s. */
    public void addRecognitionGradient(Samples s, double[] weight, float scale) {
        Blas blas = Numerics.blas();
        for (int l = 1; l < sizes.length; l++) {
            Matrix g = s.qLogits[l];
            if (weight != null) Elementwise.scaleRows(g, weight, g);
            blas.gemm(true, false, scale, s.h[l - 1], g, 1f, qWeight[l - 1].gradient());          // dV_l = h_{l-1}^T delta_l
            Elementwise.columnSums(g, scale, 1f, qBias[l - 1].gradient());
        }
    }

    /** Sets every gradient buffer to 0. */
    public void zeroGradients() {
        for (Parameter p : parameters()) p.gradient().fill(0f);
    }

    /** n ancestral samples from p, shown as the means of p(x | h_1) (less noisy pictures than binary x). */
    public Matrix sampleMeans(int n, RandomStream random) {
        Samples s = new Samples(n);
        generate(s, random);
        return s.visibleMeans();
    }

    /** Refuses data of another width. */
    public void requireWidth(Matrix data) {
        if (data.cols() != sizes[0]) {
            throw new InputException("the data have " + data.cols() + " columns but the model was trained on " + sizes[0]);
        }
    }
}
