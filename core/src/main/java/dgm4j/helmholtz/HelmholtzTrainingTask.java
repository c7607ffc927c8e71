package dgm4j.helmholtz;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.data.Binarization;
import dgm4j.io.ModelFile;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Adam;
import dgm4j.optim.LearningRateSchedule;
import dgm4j.train.AdamTrainingTask;
import dgm4j.train.TrainingData;
import dgm4j.vae.VaeEstimator;

/**
 * Trains a {@link HelmholtzMachine} by wake-sleep or reweighted wake-sleep ({@link WakeSleep}) with Adam, one minibatch
 * per step, as an {@link AdamTrainingTask}. The logged "loss" is -L_k on the training minibatches (k = 1 for
 * WS: a one-sample estimate of the negative ELBO). At each epoch end: "heldout_log_likelihood", L_k with k =
 * {@link #MONITOR_K} on the first {@link #MONITOR_EXAMPLES} held-out examples (binarized once), and the learning rate
 * (monitors only: nothing is decided from them).
 *
 * <p>Checkpoint tensors besides the model's ({@link HelmholtzFiles}): {@code train.adam.m.NAME},
 * {@code train.adam.v.NAME}, {@code train.random} (the sampling stream), {@code train.data_random} (shuffling and
 * dynamic binarization); metadata "training_state" holds {@code epochs_done}, {@code adam_steps} and the
 * hyper-parameters.
 */
public final class HelmholtzTrainingTask extends AdamTrainingTask<HelmholtzMachine, HelmholtzTrainingTask.Config> {
    public static final int MONITOR_EXAMPLES = 500;
    public static final int MONITOR_K = 50;

    /**
     * Hyper-parameters, immutable: {@link #defaults()} and the {@code withX} methods.
     *
     * @param algorithm WS (one sample, the sleep q-update) or RWS (k samples)
     * @param k         RWS: samples per example (WS: 1)
     * @param qUpdate   RWS: which q-updates (WS: SLEEP)
     * @param schedule  Adam's learning rate per epoch
     * @param beta1     Adam's beta_1, beta_2 and epsilon (Kingma and Ba 2015)
     */
    public record Config(WakeSleep.Algorithm algorithm, int k, WakeSleep.QUpdate qUpdate, LearningRateSchedule schedule,
                         double beta1, double beta2, double epsilon) implements AdamTrainingTask.Settings {
        public Config {
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(qUpdate, "qUpdate");
            Objects.requireNonNull(schedule, "schedule");
            if (k < 1) throw new InputException("the number of samples k must be at least 1, got " + k);
            if (algorithm == WakeSleep.Algorithm.WS && (k != 1 || qUpdate != WakeSleep.QUpdate.SLEEP)) {
                throw new InputException("wake-sleep uses one sample and the sleep q-update; k and the q-update apply to RWS");
            }
            Adam.requireSettings(beta1, beta2, epsilon);
        }

        /** The RWS paper's: RWS with k = 5 and both q-updates, Adam(0.9, 0.999, 1e-8) at a constant 1e-3. */
        public static Config defaults() {
            return new Config(WakeSleep.Algorithm.RWS, 5, WakeSleep.QUpdate.BOTH, LearningRateSchedule.constant(1e-3, 1), 0.9, 0.999, 1e-8);
        }

        /** RWS with {@code samples} samples per example and the given q-updates. */
        public Config withReweighted(int samples, WakeSleep.QUpdate q) {
            return new Config(WakeSleep.Algorithm.RWS, samples, q, schedule, beta1, beta2, epsilon);
        }

        /** Plain wake-sleep (k = 1, the sleep q-update). */
        public Config withWakeSleep() {
            return new Config(WakeSleep.Algorithm.WS, 1, WakeSleep.QUpdate.SLEEP, schedule, beta1, beta2, epsilon);
        }

        /** Adam's learning rate per epoch (a constant schedule's length is only recorded, not compared on resume). */
        public Config withSchedule(LearningRateSchedule s) {
            return new Config(algorithm, k, qUpdate, s, beta1, beta2, epsilon);
        }

        public Config withAdam(double b1, double b2, double eps) {
            return new Config(algorithm, k, qUpdate, schedule, b1, b2, eps);
        }
    }

    private final WakeSleep trainer;

    /**
     * A task with a fresh Adam ({@link #optimizer()}; a resumed run refills it with {@link #restoreOptimizer}).
     *
     * @param data       training data: binary, or in [0, 1] and binarized per minibatch; held-out data for the
     *                   epoch-end monitor are binarized once with a fixed seed
     * @param random     the sampling stream (q and p samples)
     * @param dataRandom the stream that shuffles and (for dynamic binarization) resamples minibatches
     */
    public HelmholtzTrainingTask(HelmholtzMachine model, Config config, TrainingData data, RandomStream random,
                                 RandomStream dataRandom) {
        super(model, model.parameters(), config, requireFits(model, config, data), random, dataRandom, MONITOR_EXAMPLES);
        this.trainer = WakeSleep.of(config.algorithm(), model, config.k(), data.batchSize(), config.qUpdate());
        if (monitorValidation() != null) requireRows(model, monitorValidation());
    }

    /** Refuses k or a batch size below 1, fewer examples than a batch, and data of another width or not binary. */
    private static TrainingData requireFits(HelmholtzMachine model, Config config, TrainingData data) {
        return data.requireFits(config.k(), d -> model.requireWidth(d.features()), d -> Binarization.requireBinary(d.features(), "Helmholtz machine"));
    }

    /** Refuses rows of another width than the machine's, or not binary. */
    private static void requireRows(HelmholtzMachine model, Matrix rows) {
        model.requireWidth(rows);
        Binarization.requireBinary(rows, "Helmholtz machine");
    }

    @Override
    protected double update(Matrix batch, int epoch) {
        return -trainer.update(batch, random(), optimizer(), learningRate(epoch));
    }

    @Override
    protected Map<String, Double> monitors(int epoch) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("learning_rate", learningRate(epoch));
        if (monitorValidation() != null) {
            double[] lk = HelmholtzEstimator.logMeanWeights(model, monitorValidation(), MONITOR_K, monitorRandom(epoch),
                    HelmholtzEstimator.DEFAULT_ROWS_PER_PASS, Progress.NONE);
            m.put("heldout_log_likelihood", VaeEstimator.Summary.of(lk).mean());
        }
        return m;
    }

    /** Refills the task's Adam from a checkpoint written by {@link #snapshot}; returns this task. */
    public HelmholtzTrainingTask restoreOptimizer(ModelFile checkpoint) {
        restoreAdam(checkpoint);
        return this;
    }

    @Override
    public ModelFile snapshot(int epochsDone) {
        ModelFile.Builder b = HelmholtzFiles.builder(model, settings.algorithm(), settings.k(), settings.qUpdate(), data().train().height(),
                data().train().width());
        return snapshot(b, epochsDone, hyperParameters(settings, data().batchSize(), data().binarization()));
    }

    /**
     * The hyper-parameters a checkpoint records (a resumed run must give the same; a constant schedule's length,
     * part of "schedule", may change: compare without it, the first epoch's "learning_rate" is recorded apart).
     */
    public static Map<String, Object> hyperParameters(Config config, int batchSize, Binarization binarization) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("algorithm", config.algorithm().name().toLowerCase(Locale.ROOT));
        m.put("k", config.k());
        m.put("q_update", config.qUpdate().name().toLowerCase(Locale.ROOT));
        m.put("batch_size", batchSize);
        m.put("learning_rate", config.schedule().rate(0));
        m.put("schedule", config.schedule().describe());
        m.put("binarization", binarization.toString());
        return m;
    }
}
