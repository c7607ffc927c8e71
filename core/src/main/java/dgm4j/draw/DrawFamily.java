package dgm4j.draw;

import java.util.List;
import java.util.Map;

import dgm4j.InputException;
import dgm4j.data.Dataset;
import dgm4j.io.ModelFile;
import dgm4j.math.RandomStream;
import dgm4j.train.TrainingSession;
import dgm4j.train.TrainingState;

/**
 * DRAW's part of a {@link TrainingSession}: a new run initialises a {@link Draw} of the given architecture (the canvas
 * c_0 at the training images' marginals) and trains it; a resumed run reads the checkpoint's model, Adam state and
 * random streams, after the session has checked its kind and hyper-parameters and this family its architecture.
 * Random streams of a new run: root.split(0) the noise, split(1) the data (shuffling, binarization), split(2) the
 * initial parameters.
 */
public final class DrawFamily implements TrainingSession.Family<DrawTrainingTask> {
    private final Draw.Architecture architecture;
    private final DrawTrainingTask.Settings settings;
    private final Dataset train;
    private final Dataset validation;
    private final Map<String, Object> provenance;

    /**
     * @param validation held-out images for the epoch-end monitor (may be null)
     * @param provenance what the model files record of how the run was made (may be null)
     */
    public DrawFamily(Draw.Architecture architecture, DrawTrainingTask.Settings settings, Dataset train, Dataset validation,
                      Map<String, Object> provenance) {
        this.architecture = architecture;
        this.settings = settings;
        this.train = train;
        this.validation = validation;
        this.provenance = provenance;
    }

    @Override
    public String kind() { return Draw.KIND; }

    @Override
    public Map<String, Object> hyperParameters() { return DrawTrainingTask.hyperParameters(settings); }

    @Override
    public List<String> uncompared() { return List.of("adam_steps"); }

    @Override
    public DrawTrainingTask start(RandomStream root) {
        architecture.requireImages(train.height(), train.width(), train.dim(), train.name());
        Draw model = Draw.initialize(architecture, root.split(2), Draw.columnMeans(train.features()));
        return new DrawTrainingTask(model, settings, train, validation, settings.adam(model), root.split(0), root.split(1), provenance);
    }

    @Override
    public void requireFits(ModelFile checkpoint) {
        Draw.Architecture saved = DrawFiles.read(checkpoint).architecture();
        if (!saved.equals(architecture)) {
            throw new InputException(checkpoint.source() + " is a DRAW of " + saved + ", this command asks for " + architecture
                    + ": resume with the options of the original run");
        }
    }

    @Override
    public DrawTrainingTask resume(ModelFile checkpoint) {
        Draw model = DrawFiles.read(checkpoint);
        var adam = settings.adam(model);
        RandomStream random = DrawTrainingTask.restoreOptimizer(checkpoint, adam);
        return new DrawTrainingTask(model, settings, train, validation, adam, random,
                TrainingState.randomStream(checkpoint, "train.data_random"), provenance);
    }
}
