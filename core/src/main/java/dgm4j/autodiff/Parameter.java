package dgm4j.autodiff;

import java.util.ArrayList;
import java.util.List;

import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/** A trainable matrix (float32) with its gradient buffer of the same shape, named as in the model file. */
public final class Parameter {
    private final String name;
    private final Matrix value;
    private final Matrix gradient;

    public Parameter(String name, Matrix value) {
        this.name = name;
        this.value = value;
        this.gradient = Matrix.zeros(value.rows(), value.cols());
    }

    /** Parameters over existing matrices (shared, not copied), e.g. an RBM's, named in order; each gets a new gradient buffer. */
    public static List<Parameter> wrap(List<String> names, List<Matrix> values) {
        if (names.size() != values.size()) throw new IllegalArgumentException(names.size() + " names for " + values.size() + " values");
        List<Parameter> out = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) out.add(new Parameter(names.get(k), values.get(k)));
        return out;
    }

    /** Glorot-uniform values, U(-sqrt(6 / (rows + cols)), +sqrt(6 / (rows + cols))) (Glorot and Bengio 2010). */
    public static void glorotUniform(Matrix m, RandomStream random) {
        double limit = Math.sqrt(6.0 / (m.rows() + m.cols()));
        random.uniforms(m);
        for (int k = 0; k < m.size(); k++) m.setFlat(k, (float) ((2 * m.getFlat(k) - 1) * limit));
    }

    /** Glorot-uniform weights and zero biases (the parameters named "*.bias"), in order, as the IWAE code initialises. */
    public static void initializeGlorot(List<Parameter> parameters, RandomStream random) {
        for (Parameter p : parameters) {
            if (p.name().endsWith(".bias")) p.value().fill(0f);
            else glorotUniform(p.value(), random);
        }
    }

    public String name() { return name; }

    public Matrix value() { return value; }

    /** d loss / d value after {@link Graph#backward}; zero where the loss does not depend on this parameter. */
    public Matrix gradient() { return gradient; }

    @Override
    public String toString() { return name + " " + value.shape(); }
}
