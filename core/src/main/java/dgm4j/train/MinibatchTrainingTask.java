package dgm4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.data.Minibatches;
import dgm4j.io.ModelFile;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * What every family's training task does the same way: one update per minibatch of the training split (shuffled, and
 * for dynamic binarization resampled, by the data stream), fixed rows of the training and held-out splits for the
 * epoch-end monitors, an optional expensive monitor every few epochs, the finiteness checks over the model's
 * parameters, and what every checkpoint holds besides the model and its optimizer: the two random streams,
 * training_state, extra tensors and metadata, and the provenance. A family's task supplies its update, its monitors
 * and its model's tensors; the maths stays in the family's package.
 */
public abstract class MinibatchTrainingTask implements TrainingTask {
    private final TrainingData data;
    private final Minibatches batches;
    private final RandomStream random;
    private final RandomStream dataRandom;
    private final int monitorExamples;
    private final Matrix monitorValidation;
    private Matrix monitorTrain;
    private final Map<String, Object> provenance;
    private final Map<String, Matrix> extraTensors = new LinkedHashMap<>();
    private final Map<String, Object> extraMetadata = new LinkedHashMap<>();
    private int extraMonitorEvery;
    private IntFunction<Map<String, Double>> extraMonitor;

    /**
     * @param data            what to train on; its held-out split (may be null) feeds the monitors
     * @param random          the model's own stream (sampling, noise), saved as {@value TrainingState#RANDOM}
     * @param dataRandom      the stream that shuffles and (for dynamic binarization) resamples minibatches, saved as
     *                        {@value TrainingState#DATA_RANDOM}
     * @param monitorExamples rows of each split kept for the monitors, binarized once
     *                        ({@link Binarization#monitorFeatures})
     */
    protected MinibatchTrainingTask(TrainingData data, RandomStream random, RandomStream dataRandom, int monitorExamples) {
        this.data = data;
        this.random = random;
        this.dataRandom = dataRandom;
        this.monitorExamples = monitorExamples;
        this.batches = new Minibatches(data.train(), data.batchSize(), true, data.binarization(), dataRandom);
        this.monitorValidation = data.binarization().monitorFeatures(data.validation(), monitorExamples);
        this.provenance = data.recordedProvenance();
    }

    /** One update from a minibatch (rows as the model takes them); returns its loss, NaN unless {@link #hasStepLoss()}. */
    protected abstract double update(Matrix batch, int epoch);

    /** The model's parameters, for the finiteness checks. */
    protected abstract List<Matrix> parameterValues();

    /** The family's own monitors at the end of a 0-based epoch (name -&gt; value), in a stable order. */
    protected abstract Map<String, Double> monitors(int epoch);

    @Override
    public final int stepsPerEpoch() { return batches.batchesPerEpoch(); }

    @Override
    public final double step(int epoch, int step) {
        if (!batches.next()) throw new IllegalStateException("minibatches ran out before step " + step);
        double loss = update(batches.features(), epoch);
        if (step == stepsPerEpoch() - 1 && batches.next()) throw new IllegalStateException("more minibatches than steps in the epoch");
        return loss;
    }

    @Override
    public final boolean stepIsFinite() { return TrainingTask.biasesAreFinite(parameterValues()); }

    @Override
    public final boolean parametersAreFinite() { return TrainingTask.allFinite(parameterValues()); }

    /** {@link #monitors}, then the expensive monitor's columns when it is due. */
    @Override
    public final Map<String, Double> endOfEpoch(int epoch) {
        Map<String, Double> m = monitors(epoch);
        if (extraMonitor != null && (epoch == 0 || (epoch + 1) % extraMonitorEvery == 0)) m.putAll(extraMonitor.apply(epoch));
        return m;
    }

    /**
     * Adds an expensive monitor (e.g. an AIS estimate) computed after the first epoch and then every {@code everyEpochs}
     * epochs; it receives the 0-based epoch and must not use the training streams (so that resumed runs stay bitwise
     * equal).
     */
    protected final void monitorEvery(int everyEpochs, IntFunction<Map<String, Double>> monitor) {
        if (everyEpochs < 1) throw new InputException("monitor interval must be at least 1 epoch, got " + everyEpochs);
        this.extraMonitorEvery = everyEpochs;
        this.extraMonitor = monitor;
    }

    /** Saves a tensor with the model in every snapshot (e.g. the data standardisation a Gaussian RBM was trained on). */
    public MinibatchTrainingTask withTensor(String name, Matrix value) {
        extraTensors.put(name, value);
        return this;
    }

    /** Saves a JSON metadata entry with the model in every snapshot (e.g. the vocabulary of a topic model). */
    public MinibatchTrainingTask withMetadata(String key, Object json) {
        extraMetadata.put(key, json);
        return this;
    }

    /** The data trained on, as the model sees them. */
    public TrainingData data() { return data; }

    /** Fixed examples of the training split used by the monitors (binarized once). */
    public Matrix monitorTrain() {
        if (monitorTrain == null) monitorTrain = data.binarization().monitorFeatures(data.train(), monitorExamples);
        return monitorTrain;
    }

    /** Fixed examples of the held-out split used by the monitors (binarized once; null without held-out data). */
    public Matrix monitorValidation() { return monitorValidation; }

    /** The model's own stream (sampling, noise). */
    protected final RandomStream random() { return random; }

    /** The stream of a monitor's sampling at the end of {@code epoch}: its own, so that monitoring does not change the run. */
    protected static RandomStream monitorRandom(int epoch) { return new RandomStream(987654321L + epoch); }

    /** The minibatches of the training split. */
    protected final Minibatches batches() { return batches; }

    /** Adds the two random streams, {@value TrainingState#RANDOM} and {@value TrainingState#DATA_RANDOM}, to a snapshot. */
    protected final ModelFile.Builder putRandomStreams(ModelFile.Builder b) {
        return b.longs(TrainingState.RANDOM, random.state()).longs(TrainingState.DATA_RANDOM, dataRandom.state());
    }

    /**
     * Completes a snapshot whose builder holds the model and the rest of its training state: training_state
     * ({@link TrainingState#entry}), the extra tensors and metadata, the provenance.
     */
    protected final ModelFile finish(ModelFile.Builder b, int epochsDone, Map<String, Object> counters,
                                     Map<String, Object> hyperParameters) {
        b.metadataJson(ModelFile.TRAINING_STATE_KEY, TrainingState.entry(epochsDone, counters, hyperParameters));
        extraTensors.forEach(b::parameter);
        extraMetadata.forEach(b::metadataJson);
        if (provenance != null) b.metadataJson(ModelFile.PROVENANCE_KEY, provenance);
        return b.build();
    }
}
