package dgm4j.vae;

import java.util.ArrayList;
import java.util.List;

import dgm4j.InputException;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * A VAE / IWAE with L stochastic layers (Burda, Grosse &amp; Salakhutdinov 2016):
 * generative model p(x, h) = p(h_L) p(h_{L-1} | h_L) ... p(h_1 | h_2) p(x | h_1), p(h_L) = N(0, I);
 * recognition model q(h | x) = q(h_1 | x) q(h_2 | h_1) ... q(h_L | h_{L-1}), every q and p(h_l | h_{l+1}) a diagonal
 * Gaussian {@link StochasticLayer}, p(x | h_1) Bernoulli (binary data) or Gaussian (real-valued data).
 *
 * <p>For k samples h^(i) ~ q(h | x) the importance weights are w_i = p(x, h^(i)) / q(h^(i) | x) and
 * <ul>
 *   <li>the VAE objective is the ELBO, estimated by (1/k) sum_i log w_i;</li>
 *   <li>the IWAE objective is L_k = log (1/k) sum_i w_i (eq. 8), whose gradient sum_i w~_i grad log w_i weights each
 *       sample by its normalised importance weight w~_i = w_i / sum_j w_j (eq. 14): the tape's log-sum-exp gives it.</li>
 * </ul>
 * L_1 is the ELBO, L_k rises with k and tends to log p(x) (Theorem 1). The k samples of an example are processed
 * together: each example's row is repeated k times after the first recognition layer (which sees each x once).
 */
public final class VariationalAutoencoder {
    public static final String KIND = "vae";

    /** Which bound training maximises. */
    public enum Objective { VAE, IWAE }

    private final int dataDim;
    private final int[] latents;
    private final List<StochasticLayer> recognition = new ArrayList<>(); // q(h_1 | x), q(h_2 | h_1), ...
    private final List<StochasticLayer> generative = new ArrayList<>();  // p(x | h_1), p(h_1 | h_2), ...

    /**
     * A model with zero parameters, to be read from a file ({@link VaeFiles}); {@link #initialize} makes a new one.
     *
     * @param output  BERNOULLI for binary data, GAUSSIAN for real-valued data
     * @param latents sizes of h_1 .. h_L
     * @param hidden  hidden[l]: the tanh sizes of q(h_{l+1} | h_l) (h_0 = x); p(h_l | h_{l+1}) mirrors them
     */
    public VariationalAutoencoder(int dataDim, StochasticLayer.Kind output, int[] latents, int[][] hidden) {
        if (latents.length < 1 || hidden.length != latents.length) {
            throw new IllegalArgumentException("need one hidden-size list per stochastic layer, got " + hidden.length + " for " + latents.length);
        }
        this.dataDim = dataDim;
        this.latents = latents.clone();
        for (int l = 0; l < latents.length; l++) {
            int below = l == 0 ? dataDim : latents[l - 1];
            int[] up = hidden[l], down = reversed(hidden[l]);
            recognition.add(new StochasticLayer("q_h" + (l + 1), StochasticLayer.Kind.GAUSSIAN, below, up, latents[l]));
            generative.add(new StochasticLayer(l == 0 ? "p_x" : "p_h" + l, l == 0 ? output : StochasticLayer.Kind.GAUSSIAN,
                    latents[l], down, below));
        }
    }

    /**
     * A new model: Glorot-uniform weights, zero biases, and the output bias at the data's marginals: the logit of the
     * training mean (clipped to [1e-4, 1 - 1e-4]) for Bernoulli outputs, the mean itself for Gaussian ones (Burda et
     * al.'s code); {@code trainingMean} (1 x D) may be null (output bias 0). Other arguments as the constructor's.
     */
    public static VariationalAutoencoder initialize(int dataDim, StochasticLayer.Kind output, int[] latents, int[][] hidden,
                                                    RandomStream random, Matrix trainingMean) {
        VariationalAutoencoder model = new VariationalAutoencoder(dataDim, output, latents, hidden);
        model.initializeParameters(random, trainingMean);
        return model;
    }

    /**
     * A new model of the paper's architectures (sec. 5), initialised as by {@link #initialize}: 1 layer: x - 200 - 200 -
     * h(50), mirrored; 2 layers: x - 200 - 200 - h1(100) - 100 - 100 - h2(50), mirrored.
     */
    public static VariationalAutoencoder paperArchitecture(int layers, int dataDim, StochasticLayer.Kind output,
                                                           RandomStream random, Matrix trainingMean) {
        switch (layers) {
            case 1: return initialize(dataDim, output, new int[] {50}, new int[][] {{200, 200}}, random, trainingMean);
            case 2: return initialize(dataDim, output, new int[] {100, 50}, new int[][] {{200, 200}, {100, 100}}, random, trainingMean);
            default: throw new IllegalArgumentException("the paper's architectures have 1 or 2 stochastic layers, got " + layers);
        }
    }

    private static int[] reversed(int[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[a.length - 1 - i];
        return r;
    }

    public int dataDim() { return dataDim; }

    public int[] latents() { return latents.clone(); }

    public int stochasticLayers() { return latents.length; }

    /** The output distribution p(x | h_1): BERNOULLI or GAUSSIAN. */
    public StochasticLayer.Kind outputKind() { return generative.get(0).kind(); }

    /** q(h_1 | x), q(h_2 | h_1), ... */
    public List<StochasticLayer> recognition() { return recognition; }

    /** p(x | h_1), p(h_1 | h_2), ... */
    public List<StochasticLayer> generative() { return generative; }

    /** Every parameter: recognition layers, then generative layers. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (StochasticLayer q : recognition) all.addAll(q.parameters());
        for (StochasticLayer p : generative) all.addAll(p.parameters());
        return all;
    }

    /** See {@link #initialize}. */
    private void initializeParameters(RandomStream random, Matrix trainingMean) {
        for (StochasticLayer q : recognition) q.initializeParameters(random);
        for (StochasticLayer p : generative) p.initializeParameters(random);
        if (trainingMean != null) {
            Matrix bias = generative.get(0).outputBias();
            for (int j = 0; j < dataDim; j++) {
                double m = trainingMean.get(0, j);
                if (outputKind() == StochasticLayer.Kind.BERNOULLI) {
                    m = Math.min(Math.max(m, 1e-4), 1 - 1e-4);
                    bias.set(0, j, (float) Math.log(m / (1 - m)));
                } else {
                    bias.set(0, j, (float) m);
                }
            }
        }
    }

    /**
     * The log importance weights of k samples for each of {@code batch} examples, recorded in a graph.
     *
     * @param x              the data input (batch x D), filled by the caller
     * @param logWeights     log w = log p(x, h) - log q(h | x), (batch k) x 1: rows i k .. i k + k - 1 are example i's
     * @param noise          one N(0, I) input per stochastic layer ((batch k) x latent), filled by {@link #fillNoise}
     * @param posteriorMeans the mean of q(h_l | h_{l-1}) for each layer (batch rows for l = 1, batch k after)
     */
    public record LogWeights(Node x, Node logWeights, List<Node> noise, List<Node> posteriorMeans, int batch, int k) {
        /** Fills the noise inputs with fresh N(0, I) draws. */
        public void fillNoise(RandomStream random) {
            for (Node n : noise) random.gaussian(n.value());
        }
    }

    /** Records log w for {@code batch} examples with {@code k} samples each. */
    public LogWeights logWeights(Graph g, int batch, int k) {
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        if (k < 1) throw new IllegalArgumentException("the number of samples k must be at least 1, got " + k);
        Node x = g.input(batch, dataDim);
        List<Node> noise = new ArrayList<>(), means = new ArrayList<>(), samples = new ArrayList<>();
        Node logQ = null;
        Node below = x;
        for (int l = 0; l < latents.length; l++) {
            StochasticLayer q = recognition.get(l);
            Node[] d = q.distribution(g, below);
            means.add(d[0]);
            if (l == 0) d = new Node[] {g.repeatRows(d[0], k), g.repeatRows(d[1], k)}; // x is seen once, sampled k times
            Node eps = g.input(batch * k, latents[l]);
            noise.add(eps);
            Node h = q.sample(g, d, eps);
            samples.add(h);
            Node term = q.logDensity(g, d, h);
            logQ = logQ == null ? term : g.add(logQ, term);
            below = h;
        }
        // log p(x, h) = log p(h_L) + sum_l log p(h_l | h_{l+1}) + log p(x | h_1)
        Node logP = g.standardNormalLogDensity(samples.get(latents.length - 1));
        for (int l = latents.length - 1; l >= 0; l--) {
            StochasticLayer p = generative.get(l);
            // x is scored against its k samples without being repeated (a Bernoulli output reads row i / k); a Gaussian
            // output's log-density takes equal shapes
            Node target = l == 0 ? (p.kind() == StochasticLayer.Kind.BERNOULLI ? x : g.repeatRows(x, k)) : samples.get(l - 1);
            logP = g.add(logP, p.logDensity(g, p.distribution(g, samples.get(l)), target));
        }
        return new LogWeights(x, g.subtract(logP, logQ), noise, means, batch, k);
    }

    /**
     * The mean over the batch of the objective's per-example value (1 x 1): the VAE's (1/k) sum_i log w_i, or the
     * IWAE's log (1/k) sum_i w_i.
     */
    public static Node bound(Graph g, LogWeights w, Objective objective) {
        if (objective == Objective.VAE) return g.mean(w.logWeights());
        Node perExample = g.logSumExpRows(g.reshape(w.logWeights(), w.batch(), w.k()));
        return g.addScalar(g.mean(perExample), (float) -Math.log(w.k()));
    }

    // ---------------------------------------------------------------- generation (evaluation graphs, not hot paths)

    /**
     * Decodes top-layer latents h_L to the mean of p(x | h_1), passing intermediate layers by their means (so a grid
     * of h_L values gives a smooth picture of the latent space).
     */
    public Matrix decodeMean(Matrix top) {
        Graph g = new Graph(false);
        Node h = g.input(top.rows(), latents[latents.length - 1]);
        h.value().copyFrom(top);
        for (int l = latents.length - 1; l >= 1; l--) h = generative.get(l).distribution(g, h)[0];
        Node out = outputMean(g, generative.get(0).distribution(g, h));
        g.forward();
        return out.value().copy();
    }

    /** Samples from the model: h_L ~ N(0, I), h_l ~ p(h_l | h_{l+1}), then the mean of p(x | h_1) (an image). */
    public Matrix sampleMeans(int n, RandomStream random) {
        Graph g = new Graph(false);
        Node h = g.input(n, latents[latents.length - 1]);
        List<Node> noise = new ArrayList<>();
        noise.add(h);
        for (int l = latents.length - 1; l >= 1; l--) {
            Node eps = g.input(n, latents[l - 1]);
            noise.add(eps);
            h = generative.get(l).sample(g, generative.get(l).distribution(g, h), eps);
        }
        Node out = outputMean(g, generative.get(0).distribution(g, h));
        for (Node e : noise) random.gaussian(e.value());
        g.forward();
        return out.value().copy();
    }

    /** Reconstructions: x -&gt; the means of q(h | x) layer by layer -&gt; the mean of p(x | h_1). */
    public Matrix reconstruct(Matrix data) {
        requireWidth(data);
        Graph g = new Graph(false);
        Node h = g.input(data.rows(), dataDim);
        h.value().copyFrom(data);
        Node h1 = null;
        for (int l = 0; l < latents.length; l++) {
            h = recognition.get(l).distribution(g, h)[0];
            if (l == 0) h1 = h;
        }
        Node out = outputMean(g, generative.get(0).distribution(g, h1));
        g.forward();
        return out.value().copy();
    }

    private Node outputMean(Graph g, Node[] distribution) {
        return outputKind() == StochasticLayer.Kind.BERNOULLI ? g.sigmoid(distribution[0]) : distribution[0];
    }

    /** Refuses data of another width than the model's, naming both. */
    public void requireWidth(Matrix data) {
        if (data.cols() != dataDim) {
            throw new InputException("the data have " + data.cols() + " columns but the model was trained on " + dataDim);
        }
    }

    /** Refuses data the output distribution cannot model: non-binary values for Bernoulli outputs, NaN anywhere. */
    public void requireSupportedValues(Matrix data, String what) {
        int n = data.size();
        boolean binary = outputKind() == StochasticLayer.Kind.BERNOULLI;
        for (int k = 0; k < n; k++) {
            float v = data.getFlat(k);
            if (!Float.isFinite(v)) throw new InputException(what + " contain " + v + " (element " + k + ")");
            if (binary && v != 0f && v != 1f) {
                throw new InputException(what + " are not binary (found " + v + " at element " + k
                        + "): the model's outputs are Bernoulli; binarize the data (--binarize dynamic, fixed:SEED or threshold:T)");
            }
        }
    }

    /** Column means (1 x D) of data, e.g. to initialise the output bias. */
    public static Matrix columnMeans(Matrix data) {
        return Elementwise.columnSums(data, 1f / data.rows(), 0f, Matrix.zeros(1, data.cols()));
    }
}
