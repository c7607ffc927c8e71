package dgm4j.draw;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Minibatches;
import dgm4j.io.ModelFile;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Adam;
import dgm4j.optim.GradientClipping;
import dgm4j.train.TrainingState;
import dgm4j.train.TrainingTask;

/**
 * Trains a {@link Draw} by minimising its loss L = L^x + L^z (Gregor et al. 2015, eq. 12) with Adam, one minibatch
 * per step, the gradients clipped to a global norm, under {@link dgm4j.train.TrainingRun}. The T-step graph is
 * recorded once for the batch size and replayed (backpropagation through time over all steps). The logged "loss" is
 * L averaged over the epoch's minibatches (nats per image); at each epoch end also its two parts
 * ("reconstruction" L^x and "kl" L^z), the mean gradient norm before clipping and the fraction of steps clipped, the
 * learning rate, and "heldout_bound": the variational bound (closed-form KL) on the first 1000 held-out images,
 * binarized once (monitors only: nothing is decided from them).
 *
 * <p>Checkpoint tensors besides the model's ({@link DrawFiles}): {@code train.adam.m.NAME}, {@code train.adam.v.NAME},
 * {@code train.random} (the noise stream), {@code train.data_random} (shuffling and dynamic binarization); metadata
 * "training_state" holds {@code epochs_done}, {@code adam_steps} and the hyper-parameters ({@link #hyperParameters}).
 */
public final class DrawTrainingTask implements TrainingTask {
    private static final int MONITOR_EXAMPLES = 1000;

    /**
     * The hyper-parameters of a run that resume must not change (a resumed run may be longer: the learning rate is
     * constant).
     *
     * @param clipNorm the global gradient norm above which gradients are scaled down
     */
    public record Settings(int batchSize, double learningRate, double clipNorm, Binarization binarization,
                           double beta1, double beta2, double epsilon) {
        public Settings {
            if (batchSize < 1) throw new InputException("the batch size must be at least 1, got " + batchSize);
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) throw new InputException("the learning rate must be positive, got " + learningRate);
            if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) throw new InputException("the gradient clipping norm must be positive, got " + clipNorm);
        }

        /** Adam over the model's parameters with these betas and epsilon. */
        public Adam adam(Draw model) { return new Adam(model.parameters(), beta1, beta2, epsilon); }
    }

    private final Draw model;
    private final Settings settings;
    private final Minibatches batches;
    private final Adam adam;
    private final RandomStream random;
    private final RandomStream dataRandom;
    private final Matrix monitorValidation;
    private final Map<String, Object> provenance;
    private final Graph graph = new Graph();
    private final Draw.Unrolled unrolled;
    private final Node loss;
    private final List<Matrix> biases;
    private Graph monitorGraph;
    private Draw.Unrolled monitor;
    private double klSum, reconstructionSum, normSum;
    private int stepsSeen, clippedSteps;

    /**
     * @param train      training images in [0, 1] (binarized per minibatch by the settings' binarization), or binary with
     *                   {@link Binarization#none()}
     * @param validation held-out images for the epoch-end monitor (may be null); binarized once with a fixed seed
     * @param random     the noise stream (reparameterisation samples)
     * @param dataRandom the stream that shuffles and (for dynamic binarization) resamples minibatches
     */
    public DrawTrainingTask(Draw model, Settings settings, Dataset train, Dataset validation, Adam adam, RandomStream random,
                            RandomStream dataRandom, Map<String, Object> provenance) {
        TrainingState.requireSamplesAndBatch(1, settings.batchSize(), train);
        requireImages(model, train);
        if (settings.binarization().kind() == Binarization.Kind.NONE) Binarization.requireBinary(train.features(), "DRAW (Bernoulli output)");
        else Binarization.requireUnitRange(train.features(), train.name());
        this.model = model;
        this.settings = settings;
        this.adam = adam;
        this.random = random;
        this.dataRandom = dataRandom;
        this.batches = new Minibatches(train, settings.batchSize(), true, settings.binarization(), dataRandom);
        if (validation != null) requireImages(model, validation);
        this.monitorValidation = settings.binarization().monitorFeatures(validation, MONITOR_EXAMPLES);
        if (monitorValidation != null) DrawEstimator.requireData(model, monitorValidation, validation.name());
        this.provenance = provenance;
        this.unrolled = model.unroll(graph, settings.batchSize(), false);
        this.loss = Draw.loss(graph, unrolled);
        this.biases = model.parameters().stream().filter(p -> p.value().rows() == 1).map(Parameter::value).toList();
    }

    /** Refuses data of another image size or width than the model's. */
    static void requireImages(Draw model, Dataset d) {
        model.architecture().requireImages(d.height(), d.width(), d.dim(), d.name());
    }

    @Override
    public int stepsPerEpoch() { return batches.batchesPerEpoch(); }

    @Override
    public double step(int epoch, int step) {
        if (!batches.next()) throw new IllegalStateException("minibatches ran out before step " + step);
        unrolled.x().value().copyFrom(batches.features());
        unrolled.fillNoise(random);
        graph.forward();
        graph.backward(loss);
        double norm = GradientClipping.clipGlobalNorm(model.parameters(), settings.clipNorm());
        adam.step(settings.learningRate());
        if (step == stepsPerEpoch() - 1 && batches.next()) throw new IllegalStateException("more minibatches than steps in the epoch");
        int b = unrolled.batch();
        klSum += Elementwise.sum(unrolled.kl().value()) / b;
        reconstructionSum -= Elementwise.sum(unrolled.logLikelihood().value()) / b;
        normSum += norm;
        if (norm > settings.clipNorm()) clippedSteps++;
        stepsSeen++;
        return loss.value().get(0, 0);
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
        m.put("reconstruction", reconstructionSum / n);
        m.put("kl", klSum / n);
        m.put("gradient_norm", normSum / n);
        m.put("clipped", clippedSteps / (double) n);
        m.put("learning_rate", settings.learningRate());
        klSum = reconstructionSum = normSum = 0;
        stepsSeen = clippedSteps = 0;
        if (monitorValidation != null) {
            // a separate stream, so that monitoring does not change the training run
            if (monitorGraph == null) {                   // recorded once, without gradients
                monitorGraph = new Graph(false);
                monitor = model.unroll(monitorGraph, Math.min(settings.batchSize(), monitorValidation.rows()), false);
            }
            double[] b = DrawEstimator.bound(monitorGraph, monitor, monitorValidation, new RandomStream(987654321L + epoch), Progress.NONE);
            double s = 0;
            for (double v : b) s += v;
            m.put("heldout_bound", s / b.length);
        }
        return m;
    }

    public Draw model() { return model; }

    public Adam optimizer() { return adam; }

    @Override
    public ModelFile snapshot(int epochsDone) {
        return TrainingState.checkpoint(DrawFiles.builder(model), adam, random, dataRandom, epochsDone, hyperParameters(settings), provenance);
    }

    /** The hyper-parameters a checkpoint records (a resumed run must give the same). */
    public static Map<String, Object> hyperParameters(Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", s.batchSize());
        m.put("learning_rate", s.learningRate());
        m.put("clip_norm", s.clipNorm());
        m.put("binarization", s.binarization().toString());
        m.put("beta1", s.beta1());
        m.put("beta2", s.beta2());
        m.put("adam_epsilon", s.epsilon());
        return m;
    }

    /** Refills Adam's state from a checkpoint written by {@link #snapshot}; returns the saved noise stream. */
    public static RandomStream restoreOptimizer(ModelFile checkpoint, Adam adam) {
        TrainingState.restoreOptimizer(checkpoint, adam, "adam_steps");
        return TrainingState.randomStream(checkpoint, "train.random");
    }
}
