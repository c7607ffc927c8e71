package dgm4j.rbm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Standardization;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;
import dgm4j.math.Matrix;

/**
 * RBMs in model files (kind "rbm"). Tensor names, readable by any safetensors reader:
 * <ul>
 *   <li>{@code weights}: W, F32 [visible, hidden]</li>
 *   <li>{@code visible_bias}: b, F32 [visible]</li>
 *   <li>{@code hidden_bias}: a, F32 [hidden]</li>
 *   <li>{@code log_variance}: z = ln sigma^2, F32 [visible] (Gaussian visibles only)</li>
 * </ul>
 * Config: {@code {"visible": D, "hidden": F, "visible_type": "bernoulli", "image_height": h, "image_width": w}};
 * a Gaussian RBM has {@code "visible_type": "gaussian"} and {@code "learn_variance": true/false}.
 * Other visible types add their own parameters under the names {@link Rbm#parameterNames()} gives.
 * Checkpoints add {@code train.*} tensors (momentum velocities, persistent chains, random-stream states) and a
 * "training_state" metadata entry; see {@link RbmTrainingTask}.
 */
public final class RbmFiles {
    public static final String WEIGHTS = "weights";
    public static final String VISIBLE_BIAS = "visible_bias";
    public static final String HIDDEN_BIAS = "hidden_bias";
    public static final String LOG_VARIANCE = "log_variance";
    public static final String LEARN_VARIANCE = "learn_variance";
    /** Column means and standard deviations of the training data a Gaussian RBM was trained on (F32 [visible]). */
    public static final String DATA_MEAN = "data_mean";
    public static final String DATA_STD = "data_std";
    /** Metadata key: the words of a replicated softmax model's vocabulary, a JSON array in column order. */
    public static final String VOCABULARY = "vocabulary";

    /** The vocabulary stored with a word-count model, or null. */
    public static List<String> vocabulary(ModelFile file) {
        Object v = file.metadataJson(VOCABULARY).orElse(null);
        if (v == null) return null;
        if (!(v instanceof List)) throw new ModelFileException(file.source() + ": metadata \"vocabulary\" is not a JSON array");
        List<String> words = new ArrayList<>();
        for (Object w : (List<?>) v) {
            if (!(w instanceof String)) throw new ModelFileException(file.source() + ": metadata \"vocabulary\" holds a non-string " + w);
            words.add((String) w);
        }
        return words;
    }

    /** The standardisation stored with a model, or null if it has none. */
    public static Standardization standardization(ModelFile file, int visible) {
        if (!file.hasTensor(DATA_MEAN) || !file.hasTensor(DATA_STD)) return null;
        return Standardization.of(get(file, DATA_MEAN, 1, visible), get(file, DATA_STD, 1, visible));
    }

    /**
     * Rows of {@code data} as the RBM of {@code file} takes them: standardised as the file records for Gaussian units
     * (as they are if it records nothing), otherwise binarized by {@code binarization} (none: as they are).
     */
    public static Matrix modelRows(ModelFile file, Rbm rbm, Dataset data, Binarization binarization) {
        if (!(rbm instanceof GaussianRbm)) return binarization.apply(data).features();
        Standardization s = standardization(file, rbm.visibleUnits());
        return s == null ? data.features() : s.apply(data.features());
    }

    private RbmFiles() {}

    /** A builder holding the model's tensors and config; callers may add training state and provenance. */
    public static ModelFile.Builder builder(Rbm rbm, int imageHeight, int imageWidth) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("visible", rbm.visibleUnits());
        config.put("hidden", rbm.hiddenUnits());
        config.put("visible_type", rbm.visibleType());
        config.put("image_height", imageHeight);
        config.put("image_width", imageWidth);
        if (rbm instanceof GaussianRbm g) config.put(LEARN_VARIANCE, g.learnsVariance());
        ModelFile.Builder b = ModelFile.builder(Rbm.KIND).config(config);
        List<Matrix> parameters = rbm.parameters();
        List<String> names = rbm.parameterNames();
        for (int k = 0; k < parameters.size(); k++) put(b, names.get(k), parameters.get(k));
        return b;
    }

    /** Matrices with one row are stored as 1-D tensors (biases), others as 2-D. */
    static void put(ModelFile.Builder b, String name, Matrix m) {
        b.parameter(name, m);
    }

    /** Reads a tensor stored by {@link #put} into a matrix of the expected shape. */
    static Matrix get(ModelFile file, String name, int rows, int cols) {
        return file.parameter(name, rows, cols);
    }

    /** The RBM stored in a model file (checked against its config). */
    public static Rbm read(ModelFile file) {
        Map<String, Object> config = file.configJson();
        int d = intConfig(file, config, "visible");
        int f = intConfig(file, config, "hidden");
        Object type = config.get("visible_type");
        Rbm rbm;
        if ("bernoulli".equals(type)) {
            rbm = new BernoulliRbm(get(file, WEIGHTS, d, f), get(file, VISIBLE_BIAS, 1, d), get(file, HIDDEN_BIAS, 1, f));
        } else if ("gaussian".equals(type)) {
            Object learn = config.getOrDefault(LEARN_VARIANCE, Boolean.FALSE);
            if (!(learn instanceof Boolean)) {
                throw new ModelFileException(file.source() + ": config \"" + LEARN_VARIANCE + "\" must be true or false, found " + learn);
            }
            rbm = new GaussianRbm(get(file, WEIGHTS, d, f), get(file, VISIBLE_BIAS, 1, d), get(file, HIDDEN_BIAS, 1, f),
                    get(file, LOG_VARIANCE, 1, d), (Boolean) learn);
        } else if ("softmax".equals(type)) {
            rbm = new ReplicatedSoftmaxRbm(get(file, WEIGHTS, d, f), get(file, VISIBLE_BIAS, 1, d), get(file, HIDDEN_BIAS, 1, f));
        } else {
            throw new ModelFileException(file.source() + ": visible_type " + type + " is not supported by this dgm4j (expected bernoulli, gaussian or softmax)");
        }
        for (Matrix p : rbm.parameters()) {
            if (p.hasNonFinite()) throw new ModelFileException(file.source() + ": the RBM's parameters contain NaN or infinite values");
        }
        return rbm;
    }

    /** Image height and width recorded in the config (0 if the data were not images). */
    public static int[] imageShape(ModelFile file) {
        Map<String, Object> config = file.configJson();
        Object h = config.get("image_height"), w = config.get("image_width");
        return new int[] {h instanceof Number ? ((Number) h).intValue() : 0, w instanceof Number ? ((Number) w).intValue() : 0};
    }

    static int intConfig(ModelFile file, Map<String, Object> config, String key) {
        Object v = config.get(key);
        if (!(v instanceof Number) || ((Number) v).doubleValue() != Math.rint(((Number) v).doubleValue())
                || ((Number) v).intValue() < 1) {
            throw new ModelFileException(file.source() + ": config \"" + key + "\" must be a positive integer, found " + v);
        }
        return ((Number) v).intValue();
    }

    /** The persistent chains a PCD checkpoint keeps ({@code train.chains}, in the model's space), or null if it has none. */
    public static Matrix persistentChains(ModelFile file, Rbm rbm) {
        if (!file.hasTensor("train.chains")) return null;
        return file.matrix("train.chains", file.matrix("train.chains").rows(), rbm.visibleUnits());
    }
}
