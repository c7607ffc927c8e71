package dgm4j.helmholtz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;

/**
 * Helmholtz machines in model files (kind "helmholtz"). Tensors: {@code p_x.weight} [n_1, n_0], {@code p_x.bias},
 * {@code p_h1.weight} [n_2, n_1], ..., {@code p_hL.bias} (the top prior), {@code q_h1.weight} [n_0, n_1],
 * {@code q_h1.bias}, ... (see {@link HelmholtzMachine}). Config: {@code {"layers": [784, 200, 200], "algorithm": "rws",
 * "k": 5, "q_update": "both", "image_height": 28, "image_width": 28}}. Checkpoints add {@code train.*} tensors (Adam
 * state, random streams) and "training_state"; see {@link HelmholtzTrainingTask}.
 */
public final class HelmholtzFiles {
    private HelmholtzFiles() {}

    /** The model, how it was trained and the image shape of its data (0 x 0 if not images). */
    public record Stored(HelmholtzMachine model, WakeSleep.Algorithm algorithm, int k, WakeSleep.QUpdate qUpdate,
                         int imageHeight, int imageWidth) { }

    public static ModelFile.Builder builder(HelmholtzMachine model, WakeSleep.Algorithm algorithm, int k,
                                            WakeSleep.QUpdate qUpdate, int imageHeight, int imageWidth) {
        Map<String, Object> config = new LinkedHashMap<>();
        List<Integer> layers = new ArrayList<>();
        for (int n : model.sizes()) layers.add(n);
        config.put("layers", layers);
        config.put("algorithm", algorithm.name().toLowerCase(Locale.ROOT));
        config.put("k", k);
        config.put("q_update", qUpdate.name().toLowerCase(Locale.ROOT));
        config.put("image_height", imageHeight);
        config.put("image_width", imageWidth);
        return ModelFile.builder(HelmholtzMachine.KIND).config(config).parameters(model.parameters());
    }

    /** The model stored in a file (config checked, every tensor's shape checked, values finite). */
    public static Stored read(ModelFile file) {
        file.requireKind(HelmholtzMachine.KIND, "a Helmholtz machine");
        Map<String, Object> c = file.configJson();
        Object l = c.get("layers");
        if (!(l instanceof List) || ((List<?>) l).size() < 2) {
            throw new ModelFileException(file.source() + ": config \"layers\" must list the data width and at least one latent layer, found " + l);
        }
        List<?> list = (List<?>) l;
        int[] sizes = new int[list.size()];
        for (int i = 0; i < sizes.length; i++) sizes[i] = file.positiveConfigInt(list.get(i), "layers");
        WakeSleep.Algorithm algorithm = named(file, WakeSleep.Algorithm.class, c.get("algorithm"), "algorithm");
        WakeSleep.QUpdate qUpdate = named(file, WakeSleep.QUpdate.class, c.get("q_update"), "q_update");
        int k = file.positiveConfigInt(c, "k");
        HelmholtzMachine model = new HelmholtzMachine(sizes);
        file.readParameters(model.parameters());
        return new Stored(model, algorithm, k, qUpdate, ModelFile.imageSize(c, "image_height"), ModelFile.imageSize(c, "image_width"));
    }

    private static <E extends Enum<E>> E named(ModelFile file, Class<E> type, Object v, String key) {
        for (E e : type.getEnumConstants()) if (e.name().toLowerCase(Locale.ROOT).equals(v)) return e;
        throw new ModelFileException(file.source() + ": config \"" + key + "\" must be one of "
                + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", found " + v);
    }
}
