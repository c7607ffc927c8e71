package dgm4j.train;

import java.util.List;
import java.util.Map;

import dgm4j.io.ModelFile;
import dgm4j.math.Matrix;

/**
 * What {@link TrainingRun} needs from a model's training: steps, epoch-end monitors, a finiteness check and a snapshot.
 * Checkpoints are taken at epoch boundaries, where the whole state (parameters, optimizer state, chains, random
 * streams) is in the snapshot, so that a resumed run continues bit for bit.
 */
public interface TrainingTask {
    /** Number of steps (minibatch updates) in an epoch. */
    int stepsPerEpoch();

    /** Runs one step of epoch {@code epoch} (0-based); returns the step's loss (ignored unless {@link #hasStepLoss()}). */
    double step(int epoch, int step);

    /** True if {@link #step} returns a loss (then a NaN or infinite loss stops training). */
    default boolean hasStepLoss() { return false; }

    /** Cheap check after each step that nothing has become NaN or infinite (e.g. the biases). */
    boolean stepIsFinite();

    /** Thorough check at the end of an epoch: every parameter finite. */
    boolean parametersAreFinite();

    /** Monitors computed at the end of an epoch (name -&gt; value), in a stable order; logged and shown. */
    Map<String, Double> endOfEpoch(int epoch);

    /** The usual {@link #stepIsFinite()}: the biases (1-row parameters) finite; NaN in a weight reaches them in one step. */
    static boolean biasesAreFinite(List<Matrix> parameters) {
        for (Matrix p : parameters) if (p.rows() == 1 && p.hasNonFinite()) return false;
        return true;
    }

    /** The usual {@link #parametersAreFinite()}: every element of every parameter finite. */
    static boolean allFinite(List<Matrix> parameters) {
        for (Matrix p : parameters) if (p.hasNonFinite()) return false;
        return true;
    }

    /** The model and its complete training state after {@code epochsDone} epochs, as a model file. */
    ModelFile snapshot(int epochsDone);
}
