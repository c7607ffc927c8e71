package dgm4j.vae;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.data.Binarization;
import dgm4j.io.ModelFile;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Adam;
import dgm4j.optim.LearningRateSchedule;
import dgm4j.train.AdamTrainingTask;
import dgm4j.train.TrainingData;

/**
 * Trains a {@link VariationalAutoencoder} by maximising the VAE or IWAE bound with Adam (Burda et al. 2016, sec. 5),
 * one minibatch per step, as an {@link AdamTrainingTask}. The step's graph (batch x k samples) is recorded once
 * and replayed. The logged "loss" is -L (the negative training bound, averaged over the epoch's minibatches); at each
 * epoch end: "heldout_bound", L_k with the training k on the first 1000 held-out examples (binarized once), the
 * active units there, and the learning rate (monitors only: nothing is decided from them).
 *
 * <p>Checkpoint tensors besides the model's ({@link VaeFiles}): {@code train.adam.m.NAME}, {@code train.adam.v.NAME},
 * {@code train.random} (the noise stream), {@code train.data_random} (shuffling and dynamic binarization); metadata
 * "training_state" holds {@code epochs_done}, {@code adam_steps} and the hyper-parameters.
 */
public final class VaeTrainingTask extends AdamTrainingTask<VariationalAutoencoder, VaeTrainingTask.Config> {
    private static final int MONITOR_EXAMPLES = 1000;

    /**
     * Hyper-parameters, immutable: {@link #defaults()} and the {@code withX} methods.
     *
     * @param objective the bound maximised: the VAE's ELBO averaged over k samples, or the IWAE's L_k
     * @param k         samples per example
     * @param schedule  Adam's learning rate per epoch
     * @param beta1     Adam's beta_1, beta_2 and epsilon (Kingma and Ba 2015)
     */
    public record Config(VariationalAutoencoder.Objective objective, int k, LearningRateSchedule schedule, double beta1,
                         double beta2, double epsilon) implements AdamTrainingTask.Settings {
        public Config {
            Objects.requireNonNull(objective, "objective");
            Objects.requireNonNull(schedule, "schedule");
            if (k < 1) throw new InputException("the number of samples k must be at least 1, got " + k);
            Adam.requireSettings(beta1, beta2, epsilon);
        }

        /** The IWAE paper's settings for a VAE: k = 1, its schedule of 3 stages (13 epochs), Adam(0.9, 0.999, 1e-4). */
        public static Config defaults() {
            return new Config(VariationalAutoencoder.Objective.VAE, 1, LearningRateSchedule.iwaePaper(3), 0.9, 0.999, 1e-4);
        }

        /** The bound and its samples per example, e.g. (IWAE, 50). */
        public Config withObjective(VariationalAutoencoder.Objective o, int samples) {
            return new Config(o, samples, schedule, beta1, beta2, epsilon);
        }

        public Config withSchedule(LearningRateSchedule s) {
            return new Config(objective, k, s, beta1, beta2, epsilon);
        }

        public Config withAdam(double b1, double b2, double eps) {
            return new Config(objective, k, schedule, b1, b2, eps);
        }
    }

    private final Graph graph = new Graph();
    private final VariationalAutoencoder.LogWeights weights;
    private final Node bound;
    private final Node loss;

    /**
     * A task with a fresh Adam ({@link #optimizer()}; a resumed run refills it with {@link #restoreOptimizer}).
     *
     * @param data       training data, in [0, 1] (binarized per minibatch) or as the output distribution takes them
     *                   with {@link Binarization#none()}; held-out data for the epoch-end monitors are binarized once
     *                   with a fixed seed
     * @param random     the noise stream (reparameterisation samples)
     * @param dataRandom the stream that shuffles and (for dynamic binarization) resamples minibatches
     */
    public VaeTrainingTask(VariationalAutoencoder model, Config config, TrainingData data, RandomStream random,
                           RandomStream dataRandom) {
        super(model, model.parameters(), config, requireFits(model, config, data), random, dataRandom, MONITOR_EXAMPLES);
        if (monitorValidation() != null) requireRows(model, monitorValidation(), data.validation().name());
        this.weights = model.logWeights(graph, data.batchSize(), config.k());
        this.bound = VariationalAutoencoder.bound(graph, weights, config.objective());
        this.loss = graph.scale(bound, -1f);
    }

    /** Refuses k or a batch size below 1, fewer examples than a batch, and data of another width or outside p(x|h)'s support. */
    private static TrainingData requireFits(VariationalAutoencoder model, Config config, TrainingData data) {
        return data.requireFits(config.k(), d -> model.requireWidth(d.features()), d -> model.requireSupportedValues(d.features(), d.name()));
    }

    /** Refuses rows of another width than the model's, or with values outside p(x | h)'s support. */
    private static void requireRows(VariationalAutoencoder model, Matrix rows, String name) {
        model.requireWidth(rows);
        model.requireSupportedValues(rows, name);
    }

    @Override
    protected double update(Matrix batch, int epoch) {
        backpropagate(graph, loss, weights.x().value(), batch, weights::fillNoise);
        optimizer().step(learningRate(epoch));
        return loss.value().get(0, 0);
    }

    @Override
    protected Map<String, Double> monitors(int epoch) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("learning_rate", learningRate(epoch));
        if (monitorValidation() != null) {
            RandomStream monitorRandom = monitorRandom(epoch);
            double[] lk = VaeEstimator.logMeanWeights(model, monitorValidation(), settings.k(), monitorRandom,
                    VaeEstimator.DEFAULT_ROWS_PER_PASS, Progress.NONE);
            m.put("heldout_bound", VaeEstimator.Summary.of(lk).mean());
            int[] active = VaeEstimator.activeUnits(VaeEstimator.posteriorMeanVariances(model, monitorValidation(), 1, monitorRandom), 0.01);
            for (int l = 0; l < active.length; l++) m.put("active_units_h" + (l + 1), (double) active[l]);
        }
        return m;
    }

    @Override
    public ModelFile snapshot(int epochsDone) {
        return snapshot(VaeFiles.builder(model, settings.objective(), settings.k(), data().train().height(), data().train().width()),
                epochsDone, hyperParameters(settings, data().batchSize(), data().binarization()));
    }

    /** The hyper-parameters a checkpoint records (a resumed run must give the same). */
    public static Map<String, Object> hyperParameters(Config config, int batchSize, Binarization binarization) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("objective", config.objective().name().toLowerCase());
        m.put("k", config.k());
        m.put("batch_size", batchSize);
        m.put("schedule", config.schedule().describe());
        m.put("binarization", binarization.toString());
        return m;
    }

    /** Refills the task's Adam from a checkpoint written by {@link #snapshot}; returns this task. */
    public VaeTrainingTask restoreOptimizer(ModelFile checkpoint) {
        restoreAdam(checkpoint);
        return this;
    }
}
