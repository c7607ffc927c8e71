package dgm4j.train;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
import dgm4j.io.ModelFile;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Adam;
import dgm4j.optim.LearningRateSchedule;

/**
 * A {@link MinibatchTrainingTask} that minimises a loss with Adam (Kingma and Ba 2015) at a learning rate scheduled per
 * epoch, the directed models' tasks (VAE/IWAE, Helmholtz machines): each step returns its loss; checkpoints hold
 * Adam's moments ({@link TrainingState#putOptimizer}) and its step count as training_state's {@value #STEPS}. The
 * family's task makes the step and its monitors.
 */
public abstract class AdamTrainingTask<M, S extends AdamTrainingTask.Settings> extends MinibatchTrainingTask {
    /** The training_state entry of Adam's step count. */
    public static final String STEPS = "adam_steps";

    /** What the family's config gives: the learning rate of each epoch and Adam's beta_1, beta_2 and epsilon. */
    public interface Settings {
        LearningRateSchedule schedule();

        double beta1();

        double beta2();

        double epsilon();
    }

    /** The model being trained, and its family's settings. */
    protected final M model;
    protected final S settings;
    private final Adam adam;
    private final List<Matrix> values;

    /**
     * A task with a fresh Adam over {@code parameters} ({@link #optimizer()}; a resumed run refills it with
     * {@link #restoreAdam}).
     */
    protected AdamTrainingTask(M model, List<Parameter> parameters, S settings, TrainingData data, RandomStream random,
                               RandomStream dataRandom, int monitorExamples) {
        super(data, random, dataRandom, monitorExamples);
        this.model = model;
        this.settings = settings;
        this.adam = new Adam(parameters, settings.beta1(), settings.beta2(), settings.epsilon());
        this.values = parameters.stream().map(Parameter::value).toList();
    }

    public final M model() { return model; }

    public final S settings() { return settings; }

    public Adam optimizer() { return adam; }

    /** Adam's learning rate in a 0-based epoch. */
    protected final double learningRate(int epoch) { return settings.schedule().rate(epoch); }

    @Override
    public final boolean hasStepLoss() { return true; }

    @Override
    protected final List<Matrix> parameterValues() { return values; }

    /**
     * The gradients of {@code loss} on a minibatch through a graph recorded once (a reparameterised model's): the batch
     * copied into the graph's input, its noise drawn afresh from {@link #random()} by {@code fillNoise}, a forward and
     * a backward pass; the optimizer's step is the caller's.
     */
    protected final void backpropagate(Graph graph, Node loss, Matrix input, Matrix batch, Consumer<RandomStream> fillNoise) {
        input.copyFrom(batch);
        fillNoise.accept(random());
        graph.forward();
        graph.backward(loss);
    }

    /** Refills Adam's moments and step count from a checkpoint written by {@link #snapshot}. */
    protected final void restoreAdam(ModelFile checkpoint) {
        TrainingState.restoreOptimizer(checkpoint, adam, STEPS);
    }

    /** The snapshot of a model whose tensors {@code model} holds: Adam's state, the streams and {@link #finish}. */
    protected final ModelFile snapshot(ModelFile.Builder model, int epochsDone, Map<String, Object> hyperParameters) {
        return finish(putRandomStreams(TrainingState.putOptimizer(model, adam)), epochsDone, Map.of(STEPS, adam.steps()), hyperParameters);
    }
}
