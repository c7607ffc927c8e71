package dgm4j.helmholtz;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dgm4j.InputException;
import dgm4j.io.ModelFile;
import dgm4j.math.RandomStream;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingSession;
import dgm4j.train.TrainingState;
import dgm4j.vae.VariationalAutoencoder;

/**
 * Helmholtz machines in a {@link TrainingSession}: a new run starts from {@link HelmholtzMachine#initialize} (output
 * biases at the data's log-odds), a resumed one from its checkpoint's model, Adam state and random streams.
 */
public final class HelmholtzFamily implements TrainingSession.Family<HelmholtzTrainingTask> {
    private final int[] sizes;
    private final HelmholtzTrainingTask.Config config;
    private final TrainingData data;

    private HelmholtzFamily(int[] sizes, HelmholtzTrainingTask.Config config, TrainingData data) {
        this.sizes = sizes;
        this.config = config;
        this.data = data;
    }

    /** A machine with latent layers of {@code latents} units, bottom (h1) to top, over the data's columns. */
    public static HelmholtzFamily of(int[] latents, HelmholtzTrainingTask.Config config, TrainingData data) {
        if (latents.length < 1) throw new InputException("a Helmholtz machine needs at least one latent layer");
        int[] sizes = new int[latents.length + 1];
        sizes[0] = data.train().dim();
        for (int l = 0; l < latents.length; l++) {
            if (latents[l] < 1) throw new InputException("latent layer sizes must be positive, got " + Arrays.toString(latents));
            sizes[l + 1] = latents[l];
        }
        return new HelmholtzFamily(sizes, config, data);
    }

    /** Layer sizes, data first. */
    public int[] sizes() { return sizes.clone(); }

    @Override
    public String kind() { return HelmholtzMachine.KIND; }

    @Override
    public Map<String, Object> hyperParameters() {
        return HelmholtzTrainingTask.hyperParameters(config, data.batchSize(), data.binarization());
    }

    @Override
    public List<String> uncompared() { return List.of("adam_steps", "schedule"); }   // a run may be given more epochs

    @Override
    public HelmholtzTrainingTask start(RandomStream root) {
        HelmholtzMachine model = HelmholtzMachine.initialize(sizes, root.split(2), VariationalAutoencoder.columnMeans(data.train().features()));
        return new HelmholtzTrainingTask(model, config, data, root.split(0), root.split(1));
    }

    @Override
    public void requireFits(ModelFile checkpoint) {
        int[] saved = HelmholtzFiles.read(checkpoint).model().sizes();
        if (!Arrays.equals(saved, sizes)) {
            throw new InputException(checkpoint.source() + " has layers " + Arrays.toString(saved) + ", this run gives "
                    + Arrays.toString(sizes) + ": resume with the options of the original run");
        }
    }

    @Override
    public HelmholtzTrainingTask resume(ModelFile checkpoint) {
        return new HelmholtzTrainingTask(HelmholtzFiles.read(checkpoint).model(), config, data,
                TrainingState.randomStream(checkpoint, TrainingState.RANDOM), TrainingState.randomStream(checkpoint, TrainingState.DATA_RANDOM))
                .restoreOptimizer(checkpoint);
    }
}
