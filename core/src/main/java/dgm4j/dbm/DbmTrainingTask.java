package dgm4j.dbm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Minibatches;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingState;
import dgm4j.train.TrainingTask;

/**
 * Joint training of a {@link Dbm} on a dataset through the shared {@link dgm4j.train.TrainingRun}: one
 * {@link DbmTrainer} update per minibatch; at each epoch end, monitors on fixed subsets of the training and validation
 * data: the mean-field value E_q[-E(v, h)] + H(q) (the log-probability bound before ln Z is subtracted: its
 * train-validation gap grows when the model overfits), the reconstruction error of v from q(h1), the mean-field sweeps
 * per minibatch, and the exchange rate of parallel tempering.
 *
 * <p>Checkpoint tensors besides the model's ({@link DbmFiles}): {@code train.velocity.NAME} for each of
 * {@link Dbm#parameterNames()}, {@code train.chains_l} (the persistent chains' layer l, K M rows),
 * {@code train.hidden_mean_l} (sparsity), {@code train.random} and {@code train.data_random}; metadata
 * "training_state" holds {@code epochs_done}, {@code updates} and the hyper-parameters.
 */
public final class DbmTrainingTask implements TrainingTask {
    private static final int MONITOR_EXAMPLES = 1000;

    private final DbmTrainer trainer;
    private final TrainingData data;
    private final Minibatches batches;
    private final RandomStream dataRandom;
    private final Matrix monitorTrain;
    private final Matrix monitorValidation;
    private final int imageHeight;
    private final int imageWidth;
    private final Map<String, Object> provenance;
    private String lastSwapReport = "";
    private int extraMonitorEvery;
    private java.util.function.BiFunction<Dbm, Integer, Map<String, Double>> extraMonitor;

    /**
     * @param data       training data in [0, 1], made binary as it says; held-out data for the monitors
     * @param dataRandom the stream that shuffles and (for dynamic binarization) resamples minibatches
     */
    public DbmTrainingTask(DbmTrainer trainer, TrainingData data, RandomStream dataRandom) {
        Dataset train = data.train(), validation = data.validation();
        Binarization binarization = data.binarization();
        this.trainer = trainer;
        this.data = data;
        if (train.dim() != trainer.dbm().visibleUnits()) {
            throw new InputException(train.name() + " has " + train.dim() + " columns but the DBM has " + trainer.dbm().visibleUnits() + " visible units");
        }
        this.dataRandom = dataRandom;
        this.batches = new Minibatches(train, data.batchSize(), true, binarization, dataRandom);
        this.monitorTrain = binarization.monitorFeatures(train, MONITOR_EXAMPLES);
        this.monitorValidation = binarization.monitorFeatures(validation, MONITOR_EXAMPLES);
        trainer.dbm().requireVisible(monitorTrain);
        this.imageHeight = train.height();
        this.imageWidth = train.width();
        this.provenance = data.recordedProvenance();
    }

    @Override
    public int stepsPerEpoch() { return batches.batchesPerEpoch(); }

    @Override
    public double step(int epoch, int step) {
        if (!batches.next()) throw new IllegalStateException("minibatches ran out before step " + step);
        trainer.update(batches.features(), epoch);
        if (step == stepsPerEpoch() - 1 && batches.next()) throw new IllegalStateException("more minibatches than steps in the epoch");
        return Double.NaN;
    }

    @Override
    public boolean stepIsFinite() {
        return TrainingTask.biasesAreFinite(trainer.dbm().parameters());
    }

    @Override
    public boolean parametersAreFinite() {
        return TrainingTask.allFinite(trainer.dbm().parameters());
    }

    /** Mean of E_q[-E] + H(q) and the reconstruction error of v from q(h1), over the rows of v. */
    private double[] monitor(Matrix v) {
        Dbm dbm = trainer.dbm();
        Dbm.Posterior q = dbm.newPosterior(v.rows());
        dbm.meanField(v, q, trainer.config().meanFieldIterations(), trainer.config().meanFieldTolerance());
        double[] bound = dbm.meanFieldBound(q);
        double mean = 0;
        for (double b : bound) mean += b / bound.length;
        Matrix reconstruction = Matrix.zeros(v.rows(), v.cols());
        Elementwise.sigmoid(dbm.layerInput(q.mu, 0, reconstruction), reconstruction);
        Elementwise.square(Elementwise.subtract(reconstruction, v, reconstruction), reconstruction);
        return new double[] {mean, Elementwise.sum(reconstruction) / ((double) v.rows() * v.cols())};
    }

    @Override
    public Map<String, Double> endOfEpoch(int epoch) {
        Map<String, Double> m = new LinkedHashMap<>();
        double[] t = monitor(monitorTrain);
        m.put("reconstruction_error", t[1]);
        m.put("mean_field_train", t[0]);
        if (monitorValidation != null) {
            double[] v = monitor(monitorValidation);
            m.put("mean_field_validation", v[0]);
            m.put("mean_field_gap", t[0] - v[0]);
        }
        if (trainer.config().temperatures() > 1) {
            m.put("swap_rate", trainer.chains().meanSwapRate());
            lastSwapReport = trainer.chains().swapReport();
            trainer.chains().resetSwapCounts();
        }
        m.put("mean_field_sweeps", trainer.takeMeanFieldSweeps());
        m.put("learning_rate", (double) trainer.config().learningRate(trainer.updates()));
        if (extraMonitor != null && (epoch == 0 || (epoch + 1) % extraMonitorEvery == 0)) m.putAll(extraMonitor.apply(trainer.dbm(), epoch));
        return m;
    }

    /**
     * An expensive monitor (e.g. AIS and the validation data's lower bound) computed after the first epoch and then
     * every {@code everyEpochs} epochs; it receives the model and the 0-based epoch and must not use the trainer's
     * random stream (so that resumed runs stay bitwise equal).
     */
    public DbmTrainingTask withMonitor(int everyEpochs, java.util.function.BiFunction<Dbm, Integer, Map<String, Double>> monitor) {
        if (everyEpochs < 1) throw new InputException("monitor interval must be at least 1 epoch, got " + everyEpochs);
        this.extraMonitorEvery = everyEpochs;
        this.extraMonitor = monitor;
        return this;
    }

    /** Parallel tempering's exchange rates per pair of neighbouring temperatures in the last epoch ("" without). */
    public String lastSwapReport() { return lastSwapReport; }

    /** Fixed binary examples of the validation split used by the monitors (null without validation data). */
    public Matrix monitorValidation() { return monitorValidation; }

    public Matrix monitorTrain() { return monitorTrain; }

    public DbmTrainer trainer() { return trainer; }

    /** The data trained on. */
    public TrainingData data() { return data; }

    @Override
    public ModelFile snapshot(int epochsDone) {
        Dbm dbm = trainer.dbm();
        ModelFile.Builder b = DbmFiles.builder(dbm, imageHeight, imageWidth);
        List<String> names = dbm.parameterNames();
        for (int k = 0; k < names.size(); k++) b.parameter("train.velocity." + names.get(k), trainer.velocities().get(k));
        if (trainer.chainsStarted()) {
            List<Matrix> states = trainer.chains().states();
            for (int l = 0; l < states.size(); l++) b.matrix("train.chains_" + l, states.get(l));
        }
        for (int l = 1; l <= dbm.hiddenLayers(); l++) b.floats("train.hidden_mean_" + l, trainer.hiddenMeans().get(l).toArray());
        b.longs("train.random", trainer.random().state()).longs("train.data_random", dataRandom.state());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epochs_done", epochsDone);
        state.put("updates", trainer.updates());
        state.putAll(hyperParameters(trainer.config(), batches.batchSize()));
        b.metadataJson(ModelFile.TRAINING_STATE_KEY, state);
        if (provenance != null) b.metadataJson(ModelFile.PROVENANCE_KEY, provenance);
        return b.build();
    }

    /** The hyper-parameters recorded in a checkpoint's training state (a resumed run must use the same). */
    public static Map<String, Object> hyperParameters(DbmTrainer.Config c, int batchSize) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("algorithm", "stochastic approximation, " + c.chains() + " chains, " + c.gibbsSteps() + " Gibbs sweeps"
                + (c.temperatures() > 1 ? ", parallel tempering over " + c.temperatures() + " temperatures down to " + c.minimumBeta() : ""));
        m.put("learning_rate", TrainingState.decimal(c.learningRate()));
        m.put("learning_rate_decay", c.learningRateTimeConstant() > 0 ? "1/(1+t/" + c.learningRateTimeConstant() + ")" : "/" + c.learningRateDecay());
        m.put("weight_decay", TrainingState.decimal(c.weightDecay()));
        m.put("momentum", List.of(TrainingState.decimal(c.initialMomentum()), TrainingState.decimal(c.finalMomentum())));
        m.put("mean_field_iterations", c.meanFieldIterations());
        m.put("batch_size", batchSize);
        if (c.sparsityTargets() != null) {
            List<Object> targets = new ArrayList<>();
            for (float t : c.sparsityTargets()) targets.add(Float.isNaN(t) ? "none" : TrainingState.decimal(t));
            m.put("sparsity_targets", targets);
            m.put("sparsity_cost", TrainingState.decimal(c.sparsityCost()));
        }
        return m;
    }

    /**
     * Restores the trainer's velocities, update count, chains and sparsity means from a checkpoint written by
     * {@link #snapshot}; returns the data stream's restored state for the caller to build the task with.
     */
    public static RandomStream restore(ModelFile checkpoint, DbmTrainer trainer) {
        Dbm dbm = trainer.dbm();
        List<String> names = dbm.parameterNames();
        for (int k = 0; k < names.size(); k++) {
            Matrix v = trainer.velocities().get(k);
            v.copyFrom(checkpoint.parameter("train.velocity." + names.get(k), v.rows(), v.cols()));
        }
        Object state = checkpoint.metadataJson(ModelFile.TRAINING_STATE_KEY).orElse(null);
        Object updates = state instanceof Map ? ((Map<?, ?>) state).get("updates") : null;
        if (!(updates instanceof Number) || ((Number) updates).longValue() < 0) {
            throw new ModelFileException(checkpoint.source() + ": training_state has no valid update count");
        }
        List<Matrix> chains = null;
        if (checkpoint.hasTensor("train.chains_0")) {
            chains = new ArrayList<>();
            List<Matrix> expected = trainer.chains().states();
            for (int l = 0; l < expected.size(); l++) {
                chains.add(checkpoint.matrix("train.chains_" + l, expected.get(l).rows(), expected.get(l).cols()));
            }
        }
        trainer.restore(((Number) updates).longValue(), chains);
        for (int l = 1; l <= dbm.hiddenLayers(); l++) {
            trainer.hiddenMeans().get(l).copyFrom(checkpoint.parameter("train.hidden_mean_" + l, 1, dbm.units(l)));
        }
        return TrainingState.randomStream(checkpoint, "train.data_random");
    }
}
