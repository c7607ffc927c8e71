package dgm4j.dbm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import dgm4j.InputException;
import dgm4j.data.Dataset;
import dgm4j.io.ModelFile;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.train.MomentumTrainingTask;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingState;

/**
 * Joint training of a {@link Dbm} on a dataset as a {@link MomentumTrainingTask}: one
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
public final class DbmTrainingTask extends MomentumTrainingTask<DbmTrainer> {
    private static final int MONITOR_EXAMPLES = 1000;

    private String lastSwapReport = "";

    /**
     * @param data       training data in [0, 1], made binary as it says; held-out data for the monitors
     * @param dataRandom the stream that shuffles and (for dynamic binarization) resamples minibatches
     */
    public DbmTrainingTask(DbmTrainer trainer, TrainingData data, RandomStream dataRandom) {
        super(trainer, requireFits(trainer.dbm(), data), dataRandom, MONITOR_EXAMPLES);
        trainer.dbm().requireVisible(monitorTrain());
    }

    /** Refuses training data of another width than the DBM's visible layer. */
    private static TrainingData requireFits(Dbm dbm, TrainingData data) {
        Dataset train = data.train();
        if (train.dim() != dbm.visibleUnits()) {
            throw new InputException(train.name() + " has " + train.dim() + " columns but the DBM has " + dbm.visibleUnits() + " visible units");
        }
        return data;
    }

    /** Mean of E_q[-E] + H(q) and the reconstruction error of v from q(h1), over the rows of v. */
    private double[] monitor(Matrix v) {
        Dbm dbm = trainer().dbm();
        DbmTrainer.Config c = trainer().config();
        Dbm.Posterior q = dbm.newPosterior(v.rows());
        dbm.meanField(v, q, c.meanFieldIterations(), c.meanFieldTolerance());
        double[] bound = dbm.meanFieldBound(q);
        double mean = 0;
        for (double b : bound) mean += b / bound.length;
        Matrix reconstruction = Matrix.zeros(v.rows(), v.cols());
        Elementwise.sigmoid(dbm.layerInput(q.mu, 0, reconstruction), reconstruction);
        Elementwise.square(Elementwise.subtract(reconstruction, v, reconstruction), reconstruction);
        return new double[] {mean, Elementwise.sum(reconstruction) / ((double) v.rows() * v.cols())};
    }

    @Override
    protected Map<String, Double> monitors(int epoch) {
        Map<String, Double> m = new LinkedHashMap<>();
        double[] t = monitor(monitorTrain());
        m.put("reconstruction_error", t[1]);
        m.put("mean_field_train", t[0]);
        if (monitorValidation() != null) {
            double[] v = monitor(monitorValidation());
            m.put("mean_field_validation", v[0]);
            m.put("mean_field_gap", t[0] - v[0]);
        }
        DbmTrainer trainer = trainer();
        if (trainer.config().temperatures() > 1) {
            m.put("swap_rate", trainer.chains().meanSwapRate());
            lastSwapReport = trainer.chains().swapReport();
            trainer.chains().resetSwapCounts();
        }
        m.put("mean_field_sweeps", trainer.takeMeanFieldSweeps());
        m.put("learning_rate", (double) trainer.config().learningRate(trainer.updates()));
        return m;
    }

    /**
     * An expensive monitor (e.g. AIS and the validation data's lower bound) computed after the first epoch and then
     * every {@code everyEpochs} epochs; it receives the model and the 0-based epoch and must not use the trainer's
     * random stream (so that resumed runs stay bitwise equal).
     */
    public DbmTrainingTask withMonitor(int everyEpochs, BiFunction<Dbm, Integer, Map<String, Double>> monitor) {
        monitorEvery(everyEpochs, epoch -> monitor.apply(trainer().dbm(), epoch));
        return this;
    }

    /** Parallel tempering's exchange rates per pair of neighbouring temperatures in the last epoch ("" without). */
    public String lastSwapReport() { return lastSwapReport; }

    @Override
    public ModelFile snapshot(int epochsDone) {
        DbmTrainer trainer = trainer();
        Dbm dbm = trainer.dbm();
        ModelFile.Builder b = TrainingState.putVelocities(DbmFiles.builder(dbm, data().train().height(), data().train().width()),
                trainer.optimizer());
        if (trainer.chainsStarted()) {
            List<Matrix> states = trainer.chains().states();
            for (int l = 0; l < states.size(); l++) b.matrix("train.chains_" + l, states.get(l));
        }
        for (int l = 1; l <= dbm.hiddenLayers(); l++) b.floats("train.hidden_mean_" + l, trainer.hiddenMeans().get(l).toArray());
        return finish(putRandomStreams(b), epochsDone, Map.of("updates", trainer.updates()), hyperParameters(trainer.config(), data().batchSize()));
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
        TrainingState.restoreVelocities(checkpoint, trainer.optimizer());
        long updates = TrainingState.counter(checkpoint, "updates");
        List<Matrix> chains = null;
        if (checkpoint.hasTensor("train.chains_0")) {
            chains = new ArrayList<>();
            List<Matrix> expected = trainer.chains().states();
            for (int l = 0; l < expected.size(); l++) {
                chains.add(checkpoint.matrix("train.chains_" + l, expected.get(l).rows(), expected.get(l).cols()));
            }
        }
        trainer.restore(updates, chains);
        for (int l = 1; l <= dbm.hiddenLayers(); l++) {
            trainer.hiddenMeans().get(l).copyFrom(checkpoint.parameter("train.hidden_mean_" + l, 1, dbm.units(l)));
        }
        return TrainingState.randomStream(checkpoint, TrainingState.DATA_RANDOM);
    }
}
