package dgm4j.autodiff;

import java.util.List;

import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * A long short-term memory layer (Hochreiter &amp; Schmidhuber 1997, with the forget gate of Gers et al. 2000), the
 * recurrent cell of DRAW's encoder and decoder (Gregor et al. 2015, sec. 2). One step reads its inputs x_t and its
 * previous state (h_{t-1}, c_{t-1}):
 * <pre>
 *   [i f o g] = [x_t h_{t-1}] W + b          one matrix product for the four gates (fused)
 *   c_t = sigmoid(f) c_{t-1} + sigmoid(i) tanh(g)
 *   h_t = sigmoid(o) tanh(c_t)
 * </pre>
 * Unrolled over T steps inside one recorded {@link Graph}, the tape's backward pass is backpropagation through time.
 * Parameters: {@code NAME.weight} [inputs + H, 4H] (rows: the inputs in the order given, then h), columns in gate blocks
 * [i f o g]; {@code NAME.bias} [4H].
 */
public final class Lstm {
    /** The state a step hands on: h_t (the output) and c_t (the cell). */
    public record State(Node h, Node c) {}

    private final String name;
    private final int inputs;
    private final int hidden;
    private final Parameter weight;
    private final Parameter bias;

    /** A layer with zero parameters (its model initialises them, or a file fills them). */
    public Lstm(String name, int inputs, int hidden) {
        if (inputs < 1 || hidden < 1) throw new IllegalArgumentException(name + ": sizes must be positive, got " + inputs + " inputs, " + hidden + " units");
        this.name = name;
        this.inputs = inputs;
        this.hidden = hidden;
        this.weight = new Parameter(name + ".weight", Matrix.zeros(inputs + hidden, 4 * hidden));
        this.bias = new Parameter(name + ".bias", Matrix.zeros(1, 4 * hidden));
    }

    public String name() { return name; }

    /** Width of x_t. */
    public int inputs() { return inputs; }

    /** H, the width of h_t and c_t. */
    public int hidden() { return hidden; }

    /** Weight, then bias. */
    public List<Parameter> parameters() { return List.of(weight, bias); }

    /**
     * Glorot-uniform weights, U(-sqrt(6 / (fan_in + H)), +) per gate block, zero biases except the forget gate's, 1
     * (Jozefowicz et al. 2015: the cell remembers by default at the start of training).
     */
    public void initializeParameters(RandomStream random) {
        Matrix w = weight.value();
        random.uniforms(w);
        double limit = Math.sqrt(6.0 / (inputs + 2 * hidden));
        for (int k = 0; k < w.size(); k++) w.setFlat(k, (float) ((2 * w.getFlat(k) - 1) * limit));
        Matrix b = bias.value();
        b.fill(0f);
        for (int j = hidden; j < 2 * hidden; j++) b.set(0, j, 1f);
    }

    /**
     * Records one step: the gates from [x_t h_{t-1}] (the parts of x_t given in order, concatenated once with h_{t-1}),
     * then the cell.
     */
    public State step(Graph g, State previous, Node... input) {
        int width = 0;
        for (Node x : input) width += x.cols();
        if (width != inputs) throw new IllegalArgumentException(name + ": expected " + inputs + " input columns, got " + width);
        if (previous.h().cols() != hidden || previous.c().cols() != hidden) {
            throw new IllegalArgumentException(name + ": state " + previous.h().shape() + " does not have " + hidden + " units");
        }
        Node[] parts = new Node[input.length + 1];
        System.arraycopy(input, 0, parts, 0, input.length);
        parts[input.length] = previous.h();
        Node gates = g.affine(parts.length == 1 ? parts[0] : g.concatColumns(parts), g.parameter(weight), g.parameter(bias));
        return g.lstmCell(gates, previous.c());
    }

    /** The zero state of {@code rows} sequences (h_0 = c_0 = 0; constants). */
    public State zeroState(Graph g, int rows) {
        return new State(g.constant(Matrix.zeros(rows, hidden)), g.constant(Matrix.zeros(rows, hidden)));
    }
}
