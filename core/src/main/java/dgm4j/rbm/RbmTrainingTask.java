package dgm4j.rbm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.train.MomentumTrainingTask;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingState;

/**
 * Trains an {@link Rbm} on a dataset as a {@link MomentumTrainingTask}: one {@link RbmTrainer} update per minibatch; at
 * each epoch end, the monitors of Hinton's practical guide (2010): reconstruction error, and the mean free energy of
 * training and validation examples (their gap grows when the model overfits).
 *
 * <p>Checkpoint tensors besides the model's ({@link RbmFiles}): {@code train.velocity.NAME} for each of
 * {@link Rbm#parameterNames()} (weights, visible_bias, hidden_bias, and log_variance for a Gaussian RBM),
 * {@code train.chains} (PCD),
 * {@code train.random} and {@code train.data_random} (I64 random-stream states); metadata "training_state" holds
 * {@code epochs_done} and the trainer's configuration.
 */
public final class RbmTrainingTask extends MomentumTrainingTask<RbmTrainer> {
    private static final int MONITOR_EXAMPLES = 1000;

    /**
     * @param data       training data: in [0, 1] for binarization, or as the RBM takes them with
     *                   {@link Binarization#none()} (binary for a binary RBM, real-valued for a Gaussian one); held-out
     *                   data for the free-energy gap
     * @param dataRandom the stream that shuffles and (for dynamic binarization) resamples minibatches
     */
    public RbmTrainingTask(RbmTrainer trainer, TrainingData data, RandomStream dataRandom) {
        // monitors on fixed subsets (binarized once for dynamic binarization), so that epochs are comparable; with
        // NONE the data are used as they are (binary data for a binary RBM, real values for a Gaussian one)
        super(trainer, requireFits(trainer.rbm(), data), dataRandom, MONITOR_EXAMPLES);
        if (monitorValidation() != null && data.binarization().kind() == Binarization.Kind.NONE) {
            trainer.rbm().requireVisible(monitorValidation());
        }
        if (trainer.config().centered() && trainer.visibleOffset() == null) {
            // mu = the mean of the training data (also the mean of their dynamic binarizations)
            Matrix trained = batches().data().features();   // binarized once for fixed / threshold binarization
            trainer.setVisibleOffset(Elementwise.columnSums(trained, 1f / trained.rows(), 0f, Matrix.zeros(1, trained.cols())));
        }
    }

    /** Refuses training data the RBM cannot take: the wrong width, or (unbinarized) values outside its domain. */
    private static TrainingData requireFits(Rbm rbm, TrainingData data) {
        Dataset train = data.train();
        if (data.binarization().kind() == Binarization.Kind.NONE) {
            rbm.requireVisible(train.features());     // the data go in as they are: check their values
        } else if (train.dim() != rbm.visibleUnits()) {
            throw new InputException(train.name() + " has " + train.dim() + " columns but the RBM has " + rbm.visibleUnits() + " visible units");
        }
        return data;
    }

    @Override
    protected Map<String, Double> monitors(int epoch) {
        Map<String, Double> m = new LinkedHashMap<>();
        RbmTrainer trainer = trainer();
        m.put("reconstruction_error", trainer.reconstructionError(monitorTrain()));
        double ft = mean(trainer.rbm().freeEnergy(monitorTrain(), null));
        m.put("free_energy_train", ft);
        if (monitorValidation() != null) {
            double fv = mean(trainer.rbm().freeEnergy(monitorValidation(), null));
            m.put("free_energy_validation", fv);
            m.put("free_energy_gap", fv - ft);
        }
        return m;
    }

    /**
     * An expensive monitor (e.g. the AIS log-likelihood of validation data) computed after the first epoch and then
     * every {@code everyEpochs} epochs; it receives the model and the 0-based epoch and must not use the trainer's
     * random stream (so that resumed runs stay bitwise equal).
     */
    public RbmTrainingTask withMonitor(int everyEpochs, BiFunction<Rbm, Integer, Map<String, Double>> monitor) {
        monitorEvery(everyEpochs, epoch -> monitor.apply(trainer().rbm(), epoch));
        return this;
    }

    @Override
    public ModelFile snapshot(int epochsDone) {
        RbmTrainer trainer = trainer();
        ModelFile.Builder b = RbmFiles.builder(trainer.rbm(), data().train().height(), data().train().width());
        putRandomStreams(TrainingState.putVelocities(b, trainer.optimizer()));
        if (trainer.chains() != null) b.matrix("train.chains", trainer.chains());
        if (trainer.hiddenMeanStarted()) b.floats("train.hidden_mean", trainer.hiddenMean().toArray());
        if (trainer.visibleOffset() != null) b.floats("train.visible_offset", trainer.visibleOffset().toArray());
        return finish(b, epochsDone, Map.of(), hyperParameters(trainer.config(), data().batchSize()));
    }

    /** The hyper-parameters recorded in a checkpoint's training state (a resumed run must use the same). */
    public static Map<String, Object> hyperParameters(RbmTrainer.Config config, int batchSize) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("algorithm", config.algorithm());
        m.put("learning_rate", decimal(config.learningRate()));
        if (!Float.isNaN(config.finalLearningRate())) m.put("final_learning_rate", decimal(config.finalLearningRate()));
        m.put("weight_decay", decimal(config.weightDecay()));
        m.put("momentum", List.of(decimal(config.initialMomentum()), decimal(config.finalMomentum())));
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
        TrainingState.restoreVelocities(checkpoint, trainer.optimizer());
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
        return TrainingState.randomStream(checkpoint, TrainingState.DATA_RANDOM);
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
