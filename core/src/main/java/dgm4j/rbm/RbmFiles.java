package dgm4j.rbm;

import java.util.LinkedHashMap;
import java.util.Map;

import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;
import dgm4j.math.Matrix;

/**
 * RBMs in model files (kind "rbm"). Tensor names, readable by any safetensors reader:
 * <ul>
 *   <li>{@code weights}: W, F32 [visible, hidden]</li>
 *   <li>{@code visible_bias}: b, F32 [visible]</li>
 *   <li>{@code hidden_bias}: a, F32 [hidden]</li>
 * </ul>
 * Config: {@code {"visible": D, "hidden": F, "visible_type": "bernoulli", "image_height": h, "image_width": w}}.
 * Checkpoints add {@code train.*} tensors (momentum velocities, persistent chains, random-stream states) and a
 * "training_state" metadata entry; see {@link RbmTrainingTask}.
 */
public final class RbmFiles {
    public static final String WEIGHTS = "weights";
    public static final String VISIBLE_BIAS = "visible_bias";
    public static final String HIDDEN_BIAS = "hidden_bias";

    private RbmFiles() {}

    /** A builder holding the model's tensors and config; callers may add training state and provenance. */
    public static ModelFile.Builder builder(Rbm rbm, int imageHeight, int imageWidth) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("visible", rbm.visibleUnits());
        config.put("hidden", rbm.hiddenUnits());
        config.put("visible_type", "bernoulli");
        config.put("image_height", imageHeight);
        config.put("image_width", imageWidth);
        return ModelFile.builder(Rbm.KIND).config(config)
                .matrix(WEIGHTS, rbm.weights())
                .floats(VISIBLE_BIAS, rbm.visibleBias().toArray())
                .floats(HIDDEN_BIAS, rbm.hiddenBias().toArray());
    }

    /** The RBM stored in a model file (checked against its config). */
    public static Rbm read(ModelFile file) {
        Map<String, Object> config = file.configJson();
        int d = intConfig(file, config, "visible");
        int f = intConfig(file, config, "hidden");
        Object type = config.get("visible_type");
        if (!"bernoulli".equals(type)) {
            throw new ModelFileException(file.source() + ": visible_type " + type + " is not supported by this dgm4j (expected bernoulli)");
        }
        Matrix w = file.matrix(WEIGHTS, d, f);
        float[] b = file.floats(VISIBLE_BIAS);
        float[] a = file.floats(HIDDEN_BIAS);
        if (b.length != d || a.length != f) {
            throw new ModelFileException(file.source() + ": bias lengths " + b.length + " / " + a.length + " disagree with the config (" + d + " / " + f + ")");
        }
        Rbm rbm = new Rbm(w, Matrix.of(1, d, b), Matrix.of(1, f, a));
        if (w.hasNonFinite() || rbm.visibleBias().hasNonFinite() || rbm.hiddenBias().hasNonFinite()) {
            throw new ModelFileException(file.source() + ": the RBM's parameters contain NaN or infinite values");
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
}
