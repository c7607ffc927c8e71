package dgm4j.train;

import java.util.ArrayList;
import java.util.List;

import dgm4j.InputException;
import dgm4j.autodiff.Parameter;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Sgd;

/**
 * Maximum-likelihood learning by momentum SGD on a sampled gradient estimate, the part the RBM and DBM trainers share:
 * gradient buffers for the model's named parameters, an {@link Sgd} ascending the estimate ({@code maximize}) with L2
 * decay on the weights only and the momentum chosen by epoch (Hinton's practical guide, sections 9 and 10), and the
 * random stream the samplers draw from. A subclass estimates the gradient and gives the learning rate.
 */
public abstract class MomentumTrainer {
    private final RandomStream random;
    private final List<Matrix> values;
    private final List<Matrix> gradients = new ArrayList<>();   // the parameters' gradient buffers
    private final Sgd optimizer;

    /**
     * @param names           the parameters' names (their tensor names in model files), in the order of {@code values}
     * @param values          the parameters, updated in place, the weights first
     * @param weights         how many of them, from the first, are weights: they are L2-decayed, the biases after them are not
     * @param initialMomentum the momentum of the first update
     */
    protected MomentumTrainer(List<String> names, List<Matrix> values, int weights, float initialMomentum, float weightDecay,
                              RandomStream random) {
        this.random = random;
        this.values = List.copyOf(values);
        List<Parameter> parameters = Parameter.wrap(names, values);
        for (Parameter p : parameters) gradients.add(p.gradient());
        List<Parameter> decayed = parameters.subList(0, weights);
        optimizer = new Sgd(parameters, initialMomentum, weightDecay, decayed::contains, true);
    }

    /** Refuses momentum outside [0, 1) or a negative switch epoch (RBM and DBM configs). */
    public static void requireMomentum(float initial, float last, int switchEpoch) {
        if (initial < 0 || initial >= 1 || last < 0 || last >= 1) {
            throw new InputException("momentum must be in [0, 1), got " + initial + " / " + last);
        }
        if (switchEpoch < 0) throw new InputException("the momentum switch epoch must be non-negative, got " + switchEpoch);
    }

    /** The stream the negative phase's samplers draw from (saved in checkpoints). */
    public RandomStream random() { return random; }

    /** The parameters, updated in place. */
    public List<Matrix> parameterValues() { return values; }

    /** The optimiser of the parameters (momentum SGD ascending the log-likelihood estimate). */
    public Sgd optimizer() { return optimizer; }

    /** Momentum velocities, one per parameter (live, for checkpoints). */
    public List<Matrix> velocities() { return optimizer.velocities(); }

    /** The last gradient estimate, one per parameter: E_data - E_model, before weight decay. */
    public List<Matrix> gradient() { return gradients; }

    /** One update from a minibatch of data (rows); {@code epoch} (0-based) selects the momentum. */
    public void update(Matrix v, int epoch) {
        estimateGradient(v, epoch);
        applyGradient(epoch);
    }

    /**
     * Estimates E_data - E_model of each parameter's statistic from a minibatch into {@link #gradient()}, advancing the
     * negative phase's chains, without changing the parameters.
     */
    public abstract void estimateGradient(Matrix v, int epoch);

    /** velocity = momentum * velocity + lr * (gradient - decay * W); theta += velocity (an {@link Sgd} step). */
    public void applyGradient(int epoch) {
        optimizer.setMomentum(momentum(epoch));
        optimizer.step(learningRate(epoch));
    }

    /** The momentum of a 0-based epoch. */
    protected abstract float momentum(int epoch);

    /** The learning rate of the coming update, in the 0-based epoch {@code epoch}. */
    protected abstract float learningRate(int epoch);
}
