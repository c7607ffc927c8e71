package dgm4j.rbm;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * What an RBM has learned, made visible: fantasy samples from long Gibbs chains, and pattern completion (the observed
 * pixels clamped, the others resampled).
 */
public final class RbmSampler {
    private RbmSampler() {}

    /**
     * {@code chains} independent Gibbs chains started from v ~ p(v | h = 0) = sigmoid(b) (pixels at the rates the
     * visible biases give, rather than fair coins, which lie far from the data where a CD-trained RBM has spurious
     * modes), run {@code steps} alternating steps; returns p(v | h) of the last step (smoother to look at than samples).
     */
    public static Matrix fantasies(Rbm rbm, int chains, int steps, RandomStream random) {
        return fantasies(rbm, chains, steps, random, Progress.NONE);
    }

    /** {@link #fantasies(Rbm, int, int, RandomStream)}, reporting the Gibbs steps done to {@code progress}. */
    public static Matrix fantasies(Rbm rbm, int chains, int steps, RandomStream random, Progress progress) {
        if (chains < 1 || steps < 1) throw new InputException("need at least one chain and one Gibbs step");
        Matrix v = Matrix.zeros(chains, rbm.visibleUnits());
        Matrix vp = Matrix.zeros(chains, rbm.visibleUnits());
        Matrix h = Matrix.zeros(chains, rbm.hiddenUnits());
        rbm.sampleVisible(h, null, v, random);
        for (int t = 0; t < steps; t++) {
            rbm.sampleHidden(v, null, h, random);
            rbm.sampleVisible(h, vp, v, random);
            progress.update("Gibbs steps", t + 1, steps);
        }
        progress.finish("Gibbs steps");
        return vp;
    }

    /**
     * Samples of the model and its visible marginals: Gibbs chains started at the rows of {@code start} (data
     * examples, persistent chains, or noise) run {@code steps} alternating steps; {@code samples} are the chains' last
     * visible states, {@code marginals} (1 x D) the average of E[v | h] over the second half of the steps and all
     * chains (Rao-Blackwellised: a pixel never seen on still gets its small conditional probability), and
     * {@code chainLogUnnormalized} each chain's average of -F(v) over the second half: chains that mixed agree on it
     * whatever their start.
     */
    public record Chains(Matrix samples, Matrix marginals, double[] chainLogUnnormalized, int steps) {}

    public static Chains run(Rbm rbm, Matrix start, int steps, RandomStream random) {
        if (steps < 2) throw new InputException("need at least two Gibbs steps, got " + steps);
        rbm.requireVisible(start);
        int n = start.rows(), d = rbm.visibleUnits();
        Matrix v = start.copy(), mean = Matrix.zeros(n, d), h = Matrix.zeros(n, rbm.hiddenUnits());
        Matrix scratch = Matrix.zeros(n, rbm.hiddenUnits());
        Matrix sum = Matrix.zeros(1, d);
        double[] logUnnormalized = new double[n];
        int averaged = 0;
        for (int t = 0; t < steps; t++) {
            rbm.sampleHidden(v, null, h, random);
            rbm.sampleVisible(h, mean, v, random);
            if (t >= steps / 2) {
                Elementwise.columnSums(mean, 1f, 1f, sum);
                double[] f = rbm.freeEnergy(v, scratch);
                for (int c = 0; c < n; c++) logUnnormalized[c] -= f[c];
                averaged++;
            }
        }
        Elementwise.scale(sum, 1f / (averaged * (float) n));
        for (int c = 0; c < n; c++) logUnnormalized[c] /= averaged;
        return new Chains(v, sum, logUnnormalized, steps);
    }

    /** Reconstructions: h ~ p(h | v), then E[v | h], row by row. */
    public static Matrix reconstruct(Rbm rbm, Matrix v, RandomStream random) {
        Matrix h = Matrix.zeros(v.rows(), rbm.hiddenUnits());
        rbm.sampleHidden(v, null, h, random);
        Matrix mean = Matrix.zeros(v.rows(), rbm.visibleUnits());
        Matrix state = v.copy();   // the chain state sampleVisible overwrites (word counts keep their lengths)
        rbm.sampleVisible(h, mean, state, random);
        return mean;
    }

    /**
     * Pattern completion: rows of {@code data} where {@code observed} is 1 are clamped; the other pixels start at
     * random and are resampled by {@code steps} Gibbs steps. Returns p(v | h) with the observed pixels put back.
     */
    public static Matrix complete(Rbm rbm, Matrix data, Matrix observed, int steps, RandomStream random) {
        if (!(rbm instanceof BernoulliRbm)) {
            throw new InputException("pattern completion is implemented for binary RBMs and DBMs, not " + rbm.visibleType() + " visible units");
        }
        rbm.requireVisible(data);
        Matrix.requireSameShape(data, observed, "complete");
        int n = data.rows(), d = rbm.visibleUnits();
        Matrix v = Matrix.zeros(n, d), vp = Matrix.zeros(n, d), h = Matrix.zeros(n, rbm.hiddenUnits());
        random.uniforms(v);
        random.bernoulli(v, v);
        clamp(v, data, observed);
        for (int t = 0; t < steps; t++) {
            rbm.sampleHidden(v, null, h, random);
            rbm.sampleVisible(h, vp, v, random);
            clamp(v, data, observed);
        }
        clamp(vp, data, observed);
        return vp;
    }

    /** x = observed ? data : x, elementwise: x + observed * (data - x). */
    public static void clamp(Matrix x, Matrix data, Matrix observed) {
        Matrix diff = Elementwise.subtract(data, x, Matrix.zeros(x.rows(), x.cols()));
        Elementwise.multiply(diff, observed, diff);
        Elementwise.add(x, diff, x);
    }
}
