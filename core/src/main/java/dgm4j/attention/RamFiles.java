package dgm4j.attention;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

import dgm4j.InputException;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;

/**
 * Recurrent attention models in model files (kind "ram"). Tensors: the {@link RecurrentAttention} parameters, e.g.
 * {@code glimpse.patch.weight} [k g^2, H_g], {@code core.weight} [G_n + H, 4 H] (LSTM gate blocks [i f o g]),
 * {@code policy.location.weight} [H, 2], {@code policy.scale.weight} [H, S], {@code classifier.weight} [H, C],
 * {@code baseline.weight} [H, 1], and with the inference network {@code inference.hidden.weight} [H + C + c^2, H_q]
 * etc. Weights are [in, out]: y = x W + b. Config: {@code {"height": 60, "width": 60, "classes": 10, "glimpses": 6,
 * "glimpse_size": 12, "patches": 3, "scales": 3, "location_grid": 0, "location_std": 0.15, "glimpse_hidden": 128,
 * "location_hidden": 128, "glimpse_features": 256, "core_size": 256, "inference": true, "inference_hidden": 256,
 * "context_size": 12}}. Checkpoints add {@code train.*} tensors (Adam state, random streams) and "training_state"; see
 * {@link RamTrainingTask}.
 */
public final class RamFiles {
    private RamFiles() {}

    public static ModelFile.Builder builder(RecurrentAttention model) {
        RecurrentAttention.Architecture a = model.architecture();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("height", a.height());
        c.put("width", a.width());
        c.put("classes", a.classes());
        c.put("glimpses", a.glimpses());
        c.put("glimpse_size", a.glimpseSize());
        c.put("patches", a.patches());
        c.put("scales", a.scales());
        c.put("location_grid", a.locationGrid());
        c.put("location_std", a.locationStd());
        c.put("glimpse_hidden", a.glimpseHidden());
        c.put("location_hidden", a.locationHidden());
        c.put("glimpse_features", a.glimpseFeatures());
        c.put("core_size", a.coreSize());
        c.put("inference", a.inference());
        c.put("inference_hidden", a.inferenceHidden());
        c.put("context_size", a.contextSize());
        return ModelFile.builder(RecurrentAttention.KIND).config(c).parameters(model.parameters());
    }

    /** The model stored in a file (config checked, every tensor's shape checked, values finite). */
    public static RecurrentAttention read(ModelFile file) {
        file.requireKind(RecurrentAttention.KIND, "a recurrent attention model");
        Map<String, Object> c = file.configJson();
        boolean q = file.booleanConfig(c, "inference");
        Object std = c.get("location_std"), grid = c.get("location_grid");
        if (!(std instanceof Number)) throw new ModelFileException(file.source() + ": config \"location_std\" must be a number, found " + std);
        if (!(grid instanceof Number) || ((Number) grid).doubleValue() != Math.rint(((Number) grid).doubleValue())) {
            throw new ModelFileException(file.source() + ": config \"location_grid\" must be an integer, found " + grid);
        }
        RecurrentAttention model;
        try {
            ToIntFunction<String> n = key -> file.positiveConfigInt(c, key);
            RecurrentAttention.Architecture a = new RecurrentAttention.Architecture(n.applyAsInt("height"), n.applyAsInt("width"),
                    n.applyAsInt("classes"), n.applyAsInt("glimpses"), n.applyAsInt("glimpse_size"), n.applyAsInt("patches"),
                    n.applyAsInt("scales"), ((Number) grid).intValue(), ((Number) std).doubleValue(), n.applyAsInt("glimpse_hidden"),
                    n.applyAsInt("location_hidden"), n.applyAsInt("glimpse_features"), n.applyAsInt("core_size"), q,
                    q ? n.applyAsInt("inference_hidden") : 0, q ? n.applyAsInt("context_size") : 0);
            model = new RecurrentAttention(a);
        } catch (InputException e) {
            throw new ModelFileException(file.source() + ": " + e.getMessage());
        }
        file.readParameters(model.parameters());
        return model;
    }
}
