package dgm4j.optim;

import java.util.List;
import java.util.Map;

import dgm4j.autodiff.Parameter;
import dgm4j.math.Matrix;

/** Takes one descent step on its parameters from their current gradients (of a loss to minimise). */
public interface Optimizer {
    /** parameters -= (a step computed from) learningRate and the gradients. */
    void step(double learningRate);

    List<Parameter> parameters();

    /** Steps taken so far. */
    long steps();

    /** The optimizer's state buffers by name (e.g. "adam.m.NAME"), shared: a checkpoint saves them, resume refills them. */
    Map<String, Matrix> state();

    /** Sets the step count (on resume, with {@link #state()} refilled). */
    void setSteps(long steps);
}
