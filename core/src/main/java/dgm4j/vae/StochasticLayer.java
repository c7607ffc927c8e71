package dgm4j.vae;

import java.util.ArrayList;
import java.util.List;

import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * One conditional distribution of a VAE, r(out | in), computed from its input by a tanh network (the "trunk") and
 * linear heads (Burda et al. 2016, sec. 5 and appendix):
 * <ul>
 *   <li>GAUSSIAN: mean = trunk W_mu + b_mu and sigma = exp(trunk W_sigma + b_sigma), a diagonal Gaussian;</li>
 *   <li>BERNOULLI: independent binary units with logits trunk W + b.</li>
 * </ul>
 * Parameters are named {@code NAME.hidden0.weight}, {@code NAME.hidden0.bias}, ..., then the heads
 * {@code NAME.mean.*} and {@code NAME.log_sigma.*} (Gaussian) or {@code NAME.logits.*} (Bernoulli); weights are
 * [in, out] matrices, biases vectors [out].
 */
public final class StochasticLayer {
    public enum Kind { GAUSSIAN, BERNOULLI }

    private final String name;
    private final Kind kind;
    private final int inputs;
    private final int outputs;
    private final int[] hidden;
    private final List<Parameter> trunk = new ArrayList<>();  // weight, bias, weight, bias, ...
    private final List<Parameter> heads = new ArrayList<>();  // (weight, bias) per head

    /** A layer with zero parameters (its model initialises them, or a file fills them). */
    public StochasticLayer(String name, Kind kind, int inputs, int[] hidden, int outputs) {
        if (inputs < 1 || outputs < 1) throw new IllegalArgumentException(name + ": sizes must be positive, got " + inputs + " -> " + outputs);
        for (int h : hidden) if (h < 1) throw new IllegalArgumentException(name + ": hidden sizes must be positive, got " + h);
        this.name = name;
        this.kind = kind;
        this.inputs = inputs;
        this.outputs = outputs;
        this.hidden = hidden.clone();
        int in = inputs;
        for (int i = 0; i < hidden.length; i++) {
            trunk.add(new Parameter(name + ".hidden" + i + ".weight", Matrix.zeros(in, hidden[i])));
            trunk.add(new Parameter(name + ".hidden" + i + ".bias", Matrix.zeros(1, hidden[i])));
            in = hidden[i];
        }
        for (String head : kind == Kind.GAUSSIAN ? new String[] {"mean", "log_sigma"} : new String[] {"logits"}) {
            heads.add(new Parameter(name + "." + head + ".weight", Matrix.zeros(in, outputs)));
            heads.add(new Parameter(name + "." + head + ".bias", Matrix.zeros(1, outputs)));
        }
    }

    public String name() { return name; }

    public Kind kind() { return kind; }

    public int inputs() { return inputs; }

    public int outputs() { return outputs; }

    public int[] hidden() { return hidden.clone(); }

    /** Trunk then heads, each weight before its bias. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(trunk);
        all.addAll(heads);
        return all;
    }

    /** Glorot-uniform weights, U(-sqrt(6 / (in + out)), +), and zero biases (as the IWAE code initialises). */
    void initializeParameters(RandomStream random) {
        Parameter.initializeGlorot(parameters(), random);
    }

    /** The bias of the mean (Gaussian) or logits (Bernoulli) head, e.g. to start at the data's marginals. */
    public Matrix outputBias() { return heads.get(1).value(); }

    /**
     * Records the distribution's parameters for the given input rows: {mean, logSigma} (Gaussian) or {logits}.
     */
    public Node[] distribution(Graph g, Node input) {
        if (input.cols() != inputs) throw new IllegalArgumentException(name + ": expected " + inputs + " input columns, got " + input.cols());
        Node h = input;
        for (int i = 0; i < trunk.size(); i += 2) h = g.tanh(g.affine(h, g.parameter(trunk.get(i)), g.parameter(trunk.get(i + 1))));
        Node[] out = new Node[heads.size() / 2];
        for (int i = 0; i < out.length; i++) out[i] = g.affine(h, g.parameter(heads.get(2 * i)), g.parameter(heads.get(2 * i + 1)));
        return out;
    }

    /** A reparameterised Gaussian sample mean + sigma * noise (noise ~ N(0, I) filled by the caller). */
    public Node sample(Graph g, Node[] distribution, Node noise) {
        if (kind != Kind.GAUSSIAN) throw new IllegalStateException(name + ": only Gaussian layers are sampled by reparameterisation");
        return g.add(distribution[0], g.multiply(g.exp(distribution[1]), noise));
    }

    /** log r(value | input) per row, for {@code distribution} recorded from that input. */
    public Node logDensity(Graph g, Node[] distribution, Node value) {
        return kind == Kind.GAUSSIAN ? g.gaussianLogDensity(value, distribution[0], distribution[1])
                : g.bernoulliLogLikelihood(distribution[0], value);
    }
}
