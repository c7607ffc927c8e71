package dgm4j.dbm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;
import dgm4j.math.Matrix;

/**
 * DBMs in model files (kind "dbm"). Tensor names, readable by any safetensors reader:
 * <ul>
 *   <li>{@code weights_1} .. {@code weights_L}: W_l, F32 [n_{l-1}, n_l]</li>
 *   <li>{@code visible_bias}: b_0, F32 [n_0]</li>
 *   <li>{@code hidden_bias_1} .. {@code hidden_bias_L}: b_l, F32 [n_l]</li>
 * </ul>
 * Config: {@code {"layers": [784, 500, 1000], "image_height": h, "image_width": w}}. Checkpoints add {@code train.*}
 * tensors and a "training_state" metadata entry; see {@link DbmTrainingTask}.
 */
public final class DbmFiles {
    private DbmFiles() {}

    /** A builder holding the model's tensors and config; callers may add training state and provenance. */
    public static ModelFile.Builder builder(Dbm dbm, int imageHeight, int imageWidth) {
        Map<String, Object> config = new LinkedHashMap<>();
        List<Integer> layers = new ArrayList<>();
        for (int n : dbm.layerSizes()) layers.add(n);
        config.put("layers", layers);
        config.put("image_height", imageHeight);
        config.put("image_width", imageWidth);
        ModelFile.Builder b = ModelFile.builder(Dbm.KIND).config(config);
        List<Matrix> parameters = dbm.parameters();
        List<String> names = dbm.parameterNames();
        for (int k = 0; k < parameters.size(); k++) b.parameter(names.get(k), parameters.get(k));
        return b;
    }

    /** The DBM stored in a model file (checked against its config). */
    public static Dbm read(ModelFile file) {
        Object layers = file.configJson().get("layers");
        if (!(layers instanceof List) || ((List<?>) layers).size() < 2) {
            throw new ModelFileException(file.source() + ": config \"layers\" must list at least two layer sizes, found " + layers);
        }
        List<?> sizes = (List<?>) layers;
        int[] n = new int[sizes.size()];
        for (int l = 0; l < n.length; l++) {
            Object v = sizes.get(l);
            if (!(v instanceof Number) || ((Number) v).doubleValue() != Math.rint(((Number) v).doubleValue()) || ((Number) v).intValue() < 1) {
                throw new ModelFileException(file.source() + ": config \"layers\" must hold positive integers, found " + v);
            }
            n[l] = ((Number) v).intValue();
        }
        List<Matrix> w = new ArrayList<>(), b = new ArrayList<>();
        b.add(file.parameter("visible_bias", 1, n[0]));
        for (int l = 1; l < n.length; l++) {
            w.add(file.parameter("weights_" + l, n[l - 1], n[l]));
            b.add(file.parameter("hidden_bias_" + l, 1, n[l]));
        }
        Dbm dbm = new Dbm(w, b);
        for (Matrix p : dbm.parameters()) {
            if (p.hasNonFinite()) throw new ModelFileException(file.source() + ": the DBM's parameters contain NaN or infinite values");
        }
        return dbm;
    }

    /**
     * The persistent chains a training checkpoint keeps ({@code train.chains_0} .. {@code train.chains_L}, all
     * replicas), or null if the file has none (a model saved without training state).
     */
    public static List<Matrix> persistentChains(ModelFile file, Dbm dbm) {
        if (!file.hasTensor("train.chains_0")) return null;
        List<Matrix> chains = new ArrayList<>();
        int rows = file.matrix("train.chains_0").rows();
        for (int l = 0; l <= dbm.hiddenLayers(); l++) chains.add(file.matrix("train.chains_" + l, rows, dbm.units(l)));
        return chains;
    }
}
