package dgm4j.rbm;

import java.util.ArrayList;
import java.util.List;

import dgm4j.InputException;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;

/**
 * Approximate maximum-likelihood learning of an {@link Rbm} of any visible type: the gradient of the log-likelihood
 * is E_data[v h^T] - E_model[v h^T] (the lecture's "derivative of the log-likelihood", in general
 * E_data[-dE/d theta] - E_model[-dE/d theta], see {@link Rbm#addStatistics}); the model expectation is
 * replaced by k steps of Gibbs sampling started at the data (CD-k, Hinton 2002) or by persistent chains carried over
 * from update to update (PCD, Tieleman 2008). Updates: SGD with momentum and L2 weight decay on W.
 *
 * <p>Statistics use p(h|v) rather than sampled h wherever a sample is not needed (Rao-Blackwellised), chain states v
 * are samples. A step allocates nothing once the buffers for its batch size exist.
 */
public final class RbmTrainer {

    /** Hyper-parameters. */
    public static final class Config {
        public float learningRate = 0.05f;
        public float initialMomentum = 0.5f;
        public float finalMomentum = 0.9f;
        /** Epochs run with the initial momentum before switching to the final one. */
        public int momentumSwitchEpoch = 5;
        public float weightDecay = 2e-4f;
        /** Gibbs steps per update (the k of CD-k and PCD-k). */
        public int gibbsSteps = 1;
        /** Persistent chains (PCD) instead of chains started at the data (CD). */
        public boolean persistent = false;
        /** Number of persistent chains (PCD only); 0 = the batch size. */
        public int chains = 0;

        void validate() {
            if (!(learningRate > 0) || !Float.isFinite(learningRate)) throw new InputException("learning rate must be positive, got " + learningRate);
            if (gibbsSteps < 1) throw new InputException("Gibbs steps (k) must be at least 1, got " + gibbsSteps);
            if (weightDecay < 0) throw new InputException("weight decay must be non-negative, got " + weightDecay);
            if (initialMomentum < 0 || initialMomentum >= 1 || finalMomentum < 0 || finalMomentum >= 1) {
                throw new InputException("momentum must be in [0, 1), got " + initialMomentum + " / " + finalMomentum);
            }
            if (chains < 0) throw new InputException("chains must be non-negative, got " + chains);
        }

        /** "CD-1", "PCD-5", ... */
        public String algorithm() { return (persistent ? "PCD-" : "CD-") + gibbsSteps; }
    }

    private final Rbm rbm;
    private final Config config;
    private final RandomStream random;
    private final List<Matrix> velocities = new ArrayList<>();
    private final List<Matrix> gradients = new ArrayList<>();
    private Matrix chains;  // persistent visible states (PCD)
    private Buffers buffers;

    public RbmTrainer(Rbm rbm, Config config, RandomStream random) {
        config.validate();
        this.rbm = rbm;
        this.config = config;
        this.random = random;
        for (Matrix p : rbm.parameters()) {
            velocities.add(Matrix.zeros(p.rows(), p.cols()));
            gradients.add(Matrix.zeros(p.rows(), p.cols()));
        }
    }

    public Rbm rbm() { return rbm; }

    public Config config() { return config; }

    public RandomStream random() { return random; }

    /** Momentum velocities, one per {@link Rbm#parameters()} entry (live, for checkpoints). */
    public List<Matrix> velocities() { return velocities; }

    /** Persistent chains (null for CD or before the first PCD update). */
    public Matrix chains() { return chains; }

    /** Restores persistent chains from a checkpoint. */
    public void setChains(Matrix restored) {
        if (restored != null && restored.cols() != rbm.visibleUnits()) {
            throw new InputException("persistent chains have " + restored.cols() + " columns, the RBM has " + rbm.visibleUnits() + " visible units");
        }
        chains = restored;
    }

    /** Per-batch-size work buffers. */
    private static final class Buffers {
        final Matrix h0, hNeg, hSample, vNeg, vProb;

        Buffers(int batch, int negatives, int d, int f) {
            h0 = Matrix.zeros(batch, f);
            hNeg = Matrix.zeros(negatives, f);
            hSample = Matrix.zeros(negatives, f);
            vNeg = Matrix.zeros(negatives, d);
            vProb = Matrix.zeros(negatives, d);
        }
    }

    /**
     * One update from a minibatch of binary data (rows). {@code epoch} (0-based) selects the momentum.
     */
    public void update(Matrix v0, int epoch) {
        estimateGradient(v0);
        applyGradient(epoch);
    }

    /** The last gradient estimate, one per parameter: E_data - E_model, before weight decay. */
    public List<Matrix> gradient() { return gradients; }

    /**
     * Estimates E_data[v h^T] - E_model[v h^T] (and the bias gradients) from a minibatch into {@link #gradient()},
     * advancing the negative-phase chains, without changing the parameters.
     */
    public void estimateGradient(Matrix v0) {
        if (v0.cols() != rbm.visibleUnits()) {
            throw new InputException("data have " + v0.cols() + " columns but the RBM has " + rbm.visibleUnits() + " visible units");
        }
        int batch = v0.rows();
        if (batch == 0) throw new InputException("empty minibatch");
        int d = rbm.visibleUnits(), f = rbm.hiddenUnits();
        int negatives = config.persistent ? (config.chains > 0 ? config.chains : batch) : batch;
        if (buffers == null || buffers.h0.rows() != batch || buffers.vNeg.rows() != negatives) {
            buffers = new Buffers(batch, negatives, d, f);
        }
        Buffers w = buffers;

        // positive phase: E_data[v h^T] with h replaced by p(h|v)
        rbm.hiddenProbabilities(v0, w.h0);

        // negative phase: k Gibbs steps from the data (CD) or from the persistent chains (PCD)
        if (config.persistent) {
            if (chains == null) {
                chains = Matrix.zeros(negatives, d);
                for (int n = 0; n < negatives; n++) chains.rows(n, n + 1).copyFrom(v0.rows(n % batch, n % batch + 1));
                // v ~ p(v | h = 0); the data rows only give word-count models their document lengths
                rbm.sampleVisible(Matrix.zeros(negatives, f), null, chains, random);
            }
            w.vNeg.copyFrom(chains);
            rbm.sampleHidden(w.vNeg, w.hNeg, w.hSample, random);
        } else {
            w.vNeg.copyFrom(v0);   // the chain state starts at the data (word-count models keep its lengths)
            random.bernoulli(w.h0, w.hSample);
        }
        for (int step = 0; step < config.gibbsSteps; step++) {
            rbm.sampleVisible(w.hSample, w.vProb, w.vNeg, random);
            rbm.sampleHidden(w.vNeg, w.hNeg, w.hSample, random);
        }
        if (config.persistent) chains.copyFrom(w.vNeg);

        // gradient: E_data[v h^T] - E_model[v h^T] (and the other parameters' statistics)
        for (Matrix g : gradients) g.fill(0f);
        rbm.addStatistics(v0, w.h0, 1f / batch, gradients);
        rbm.addStatistics(w.vNeg, w.hNeg, -1f / negatives, gradients);
    }

    /** velocity = momentum * velocity + lr * (gradient - decay * W); theta += velocity. */
    public void applyGradient(int epoch) {
        float momentum = epoch < config.momentumSwitchEpoch ? config.initialMomentum : config.finalMomentum;
        float lr = config.learningRate;
        List<Matrix> parameters = rbm.parameters();
        if (config.weightDecay > 0) Elementwise.axpby(1f, gradients.get(0), -config.weightDecay, parameters.get(0), gradients.get(0));
        for (int k = 0; k < parameters.size(); k++) {
            Elementwise.axpby(momentum, velocities.get(k), lr, gradients.get(k), velocities.get(k));
            Elementwise.add(parameters.get(k), velocities.get(k), parameters.get(k));
        }
    }

    /**
     * Mean squared reconstruction error: v -> p(h|v) -> sample h -> E[v|h], averaged over units. A monitor, not the
     * objective.
     */
    public double reconstructionError(Matrix v) {
        Matrix h = Matrix.zeros(v.rows(), rbm.hiddenUnits());
        Matrix hs = Matrix.zeros(v.rows(), rbm.hiddenUnits());
        rbm.sampleHidden(v, h, hs, random);
        Matrix vp = Matrix.zeros(v.rows(), rbm.visibleUnits());
        Matrix vs = v.copy();   // the state sampleVisible overwrites (word-count models keep its lengths)
        rbm.sampleVisible(hs, vp, vs, random);
        Elementwise.subtract(vp, v, vp);
        Elementwise.square(vp, vp);
        return Elementwise.sum(vp) / ((double) v.rows() * v.cols());
    }
}
