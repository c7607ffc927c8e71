package dgm4j.rbm;

import java.util.List;

import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * A restricted Boltzmann machine: visible units v (binary, real-valued or word counts, by implementation), binary
 * hidden units h, bipartite weights W (D x F), visible biases b and hidden biases a. Every kind has
 *
 * <pre>
 *   p(h_j = 1 | v) = sigmoid(hidden input_j)         (products of experts: the hiddens are independent given v)
 *   p(v) = exp(-F(v)) / Z                             (F the free energy, the hiddens summed out)
 *   d log p(v) / d theta = E_{h|v}[-dE/d theta] - E_model[-dE/d theta]
 * </pre>
 *
 * so one trainer ({@link RbmTrainer}) learns all kinds through {@link #addStatistics}. Parameters live in matrices
 * that trainers update in place; {@link #parameterNames()} are also their tensor names in model files.
 */
public interface Rbm {
    /** Model kind written in model files. */
    String KIND = "rbm";

    /** "bernoulli", "gaussian" or "softmax". */
    String visibleType();

    /** True for word-count models (replicated softmax): the visible units are a vocabulary, not pixels or values. */
    default boolean countsWords() { return false; }

    int visibleUnits();

    int hiddenUnits();

    /** W (D x F). */
    Matrix weights();

    /** b (1 x D). */
    Matrix visibleBias();

    /** a (1 x F). */
    Matrix hiddenBias();

    /** Every parameter, W first; trainers update them in place. */
    List<Matrix> parameters();

    /** Names of {@link #parameters()}, in the same order (tensor names in model files). */
    List<String> parameterNames();

    /** out = the hidden units' total input given v (B x F). */
    Matrix hiddenInput(Matrix v, Matrix out);

    /** prob = p(h = 1 | v). */
    default Matrix hiddenProbabilities(Matrix v, Matrix prob) {
        return Elementwise.sigmoid(hiddenInput(v, prob), prob);
    }

    /** prob = p(h = 1 | v) (may be null), sample ~ p(h | v). */
    default void sampleHidden(Matrix v, Matrix prob, Matrix sample, RandomStream random) {
        Matrix input = prob != null ? prob : sample;
        hiddenInput(v, input);
        random.sigmoidBernoulli(input, prob, sample);
    }

    /**
     * mean = E[v | h] (may be null), sample ~ p(v | h). For word counts each row keeps the document length it has in
     * {@code sample} on entry (the chain's current state, which is overwritten); other kinds ignore its contents.
     */
    void sampleVisible(Matrix h, Matrix mean, Matrix sample, RandomStream random);

    /** Free energy per row, F(v) = -log sum_h exp(-E(v, h)), in double; scratch is B x F or null. */
    double[] freeEnergy(Matrix v, Matrix scratch);

    /**
     * gradients[k] += scale * sum over rows of E_{h|v}[-dE(v, h)/d theta_k], given hiddenProb = p(h = 1 | v).
     * The log-likelihood gradient is this at the data (scale 1/B) minus this at model samples (scale -1/M).
     */
    void addStatistics(Matrix v, Matrix hiddenProb, float scale, List<Matrix> gradients);

    /** Refuses data this model cannot score: wrong width, or values outside its domain (e.g. non-binary). */
    void requireVisible(Matrix v);

    /** A deep copy. */
    Rbm copy();
}
