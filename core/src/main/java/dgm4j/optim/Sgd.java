package dgm4j.optim;

import java.util.List;

import dgm4j.autodiff.Parameter;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;

/** Stochastic gradient descent with momentum and L2 weight decay: u = momentum u - lr (g + decay theta); theta += u. */
public final class Sgd extends AbstractOptimizer {
    private final float momentum, weightDecay;
    private final Matrix[] velocity;

    public Sgd(List<Parameter> parameters, double momentum, double weightDecay) {
        super(parameters);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        velocity = new Matrix[parameters.size()];
        for (int i = 0; i < velocity.length; i++) velocity[i] = stateBuffer("sgd.velocity", i);
    }

    @Override
    public void step(double learningRate) {
        t++;
        for (int i = 0; i < velocity.length; i++) {
            Parameter p = parameters.get(i);
            // momentumStep ascends: u = m u + a (g - d theta); a = -lr, d = -decay make it descend with decay
            Elementwise.momentumStep(p.value(), p.gradient(), velocity[i], momentum, (float) -learningRate, -weightDecay);
        }
    }
}
