package dgm4j.rbm;

import java.util.List;
import java.util.Map;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.data.Standardization;
import dgm4j.io.ModelFile;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingSession;
import dgm4j.train.TrainingState;

/**
 * RBMs of every kind in a {@link TrainingSession}: a new run starts from the kind's {@code initialize} (replicated
 * softmax at the unigram model), a resumed one from its checkpoint's model, velocities, chains and random streams.
 * Gaussian RBMs train on per-column standardised data and their files keep the standardisation.
 */
public final class RbmFamily implements TrainingSession.Family<RbmTrainingTask> {
    private final String visibleType;
    private final int hidden;
    private final boolean learnVariance;
    private final RbmTrainer.Config config;
    private final TrainingData data;               // as the model sees them
    private final Standardization standardization; // Gaussian units: what turned the given data into those
    private final List<String> vocabulary;

    private RbmFamily(String visibleType, int hidden, boolean learnVariance, RbmTrainer.Config config, TrainingData data,
                      Standardization standardization, List<String> vocabulary) {
        if (hidden < 0) throw new InputException("hidden units must be positive, got " + hidden);
        this.visibleType = visibleType;
        this.hidden = hidden;
        this.learnVariance = learnVariance;
        this.config = config;
        this.data = data;
        this.standardization = standardization;
        this.vocabulary = vocabulary;
    }

    /**
     * Binary visible units ({@link BernoulliRbm}) on data in [0, 1], binarized as {@code data} says. {@code hidden}
     * units (0 when resuming: the checkpoint's, whatever their number).
     */
    public static RbmFamily bernoulli(int hidden, RbmTrainer.Config config, TrainingData data) {
        Binarization.requireUnitRange(data.train().features(), data.train().name());
        return new RbmFamily("bernoulli", hidden, false, config, data, null, null);
    }

    /**
     * Real-valued visible units ({@link GaussianRbm}, variances learned or fixed at 1) on the data standardised per
     * column, each standard deviation at least {@code minStd} ({@link Standardization#fit}); {@code data} must not be
     * binarized.
     */
    public static RbmFamily gaussian(int hidden, boolean learnVariance, float minStd, RbmTrainer.Config config, TrainingData data) {
        requireUnbinarized(data, "gaussian");
        Standardization s = Standardization.fit(data.train(), minStd);   // deterministic: a resumed run refits the same
        TrainingData standardised = data.withSets(s.apply(data.train()), data.validation() == null ? null : s.apply(data.validation()));
        return new RbmFamily("gaussian", hidden, learnVariance, config, standardised, s, null);
    }

    /** Word counts ({@link ReplicatedSoftmaxRbm}), one document a row; {@code data} must not be binarized. */
    public static RbmFamily softmax(int hidden, RbmTrainer.Config config, TrainingData data) {
        requireUnbinarized(data, "softmax");
        Matrix counts = data.train().features();
        new ReplicatedSoftmaxRbm(Matrix.zeros(counts.cols(), 1), Matrix.zeros(1, counts.cols()), Matrix.zeros(1, 1))
                .requireVisible(counts);   // non-negative integers, no empty document
        return new RbmFamily("softmax", hidden, false, config, data, null, null);
    }

    private static void requireUnbinarized(TrainingData data, String type) {
        if (data.binarization().kind() != Binarization.Kind.NONE) {
            throw new InputException(type + " visible units take the data as they are, not binarized " + data.binarization());
        }
    }

    /** The words of a word-count model's columns, saved with it (for its topics). */
    public RbmFamily withVocabulary(List<String> words) {
        return new RbmFamily(visibleType, hidden, learnVariance, config, data, standardization, List.copyOf(words));
    }

    /** The standardisation of Gaussian units (null for other kinds). */
    public Standardization standardization() { return standardization; }

    @Override
    public String kind() { return Rbm.KIND; }

    @Override
    public Map<String, Object> hyperParameters() { return RbmTrainingTask.hyperParameters(config, data.batchSize()); }

    @Override
    public RbmTrainingTask start(RandomStream root) {
        if (hidden < 1) throw new InputException("a new RBM needs at least one hidden unit, got " + hidden);
        RandomStream random = root.split(0);
        int d = data.train().dim();
        Rbm rbm = switch (visibleType) {
            case "gaussian" -> GaussianRbm.initialize(d, hidden, learnVariance, random);
            case "softmax" -> {
                ReplicatedSoftmaxRbm r = ReplicatedSoftmaxRbm.initialize(d, hidden, random);
                r.visibleBias().copyFrom(ReplicatedSoftmaxRbm.unigramBias(data.train().features()));   // the unigram model
                yield r;
            }
            default -> BernoulliRbm.initialize(d, hidden, random);
        };
        return task(new RbmTrainer(rbm, config, random), root.split(1));
    }

    @Override
    public void requireFits(ModelFile checkpoint) {
        Rbm rbm = RbmFiles.read(checkpoint);
        if (!rbm.visibleType().equals(visibleType)) {
            throw new InputException(checkpoint.source() + " holds an RBM with " + rbm.visibleType() + " visible units, not "
                    + visibleType + ": resume it as one (--visible " + rbm.visibleType() + ")");
        }
        if (rbm.visibleUnits() != data.train().dim()) {
            throw new InputException(checkpoint.source() + " has " + rbm.visibleUnits() + " visible units but the data have "
                    + data.train().dim() + " columns");
        }
        if (hidden > 0 && rbm.hiddenUnits() != hidden) {
            throw new InputException(hidden + " hidden units disagree with the checkpoint's " + rbm.hiddenUnits() + " (--hidden)");
        }
    }

    @Override
    public RbmTrainingTask resume(ModelFile checkpoint) {
        RbmTrainer trainer = new RbmTrainer(RbmFiles.read(checkpoint), config, TrainingState.randomStream(checkpoint, TrainingState.RANDOM));
        return task(trainer, RbmTrainingTask.restore(checkpoint, trainer));
    }

    /** The task, with the standardisation and vocabulary its files keep. */
    private RbmTrainingTask task(RbmTrainer trainer, RandomStream dataRandom) {
        RbmTrainingTask task = new RbmTrainingTask(trainer, data, dataRandom);
        if (standardization != null) {
            task.withTensor(RbmFiles.DATA_MEAN, standardization.mean()).withTensor(RbmFiles.DATA_STD, standardization.std());
        }
        if (vocabulary != null) task.withMetadata(RbmFiles.VOCABULARY, vocabulary);
        return task;
    }
}
