package dgm4j.rbm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Minibatches;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingState;
import dgm4j.train.TrainingTask;

/**
 * Trains an {@link Rbm} on a dataset through the shared {@link dgm4j.train.TrainingRun}: one step per minibatch; at
 * each epoch end, the monitors of Hinton's practical guide (2010): reconstruction error, and the mean free energy of
 * training and validation examples (their gap grows when the model overfits).
 *
 * <p>Checkpoint tensors besides the model's ({@link RbmFiles}): {@code train.velocity.NAME} for each of
 * {@link Rbm#parameterNames()} (weights, visible_bias, hidden_bias, and log_variance for a Gaussian RBM),
 * {@code train.chains} (PCD),
 * {@code train.random} and {@code train.data_random} (I64 random-stream states); metadata "training_state" holds
 * {@code epochs_done} and the trainer's configuration.
 */
public final class RbmTrainingTask implements TrainingTask {
    private static final int MONITOR_EXAMPLES = 1000;

    private final RbmTrainer trainer;
    private final TrainingData data;
    private final Minibatches batches;
    private final RandomStream dataRandom;
    private final Matrix monitorTrain;
    private final Matrix monitorValidation;
    private final int imageHeight;
    private final int imageWidth;
    private final Map<String, Object> provenance;
    private final Map<String, Matrix> extraTensors = new LinkedHashMap<>();
    private final Map<String, Object> extraMetadata = new LinkedHashMap<>();
    private int extraMonitorEvery;
    private java.util.function.BiFunction<Rbm, Integer, Map<String, Double>> extraMonitor;

    /**
     * @param data       training data: in [0, 1] for binarization, or as the RBM takes them with
     *                   {@link Binarization#none()} (binary for a binary RBM, real-valued for a Gaussian one); held-out
     *                   data for the free-energy gap
     * @param dataRandom the stream that shuffles and (for dynamic binarization) resamples minibatches
     */
    public RbmTrainingTask(RbmTrainer trainer, TrainingData data, RandomStream dataRandom) {
        Dataset train = data.train(), validation = data.validation();
        Binarization binarization = data.binarization();
        this.trainer = trainer;
        this.data = data;
        if (binarization.kind() == Binarization.Kind.NONE) {
            trainer.rbm().requireVisible(train.features());     // the data go in as they are: check their values
        } else if (train.dim() != trainer.rbm().visibleUnits()) {
            throw new dgm4j.InputException(train.name() + " has " + train.dim() + " columns but the RBM has "
                    + trainer.rbm().visibleUnits() + " visible units");
        }
        this.dataRandom = dataRandom;
        this.batches = new Minibatches(train, data.batchSize(), true, binarization, dataRandom);
        // monitors on fixed subsets (binarized once for dynamic binarization), so that epochs are comparable; with
        // NONE the data are used as they are (binary data for a binary RBM, real values for a Gaussian one)
        this.monitorTrain = binarization.monitorFeatures(train, MONITOR_EXAMPLES);
        this.monitorValidation = binarization.monitorFeatures(validation, MONITOR_EXAMPLES);
        if (monitorValidation != null && binarization.kind() == Binarization.Kind.NONE) {
            trainer.rbm().requireVisible(monitorValidation);
        }
        if (trainer.config().centered() && trainer.visibleOffset() == null) {
            // mu = the mean of the training data (also the mean of their dynamic binarizations)
            Matrix trained = batches.data().features();   // binarized once for fixed / threshold binarization
            trainer.setVisibleOffset(dgm4j.math.Elementwise.columnSums(trained, 1f / trained.rows(), 0f,
                    Matrix.zeros(1, trained.cols())));
        }
        this.imageHeight = train.height();
        this.imageWidth = train.width();
        this.provenance = data.recordedProvenance();
    }

    @Override
    public int stepsPerEpoch() {
        return batches.batchesPerEpoch();
    }

    @Override
    public double step(int epoch, int step) {
        if (!batches.next()) throw new IllegalStateException("minibatches ran out before step " + step);
        trainer.update(batches.features(), epoch);
        if (step == stepsPerEpoch() - 1 && batches.next()) {
            throw new IllegalStateException("more minibatches than steps in the epoch");
        }
        return Double.NaN;
    }

    @Override
    public boolean stepIsFinite() {
        return TrainingTask.biasesAreFinite(trainer.rbm().parameters());
    }

    @Override
    public boolean parametersAreFinite() {
        return TrainingTask.allFinite(trainer.rbm().parameters());
    }

    @Override
    public Map<String, Double> endOfEpoch(int epoch) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("reconstruction_error", trainer.reconstructionError(monitorTrain));
        double ft = mean(trainer.rbm().freeEnergy(monitorTrain, null));
        m.put("free_energy_train", ft);
        if (monitorValidation != null) {
            double fv = mean(trainer.rbm().freeEnergy(monitorValidation, null));
            m.put("free_energy_validation", fv);
            m.put("free_energy_gap", fv - ft);
        }
        if (extraMonitor != null && (epoch == 0 || (epoch + 1) % extraMonitorEvery == 0)) {
            m.putAll(extraMonitor.apply(trainer.rbm(), epoch));
        }
        return m;
    }

    /**
     * An expensive monitor (e.g. the AIS log-likelihood of validation data) computed after the first epoch and then
     * every {@code everyEpochs} epochs; it receives the model and the 0-based epoch and must not use the trainer's
     * random stream (so that resumed runs stay bitwise equal).
     */
    public RbmTrainingTask withMonitor(int everyEpochs, java.util.function.BiFunction<Rbm, Integer, Map<String, Double>> monitor) {
        if (everyEpochs < 1) throw new dgm4j.InputException("monitor interval must be at least 1 epoch, got " + everyEpochs);
        this.extraMonitorEvery = everyEpochs;
        this.extraMonitor = monitor;
        return this;
    }

    /** Saves a tensor with the model in every snapshot (e.g. the data standardisation a Gaussian RBM was trained on). */
    public RbmTrainingTask withTensor(String name, Matrix value) {
        extraTensors.put(name, value);
        return this;
    }

    /** Saves a JSON metadata entry with the model in every snapshot (e.g. the vocabulary of a topic model). */
    public RbmTrainingTask withMetadata(String key, Object json) {
        extraMetadata.put(key, json);
        return this;
    }

    /** Fixed examples of the training split used by the monitors (binary for binary RBMs). */
    public Matrix monitorTrain() { return monitorTrain; }

    public RbmTrainer trainer() { return trainer; }

    /** The data trained on, as the model sees them (standardised for a Gaussian RBM). */
    public TrainingData data() { return data; }

    /** Fixed binary examples of the validation split used by the monitors (null without validation data). */
    public Matrix monitorValidation() { return monitorValidation; }

    @Override
    public ModelFile snapshot(int epochsDone) {
        ModelFile.Builder b = RbmFiles.builder(trainer.rbm(), imageHeight, imageWidth);
        List<String> names = trainer.rbm().parameterNames();
        for (int k = 0; k < names.size(); k++) RbmFiles.put(b, "train.velocity." + names.get(k), trainer.velocities().get(k));
        b.longs("train.random", trainer.random().state())
                .longs("train.data_random", dataRandom.state());
        if (trainer.chains() != null) b.matrix("train.chains", trainer.chains());
        if (trainer.hiddenMeanStarted()) b.floats("train.hidden_mean", trainer.hiddenMean().toArray());
        if (trainer.visibleOffset() != null) b.floats("train.visible_offset", trainer.visibleOffset().toArray());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epochs_done", epochsDone);
        state.putAll(hyperParameters(trainer.config(), batches.batchSize()));
        b.metadataJson(ModelFile.TRAINING_STATE_KEY, state);
        for (Map.Entry<String, Matrix> e : extraTensors.entrySet()) RbmFiles.put(b, e.getKey(), e.getValue());
        for (Map.Entry<String, Object> e : extraMetadata.entrySet()) b.metadataJson(e.getKey(), e.getValue());
        if (provenance != null) b.metadataJson(ModelFile.PROVENANCE_KEY, provenance);
        return b.build();
    }

    /** The hyper-parameters recorded in a checkpoint's training state (a resumed run must use the same). */
    public static Map<String, Object> hyperParameters(RbmTrainer.Config config, int batchSize) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("algorithm", config.algorithm());
        m.put("learning_rate", decimal(config.learningRate()));
        if (!Float.isNaN(config.finalLearningRate())) m.put("final_learning_rate", decimal(config.finalLearningRate()));
        m.put("weight_decay", decimal(config.weightDecay()));
        m.put("momentum", java.util.List.of(decimal(config.initialMomentum()), decimal(config.finalMomentum())));
        m.put("batch_size", batchSize);
        if (!Float.isNaN(config.sparsityTarget())) {
            m.put("sparsity_target", decimal(config.sparsityTarget()));
            m.put("sparsity_cost", decimal(config.sparsityCost()));
        }
        if (config.centered()) m.put("centered", true);
        return m;
    }

    /**
     * Restores the trainer's optimizer state, chains and random streams from a checkpoint written by
     * {@link #snapshot}; returns the data stream's restored state for the caller to build the task with.
     */
    public static RandomStream restore(ModelFile checkpoint, RbmTrainer trainer) {
        Rbm rbm = trainer.rbm();
        List<String> names = rbm.parameterNames();
        for (int k = 0; k < names.size(); k++) {
            Matrix v = trainer.velocities().get(k);
            v.copyFrom(RbmFiles.get(checkpoint, "train.velocity." + names.get(k), v.rows(), v.cols()));
        }
        if (checkpoint.hasTensor("train.chains")) {
            Matrix chains = checkpoint.matrix("train.chains");
            int expected = trainer.config().chains();
            if (chains.cols() != rbm.visibleUnits() || (expected > 0 && chains.rows() != expected)) {
                throw new ModelFileException(checkpoint.source() + ": train.chains is " + chains.shape() + ", expected "
                        + (expected > 0 ? expected : "batch-size") + "x" + rbm.visibleUnits());
            }
            trainer.setChains(chains);
        }
        if (checkpoint.hasTensor("train.hidden_mean")) {
            float[] q = checkpoint.floats("train.hidden_mean");
            if (q.length != rbm.hiddenUnits()) {
                throw new ModelFileException(checkpoint.source() + ": train.hidden_mean has " + q.length + " values, expected " + rbm.hiddenUnits());
            }
            trainer.restoreHiddenMean(q, true);
        }
        if (checkpoint.hasTensor("train.visible_offset")) {
            trainer.setVisibleOffset(RbmFiles.get(checkpoint, "train.visible_offset", 1, rbm.visibleUnits()));
        }
        return TrainingState.randomStream(checkpoint, "train.data_random");
    }

    private static double decimal(float f) {
        return TrainingState.decimal(f);
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }
}
