package dgm4j.dbm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Minibatches;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.RbmTrainer;

/**
 * Greedy layer-wise pretraining of a DBM from a stack of RBMs with the DBM corrections (Salakhutdinov and Hinton,
 * AISTATS 2009, section 3.1; the authors' rbm.m and rbm_l2.m): every RBM is trained by CD on the layer below's
 * p(h | input) (probabilities, as in the authors' code), and
 * <ul>
 *   <li>the bottom RBM's upward input is doubled, p(h1 | v) = sigmoid(a + 2 v W1), standing in for the top-down input
 *       h1 will receive from h2 in the DBM;</li>
 *   <li>the top RBM's downward input is doubled, p(h_{L-1} | h_L) = sigmoid(b + 2 h_L W_L^T), and it runs CD-k with k
 *       rising from 1 to {@link Config#topGibbsSteps} over its epochs (rbm_l2.m);</li>
 *   <li>middle RBMs (3 or more layers) are ordinary RBMs whose weights are halved in the DBM, since each of their
 *       layers gets input from both sides there;</li>
 *   <li>where two RBMs meet (h_l is the hidden layer of RBM l and the visible layer of RBM l + 1) the DBM's bias is
 *       the mean of the two: both approximate the same conditional's bias once the doubled input is replaced by the
 *       neighbours' real inputs.</li>
 * </ul>
 * The {@link RbmTrainer} is reused as it is, on a {@link BernoulliRbm#withInputMultipliers} view of each RBM.
 */
public final class DbmPretraining {
    private DbmPretraining() {}

    /**
     * Hyper-parameters of every RBM in the stack, immutable: {@link #defaults()} is the authors' recipe; change them
     * with the {@code withX} methods.
     *
     * @param topGibbsSteps k of the top RBM's CD-k at its last epoch (rising linearly from 1)
     */
    public record Config(int epochs, int batchSize, float learningRate, float weightDecay, float initialMomentum,
                         float finalMomentum, int topGibbsSteps) {
        public Config {
            if (epochs < 1) throw new InputException("pretraining epochs must be at least 1, got " + epochs);
            if (batchSize < 1) throw new InputException("batch size must be positive, got " + batchSize);
            if (topGibbsSteps < 1) throw new InputException("top RBM's Gibbs steps must be at least 1, got " + topGibbsSteps);
            rbmConfig(learningRate, weightDecay, initialMomentum, finalMomentum, epochs, topGibbsSteps);   // their checks
        }

        /** 10 epochs, batch 100, lr 0.05, weight decay 1e-3, momentum 0.5 then 0.9 from epoch 5, the top RBM's k 1 to 10. */
        public static Config defaults() {
            return new Config(10, 100, 0.05f, 1e-3f, 0.5f, 0.9f, 10);
        }

        public Config withEpochs(int n) {
            return new Config(n, batchSize, learningRate, weightDecay, initialMomentum, finalMomentum, topGibbsSteps);
        }

        public Config withBatchSize(int b) {
            return new Config(epochs, b, learningRate, weightDecay, initialMomentum, finalMomentum, topGibbsSteps);
        }

        public Config withLearningRate(float lr) {
            return new Config(epochs, batchSize, lr, weightDecay, initialMomentum, finalMomentum, topGibbsSteps);
        }

        public Config withWeightDecay(float decay) {
            return new Config(epochs, batchSize, learningRate, decay, initialMomentum, finalMomentum, topGibbsSteps);
        }

        public Config withMomentum(float initial, float last) {
            return new Config(epochs, batchSize, learningRate, weightDecay, initial, last, topGibbsSteps);
        }

        public Config withTopGibbsSteps(int k) {
            return new Config(epochs, batchSize, learningRate, weightDecay, initialMomentum, finalMomentum, k);
        }

        /** The config of RBM {@code l} of {@code layers}: CD-1, or for the top RBM of a stack, CD-k with k rising. */
        RbmTrainer.Config rbm(int l, int layers) {
            RbmTrainer.Config c = rbmConfig(learningRate, weightDecay, initialMomentum, finalMomentum, epochs, topGibbsSteps);
            return l == layers && l > 1 ? c : c.withFinalGibbsSteps(0);
        }

        private static RbmTrainer.Config rbmConfig(float lr, float decay, float initial, float last, int epochs, int topK) {
            return RbmTrainer.Config.defaults().withLearningRate(lr).withWeightDecay(decay).withMomentum(initial, last)
                    .withEpochs(epochs).withFinalGibbsSteps(topK);
        }
    }

    /**
     * Pretrains a DBM with layer sizes (train.dim(), hidden...) on {@code train} (values in [0, 1], binarized for the
     * bottom RBM by {@code binarization}); {@code log} receives one line per RBM epoch.
     */
    public static Dbm pretrain(Dataset train, int[] hidden, Binarization binarization, Config config,
                               RandomStream random, Consumer<String> log) {
        int layers = hidden.length;
        if (layers < 1) throw new InputException("a DBM needs at least one hidden layer");
        List<BernoulliRbm> rbms = new ArrayList<>();
        Dataset input = train;
        int below = train.dim();
        for (int l = 1; l <= layers; l++) {
            boolean bottom = l == 1, top = l == layers;
            BernoulliRbm rbm = BernoulliRbm.initialize(below, hidden[l - 1], random.split(l));
            // visible biases start at the data's log-odds (Hinton's practical guide, section 8.1): without it a short
            // pretraining leaves b_0 near 0, and chains started from sigmoid(b_0) begin in noise far from the data
            logOdds(Elementwise.columnSums(input.features(), 1f / input.size(), 0f, rbm.visibleBias()));
            BernoulliRbm view = rbm.withInputMultipliers(bottom && !top ? 2f : 1f, top && !bottom ? 2f : 1f);
            RbmTrainer.Config c = config.rbm(l, layers);
            RbmTrainer trainer = new RbmTrainer(view, c, random.split(100 + l));
            Minibatches batches = new Minibatches(input, config.batchSize(), input.size() >= config.batchSize(), bottom ? binarization : Binarization.none(),
                    random.split(200 + l));
            Matrix monitor = Binarization.fixed(l).apply(input.subset(0, Math.min(1000, input.size()))).features();
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                while (batches.next()) trainer.update(batches.features(), epoch);
                log.accept(String.format(Locale.ROOT, "pretraining RBM %d (%d-%d, %s%s): epoch %d/%d, reconstruction error %.5f",
                        l, below, hidden[l - 1], c.algorithm(epoch), bottom && !top ? ", upward input doubled" : top && !bottom
                                ? ", downward input doubled" : "", epoch + 1, config.epochs(), trainer.reconstructionError(monitor)));
            }
            rbms.add(rbm);
            if (!top) {
                // the next RBM's data: p(h_l | layer below) as this RBM computes it (doubled input at the bottom)
                Matrix features = view.hiddenProbabilities(input.features(), Matrix.zeros(input.size(), hidden[l - 1]));
                input = new Dataset(train.name() + " h" + l, features, train.labels(), 0, 0, train.numClasses());
            }
            below = hidden[l - 1];
        }
        return compose(rbms);
    }

    /** p -> ln(p / (1 - p)) in place, p clipped to [0.001, 0.999]. */
    private static void logOdds(Matrix p) {
        for (int i = 0; i < p.cols(); i++) {
            double q = Math.min(0.999, Math.max(0.001, p.get(0, i)));
            p.set(0, i, (float) Math.log(q / (1 - q)));
        }
    }

    /** The DBM of a pretrained stack: middle weights halved, biases averaged where two RBMs meet. */
    static Dbm compose(List<BernoulliRbm> rbms) {
        int layers = rbms.size();
        List<Matrix> w = new ArrayList<>(), b = new ArrayList<>();
        b.add(rbms.get(0).visibleBias().copy());
        for (int l = 1; l <= layers; l++) {
            BernoulliRbm rbm = rbms.get(l - 1);
            boolean middle = l > 1 && l < layers;
            w.add(middle ? Elementwise.scale(rbm.weights().copy(), 0.5f) : rbm.weights().copy());
            Matrix bias = rbm.hiddenBias().copy();
            if (l < layers) Elementwise.axpby(0.5f, bias, 0.5f, rbms.get(l).visibleBias(), bias);
            b.add(bias);
        }
        return new Dbm(w, b);
    }
}
