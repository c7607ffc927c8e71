package dgm4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dgm4j.InputException;
import dgm4j.autodiff.Parameter;
import dgm4j.data.Dataset;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Optimizer;
import dgm4j.optim.Sgd;

/**
 * What every checkpoint holds besides its model: the metadata entry "training_state" ({@code epochs_done} and the
 * hyper-parameters the run was started with) and random-stream states as I64 tensors. Resuming with other
 * hyper-parameters is refused: the result would silently differ from the uninterrupted run.
 */
public final class TrainingState {
    /** The tensors of the model's own random stream (sampling, noise) and of the data stream (shuffling, binarization). */
    public static final String RANDOM = "train.random", DATA_RANDOM = "train.data_random";
    private static final String VELOCITY = "train.velocity.";

    private TrainingState() {}

    /** The training_state entry of a checkpoint: epochs_done, then {@code counters} (e.g. adam_steps), then the hyper-parameters. */
    public static Map<String, Object> entry(int epochsDone, Map<String, Object> counters, Map<String, Object> hyperParameters) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epochs_done", epochsDone);
        state.putAll(counters);
        state.putAll(hyperParameters);
        return state;
    }

    /** Epochs completed according to a checkpoint's training state. */
    public static int epochsDone(ModelFile checkpoint) {
        return (int) counter(checkpoint, "epochs_done");
    }

    /** The checkpoint's training state (a JSON object). */
    public static Map<?, ?> state(ModelFile checkpoint) {
        Object state = checkpoint.metadataJson(ModelFile.TRAINING_STATE_KEY).orElse(null);
        if (!(state instanceof Map)) throw new ModelFileException(checkpoint.source() + ": not a checkpoint (no training_state)");
        return (Map<?, ?>) state;
    }

    /**
     * Refuses to resume unless the checkpoint's recorded hyper-parameters equal {@code now} (keys other than
     * {@code ignored}, e.g. epochs_done, must match both ways).
     */
    public static void requireSameHyperParameters(ModelFile checkpoint, Map<String, Object> now, String... ignored) {
        Map<?, ?> saved = state(checkpoint);
        List<String> skip = new ArrayList<>(List.of(ignored));
        skip.add("epochs_done");
        for (String key : now.keySet()) {
            if (!skip.contains(key) && !sameValue(now.get(key), saved.get(key))) {
                throw new InputException(checkpoint.source() + " was trained with " + key + " = " + saved.get(key)
                        + ", this command gives " + now.get(key) + ": resume with the options of the original run");
            }
        }
        for (Object key : saved.keySet()) {
            if (!skip.contains(key) && !now.containsKey(key)) {
                throw new InputException(checkpoint.source() + " was trained with " + key + " = " + saved.get(key)
                        + ", this command does not set it: resume with the options of the original run");
            }
        }
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) return ((Number) a).doubleValue() == ((Number) b).doubleValue();
        if (a instanceof List && b instanceof List) {
            List<?> x = (List<?>) a, y = (List<?>) b;
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!sameValue(x.get(i), y.get(i))) return false;
            return true;
        }
        return Objects.equals(a, b);
    }

    /** A random stream saved in a checkpoint, its length checked. */
    public static RandomStream randomStream(ModelFile checkpoint, String name) {
        long[] state = checkpoint.longs(name);
        if (state.length != 4 * RandomStream.LANES + 2) {
            throw new ModelFileException(checkpoint.source() + ": " + name + " has " + state.length + " words, expected " + (4 * RandomStream.LANES + 2));
        }
        return RandomStream.fromState(state);
    }

    /** Adds an optimizer's state buffers to a checkpoint as tensors {@code train.NAME} (e.g. train.adam.m.p_x.weight). */
    public static ModelFile.Builder putOptimizer(ModelFile.Builder b, Optimizer optimizer) {
        for (Map.Entry<String, Matrix> e : optimizer.state().entrySet()) b.parameter("train." + e.getKey(), e.getValue());
        return b;
    }

    /**
     * Refills an optimizer from a checkpoint written with {@link #putOptimizer}: its state buffers, and its step count
     * from training_state's {@code stepsKey} (e.g. "adam_steps").
     */
    public static void restoreOptimizer(ModelFile checkpoint, Optimizer optimizer, String stepsKey) {
        for (Map.Entry<String, Matrix> e : optimizer.state().entrySet()) {
            Matrix v = e.getValue();
            v.copyFrom(checkpoint.parameter("train." + e.getKey(), v.rows(), v.cols()));
        }
        optimizer.setSteps(counter(checkpoint, stepsKey));
    }

    /** A non-negative count recorded in a checkpoint's training state (e.g. adam_steps, updates). */
    public static long counter(ModelFile checkpoint, String key) {
        Object n = state(checkpoint).get(key);
        if (!(n instanceof Number) || ((Number) n).longValue() < 0) {
            throw new ModelFileException(checkpoint.source() + ": training_state has no valid " + key);
        }
        return ((Number) n).longValue();
    }

    /**
     * Completes a checkpoint of a run trained by an optimizer with two random streams: the optimizer's state
     * ({@link #putOptimizer}), {@code train.random} and {@code train.data_random}, training_state {epochs_done,
     * adam_steps (the optimizer's step count), the hyper-parameters} and the provenance (if not null).
     */
    public static ModelFile checkpoint(ModelFile.Builder b, Optimizer optimizer, RandomStream random,
                                       RandomStream dataRandom, int epochsDone, Map<String, Object> hyperParameters,
                                       Map<String, Object> provenance) {
        putOptimizer(b, optimizer);
        b.longs(RANDOM, random.state()).longs(DATA_RANDOM, dataRandom.state());
        b.metadataJson(ModelFile.TRAINING_STATE_KEY, entry(epochsDone, Map.of("adam_steps", optimizer.steps()), hyperParameters));
        if (provenance != null) b.metadataJson(ModelFile.PROVENANCE_KEY, provenance);
        return b.build();
    }

    /**
     * Adds momentum SGD's velocities as tensors train.velocity.NAME, one per parameter (the RBM and DBM checkpoints'
     * names, older than {@link #putOptimizer}).
     */
    public static ModelFile.Builder putVelocities(ModelFile.Builder b, Sgd optimizer) {
        List<Parameter> parameters = optimizer.parameters();
        for (int k = 0; k < parameters.size(); k++) b.parameter(VELOCITY + parameters.get(k).name(), optimizer.velocities().get(k));
        return b;
    }

    /** Refills momentum SGD's velocities from a checkpoint written with {@link #putVelocities}. */
    public static void restoreVelocities(ModelFile checkpoint, Sgd optimizer) {
        List<Parameter> parameters = optimizer.parameters();
        for (int k = 0; k < parameters.size(); k++) {
            Matrix v = optimizer.velocities().get(k);
            v.copyFrom(checkpoint.parameter(VELOCITY + parameters.get(k).name(), v.rows(), v.cols()));
        }
    }

    /** Refuses k &lt; 1 samples per example, a batch size &lt; 1, or fewer training examples than one batch. */
    public static void requireSamplesAndBatch(int k, int batchSize, Dataset train) {
        if (k < 1) throw new InputException("the number of samples k must be at least 1, got " + k);
        if (batchSize < 1) throw new InputException("the batch size must be at least 1, got " + batchSize);
        if (train.size() < batchSize) {
            throw new InputException(train.name() + " has " + train.size() + " examples, fewer than one batch of " + batchSize);
        }
    }

    /** A float as the double with the same shortest decimal form (0.05f is written 0.05, not 0.05000000074505806). */
    public static double decimal(float f) {
        return Double.parseDouble(Float.toString(f));
    }
}
