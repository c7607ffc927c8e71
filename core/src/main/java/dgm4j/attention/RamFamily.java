package dgm4j.attention;

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
 * The recurrent attention model's part of a {@link TrainingSession}: a new run initialises a
 * {@link RecurrentAttention} of the given architecture and trains it by the settings' rule; a resumed run reads the
 * checkpoint's model, Adam state and random streams, after the session has checked its kind and hyper-parameters and
 * this family its architecture. Random streams of a new run: root.split(0) the actions, split(1) the data
 * (shuffling), split(2) the initial parameters.
 */
public final class RamFamily implements TrainingSession.Family<RamTrainingTask> {
    private final RecurrentAttention.Architecture architecture;
    private final RamTrainingTask.Settings settings;
    private final TrainingData data;

    /** @param data the labelled images, held-out ones for the epoch-end monitors (may be null), the batch size */
    public RamFamily(RecurrentAttention.Architecture architecture, RamTrainingTask.Settings settings, TrainingData data) {
        boolean ws = settings.estimator().rule() == AttentionGradients.Rule.WAKE_SLEEP;
        if (ws && !architecture.inference()) throw new InputException("the wake-sleep rule needs the inference network q(a | y, X)");
        this.architecture = architecture;
        this.settings = settings;
        this.data = data;
    }

    @Override
    public String kind() { return RecurrentAttention.KIND; }

    @Override
    public Map<String, Object> hyperParameters() { return RamTrainingTask.hyperParameters(settings, data); }

    @Override
    public List<String> uncompared() { return List.of(AdamTrainingTask.STEPS); }

    @Override
    public RamTrainingTask start(RandomStream root) {
        RecurrentAttention model = RecurrentAttention.initialize(architecture, root.split(2));
        return new RamTrainingTask(model, settings, data, root.split(0), root.split(1));
    }

    @Override
    public void requireFits(ModelFile checkpoint) {
        RecurrentAttention.Architecture saved = RamFiles.read(checkpoint).architecture();
        if (!saved.equals(architecture)) {
            throw new InputException(checkpoint.source() + " is a recurrent attention model of " + saved + ", this command asks for "
                    + architecture + ": resume with the options of the original run");
        }
    }

    @Override
    public RamTrainingTask resume(ModelFile checkpoint) {
        return new RamTrainingTask(RamFiles.read(checkpoint), settings, data, TrainingState.randomStream(checkpoint, TrainingState.RANDOM),
                TrainingState.randomStream(checkpoint, TrainingState.DATA_RANDOM)).restoreOptimizer(checkpoint);
    }
}
