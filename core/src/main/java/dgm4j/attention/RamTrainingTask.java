package dgm4j.attention;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.data.Dataset;
import dgm4j.io.ModelFile;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Adam;
import dgm4j.optim.GradientClipping;
import dgm4j.optim.LearningRateSchedule;
import dgm4j.train.AdamTrainingTask;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingState;

/**
 * Trains a {@link RecurrentAttention} by one of {@link AttentionGradients}' rules with Adam, one minibatch of labelled
 * images per step (the last partial batch of an epoch dropped: the graph is recorded once for the batch size), the
 * gradients clipped to a global norm, as an {@link AdamTrainingTask}. The logged "loss" is minus the rule's
 * objective averaged over the epoch's minibatches (REINFORCE: minus the reward, i.e. the error rate - 1; prior: minus the
 * mean log p(y | a, X); wake-sleep: -L_M). At each epoch end also: "sampled_error" (REINFORCE and prior: the error of
 * the glimpses drawn in training; absent for wake-sleep, whose glimpses saw the label), "train_error" and
 * "heldout_error" (glimpses from the policy, one sequence per image, on the first 1000 training and held-out images),
 * "effective_samples" (wake-sleep: 1 / sum_m w~_m^2), the mean gradient norm before clipping and the fraction of steps
 * clipped, and, unless turned off, "gradient_variance" and "policy_gradient_variance": the total variance of the
 * estimated gradient of the attention model's parameters W (and of its location/scale policy alone) over
 * {@code varianceRepeats} estimates on a fixed minibatch (the first of the training set). Monitors draw from streams of
 * their own, so they do not change the run. Images are taken as they are (the data's binarization applies if it has
 * one).
 *
 * <p>Checkpoint tensors besides the model's ({@link RamFiles}): {@code train.adam.m.NAME}, {@code train.adam.v.NAME},
 * {@code train.random} (the actions), {@code train.data_random} (shuffling); metadata "training_state" holds
 * {@code epochs_done}, {@code adam_steps} and the hyper-parameters ({@link #hyperParameters}).
 */
public final class RamTrainingTask extends AdamTrainingTask<RecurrentAttention, RamTrainingTask.Settings> {
    private static final int MONITOR_EXAMPLES = 1000;

    /**
     * The optimisation's hyper-parameters that resume must not change (the learning rate is constant, so a resumed run
     * may be longer); the batch size is the {@link TrainingData}'s.
     *
     * @param clipNorm        the global gradient norm above which gradients are scaled down
     * @param varianceRepeats estimates per epoch for the gradient-variance monitor (0: off)
     */
    public record Settings(AttentionGradients.Settings estimator, double learningRate, double clipNorm, double beta1, double beta2,
                           double epsilon, int varianceRepeats) implements AdamTrainingTask.Settings {
        public Settings {
            if (estimator == null) throw new InputException("the estimator's settings are needed");
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) throw new InputException("the learning rate must be positive, got " + learningRate);
            if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) throw new InputException("the gradient clipping norm must be positive, got " + clipNorm);
            if (varianceRepeats < 0 || varianceRepeats == 1) throw new InputException("the variance monitor needs 0 (off) or at least 2 estimates, got " + varianceRepeats);
            Adam.requireSettings(beta1, beta2, epsilon);
        }

        /** REINFORCE with the learned baseline, Adam(0.9, 0.999, 1e-8) at a constant 1e-3, gradients clipped to a global
         *  norm of 10, no variance monitor (`dgm train ram`'s). */
        public static Settings defaults() {
            return new Settings(new AttentionGradients.Settings(AttentionGradients.Rule.REINFORCE, 1, true, true), 1e-3, 10, 0.9, 0.999, 1e-8, 0);
        }

        /** The learning rule and its samples M per image (e.g. wake-sleep with M = 5, control variates on). */
        public Settings withRule(AttentionGradients.Rule rule, int samples) {
            return withEstimator(new AttentionGradients.Settings(rule, samples, estimator.baseline(), estimator.controlVariates()));
        }

        public Settings withEstimator(AttentionGradients.Settings e) {
            return new Settings(e, learningRate, clipNorm, beta1, beta2, epsilon, varianceRepeats);
        }

        public Settings withLearningRate(double lr) { return new Settings(estimator, lr, clipNorm, beta1, beta2, epsilon, varianceRepeats); }

        public Settings withClipNorm(double norm) { return new Settings(estimator, learningRate, norm, beta1, beta2, epsilon, varianceRepeats); }

        public Settings withAdam(double b1, double b2, double eps) { return new Settings(estimator, learningRate, clipNorm, b1, b2, eps, varianceRepeats); }

        /** Estimates per epoch of the gradient-variance monitor (0: off). */
        public Settings withVarianceRepeats(int n) { return new Settings(estimator, learningRate, clipNorm, beta1, beta2, epsilon, n); }

        /** {@link #learningRate} in every epoch, however many the run has. */
        @Override
        public LearningRateSchedule schedule() { return LearningRateSchedule.constant(learningRate, Integer.MAX_VALUE); }
    }

    private final AttentionGradients gradients;
    private final int[] monitorTrainLabels, monitorValidationLabels;
    private final Matrix varianceImages;
    private final int[] varianceLabels;
    private RamEvaluation evaluation;
    private double objectiveSum, errorSum, normSum, effectiveSum;
    private int stepsSeen, clippedSteps;

    /**
     * A task with a fresh Adam over all the model's parameters ({@link #optimizer()}; a resumed run refills it with
     * {@link #restoreOptimizer}).
     *
     * @param data       labelled images of the model's size, and held-out ones for the monitors (may be null)
     * @param random     the stream actions are drawn from
     * @param dataRandom the stream that shuffles the minibatches
     */
    public RamTrainingTask(RecurrentAttention model, Settings settings, TrainingData data, RandomStream random, RandomStream dataRandom) {
        super(model, model.parameters(), settings, requireFits(model, settings, data), random, dataRandom, MONITOR_EXAMPLES);
        this.gradients = new AttentionGradients(model, settings.estimator(), data.batchSize());
        this.monitorTrainLabels = Arrays.copyOf(data.train().labels(), Math.min(MONITOR_EXAMPLES, data.train().size()));
        this.monitorValidationLabels = data.validation() == null ? null
                : Arrays.copyOf(data.validation().labels(), Math.min(MONITOR_EXAMPLES, data.validation().size()));
        this.varianceImages = data.train().features().rows(0, data.batchSize());
        this.varianceLabels = Arrays.copyOf(data.train().labels(), data.batchSize());
    }

    /** Refuses a batch larger than the training set, images of another size than the model's, unlabelled data. */
    private static TrainingData requireFits(RecurrentAttention model, Settings settings, TrainingData data) {
        TrainingState.requireSamplesAndBatch(settings.estimator().samples(), data.batchSize(), data.train());
        requireLabelledImages(model, data.train());
        if (data.validation() != null) requireLabelledImages(model, data.validation());
        return data;
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
    protected double update(Matrix batch, int epoch) {
        AttentionGradients.Estimate e = gradients.estimate(batch, batches().labels(), random());
        double norm = GradientClipping.clipGlobalNorm(model.parameters(), settings.clipNorm());
        optimizer().step(learningRate(epoch));
        objectiveSum += e.objective();
        errorSum += e.errorRate();
        effectiveSum += e.effectiveSamples();
        normSum += norm;
        if (norm > settings.clipNorm()) clippedSteps++;
        stepsSeen++;
        return -e.objective();
    }

    @Override
    protected Map<String, Double> monitors(int epoch) {
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
        // glimpses from the policy on fixed images, and repeated estimates on a fixed minibatch, from the monitors' stream
        if (evaluation == null) evaluation = new RamEvaluation(model, Math.min(100, data().batchSize()), 1);
        RandomStream r = monitorRandom(epoch);
        m.put("train_error", evaluation.classify(monitorTrain(), monitorTrainLabels, r.split(0), Progress.NONE).errorRate());
        if (monitorValidation() != null) {
            m.put("heldout_error", evaluation.classify(monitorValidation(), monitorValidationLabels, r.split(1), Progress.NONE).errorRate());
        }
        if (settings.varianceRepeats() > 0) {
            AttentionGradients.Variance v = gradients.variance(varianceImages, varianceLabels, settings.varianceRepeats(), r.split(2),
                    model.modelParameters());
            m.put("gradient_variance", v.total());
            m.put("policy_gradient_variance", v.of(model.policyParameters()));
        }
        m.put("learning_rate", learningRate(epoch));
        return m;
    }

    public AttentionGradients gradients() { return gradients; }

    @Override
    public ModelFile snapshot(int epochsDone) {
        return snapshot(RamFiles.builder(model), epochsDone, hyperParameters(settings, data()));
    }

    /** The hyper-parameters a checkpoint records (a resumed run must give the same). */
    public static Map<String, Object> hyperParameters(Settings s, TrainingData d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", s.estimator().rule().text());
        m.put("samples", s.estimator().samples());
        m.put("baseline", s.estimator().baseline());
        m.put("control_variates", s.estimator().controlVariates());
        m.put("batch_size", d.batchSize());
        m.put("binarization", d.binarization().toString());
        m.put("learning_rate", s.learningRate());
        m.put("clip_norm", s.clipNorm());
        m.put("beta1", s.beta1());
        m.put("beta2", s.beta2());
        m.put("adam_epsilon", s.epsilon());
        m.put("variance_repeats", s.varianceRepeats());
        return m;
    }

    /** Refills the task's Adam from a checkpoint written by {@link #snapshot}; returns this task. */
    public RamTrainingTask restoreOptimizer(ModelFile checkpoint) {
        restoreAdam(checkpoint);
        return this;
    }
}
