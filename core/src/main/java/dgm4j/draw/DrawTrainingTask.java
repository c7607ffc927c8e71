package dgm4j.draw;

import java.util.LinkedHashMap;
import java.util.Map;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.io.ModelFile;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Adam;
import dgm4j.optim.GradientClipping;
import dgm4j.optim.LearningRateSchedule;
import dgm4j.train.AdamTrainingTask;
import dgm4j.train.TrainingData;

/**
 * Trains a {@link Draw} by minimising its loss L = L^x + L^z (Gregor et al. 2015, eq. 12) with Adam, one minibatch
 * per step, the gradients clipped to a global norm, as an {@link AdamTrainingTask}. The T-step graph is recorded once
 * for the batch size and replayed (backpropagation through time over all steps). The logged "loss" is L averaged over
 * the epoch's minibatches (nats per image); at each epoch end also its two parts ("reconstruction" L^x and "kl" L^z),
 * the mean gradient norm before clipping and the fraction of steps clipped, the learning rate, and "heldout_bound":
 * the variational bound (closed-form KL) on the first 1000 held-out images, binarized once (monitors only: nothing is
 * decided from them).
 *
 * <p>Checkpoint tensors besides the model's ({@link DrawFiles}): {@code train.adam.m.NAME}, {@code train.adam.v.NAME},
 * {@code train.random} (the noise stream), {@code train.data_random} (shuffling and dynamic binarization); metadata
 * "training_state" holds {@code epochs_done}, {@code adam_steps} and the hyper-parameters ({@link #hyperParameters}).
 */
public final class DrawTrainingTask extends AdamTrainingTask<Draw, DrawTrainingTask.Settings> {
    private static final int MONITOR_EXAMPLES = 1000;

    /**
     * The optimisation's hyper-parameters that resume must not change (a resumed run may be longer: the learning rate
     * is constant); the batch size and binarization are the {@link TrainingData}'s.
     *
     * @param clipNorm the global gradient norm above which gradients are scaled down
     */
    public record Settings(double learningRate, double clipNorm, double beta1, double beta2, double epsilon)
            implements AdamTrainingTask.Settings {
        public Settings {
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) throw new InputException("the learning rate must be positive, got " + learningRate);
            if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) throw new InputException("the gradient clipping norm must be positive, got " + clipNorm);
            Adam.requireSettings(beta1, beta2, epsilon);
        }

        /** Adam(0.9, 0.999, 1e-8) at a constant 1e-3, gradients clipped to a global norm of 1000 (`dgm train draw`'s). */
        public static Settings defaults() { return new Settings(1e-3, 1000, 0.9, 0.999, 1e-8); }

        public Settings withLearningRate(double lr) { return new Settings(lr, clipNorm, beta1, beta2, epsilon); }

        public Settings withClipNorm(double norm) { return new Settings(learningRate, norm, beta1, beta2, epsilon); }

        public Settings withAdam(double b1, double b2, double eps) { return new Settings(learningRate, clipNorm, b1, b2, eps); }

        /** {@link #learningRate} in every epoch, however many the run has. */
        @Override
        public LearningRateSchedule schedule() { return LearningRateSchedule.constant(learningRate, Integer.MAX_VALUE); }
    }

    private final Graph graph = new Graph();
    private final Draw.Unrolled unrolled;
    private final Node loss;
    private Graph monitorGraph;
    private Draw.Unrolled monitor;
    private double klSum, reconstructionSum, normSum;
    private int stepsSeen, clippedSteps;

    /**
     * A task with a fresh Adam ({@link #optimizer()}; a resumed run refills it with {@link #restoreOptimizer}).
     *
     * @param data       training images in [0, 1] (binarized per minibatch by the data's binarization), or binary with
     *                   {@link Binarization#none()}; held-out images for the epoch-end monitor (may be null) are
     *                   binarized once with a fixed seed
     * @param random     the noise stream (reparameterisation samples)
     * @param dataRandom the stream that shuffles and (for dynamic binarization) resamples minibatches
     */
    public DrawTrainingTask(Draw model, Settings settings, TrainingData data, RandomStream random, RandomStream dataRandom) {
        super(model, model.parameters(), settings, requireFits(model, data), random, dataRandom, MONITOR_EXAMPLES);
        if (monitorValidation() != null) DrawEstimator.requireData(model, monitorValidation(), data.validation().name());
        this.unrolled = model.unroll(graph, data.batchSize(), false);
        this.loss = Draw.loss(graph, unrolled);
    }

    /** Refuses a batch larger than the training set and images of another size or width than the model's or not in its range. */
    private static TrainingData requireFits(Draw model, TrainingData data) {
        data.requireFits(1, d -> requireImages(model.architecture(), d), d -> Binarization.requireBinary(d.features(), "DRAW (Bernoulli output)"));
        if (data.validation() != null) requireImages(model.architecture(), data.validation());
        return data;
    }

    /** Refuses data of another image size or width than the model's. */
    static void requireImages(Draw.Architecture architecture, Dataset d) {
        architecture.requireImages(d.height(), d.width(), d.dim(), d.name());
    }

    @Override
    protected double update(Matrix batch, int epoch) {
        backpropagate(graph, loss, unrolled.x().value(), batch, unrolled::fillNoise);
        double norm = GradientClipping.clipGlobalNorm(model.parameters(), settings.clipNorm());
        optimizer().step(learningRate(epoch));
        int b = unrolled.batch();
        klSum += Elementwise.sum(unrolled.kl().value()) / b;
        reconstructionSum -= Elementwise.sum(unrolled.logLikelihood().value()) / b;
        normSum += norm;
        if (norm > settings.clipNorm()) clippedSteps++;
        stepsSeen++;
        return loss.value().get(0, 0);
    }

    @Override
    protected Map<String, Double> monitors(int epoch) {
        Map<String, Double> m = new LinkedHashMap<>();
        int n = Math.max(1, stepsSeen);
        m.put("reconstruction", reconstructionSum / n);
        m.put("kl", klSum / n);
        m.put("gradient_norm", normSum / n);
        m.put("clipped", clippedSteps / (double) n);
        m.put("learning_rate", learningRate(epoch));
        klSum = reconstructionSum = normSum = 0;
        stepsSeen = clippedSteps = 0;
        Matrix heldOut = monitorValidation();
        if (heldOut != null) {
            if (monitorGraph == null) {                   // recorded once, without gradients
                monitorGraph = new Graph(false);
                monitor = model.unroll(monitorGraph, Math.min(data().batchSize(), heldOut.rows()), false);
            }
            double[] b = DrawEstimator.bound(monitorGraph, monitor, heldOut, monitorRandom(epoch), Progress.NONE);
            double s = 0;
            for (double v : b) s += v;
            m.put("heldout_bound", s / b.length);
        }
        return m;
    }

    @Override
    public ModelFile snapshot(int epochsDone) {
        return snapshot(DrawFiles.builder(model), epochsDone, hyperParameters(settings, data()));
    }

    /** The hyper-parameters a checkpoint records (a resumed run must give the same). */
    public static Map<String, Object> hyperParameters(Settings s, TrainingData d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", d.batchSize());
        m.put("learning_rate", s.learningRate());
        m.put("clip_norm", s.clipNorm());
        m.put("binarization", d.binarization().toString());
        m.put("beta1", s.beta1());
        m.put("beta2", s.beta2());
        m.put("adam_epsilon", s.epsilon());
        return m;
    }

    /** Refills the task's Adam from a checkpoint written by {@link #snapshot}; returns this task. */
    public DrawTrainingTask restoreOptimizer(ModelFile checkpoint) {
        restoreAdam(checkpoint);
        return this;
    }
}
