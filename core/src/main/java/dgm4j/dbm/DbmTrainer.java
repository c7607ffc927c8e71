package dgm4j.dbm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dgm4j.InputException;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Sgd;
import dgm4j.train.MomentumTrainer;

/**
 * Joint maximum-likelihood learning of a {@link Dbm} by stochastic approximation (Salakhutdinov and Hinton, AISTATS
 * 2009, algorithm 1; the authors' dbm_mf.m): the gradient E_data[h_{l-1} h_l^T] - E_model[h_{l-1} h_l^T] takes its
 * data term from the mean-field posterior q(h | v) of each minibatch ({@link Dbm#meanField}) and its model term from M
 * persistent chains advanced k Gibbs sweeps per update ({@link DbmChains}, optionally by parallel tempering). Updates:
 * {@link Sgd} ascending the estimate, with momentum, L2 weight decay on the weights, the learning rate divided by
 * 1.000015 after every update (the authors' decay) or lr / (1 + t / tau), and optional sparsity targets on the hidden
 * biases. A step allocates no matrix once its batch size's buffers exist (parallel tempering's energies are a few small
 * double arrays).
 */
public final class DbmTrainer extends MomentumTrainer {

    /**
     * Hyper-parameters, immutable: {@link #defaults()} is the authors' MNIST recipe; change them with the {@code withX}
     * methods.
     *
     * @param learningRateDecay        the learning rate is divided by this after every update (the authors' 1.000015;
     *                                 1 = constant)
     * @param learningRateTimeConstant if positive: lr_t = lr / (1 + t / tau) instead of {@code learningRateDecay}
     * @param chains                   M, the persistent chains
     * @param gibbsSteps               k, Gibbs sweeps of the chains per update
     * @param meanFieldIterations      cap on mean-field sweeps per minibatch
     * @param meanFieldTolerance       mean field stops when a sweep changes the means by less than this (root mean square)
     * @param sparsityTargets          target mean activation of each hidden layer (null or NaN entries: none), e.g. [0.2, 0.1]
     * @param temperatures             K, temperatures of parallel tempering (1 = plain Gibbs sampling)
     * @param minimumBeta              the hottest replica's inverse temperature
     */
    public record Config(float learningRate, double learningRateDecay, double learningRateTimeConstant, float weightDecay,
                         float initialMomentum, float finalMomentum, int momentumSwitchEpoch, int chains, int gibbsSteps,
                         int meanFieldIterations, double meanFieldTolerance, List<Float> sparsityTargets, float sparsityCost,
                         int temperatures, double minimumBeta) {
        public Config {
            if (!(learningRate > 0) || !Float.isFinite(learningRate)) throw new InputException("learning rate must be positive, got " + learningRate);
            if (!(learningRateDecay >= 1)) throw new InputException("learning-rate decay must be at least 1, got " + learningRateDecay);
            if (!(learningRateTimeConstant >= 0)) throw new InputException("learning-rate time constant must be non-negative, got " + learningRateTimeConstant);
            if (weightDecay < 0) throw new InputException("weight decay must be non-negative, got " + weightDecay);
            MomentumTrainer.requireMomentum(initialMomentum, finalMomentum, momentumSwitchEpoch);
            if (chains < 1) throw new InputException("need at least one persistent chain, got " + chains);
            if (gibbsSteps < 1) throw new InputException("Gibbs steps must be at least 1, got " + gibbsSteps);
            if (meanFieldIterations < 1) throw new InputException("mean-field iterations must be at least 1, got " + meanFieldIterations);
            if (sparsityTargets != null) {
                sparsityTargets = List.copyOf(sparsityTargets);
                for (float t : sparsityTargets) {
                    if (!Float.isNaN(t) && !(t > 0 && t < 1)) throw new InputException("sparsity targets must lie in (0, 1), got " + t);
                }
            }
            DbmChains.ladder(temperatures, minimumBeta);
        }

        /**
         * The authors' recipe: lr 1e-3 divided by 1.000015 after every update, weight decay 2e-4, momentum 0.5 then 0.9
         * from epoch 5, 100 chains advanced 5 Gibbs sweeps per update, at most 10 mean-field sweeps, no sparsity.
         */
        public static Config defaults() {
            return new Config(0.001f, 1.000015, 0, 2e-4f, 0.5f, 0.9f, 5, 100, 5, 10, 1e-5, null, 0.01f, 1, 0.9);
        }

        public Config withLearningRate(float lr) { return with(b -> b.learningRate = lr); }

        /** lr_t = lr / divisor^t (1: constant), unless a time constant is set. */
        public Config withLearningRateDecay(double divisor) { return with(b -> b.learningRateDecay = divisor); }

        /** lr_t = lr / (1 + t / tau) instead of the decay (0: the decay). */
        public Config withLearningRateTimeConstant(double tau) { return with(b -> b.learningRateTimeConstant = tau); }

        public Config withWeightDecay(float decay) { return with(b -> b.weightDecay = decay); }

        /** Momentum before and from {@link #momentumSwitchEpoch}. */
        public Config withMomentum(float initial, float last) {
            return with(b -> {
                b.initialMomentum = initial;
                b.finalMomentum = last;
            });
        }

        public Config withMomentumSwitchEpoch(int epoch) { return with(b -> b.momentumSwitchEpoch = epoch); }

        public Config withChains(int m) { return with(b -> b.chains = m); }

        public Config withGibbsSteps(int k) { return with(b -> b.gibbsSteps = k); }

        /** Cap on mean-field sweeps per minibatch, and the change (root mean square) below which they stop. */
        public Config withMeanField(int iterations, double tolerance) {
            return with(b -> {
                b.meanFieldIterations = iterations;
                b.meanFieldTolerance = tolerance;
            });
        }

        /** Target mean activation of each hidden layer (null, or NaN entries: none) and the penalty's weight. */
        public Config withSparsity(float[] targets, float cost) {
            List<Float> list = targets == null ? null : new ArrayList<>();
            if (targets != null) for (float t : targets) list.add(t);
            return with(b -> {
                b.sparsityTargets = list;
                b.sparsityCost = cost;
            });
        }

        /** Parallel tempering over {@code k} temperatures (1: plain Gibbs), the hottest at inverse temperature {@code minBeta}. */
        public Config withTempering(int k, double minBeta) {
            return with(b -> {
                b.temperatures = k;
                b.minimumBeta = minBeta;
            });
        }

        /** This config with the fields {@code change} sets changed (checked again as a new config). */
        private Config with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        /** A config's fields, mutable: the one place that copies them all, for the {@code withX} methods. */
        private static final class Builder {
            float learningRate, weightDecay, initialMomentum, finalMomentum, sparsityCost;
            double learningRateDecay, learningRateTimeConstant, meanFieldTolerance, minimumBeta;
            int momentumSwitchEpoch, chains, gibbsSteps, meanFieldIterations, temperatures;
            List<Float> sparsityTargets;

            Builder(Config c) {
                learningRate = c.learningRate;
                learningRateDecay = c.learningRateDecay;
                learningRateTimeConstant = c.learningRateTimeConstant;
                weightDecay = c.weightDecay;
                initialMomentum = c.initialMomentum;
                finalMomentum = c.finalMomentum;
                momentumSwitchEpoch = c.momentumSwitchEpoch;
                chains = c.chains;
                gibbsSteps = c.gibbsSteps;
                meanFieldIterations = c.meanFieldIterations;
                meanFieldTolerance = c.meanFieldTolerance;
                sparsityTargets = c.sparsityTargets;
                sparsityCost = c.sparsityCost;
                temperatures = c.temperatures;
                minimumBeta = c.minimumBeta;
            }

            Config build() {
                return new Config(learningRate, learningRateDecay, learningRateTimeConstant, weightDecay, initialMomentum,
                        finalMomentum, momentumSwitchEpoch, chains, gibbsSteps, meanFieldIterations, meanFieldTolerance,
                        sparsityTargets, sparsityCost, temperatures, minimumBeta);
            }
        }

        /** The momentum of a 0-based epoch. */
        public float momentum(int epoch) { return epoch < momentumSwitchEpoch ? initialMomentum : finalMomentum; }

        /** Learning rate of the update numbered {@code t} (0-based). */
        public float learningRate(long t) {
            if (learningRateTimeConstant > 0) return (float) (learningRate / (1 + t / learningRateTimeConstant));
            return (float) (learningRate / Math.pow(learningRateDecay, t));
        }

        /** Refuses sparsity targets that do not give one per hidden layer. */
        void requireLayers(int hiddenLayers) {
            if (sparsityTargets != null && sparsityTargets.size() != hiddenLayers) {
                throw new InputException(sparsityTargets.size() + " sparsity targets for " + hiddenLayers + " hidden layers");
            }
        }
    }

    private final Dbm dbm;
    private final Config config;
    private final List<Matrix> hiddenMeans = new ArrayList<>();   // q_l, running means of mu_l (sparsity), index l
    private final DbmChains chains;
    private boolean chainsStarted;
    private long meanFieldSweeps, meanFieldCalls;   // since the last takeMeanFieldSweeps()
    private Dbm.Posterior posterior;   // mean-field work space for the current batch size
    private final List<Matrix> batchMeans = new ArrayList<>();   // work space for the sparsity means

    public DbmTrainer(Dbm dbm, Config config, RandomStream random) {
        // L2 decay on the weights (the first L parameters), not the biases
        super(dbm.parameterNames(), dbm.parameters(), dbm.hiddenLayers(), config.initialMomentum(), config.weightDecay(), random);
        config.requireLayers(dbm.hiddenLayers());
        this.dbm = dbm;
        this.config = config;
        for (int l = 0; l <= dbm.hiddenLayers(); l++) {
            hiddenMeans.add(Matrix.zeros(1, dbm.units(l)).fill(0.5f));
            batchMeans.add(Matrix.zeros(1, dbm.units(l)));
        }
        chains = new DbmChains(dbm, config.chains(), DbmChains.ladder(config.temperatures(), config.minimumBeta()));
    }

    public Dbm dbm() { return dbm; }

    public Config config() { return config; }

    public DbmChains chains() { return chains; }

    /** True once the chains have been started (at the first update, or restored). */
    public boolean chainsStarted() { return chainsStarted; }

    /** Updates done so far (drives the learning-rate decay). */
    public long updates() { return optimizer().steps(); }

    /** Mean number of mean-field sweeps per minibatch since the last call (a monitor: how often the cap was hit). */
    public double takeMeanFieldSweeps() {
        double mean = meanFieldCalls == 0 ? Double.NaN : (double) meanFieldSweeps / meanFieldCalls;
        meanFieldSweeps = 0;
        meanFieldCalls = 0;
        return mean;
    }

    /** Running means q_l of the hidden layers' posterior means, index l = 1..L (index 0 unused). */
    public List<Matrix> hiddenMeans() { return hiddenMeans; }

    /** Restores the state a checkpoint keeps besides velocities: update count and chain states. */
    public void restore(long updatesDone, List<Matrix> chainStates) {
        optimizer().setSteps(updatesDone);
        if (chainStates != null) {
            chains.restore(chainStates);
            chainsStarted = true;
        }
    }

    /** Estimates the gradient into {@link #gradient()}, advancing the chains, without changing the parameters. */
    public void estimateGradient(Matrix v) {
        estimateGradient(v, 0);
    }

    /** {@link #estimateGradient(Matrix)}: the same at every epoch. */
    @Override
    public void estimateGradient(Matrix v, int epoch) {
        int batch = v.rows();
        if (batch == 0) throw new InputException("empty minibatch");
        if (posterior == null || posterior.rows() != batch) posterior = dbm.newPosterior(batch);
        List<Matrix> mu = posterior.mu;
        // data-dependent statistics: the mean-field posterior
        meanFieldSweeps += dbm.meanField(v, posterior, config.meanFieldIterations(), config.meanFieldTolerance());
        meanFieldCalls++;
        if (!chainsStarted) startChains();
        // data-independent statistics: the persistent chains, k more sweeps
        chains.advance(config.gibbsSteps(), random());

        List<Matrix> gradients = gradient();
        for (Matrix g : gradients) g.fill(0f);
        dbm.addStatistics(mu, 1f / batch, gradients);
        dbm.addStatistics(chains.coldStatistics(), -1f / config.chains(), gradients);

        List<Float> sparsityTargets = config.sparsityTargets();
        if (sparsityTargets != null) {
            int top = dbm.hiddenLayers();
            for (int l = 1; l <= top; l++) {
                float target = sparsityTargets.get(l - 1);
                if (Float.isNaN(target)) continue;
                // q_l <- 0.9 q_l + 0.1 mean(mu_l);  hidden biases: + cost * (target - q_l)
                Matrix q = hiddenMeans.get(l), m = batchMeans.get(l);
                Elementwise.columnSums(mu.get(l), 1f / batch, 0f, m);
                Elementwise.axpby(0.9f, q, 0.1f, m, q);
                Matrix gb = gradients.get(top + l);
                Elementwise.axpby(1f, gb, -config.sparsityCost(), q, gb);
                Elementwise.addScalar(gb, config.sparsityCost() * target);
            }
        }
    }

    /** Chain m starts at data row m mod B with hidden layers sampled from its mean-field posterior. */
    private void startChains() {
        List<Matrix> mu = posterior.mu;
        int batch = posterior.rows();
        List<Matrix> start = dbm.newLayers(config.chains());
        for (int l = 0; l < start.size(); l++) {
            for (int m = 0; m < config.chains(); m++) start.get(l).rows(m, m + 1).copyFrom(mu.get(l).rows(m % batch, m % batch + 1));
            if (l > 0) random().bernoulli(start.get(l), start.get(l));
        }
        chains.start(start);
        chainsStarted = true;
    }

    @Override
    protected float momentum(int epoch) { return config.momentum(epoch); }

    /** lr_t of the coming update, t counting updates (the authors' decay per update, whatever the epoch). */
    @Override
    protected float learningRate(int epoch) { return config.learningRate(optimizer().steps()); }
}
