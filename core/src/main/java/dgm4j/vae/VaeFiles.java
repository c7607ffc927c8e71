package dgm4j.vae;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;

/**
 * VAEs and IWAEs in model files (kind "vae"). Tensors are the {@link StochasticLayer} parameters, layer by layer:
 * {@code q_h1.*} (q(h_1 | x)), {@code q_h2.*}, ..., {@code p_x.*} (p(x | h_1)), {@code p_h1.*} (p(h_1 | h_2)), ...;
 * within a layer {@code hidden0.weight} [in, 200], {@code hidden0.bias} [200], ..., then {@code mean.*} and
 * {@code log_sigma.*} (Gaussian) or {@code logits.*} (Bernoulli). Weights are [in, out]: y = x W + b.
 * Config: {@code {"data_dim": 784, "output": "bernoulli", "latents": [50], "hidden": [[200, 200]],
 * "objective": "iwae", "k": 50, "image_height": 28, "image_width": 28}}. Checkpoints add {@code train.*} tensors (Adam
 * state, random streams) and "training_state"; see {@link VaeTrainingTask}.
 */
public final class VaeFiles {
    private VaeFiles() {}

    /** The model, how it was trained and the image shape of its data (0 x 0 if not images). */
    public record Stored(VariationalAutoencoder model, VariationalAutoencoder.Objective objective, int k,
                         int imageHeight, int imageWidth) { }

    public static ModelFile.Builder builder(VariationalAutoencoder model, VariationalAutoencoder.Objective objective, int k,
                                            int imageHeight, int imageWidth) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("data_dim", model.dataDim());
        config.put("output", model.outputKind().name().toLowerCase());
        List<Integer> latents = new ArrayList<>();
        for (int l : model.latents()) latents.add(l);
        config.put("latents", latents);
        List<List<Integer>> hidden = new ArrayList<>();
        for (StochasticLayer q : model.recognition()) {
            List<Integer> h = new ArrayList<>();
            for (int s : q.hidden()) h.add(s);
            hidden.add(h);
        }
        config.put("hidden", hidden);
        config.put("objective", objective.name().toLowerCase());
        config.put("k", k);
        config.put("image_height", imageHeight);
        config.put("image_width", imageWidth);
        return ModelFile.builder(VariationalAutoencoder.KIND).config(config).parameters(model.parameters());
    }

    /** The model stored in a file (its config checked, every tensor's shape checked, values finite). */
    public static Stored read(ModelFile file) {
        file.requireKind(VariationalAutoencoder.KIND, "a VAE/IWAE");
        Map<String, Object> c = file.configJson();
        int d = file.positiveConfigInt(c, "data_dim");
        StochasticLayer.Kind output;
        Object o = c.get("output");
        if ("bernoulli".equals(o)) output = StochasticLayer.Kind.BERNOULLI;
        else if ("gaussian".equals(o)) output = StochasticLayer.Kind.GAUSSIAN;
        else throw new ModelFileException(file.source() + ": config \"output\" must be bernoulli or gaussian, found " + o);
        int[] latents = intList(file, c.get("latents"), "latents");
        Object h = c.get("hidden");
        if (!(h instanceof List) || ((List<?>) h).size() != latents.length) {
            throw new ModelFileException(file.source() + ": config \"hidden\" must hold one list per stochastic layer (" + latents.length + ")");
        }
        int[][] hidden = new int[latents.length][];
        for (int l = 0; l < latents.length; l++) hidden[l] = intList(file, ((List<?>) h).get(l), "hidden");
        VariationalAutoencoder.Objective objective;
        Object ob = c.get("objective");
        if ("vae".equals(ob)) objective = VariationalAutoencoder.Objective.VAE;
        else if ("iwae".equals(ob)) objective = VariationalAutoencoder.Objective.IWAE;
        else throw new ModelFileException(file.source() + ": config \"objective\" must be vae or iwae, found " + ob);
        int k = file.positiveConfigInt(c, "k");
        VariationalAutoencoder model = new VariationalAutoencoder(d, output, latents, hidden);
        file.readParameters(model.parameters());
        return new Stored(model, objective, k, ModelFile.imageSize(c, "image_height"), ModelFile.imageSize(c, "image_width"));
    }

    private static int[] intList(ModelFile file, Object v, String key) {
        if (!(v instanceof List) || ((List<?>) v).isEmpty()) {
            throw new ModelFileException(file.source() + ": config \"" + key + "\" must be a non-empty list of positive integers, found " + v);
        }
        List<?> list = (List<?>) v;
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) out[i] = file.positiveConfigInt(list.get(i), key);
        return out;
    }
}
