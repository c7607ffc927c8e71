package dgm4j.vae;

import java.util.LinkedHashMap;
import java.util.Map;

import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
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
 * Trains a {@link VariationalAutoencoder} by maximising the VAE or IWAE bound with Adam (Burda et al. 2016, sec. 5),
 * one minibatch per step, under {@link dgm4j.train.TrainingRun}. The step's graph (batch x k samples) is recorded once
 * and replayed. The logged "loss" is -L (the negative training bound, averaged over the epoch's minibatches); at each
 * epoch end: "heldout_bound", L_k with the training k on the first 1000 held-out examples (binarized once), the
 * active units there, and the learning rate (monitors only: nothing is decided from them).
 *
 * <p>Checkpoint tensors besides the model's ({@link VaeFiles}): {@code train.adam.m.NAME}, {@code train.adam.v.NAME},
 * {@code train.random} (the noise stream), {@code train.data_random} (shuffling and dynamic binarization); metadata
 * "training_state" holds {@code epochs_done}, {@code adam_steps} and the hyper-parameters.
 */
public final class VaeTrainingTask implements TrainingTask {
    private static final int MONITOR_EXAMPLES = 1000;

    private final VariationalAutoencoder model;
    private final VariationalAutoencoder.Objective objective;
    private final int k;
    private final Minibatches batches;
    private final Binarization binarization;
    private final Adam adam;
    private final LearningRateSchedule schedule;
    private final RandomStream random;
    private final RandomStream dataRandom;
    private final Matrix monitorValidation;
    private final int imageHeight, imageWidth;
    private final Map<String, Object> provenance;
    private final Graph graph = new Graph();
    private final VariationalAutoencoder.LogWeights weights;
    private final Node bound;
    private final Node loss;
    private final Matrix[] biases;

    /**
     * @param train        training data, in [0, 1] (binarized per minibatch by {@code binarization}) or as the output
     *                     distribution takes them with {@link Binarization#none()}
     * @param validation   held-out data for the epoch-end monitors (may be null); binarized once with a fixed seed
     * @param random       the noise stream (reparameterisation samples)
     * @param dataRandom   the stream that shuffles and (for dynamic binarization) resamples minibatches
     */
    public VaeTrainingTask(VariationalAutoencoder model, VariationalAutoencoder.Objective objective, int k, int batchSize,
                           Dataset train, Dataset validation, Binarization binarization, Adam adam,
                           LearningRateSchedule schedule, RandomStream random, RandomStream dataRandom,
                           Map<String, Object> provenance) {
        TrainingState.requireSamplesAndBatch(k, batchSize, train);
        model.requireWidth(train.features());
        this.binarization = binarization;
        if (binarization.kind() == Binarization.Kind.NONE) model.requireSupportedValues(train.features(), train.name());
        else Binarization.requireUnitRange(train.features(), train.name());
        this.model = model;
        this.objective = objective;
        this.k = k;
        this.adam = adam;
        this.schedule = schedule;
        this.random = random;
        this.dataRandom = dataRandom;
        this.batches = new Minibatches(train, batchSize, true, binarization, dataRandom);
        this.monitorValidation = binarization.monitorFeatures(validation, MONITOR_EXAMPLES);
        if (monitorValidation != null) {
            model.requireWidth(monitorValidation);
            model.requireSupportedValues(monitorValidation, validation.name());
        }
        this.imageHeight = train.height();
        this.imageWidth = train.width();
        this.provenance = provenance;
        this.weights = model.logWeights(graph, batchSize, k);
        this.bound = VariationalAutoencoder.bound(graph, weights, objective);
        this.loss = graph.scale(bound, -1f);
        this.biases = model.parameters().stream().filter(p -> p.value().rows() == 1).map(Parameter::value).toArray(Matrix[]::new);
    }

    @Override
    public int stepsPerEpoch() { return batches.batchesPerEpoch(); }

    @Override
    public double step(int epoch, int step) {
        if (!batches.next()) throw new IllegalStateException("minibatches ran out before step " + step);
        weights.x().value().copyFrom(batches.features());
        weights.fillNoise(random);
        graph.forward();
        graph.backward(loss);
        adam.step(schedule.rate(epoch));
        if (step == stepsPerEpoch() - 1 && batches.next()) throw new IllegalStateException("more minibatches than steps in the epoch");
        return loss.value().get(0, 0);
    }

    @Override
    public boolean hasStepLoss() { return true; }

    @Override
    public boolean stepIsFinite() {
        for (Matrix b : biases) if (b.hasNonFinite()) return false;
        return true;
    }

    @Override
    public boolean parametersAreFinite() {
        for (Parameter p : model.parameters()) if (p.value().hasNonFinite()) return false;
        return true;
    }

    @Override
    public Map<String, Double> endOfEpoch(int epoch) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("learning_rate", schedule.rate(epoch));
        if (monitorValidation != null) {
            // a separate stream, so that monitoring does not change the training run
            RandomStream monitorRandom = new RandomStream(987654321L + epoch);
            double[] lk = VaeEstimator.logMeanWeights(model, monitorValidation, k, monitorRandom,
                    VaeEstimator.DEFAULT_ROWS_PER_PASS, dgm4j.Progress.NONE);
            m.put("heldout_bound", VaeEstimator.Summary.of(lk).mean());
            int[] active = VaeEstimator.activeUnits(VaeEstimator.posteriorMeanVariances(model, monitorValidation, 1, monitorRandom), 0.01);
            for (int l = 0; l < active.length; l++) m.put("active_units_h" + (l + 1), (double) active[l]);
        }
        return m;
    }

    public VariationalAutoencoder model() { return model; }

    public Adam optimizer() { return adam; }

    @Override
    public ModelFile snapshot(int epochsDone) {
        return TrainingState.checkpoint(VaeFiles.builder(model, objective, k, imageHeight, imageWidth), adam, random, dataRandom, epochsDone,
                hyperParameters(objective, k, batches.batchSize(), schedule, binarization), provenance);
    }

    /** The hyper-parameters a checkpoint records (a resumed run must give the same). */
    public static Map<String, Object> hyperParameters(VariationalAutoencoder.Objective objective, int k, int batchSize,
                                                      LearningRateSchedule schedule, Binarization binarization) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("objective", objective.name().toLowerCase());
        m.put("k", k);
        m.put("batch_size", batchSize);
        m.put("schedule", schedule.describe());
        m.put("binarization", binarization.toString());
        return m;
    }

    /** Refills Adam's state from a checkpoint written by {@link #snapshot}; returns the saved noise stream. */
    public static RandomStream restoreOptimizer(ModelFile checkpoint, Adam adam) {
        TrainingState.restoreOptimizer(checkpoint, adam, "adam_steps");
        return TrainingState.randomStream(checkpoint, "train.random");
    }
}
