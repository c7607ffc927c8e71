package dgm4j.vae;

import java.util.List;
import java.util.Map;

import dgm4j.InputException;
import dgm4j.io.ModelFile;
import dgm4j.math.RandomStream;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingSession;
import dgm4j.train.TrainingState;

/**
 * VAEs and IWAEs in a {@link TrainingSession}: a new run starts from the IWAE paper's architecture (Burda et al. 2016,
 * appendix: Glorot weights, output bias logit(mean)), a resumed one from its checkpoint's model, Adam state and random
 * streams.
 */
public final class VaeFamily implements TrainingSession.Family<VaeTrainingTask> {
    private final int layers;
    private final StochasticLayer.Kind output;
    private final VaeTrainingTask.Config config;
    private final TrainingData data;

    private VaeFamily(int layers, StochasticLayer.Kind output, VaeTrainingTask.Config config, TrainingData data) {
        if (layers != 1 && layers != 2) throw new InputException("the paper's architectures have 1 or 2 stochastic layers, got " + layers);
        this.layers = layers;
        this.output = output;
        this.config = config;
        this.data = data;
    }

    /** {@link VariationalAutoencoder#paperArchitecture} with 1 or 2 stochastic layers and p(x | h) of kind {@code output}. */
    public static VaeFamily paper(int layers, StochasticLayer.Kind output, VaeTrainingTask.Config config, TrainingData data) {
        return new VaeFamily(layers, output, config, data);
    }

    @Override
    public String kind() { return VariationalAutoencoder.KIND; }

    @Override
    public Map<String, Object> hyperParameters() {
        return VaeTrainingTask.hyperParameters(config, data.batchSize(), data.binarization());
    }

    @Override
    public List<String> uncompared() { return List.of("adam_steps"); }

    @Override
    public VaeTrainingTask start(RandomStream root) {
        VariationalAutoencoder model = VariationalAutoencoder.paperArchitecture(layers, data.train().dim(), output, root.split(2),
                VariationalAutoencoder.columnMeans(data.train().features()));
        return new VaeTrainingTask(model, config, data, root.split(0), root.split(1));
    }

    @Override
    public void requireFits(ModelFile checkpoint) {
        VariationalAutoencoder model = VaeFiles.read(checkpoint).model();
        if (model.dataDim() != data.train().dim()) {
            throw new InputException(checkpoint.source() + " models " + model.dataDim() + " columns but the data have " + data.train().dim());
        }
        if (model.stochasticLayers() != layers || model.outputKind() != output) {
            throw new InputException(checkpoint.source() + " has " + model.stochasticLayers() + " stochastic layer(s) and a "
                    + model.outputKind().name().toLowerCase() + " output: resume with the options of the original run");
        }
    }

    @Override
    public VaeTrainingTask resume(ModelFile checkpoint) {
        return new VaeTrainingTask(VaeFiles.read(checkpoint).model(), config, data, TrainingState.randomStream(checkpoint, TrainingState.RANDOM),
                TrainingState.randomStream(checkpoint, TrainingState.DATA_RANDOM)).restoreOptimizer(checkpoint);
    }
}
