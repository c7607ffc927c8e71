package dgm4j.attention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.autodiff.Parameter;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Minibatches;
import dgm4j.io.ModelFile;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Adam;
import dgm4j.optim.GradientClipping;
import dgm4j.train.TrainingState;
import dgm4j.train.TrainingTask;

/**
 * Trains a {@link RecurrentAttention} by one of {@link AttentionGradients}' rules with Adam, one minibatch of labelled
 * images per step (the last partial batch of an epoch dropped: the graph is recorded once for the batch size), the
 * gradients clipped to a global norm, under {@link dgm4j.train.TrainingRun}. The logged "loss" is minus the rule's
 * objective averaged over the epoch's minibatches (REINFORCE: minus the reward, i.e. the error rate - 1; prior: minus the
 * mean log p(y | a, X); wake-sleep: -L_M). At each epoch end also: "sampled_error" (REINFORCE and prior: the error of
 * the glimpses drawn in training; absent for wake-sleep, whose glimpses saw the label), "train_error" and
 * "heldout_error" (glimpses from the policy, one sequence per image, on the first 1000 training and held-out images),
 * "effective_samples" (wake-sleep: 1 / sum_m w~_m^2), the mean gradient norm before clipping and the fraction of steps
 * clipped, and, unless turned off, "gradient_variance" and "policy_gradient_variance": the total variance of the
 * estimated gradient of the attention model's parameters W (and of its location/scale policy alone) over
 * {@code varianceRepeats} estimates on a fixed minibatch (the first of the training set). Monitors draw from streams of
 * their own, so they do not change the run.
 *
 * <p>Checkpoint tensors besides the model's ({@link RamFiles}): {@code train.adam.m.NAME}, {@code train.adam.v.NAME},
 * {@code train.random} (the actions), {@code train.data_random} (shuffling); metadata "training_state" holds
 * {@code epochs_done}, {@code adam_steps} and the hyper-parameters ({@link #hyperParameters}).
 */
public final class RamTrainingTask implements TrainingTask {
    private static final int MONITOR_EXAMPLES = 1000;

    /**
     * The hyper-parameters of a run that resume must not change.
     *
     * @param clipNorm        the global gradient norm above which gradients are scaled down
     * @param varianceRepeats estimates per epoch for the gradient-variance monitor (0: off)
     */
    public record Settings(AttentionGradients.Settings estimator, int batchSize, double learningRate, double clipNorm,
                           double beta1, double beta2, double epsilon, int varianceRepeats) {
        public Settings {
            if (batchSize < 1) throw new InputException("the batch size must be at least 1, got " + batchSize);
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) throw new InputException("the learning rate must be positive, got " + learningRate);
            if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) throw new InputException("the gradient clipping norm must be positive, got " + clipNorm);
            if (varianceRepeats < 0 || varianceRepeats == 1) throw new InputException("the variance monitor needs 0 (off) or at least 2 estimates, got " + varianceRepeats);
            Adam.requireSettings(beta1, beta2, epsilon);
        }

        /** Adam over all the model's parameters with these betas and epsilon. */
        public Adam adam(RecurrentAttention model) { return new Adam(model.parameters(), beta1, beta2, epsilon); }
    }

    private final RecurrentAttention model;
    private final Settings settings;
    private final Minibatches batches;
    private final Adam adam;
    private final RandomStream random;
    private final RandomStream dataRandom;
    private final Map<String, Object> provenance;
    private final AttentionGradients gradients;
    private final Matrix monitorTrain, monitorValidation, varianceImages;
    private final int[] monitorTrainLabels, monitorValidationLabels, varianceLabels;
    private final List<Matrix> biases;
    private RamEvaluation evaluation;
    private double objectiveSum, errorSum, normSum, effectiveSum;
    private int stepsSeen, clippedSteps;

    /**
     * @param train      labelled images (the model's size), in minibatches as they are (no binarization)
     * @param validation held-out labelled images for the epoch-end monitor (may be null)
     * @param random     the stream actions are drawn from
     * @param dataRandom the stream that shuffles the minibatches
     */
    public RamTrainingTask(RecurrentAttention model, Settings settings, Dataset train, Dataset validation, Adam adam,
                           RandomStream random, RandomStream dataRandom, Map<String, Object> provenance) {
        TrainingState.requireSamplesAndBatch(settings.estimator().samples(), settings.batchSize(), train);
        requireLabelledImages(model, train);
        if (validation != null) requireLabelledImages(model, validation);
        this.model = model;
        this.settings = settings;
        this.adam = adam;
        this.random = random;
        this.dataRandom = dataRandom;
        this.provenance = provenance;
        this.batches = new Minibatches(train, settings.batchSize(), true, Binarization.none(), dataRandom);
        this.gradients = new AttentionGradients(model, settings.estimator(), settings.batchSize());
        int nt = Math.min(MONITOR_EXAMPLES, train.size());
        this.monitorTrain = train.features().rows(0, nt);
        this.monitorTrainLabels = java.util.Arrays.copyOf(train.labels(), nt);
        int nv = validation == null ? 0 : Math.min(MONITOR_EXAMPLES, validation.size());
        this.monitorValidation = validation == null ? null : validation.features().rows(0, nv);
        this.monitorValidationLabels = validation == null ? null : java.util.Arrays.copyOf(validation.labels(), nv);
        this.varianceImages = train.features().rows(0, settings.batchSize());
        this.varianceLabels = java.util.Arrays.copyOf(train.labels(), settings.batchSize());
        this.biases = model.parameters().stream().filter(p -> p.value().rows() == 1).map(Parameter::value).toList();
    }

    /** Refuses data of another image size than the model's, unlabelled data, or labels beyond the model's classes. */
    static void requireLabelledImages(RecurrentAttention model, Dataset d) {
        model.architecture().requireImages(d.height(), d.width(), d.dim(), d.name());
        if (!d.hasLabels()) throw new InputException(d.name() + " has no labels: the attention model learns to classify (give --labels)");
        if (d.numClasses() > model.architecture().classes()) {
            throw new InputException(d.name() + " has " + d.numClasses() + " classes, the model " + model.architecture().classes());
        }
    }

    @Override
    public int stepsPerEpoch() { return batches.batchesPerEpoch(); }

    @Override
    public double step(int epoch, int step) {
        if (!batches.next()) throw new IllegalStateException("minibatches ran out before step " + step);
        AttentionGradients.Estimate e = gradients.estimate(batches.features(), batches.labels(), random);
        double norm = GradientClipping.clipGlobalNorm(model.parameters(), settings.clipNorm());
        adam.step(settings.learningRate());
        if (step == stepsPerEpoch() - 1 && batches.next()) throw new IllegalStateException("more minibatches than steps in the epoch");
        objectiveSum += e.objective();
        errorSum += e.errorRate();
        effectiveSum += e.effectiveSamples();
        normSum += norm;
        if (norm > settings.clipNorm()) clippedSteps++;
        stepsSeen++;
        return -e.objective();
    }

    @Override
    public boolean hasStepLoss() { return true; }

    @Override
    public boolean stepIsFinite() { return TrainingTask.biasesAreFinite(biases); }

    @Override
    public boolean parametersAreFinite() {
        return TrainingTask.allFinite(model.parameters().stream().map(Parameter::value).toList());
    }

    @Override
    public Map<String, Double> endOfEpoch(int epoch) {
        Map<String, Double> m = new LinkedHashMap<>();
        int n = Math.max(1, stepsSeen);
        boolean ws = settings.estimator().rule() == AttentionGradients.Rule.WAKE_SLEEP;
        m.put("objective", objectiveSum / n);
        if (!ws) m.put("sampled_error", errorSum / n);
        if (ws) m.put("effective_samples", effectiveSum / n);
        m.put("gradient_norm", normSum / n);
        m.put("clipped", clippedSteps / (double) n);
        objectiveSum = errorSum = normSum = effectiveSum = 0;
        stepsSeen = clippedSteps = 0;
        m.putAll(monitors(epoch));
        m.put("learning_rate", settings.learningRate());
        return m;
    }

    /** The error monitors and the gradient-variance monitor, from streams seeded by the epoch. */
    private Map<String, Double> monitors(int epoch) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (evaluation == null) evaluation = new RamEvaluation(model, Math.min(100, settings.batchSize()), 1);
        RandomStream r = new RandomStream(987654321L + epoch);
        m.put("train_error", evaluation.classify(monitorTrain, monitorTrainLabels, r.split(0), Progress.NONE).errorRate());
        if (monitorValidation != null) {
            m.put("heldout_error", evaluation.classify(monitorValidation, monitorValidationLabels, r.split(1), Progress.NONE).errorRate());
        }
        if (settings.varianceRepeats() > 0) {
            AttentionGradients.Variance v = gradients.variance(varianceImages, varianceLabels, settings.varianceRepeats(), r.split(2),
                    model.modelParameters());
            m.put("gradient_variance", v.total());
            m.put("policy_gradient_variance", v.of(model.policyParameters()));
        }
        return m;
    }

    public RecurrentAttention model() { return model; }

    public Adam optimizer() { return adam; }

    public AttentionGradients gradients() { return gradients; }

    @Override
    public ModelFile snapshot(int epochsDone) {
        return TrainingState.checkpoint(RamFiles.builder(model), adam, random, dataRandom, epochsDone, hyperParameters(settings), provenance);
    }

    /** The hyper-parameters a checkpoint records (a resumed run must give the same). */
    public static Map<String, Object> hyperParameters(Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", s.estimator().rule().text());
        m.put("samples", s.estimator().samples());
        m.put("baseline", s.estimator().baseline());
        m.put("control_variates", s.estimator().controlVariates());
        m.put("batch_size", s.batchSize());
        m.put("learning_rate", s.learningRate());
        m.put("clip_norm", s.clipNorm());
        m.put("beta1", s.beta1());
        m.put("beta2", s.beta2());
        m.put("adam_epsilon", s.epsilon());
        m.put("variance_repeats", s.varianceRepeats());
        return m;
    }

    /** Refills Adam's state from a checkpoint written by {@link #snapshot}; returns the saved action stream. */
    public static RandomStream restoreOptimizer(ModelFile checkpoint, Adam adam) {
        TrainingState.restoreOptimizer(checkpoint, adam, "adam_steps");
        return TrainingState.randomStream(checkpoint, "train.random");
    }
}
