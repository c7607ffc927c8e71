package dgm4j.helmholtz;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dgm4j.autodiff.Parameter;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Minibatches;
import dgm4j.io.ModelFile;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Adam;
import dgm4j.optim.LearningRateSchedule;
import dgm4j.train.TrainingState;
import dgm4j.train.TrainingTask;

/**
 * Trains a {@link HelmholtzMachine} by wake-sleep or reweighted wake-sleep ({@link WakeSleep}) with Adam, one minibatch
 * per step, under {@link dgm4j.train.TrainingRun}. The logged "loss" is -L_k on the training minibatches (k = 1 for
 * WS: a one-sample estimate of the negative ELBO). At each epoch end: "heldout_log_likelihood", L_k with k =
 * {@link #MONITOR_K} on the first {@link #MONITOR_EXAMPLES} held-out examples (binarized once), and the learning rate
 * (monitors only: nothing is decided from them).
 *
 * <p>Checkpoint tensors besides the model's ({@link HelmholtzFiles}): {@code train.adam.m.NAME},
 * {@code train.adam.v.NAME}, {@code train.random} (the sampling stream), {@code train.data_random} (shuffling and
 * dynamic binarization); metadata "training_state" holds {@code epochs_done}, {@code adam_steps} and the
 * hyper-parameters.
 */
public final class HelmholtzTrainingTask implements TrainingTask {
    public static final int MONITOR_EXAMPLES = 500;
    public static final int MONITOR_K = 50;

    private final HelmholtzMachine model;
    private final WakeSleep.Algorithm algorithm;
    private final WakeSleep trainer;
    private final Minibatches batches;
    private final Binarization binarization;
    private final Adam adam;
    private final LearningRateSchedule schedule;
    private final RandomStream random, dataRandom;
    private final Matrix monitorValidation;
    private final int imageHeight, imageWidth;
    private final Map<String, Object> provenance;
    private final List<Matrix> values;

    /**
     * @param train      training data: binary, or in [0, 1] and binarized per minibatch by {@code binarization}
     * @param validation held-out data for the epoch-end monitor (may be null); binarized once with a fixed seed
     * @param random     the sampling stream (q and p samples)
     * @param dataRandom the stream that shuffles and (for dynamic binarization) resamples minibatches
     */
    public HelmholtzTrainingTask(HelmholtzMachine model, WakeSleep.Algorithm algorithm, int k, WakeSleep.QUpdate qUpdate,
                                 int batchSize, Dataset train, Dataset validation, Binarization binarization, Adam adam,
                                 LearningRateSchedule schedule, RandomStream random, RandomStream dataRandom,
                                 Map<String, Object> provenance) {
        TrainingState.requireSamplesAndBatch(k, batchSize, train);
        model.requireWidth(train.features());
        if (binarization.kind() == Binarization.Kind.NONE) Binarization.requireBinary(train.features(), "Helmholtz machine");
        else Binarization.requireUnitRange(train.features(), train.name());
        this.model = model;
        this.algorithm = algorithm;
        this.trainer = WakeSleep.of(algorithm, model, k, batchSize, qUpdate);
        this.binarization = binarization;
        this.adam = adam;
        this.schedule = schedule;
        this.random = random;
        this.dataRandom = dataRandom;
        this.batches = new Minibatches(train, batchSize, true, binarization, dataRandom);
        this.monitorValidation = binarization.monitorFeatures(validation, MONITOR_EXAMPLES);
        if (monitorValidation != null) {
            model.requireWidth(monitorValidation);
            Binarization.requireBinary(monitorValidation, "Helmholtz machine");
        }
        this.imageHeight = train.height();
        this.imageWidth = train.width();
        this.provenance = provenance;
        this.values = model.parameters().stream().map(Parameter::value).toList();
    }

    @Override
    public int stepsPerEpoch() { return batches.batchesPerEpoch(); }

    @Override
    public double step(int epoch, int step) {
        if (!batches.next()) throw new IllegalStateException("minibatches ran out before step " + step);
        double bound = trainer.update(batches.features(), random, adam, schedule.rate(epoch));
        if (step == stepsPerEpoch() - 1 && batches.next()) throw new IllegalStateException("more minibatches than steps in the epoch");
        return -bound;
    }

    @Override
    public boolean hasStepLoss() { return true; }

    @Override
    public boolean stepIsFinite() { return TrainingTask.biasesAreFinite(values); }

    @Override
    public boolean parametersAreFinite() { return TrainingTask.allFinite(values); }

    @Override
    public Map<String, Double> endOfEpoch(int epoch) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("learning_rate", schedule.rate(epoch));
        if (monitorValidation != null) {
            // a separate stream, so that monitoring does not change the training run
            double[] lk = HelmholtzEstimator.logMeanWeights(model, monitorValidation, MONITOR_K, new RandomStream(987654321L + epoch),
                    HelmholtzEstimator.DEFAULT_ROWS_PER_PASS, dgm4j.Progress.NONE);
            m.put("heldout_log_likelihood", dgm4j.vae.VaeEstimator.Summary.of(lk).mean());
        }
        return m;
    }

    public HelmholtzMachine model() { return model; }

    @Override
    public ModelFile snapshot(int epochsDone) {
        return TrainingState.checkpoint(HelmholtzFiles.builder(model, algorithm, trainer.k(), trainer.qUpdate(), imageHeight, imageWidth), adam, random, dataRandom, epochsDone,
                hyperParameters(algorithm, trainer.k(), trainer.qUpdate(), batches.batchSize(), schedule, binarization), provenance);
    }

    /**
     * The hyper-parameters a checkpoint records (a resumed run must give the same; a constant schedule's length,
     * part of "schedule", may change: compare without it, the first epoch's "learning_rate" is recorded apart).
     */
    public static Map<String, Object> hyperParameters(WakeSleep.Algorithm algorithm, int k, WakeSleep.QUpdate qUpdate, int batchSize,
                                                      LearningRateSchedule schedule, Binarization binarization) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("algorithm", algorithm.name().toLowerCase(java.util.Locale.ROOT));
        m.put("k", k);
        m.put("q_update", qUpdate.name().toLowerCase(java.util.Locale.ROOT));
        m.put("batch_size", batchSize);
        m.put("learning_rate", schedule.rate(0));
        m.put("schedule", schedule.describe());
        m.put("binarization", binarization.toString());
        return m;
    }
}
