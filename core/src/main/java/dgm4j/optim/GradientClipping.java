package dgm4j.optim;

import java.util.List;

import dgm4j.autodiff.Parameter;
import dgm4j.math.Elementwise;

/**
 * Clipping by global norm (Pascanu, Mikolov &amp; Bengio 2013): if the gradients of all parameters together have an L2
 * norm ||g|| above {@code maxNorm}, every gradient is scaled by maxNorm / ||g||, so that the direction of the step is
 * kept and its size bounded. Recurrent networks unrolled over many steps (DRAW's T = 64) occasionally produce
 * exploding gradients; this keeps one such minibatch from throwing the parameters far away.
 */
public final class GradientClipping {
    private GradientClipping() {}

    /** ||g||, the L2 norm of all gradients together (accumulated in double). */
    public static double globalNorm(List<Parameter> parameters) {
        double s = 0;
        for (Parameter p : parameters) s += Elementwise.sumOfSquares(p.gradient());
        return Math.sqrt(s);
    }

    /**
     * Scales the gradients down to norm {@code maxNorm} if theirs is larger (a NaN or infinite norm is left for the
     * divergence guard to catch); returns the norm before clipping.
     */
    public static double clipGlobalNorm(List<Parameter> parameters, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("the clipping norm must be positive, got " + maxNorm);
        double norm = globalNorm(parameters);
        if (norm > maxNorm && Double.isFinite(norm)) {
            float factor = (float) (maxNorm / norm);
            for (Parameter p : parameters) Elementwise.scale(p.gradient(), factor);
        }
        return norm;
    }
}
