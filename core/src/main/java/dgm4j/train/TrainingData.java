package dgm4j.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.math.Matrix;

/**
 * What a training task learns from and records, the same for every family: the training set, held-out data for the
 * epoch-end monitors (may be null), the minibatch size, how minibatches are made binary ({@link Binarization#none()}
 * for data the model takes as they are) and the provenance saved in every file (may be null).
 */
public record TrainingData(Dataset train, Dataset validation, int batchSize, Binarization binarization,
                           Map<String, Object> provenance) {
    public TrainingData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(binarization, "binarization");
        if (batchSize < 1) throw new InputException("the batch size must be at least 1, got " + batchSize);
        if (provenance != null) provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** {@code train} in minibatches of {@code batchSize}, binarized afresh for every minibatch; no held-out data. */
    public static TrainingData of(Dataset train, int batchSize) {
        return new TrainingData(train, null, batchSize, Binarization.dynamic(), null);
    }

    /** Held-out data for the monitors (null: none). */
    public TrainingData withValidation(Dataset heldOut) {
        return new TrainingData(train, heldOut, batchSize, binarization, provenance);
    }

    public TrainingData withBinarization(Binarization b) {
        return new TrainingData(train, validation, batchSize, b, provenance);
    }

    /** Entries saved in every file (dataset, seed, command line, ...). */
    public TrainingData withProvenance(Map<String, Object> entries) {
        return new TrainingData(train, validation, batchSize, binarization, entries);
    }

    /** The same batches and provenance over other training and held-out sets (e.g. standardised ones). */
    public TrainingData withSets(Dataset newTrain, Dataset newValidation) {
        return new TrainingData(newTrain, newValidation, batchSize, binarization, provenance);
    }

    /**
     * Refuses what a directed model cannot learn from, before any work: fewer than one sample per example or a batch
     * larger than the training set ({@link TrainingState#requireSamplesAndBatch}), training data of another shape
     * ({@code shape}: width, image size), and values outside the model's range: data taken as they are (no
     * binarization) must pass {@code values}, data to binarize must lie in [0, 1]. Returns this.
     */
    public TrainingData requireFits(int samples, Consumer<Dataset> shape, Consumer<Dataset> values) {
        TrainingState.requireSamplesAndBatch(samples, batchSize, train);
        shape.accept(train);
        if (binarization.kind() == Binarization.Kind.NONE) values.accept(train);
        else Binarization.requireUnitRange(train.features(), train.name());
        return this;
    }

    /** What saved files record: the provenance given and the binarization (null without provenance). */
    public Map<String, Object> recordedProvenance() {
        if (provenance == null) return null;
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        p.put("binarization", binarization.toString());
        return p;
    }

    /** The training rows as the model sees them, binarized once with {@code seed} (as they are without binarization). */
    public Matrix fixedTrainRows(long seed) {
        return binarization.kind() == Binarization.Kind.NONE ? train.features() : Binarization.fixed(seed).apply(train).features();
    }
}
