package dgm4j.draw;

import java.util.List;
import java.util.Map;

import dgm4j.InputException;
import dgm4j.io.ModelFile;
import dgm4j.math.RandomStream;
import dgm4j.train.AdamTrainingTask;
import dgm4j.train.TrainingData;
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
    private final TrainingData data;

    /** @param data the images, their held-out set for the epoch-end monitor (may be null), batch size and binarization */
    public DrawFamily(Draw.Architecture architecture, DrawTrainingTask.Settings settings, TrainingData data) {
        this.architecture = architecture;
        this.settings = settings;
        this.data = data;
    }

    @Override
    public String kind() { return Draw.KIND; }

    @Override
    public Map<String, Object> hyperParameters() { return DrawTrainingTask.hyperParameters(settings, data); }

    @Override
    public List<String> uncompared() { return List.of(AdamTrainingTask.STEPS); }

    @Override
    public DrawTrainingTask start(RandomStream root) {
        DrawTrainingTask.requireImages(architecture, data.train());
        Draw model = Draw.initialize(architecture, root.split(2), Draw.columnMeans(data.train().features()));
        return new DrawTrainingTask(model, settings, data, root.split(0), root.split(1));
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
        return new DrawTrainingTask(DrawFiles.read(checkpoint), settings, data, TrainingState.randomStream(checkpoint, TrainingState.RANDOM),
                TrainingState.randomStream(checkpoint, TrainingState.DATA_RANDOM)).restoreOptimizer(checkpoint);
    }
}
