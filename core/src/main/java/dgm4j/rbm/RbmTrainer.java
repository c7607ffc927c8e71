package dgm4j.rbm;

import java.util.List;
import java.util.function.Consumer;

import dgm4j.InputException;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.optim.Sgd;
import dgm4j.train.MomentumTrainer;

/**
 * Approximate maximum-likelihood learning of an {@link Rbm} of any visible type: the gradient of the log-likelihood
 * is E_data[v h^T] - E_model[v h^T] (the lecture's "derivative of the log-likelihood", in general
 * E_data[-dE/d theta] - E_model[-dE/d theta], see {@link Rbm#addStatistics}); the model expectation is
 * replaced by k steps of Gibbs sampling started at the data (CD-k, Hinton 2002) or by persistent chains carried over
 * from update to update (PCD, Tieleman 2008). Updates: {@link Sgd} ascending the estimate, with momentum and L2 weight
 * decay on W.
 *
 * <p>Statistics use p(h|v) rather than sampled h wherever a sample is not needed (Rao-Blackwellised), chain states v
 * are samples. A step allocates nothing once the buffers for its batch size exist.
 */
public final class RbmTrainer extends MomentumTrainer {

    /**
     * Hyper-parameters, immutable: start from {@link #defaults()} (CD-1, lr 0.05, momentum 0.5 then 0.9 from epoch 5,
     * weight decay 2e-4) and change them with the {@code withX} methods.
     *
     * @param learningRate        the first epoch's learning rate
     * @param finalLearningRate   the last epoch's: the rate falls linearly over {@code epochs} epochs (NaN = constant).
     *                            Persistent chains need a decaying rate to track the model (Tieleman 2008)
     * @param epochs              total epochs of the run, for the learning-rate decay and the rise of k
     * @param momentumSwitchEpoch epochs run with {@code initialMomentum} before switching to {@code finalMomentum}
     * @param weightDecay         L2 decay on W only (Hinton's practical guide, section 10)
     * @param gibbsSteps          Gibbs steps per update (the k of CD-k and PCD-k); the first epoch's if
     *                            {@code finalGibbsSteps} is set
     * @param finalGibbsSteps     k at the last epoch, rising linearly (rounded) from {@code gibbsSteps} (0 = constant
     *                            k). Salakhutdinov and Hinton (2009) train replicated softmax with k rising from 1 to 5
     * @param persistent          persistent chains (PCD) instead of chains started at the data (CD)
     * @param chains              number of persistent chains (PCD only); 0 = the batch size
     * @param sparsityTarget      target mean activation of the hidden units (NaN = no sparsity penalty). The hidden
     *                            biases get the extra gradient cost * (target - q_j), q_j a running mean (decay 0.9) of
     *                            p(h_j = 1 | data) (Lee, Ekanadham and Ng 2008; Hinton's practical guide, section 11).
     *                            With centering, q is centering's slower average (decay 0.99): one running mean serves both
     * @param centered            centering (Montavon and Mueller 2012; Melchior, Fischer and Wiskott 2016): gradients
     *                            taken in the parameterisation E = -(v - mu)^T W (h - lambda) - ..., with mu the data mean
     *                            and lambda a running mean of p(h|data), then mapped back to W, b, a. Same model,
     *                            better-conditioned updates. Binary RBMs only
     */
    public record Config(float learningRate, float finalLearningRate, int epochs, float initialMomentum, float finalMomentum,
                         int momentumSwitchEpoch, float weightDecay, int gibbsSteps, int finalGibbsSteps, boolean persistent,
                         int chains, float sparsityTarget, float sparsityCost, boolean centered) {
        public Config {
            if (!(learningRate > 0) || !Float.isFinite(learningRate)) throw new InputException("learning rate must be positive, got " + learningRate);
            if (!Float.isNaN(finalLearningRate) && !(finalLearningRate >= 0 && finalLearningRate <= learningRate)) {
                throw new InputException("final learning rate must lie in [0, " + learningRate + "], got " + finalLearningRate);
            }
            if (epochs < 1) throw new InputException("epochs must be at least 1, got " + epochs);
            MomentumTrainer.requireMomentum(initialMomentum, finalMomentum, momentumSwitchEpoch);
            if (weightDecay < 0) throw new InputException("weight decay must be non-negative, got " + weightDecay);
            if (gibbsSteps < 1) throw new InputException("Gibbs steps (k) must be at least 1, got " + gibbsSteps);
            if (finalGibbsSteps != 0 && finalGibbsSteps < gibbsSteps) {
                throw new InputException("final Gibbs steps must be at least the first epoch's " + gibbsSteps + ", got " + finalGibbsSteps);
            }
            if (chains < 0) throw new InputException("chains must be non-negative, got " + chains);
            if (!Float.isNaN(sparsityTarget) && !(sparsityTarget > 0 && sparsityTarget < 1)) {
                throw new InputException("sparsity target must lie in (0, 1), got " + sparsityTarget);
            }
            if (!(sparsityCost >= 0)) throw new InputException("sparsity cost must be non-negative, got " + sparsityCost);
        }

        /** CD-1, lr 0.05 (constant), momentum 0.5 then 0.9 from epoch 5, weight decay 2e-4, no sparsity, no centering. */
        public static Config defaults() {
            return new Config(0.05f, Float.NaN, 1, 0.5f, 0.9f, 5, 2e-4f, 1, 0, false, 0, Float.NaN, 0.1f, false);
        }

        public Config withLearningRate(float lr) { return with(b -> b.learningRate = lr); }

        /** The last epoch's learning rate (NaN: constant). */
        public Config withFinalLearningRate(float lr) { return with(b -> b.finalLearningRate = lr); }

        public Config withEpochs(int n) { return with(b -> b.epochs = n); }

        /** Momentum before and from {@link #momentumSwitchEpoch}. */
        public Config withMomentum(float initial, float last) {
            return with(b -> {
                b.initialMomentum = initial;
                b.finalMomentum = last;
            });
        }

        public Config withMomentumSwitchEpoch(int epoch) { return with(b -> b.momentumSwitchEpoch = epoch); }

        public Config withWeightDecay(float decay) { return with(b -> b.weightDecay = decay); }

        public Config withGibbsSteps(int k) { return with(b -> b.gibbsSteps = k); }

        /** k at the last epoch (0: constant k). */
        public Config withFinalGibbsSteps(int k) { return with(b -> b.finalGibbsSteps = k); }

        /** PCD (true) or CD (false). */
        public Config withPersistent(boolean pcd) { return with(b -> b.persistent = pcd); }

        /** Persistent chains of PCD (0: the batch size). */
        public Config withChains(int m) { return with(b -> b.chains = m); }

        /** Target mean activation of the hidden units (NaN: none) and the penalty's weight. */
        public Config withSparsity(float target, float cost) {
            return with(b -> {
                b.sparsityTarget = target;
                b.sparsityCost = cost;
            });
        }

        public Config withCentering(boolean on) { return with(b -> b.centered = on); }

        /** This config with the fields {@code change} sets changed (checked again as a new config). */
        private Config with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        /** A config's fields, mutable: the one place that copies them all, for the {@code withX} methods. */
        private static final class Builder {
            float learningRate, finalLearningRate, initialMomentum, finalMomentum, weightDecay, sparsityTarget, sparsityCost;
            int epochs, momentumSwitchEpoch, gibbsSteps, finalGibbsSteps, chains;
            boolean persistent, centered;

            Builder(Config c) {
                learningRate = c.learningRate;
                finalLearningRate = c.finalLearningRate;
                epochs = c.epochs;
                initialMomentum = c.initialMomentum;
                finalMomentum = c.finalMomentum;
                momentumSwitchEpoch = c.momentumSwitchEpoch;
                weightDecay = c.weightDecay;
                gibbsSteps = c.gibbsSteps;
                finalGibbsSteps = c.finalGibbsSteps;
                persistent = c.persistent;
                chains = c.chains;
                sparsityTarget = c.sparsityTarget;
                sparsityCost = c.sparsityCost;
                centered = c.centered;
            }

            Config build() {
                return new Config(learningRate, finalLearningRate, epochs, initialMomentum, finalMomentum, momentumSwitchEpoch,
                        weightDecay, gibbsSteps, finalGibbsSteps, persistent, chains, sparsityTarget, sparsityCost, centered);
            }
        }

        /** The momentum of a 0-based epoch. */
        public float momentum(int epoch) { return epoch < momentumSwitchEpoch ? initialMomentum : finalMomentum; }

        /** k of a 0-based epoch: see {@link #finalGibbsSteps}. */
        public int gibbsSteps(int epoch) {
            return finalGibbsSteps == 0 ? gibbsSteps : ramp(gibbsSteps, finalGibbsSteps, epoch, epochs);
        }

        /** A step count rising linearly (rounded) from {@code first} at epoch 0 to {@code last} at epoch {@code epochs - 1}. */
        public static int ramp(int first, int last, int epoch, int epochs) {
            if (epochs <= 1) return first;
            return first + (int) Math.round((double) (last - first) * Math.min(epoch, epochs - 1) / (epochs - 1));
        }

        /** The learning rate of a 0-based epoch. */
        public float learningRate(int epoch) {
            if (Float.isNaN(finalLearningRate) || epochs <= 1) return learningRate;
            double t = Math.min(1.0, (double) epoch / (epochs - 1));
            return (float) (learningRate + (finalLearningRate - learningRate) * t);
        }

        /** "CD-1", "PCD-5", "CD-1..5" (k rising), ... */
        public String algorithm() {
            return (persistent ? "PCD-" : "CD-") + gibbsSteps + (finalGibbsSteps > gibbsSteps ? ".." + finalGibbsSteps : "");
        }

        /** The algorithm of a 0-based epoch, with that epoch's k: "CD-3", "PCD-1". */
        public String algorithm(int epoch) {
            return (persistent ? "PCD-" : "CD-") + gibbsSteps(epoch);
        }
    }

    private final Rbm rbm;
    private final Config config;
    private Matrix chains;  // persistent visible states (PCD)
    private Buffers buffers;
    private final Matrix hiddenMean;      // q (sparsity) and lambda (centering): running mean of p(h|data), 1 x F
    private Matrix visibleOffset;         // mu (centering): the data mean, 1 x D
    private boolean hiddenMeanStarted;

    public RbmTrainer(Rbm rbm, Config config, RandomStream random) {
        // L2 decay on W only, the first parameter (Hinton's practical guide, section 10)
        super(rbm.parameterNames(), rbm.parameters(), 1, config.initialMomentum(), config.weightDecay(), random);
        this.rbm = rbm;
        this.config = config;
        hiddenMean = Matrix.zeros(1, rbm.hiddenUnits()).fill(0.5f);
        if (config.centered() && !(rbm instanceof BernoulliRbm)) {
            throw new InputException("centering is implemented for binary RBMs only, not " + rbm.visibleType());
        }
    }

    public Rbm rbm() { return rbm; }

    public Config config() { return config; }

    /** Persistent chains (null for CD or before the first PCD update). */
    public Matrix chains() { return chains; }

    /** Running mean of p(h|data) used by sparsity and centering (live, for checkpoints). */
    public Matrix hiddenMean() { return hiddenMean; }

    /** True once the running mean has seen a batch (it is then updated, not replaced). */
    public boolean hiddenMeanStarted() { return hiddenMeanStarted; }

    /** Restores the running mean from a checkpoint. */
    public void restoreHiddenMean(float[] values, boolean started) {
        hiddenMean.copyFrom(values);
        hiddenMeanStarted = started;
    }

    /** The visible offset mu of centering (1 x D); must be set before the first update when centering. */
    public void setVisibleOffset(Matrix mu) {
        if (mu.rows() != 1 || mu.cols() != rbm.visibleUnits()) {
            throw new InputException("visible offset must be 1x" + rbm.visibleUnits() + ", got " + mu.shape());
        }
        visibleOffset = mu;
    }

    public Matrix visibleOffset() { return visibleOffset; }

    /** Restores persistent chains from a checkpoint. */
    public void setChains(Matrix visible) {
        if (visible != null && visible.cols() != rbm.visibleUnits()) {
            throw new InputException("persistent chains have " + visible.cols() + " columns, the RBM has " + rbm.visibleUnits() + " visible units");
        }
        chains = visible;
    }

    /** Per-batch-size work buffers. */
    private static final class Buffers {
        final Matrix h0, hNeg, hSample, vNeg, vProb;
        final Matrix hiddenBatchMean;

        Buffers(int batch, int negatives, int d, int f) {
            hiddenBatchMean = Matrix.zeros(1, f);
            h0 = Matrix.zeros(batch, f);
            hNeg = Matrix.zeros(negatives, f);
            hSample = Matrix.zeros(negatives, f);
            vNeg = Matrix.zeros(negatives, d);
            vProb = Matrix.zeros(negatives, d);
        }
    }

    /**
     * Estimates E_data[v h^T] - E_model[v h^T] (and the bias gradients) from a minibatch into {@link #gradient()},
     * advancing the negative-phase chains, without changing the parameters.
     */
    public void estimateGradient(Matrix v0) {
        estimateGradient(v0, 0);
    }

    /** {@link #estimateGradient(Matrix)} with the Gibbs steps of a 0-based epoch ({@link Config#gibbsSteps(int)}). */
    @Override
    public void estimateGradient(Matrix v0, int epoch) {
        if (v0.cols() != rbm.visibleUnits()) {
            throw new InputException("data have " + v0.cols() + " columns but the RBM has " + rbm.visibleUnits() + " visible units");
        }
        int batch = v0.rows();
        if (batch == 0) throw new InputException("empty minibatch");
        int d = rbm.visibleUnits(), f = rbm.hiddenUnits();
        int negatives = config.persistent() ? (config.chains() > 0 ? config.chains() : batch) : batch;
        if (buffers == null || buffers.h0.rows() != batch || buffers.vNeg.rows() != negatives) {
            buffers = new Buffers(batch, negatives, d, f);
        }
        Buffers w = buffers;

        // positive phase: E_data[v h^T] with h replaced by p(h|v)
        rbm.hiddenProbabilities(v0, w.h0);

        // negative phase: k Gibbs steps from the data (CD) or from the persistent chains (PCD)
        if (config.persistent()) {
            if (chains == null) {
                chains = Matrix.zeros(negatives, d);
                for (int n = 0; n < negatives; n++) chains.rows(n, n + 1).copyFrom(v0.rows(n % batch, n % batch + 1));
                // v ~ p(v | h = 0); the data rows only give word-count models their document lengths
                rbm.sampleVisible(Matrix.zeros(negatives, f), null, chains, random());
            }
            w.vNeg.copyFrom(chains);
            // Tieleman's PCD: the fantasy particles are visible states; h is drawn from them with the current weights.
            // (Continuing from the last update's h instead saves a product but mixes less: measured worse on the
            // Gaussian cluster test, -7.2..-9.1 vs -5.9..-7.4 nats.)
            rbm.sampleHidden(w.vNeg, w.hNeg, w.hSample, random());
        } else {
            w.vNeg.copyFrom(v0);   // the chain state starts at the data (word-count models keep its lengths)
            random().bernoulli(w.h0, w.hSample);
        }
        int k = config.gibbsSteps(epoch);
        for (int step = 0; step < k; step++) {
            rbm.sampleVisible(w.hSample, w.vProb, w.vNeg, random());
            boolean last = step == k - 1;
            if (last && !config.persistent()) {
                rbm.hiddenProbabilities(w.vNeg, w.hNeg);   // CD's last h sample would be thrown away: probabilities only
            } else {
                rbm.sampleHidden(w.vNeg, w.hNeg, w.hSample, random());
            }
        }
        if (config.persistent()) chains.copyFrom(w.vNeg);

        // gradient: E_data[v h^T] - E_model[v h^T] (and the other parameters' statistics)
        List<Matrix> gradients = gradient();
        for (Matrix g : gradients) g.fill(0f);
        rbm.addStatistics(v0, w.h0, 1f / batch, gradients);
        rbm.addStatistics(w.vNeg, w.hNeg, -1f / negatives, gradients);

        if (!Float.isNaN(config.sparsityTarget()) || config.centered()) {
            // q <- 0.9 q + 0.1 mean(p(h|data)) (lambda of centering: a slower average, see below)
            Matrix batchMean = w.hiddenBatchMean;
            Elementwise.columnSums(w.h0, 1f / batch, 0f, batchMean);
            float rate = hiddenMeanStarted ? (config.centered() ? 0.01f : 0.1f) : 1f;
            Elementwise.axpby(1f - rate, hiddenMean, rate, batchMean, hiddenMean);
            hiddenMeanStarted = true;
        }
        if (config.centered()) center();
        if (!Float.isNaN(config.sparsityTarget())) {
            // hidden biases: + cost * (target - q)
            Matrix ga = gradients.get(2);
            Elementwise.axpby(1f, ga, -config.sparsityCost(), hiddenMean, ga);
            Elementwise.addScalar(ga, config.sparsityCost() * config.sparsityTarget());
        }
    }

    /**
     * Maps the standard gradient (gW, gb, ga) to the centered update, expressed back in W, b, a (Melchior et al. 2016,
     * algorithm 1): gW_c = gW - mu ga^T - gb lambda^T;  gb_c = gb - gW_c lambda;  ga_c = ga - gW_c^T mu.
     */
    private void center() {
        if (visibleOffset == null) throw new IllegalStateException("centering needs the visible offset (the data mean): call setVisibleOffset");
        Matrix gW = gradient().get(0), gb = gradient().get(1), ga = gradient().get(2);
        Matrix mu = visibleOffset, lambda = hiddenMean;
        var blas = Numerics.blas();
        blas.gemm(true, false, -1f, mu, ga, 1f, gW);        // - mu ga^T
        blas.gemm(true, false, -1f, gb, lambda, 1f, gW);    // - gb lambda^T
        blas.gemm(false, true, -1f, lambda, gW, 1f, gb);    // gb - lambda gW_c^T
        blas.gemm(false, false, -1f, mu, gW, 1f, ga);       // ga - mu gW_c
    }

    @Override
    protected float momentum(int epoch) { return config.momentum(epoch); }

    @Override
    protected float learningRate(int epoch) { return config.learningRate(epoch); }

    /**
     * Mean squared reconstruction error: v -> p(h|v) -> sample h -> E[v|h], averaged over units. A monitor, not the
     * objective.
     */
    public double reconstructionError(Matrix v) {
        Matrix h = Matrix.zeros(v.rows(), rbm.hiddenUnits());
        Matrix hs = Matrix.zeros(v.rows(), rbm.hiddenUnits());
        rbm.sampleHidden(v, h, hs, random());
        Matrix vp = Matrix.zeros(v.rows(), rbm.visibleUnits());
        Matrix vs = v.copy();   // the state sampleVisible overwrites (word-count models keep its lengths)
        rbm.sampleVisible(hs, vp, vs, random());
        Elementwise.subtract(vp, v, vp);
        Elementwise.square(vp, vp);
        return Elementwise.sum(vp) / ((double) v.rows() * v.cols());
    }
}
