package dgm4j.optim;

import java.util.List;
import java.util.function.Predicate;

import dgm4j.autodiff.Parameter;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;

/**
 * Stochastic gradient descent with momentum and L2 weight decay: u = momentum u - lr (g + decay theta); theta += u.
 *
 * <p>With {@code maximize} (PyTorch's flag of that name) the gradients are of an objective to maximise, e.g. the
 * log-likelihood estimates of the RBM and DBM trainers, and the step is the same ascent written for them:
 * u = momentum u + lr (g - decay theta); theta += u (Hinton's practical guide, sections 9 and 10). Both are one fused
 * pass per parameter ({@link Elementwise#momentumStep}); the velocity u has the same sign either way.
 *
 * <p>Weight decay applies to the parameters {@code decayed} selects (RBMs and DBMs decay their weights, not their
 * biases). The momentum may change between steps ({@link #setMomentum}): the RBM recipe starts at 0.5 and switches to
 * 0.9 after a few epochs.
 */
public final class Sgd extends AbstractOptimizer {
    private final float weightDecay;
    private final boolean[] decayed;
    private final boolean maximize;
    private final Matrix[] velocity;
    private float momentum;

    /** Descent on a loss, every parameter decayed. */
    public Sgd(List<Parameter> parameters, double momentum, double weightDecay) {
        this(parameters, momentum, weightDecay, p -> true, false);
    }

    public Sgd(List<Parameter> parameters, double momentum, double weightDecay, Predicate<Parameter> decayed, boolean maximize) {
        super(parameters);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        setMomentum(momentum);
        this.weightDecay = (float) weightDecay;
        this.maximize = maximize;
        this.decayed = new boolean[parameters.size()];
        velocity = new Matrix[parameters.size()];
        for (int i = 0; i < velocity.length; i++) {
            this.decayed[i] = decayed.test(this.parameters.get(i));
            velocity[i] = stateBuffer("sgd.velocity", i);
        }
    }

    /** The momentum of the following steps, in [0, 1). */
    public void setMomentum(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        this.momentum = (float) momentum;
    }

    public double momentum() { return momentum; }

    /** The velocities u, one per parameter in order (live: checkpoints save and restore them). */
    public List<Matrix> velocities() { return List.of(velocity); }

    @Override
    public void step(double learningRate) {
        t++;
        float lr = (float) learningRate;
        for (int i = 0; i < velocity.length; i++) {
            Parameter p = parameters.get(i);
            float decay = decayed[i] ? weightDecay : 0f;
            // momentumStep ascends: u = m u + a (g - d theta); a = -lr, d = -decay make it descend with decay
            if (maximize) Elementwise.momentumStep(p.value(), p.gradient(), velocity[i], momentum, lr, decay);
            else Elementwise.momentumStep(p.value(), p.gradient(), velocity[i], momentum, -lr, -decay);
        }
    }
}
