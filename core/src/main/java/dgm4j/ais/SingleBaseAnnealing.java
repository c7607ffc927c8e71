package dgm4j.ais;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.Rbm;

/**
 * AIS between an RBM and one base model A whose ln Z_A is known and from which exact samples are drawn (binary and
 * Gaussian RBMs; replicated softmax has a base per document length): forward AIS from the base's samples and reverse
 * AIS from the model's, along the loop of {@link RbmAnnealing}. Kinds supply the base's ln Z and its sampler.
 */
abstract class SingleBaseAnnealing extends RbmAnnealing {
    SingleBaseAnnealing(Rbm rbm) {
        super(rbm);
    }

    /** ln Z of the base model. */
    public abstract double logZBase();

    /** Fills v (runs x D) with exact samples of the base model. */
    protected abstract void sampleBase(Matrix v, RandomStream random);

    /** Forward AIS: M runs started from exact samples of the base model; estimates ln Z_B. */
    public final AisEstimate forward(AnnealingSchedule schedule, int runs, RandomStream random, Progress progress) {
        if (runs < 1) throw new InputException("AIS needs at least one run, got " + runs);
        Matrix v = Matrix.zeros(runs, rbm.visibleUnits());
        sampleBase(v, random);
        AisPath path = AisPath.along(schedule.betas());
        return new AisEstimate(logZBase(), anneal(v, schedule.betas(), random, progress, "forward AIS", path), path, schedule.size(), false);
    }

    /**
     * Reverse AIS: runs started from samples of the RBM (rows of {@code modelSamples}, e.g. the end of long Gibbs chains
     * or persistent chains), annealed from beta = 1 to 0; E[w] = Z_A / Z_B. Its estimate tends to err the other way from
     * the forward one: reporting both brackets the truth when both chains mixed.
     */
    public final AisEstimate reverse(Matrix modelSamples, AnnealingSchedule schedule, RandomStream random, Progress progress) {
        return reverse(logZBase(), modelSamples, schedule, random, progress);
    }
}
