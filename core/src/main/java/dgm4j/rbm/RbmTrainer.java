package dgm4j.rbm;

import dgm4j.InputException;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;

/**
 * Approximate maximum-likelihood learning of a binary {@link Rbm}: the gradient of the log-likelihood is
 * E_data[v h^T] - E_model[v h^T] (the lecture's "derivative of the log-likelihood"); the model expectation is
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
    private final Matrix velocityW, velocityB, velocityA;
    private final Matrix gradW, gradB, gradA;
    private Matrix chains;  // persistent visible states (PCD)
    private Buffers buffers;

    public RbmTrainer(Rbm rbm, Config config, RandomStream random) {
        config.validate();
        this.rbm = rbm;
        this.config = config;
        this.random = random;
        int d = rbm.visibleUnits(), f = rbm.hiddenUnits();
        velocityW = Matrix.zeros(d, f);
        velocityB = Matrix.zeros(1, d);
        velocityA = Matrix.zeros(1, f);
        gradW = Matrix.zeros(d, f);
        gradB = Matrix.zeros(1, d);
        gradA = Matrix.zeros(1, f);
    }

    public Rbm rbm() { return rbm; }

    public Config config() { return config; }

    public RandomStream random() { return random; }

    /** Momentum velocities (W, b, a), for checkpoints. */
    public Matrix[] velocities() { return new Matrix[] {velocityW, velocityB, velocityA}; }

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

    /** The last gradient estimate (W, b, a): E_data - E_model, before weight decay. */
    public Matrix[] gradient() { return new Matrix[] {gradW, gradB, gradA}; }

    /**
     * Estimates E_data[v h^T] - E_model[v h^T] (and the bias gradients) from a minibatch into {@link #gradient()},
     * advancing the negative-phase chains, without changing the parameters.
     */
    public void estimateGradient(Matrix v0) {
        rbm.requireVisible(v0);
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
                random.uniforms(chains);
                random.bernoulli(Elementwise.scale(chains, 0.5f), chains); // fair coin flips
            }
            w.vNeg.copyFrom(chains);
            rbm.sampleHidden(w.vNeg, w.hNeg, w.hSample, random);
        } else {
            random.bernoulli(w.h0, w.hSample);
        }
        for (int step = 0; step < config.gibbsSteps; step++) {
            rbm.sampleVisible(w.hSample, w.vProb, w.vNeg, random);
            rbm.sampleHidden(w.vNeg, w.hNeg, w.hSample, random);
        }
        if (config.persistent) chains.copyFrom(w.vNeg);

        // gradient: E_data[v h^T] - E_model[v h^T]
        Numerics.blas().gemm(true, false, 1f / batch, v0, w.h0, 0f, gradW);
        Numerics.blas().gemm(true, false, -1f / negatives, w.vNeg, w.hNeg, 1f, gradW);
        Elementwise.columnSums(v0, 1f / batch, 0f, gradB);
        Elementwise.columnSums(w.vNeg, -1f / negatives, 1f, gradB);
        Elementwise.columnSums(w.h0, 1f / batch, 0f, gradA);
        Elementwise.columnSums(w.hNeg, -1f / negatives, 1f, gradA);
    }

    /** velocity = momentum * velocity + lr * (gradient - decay * W); theta += velocity. */
    public void applyGradient(int epoch) {
        float momentum = epoch < config.momentumSwitchEpoch ? config.initialMomentum : config.finalMomentum;
        float lr = config.learningRate;
        if (config.weightDecay > 0) Elementwise.axpby(1f, gradW, -config.weightDecay, rbm.weights(), gradW);
        Elementwise.axpby(momentum, velocityW, lr, gradW, velocityW);
        Elementwise.axpby(momentum, velocityB, lr, gradB, velocityB);
        Elementwise.axpby(momentum, velocityA, lr, gradA, velocityA);
        Elementwise.add(rbm.weights(), velocityW, rbm.weights());
        Elementwise.add(rbm.visibleBias(), velocityB, rbm.visibleBias());
        Elementwise.add(rbm.hiddenBias(), velocityA, rbm.hiddenBias());
    }

    /**
     * Mean squared reconstruction error: v -> p(h|v) -> sample h -> p(v|h), averaged over pixels. A monitor, not the
     * objective.
     */
    public double reconstructionError(Matrix v) {
        Matrix h = Matrix.zeros(v.rows(), rbm.hiddenUnits());
        Matrix hs = Matrix.zeros(v.rows(), rbm.hiddenUnits());
        rbm.sampleHidden(v, h, hs, random);
        Matrix vp = Matrix.zeros(v.rows(), rbm.visibleUnits());
        Elementwise.sigmoid(rbm.visibleInput(hs, vp), vp);
        Elementwise.subtract(vp, v, vp);
        Elementwise.square(vp, vp);
        return Elementwise.sum(vp) / ((double) v.rows() * v.cols());
    }
}
