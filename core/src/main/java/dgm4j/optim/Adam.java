package dgm4j.optim;

import java.util.List;

import dgm4j.InputException;
import dgm4j.autodiff.Parameter;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;

/**
 * Adam (Kingma &amp; Ba, ICLR 2015): m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g^2,
 * theta -= lr (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps) — the form PyTorch uses; one fused pass per
 * parameter. The IWAE paper uses beta1 = 0.9, beta2 = 0.999, eps = 1e-4.
 */
public final class Adam extends AbstractOptimizer {
    private final float beta1, beta2, epsilon;
    private final Matrix[] m, v;

    public Adam(List<Parameter> parameters, double beta1, double beta2, double epsilon) {
        super(parameters);
        requireSettings(beta1, beta2, epsilon);
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
        m = new Matrix[parameters.size()];
        v = new Matrix[parameters.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = stateBuffer("adam.m", i);
            v[i] = stateBuffer("adam.v", i);
        }
    }

    /** Refuses betas outside [0, 1) or a non-positive epsilon. */
    public static void requireSettings(double beta1, double beta2, double epsilon) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new InputException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0)) throw new InputException("Adam epsilon must be positive, got " + epsilon);
    }

    @Override
    public void step(double learningRate) {
        t++;
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (learningRate * Math.sqrt(c2) / c1);
        float eps = (float) (epsilon * Math.sqrt(c2));
        for (int i = 0; i < m.length; i++) {
            Parameter p = parameters.get(i);
            Elementwise.adamStep(p.value(), p.gradient(), m[i], v[i], beta1, beta2, stepSize, eps);
        }
    }
}
