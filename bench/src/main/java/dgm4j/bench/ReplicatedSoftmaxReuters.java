package dgm4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dgm4j.Progress;
import dgm4j.ais.AisEstimate;
import dgm4j.ais.AnnealingSchedule;
import dgm4j.ais.ReplicatedSoftmaxAis;
import dgm4j.data.TextCorpus;
import dgm4j.fetch.DataCatalog;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.RbmTrainer;
import dgm4j.rbm.ReplicatedSoftmaxRbm;

/**
 * The real-data experiment for the replicated softmax model: Reuters grain (Weka's ModApte split; train to train, test
 * held out), top-K vocabulary from the training split, RS with F hidden units trained by CD-1, held-out perplexity by
 * forward AIS per distinct test-document length, beside the unigram model (the AIS base model). Prints the top words
 * of the hidden units with the largest weights.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp 'bench/target/dgm4j-bench.jar:bench/target/lib/*' \
 *       dgm4j.bench.ReplicatedSoftmaxReuters DATA_DIR [hidden=50] [epochs=30] [lr=0.002] [runs=20] [scheduleScale=0.2]
 * </pre>
 */
public final class ReplicatedSoftmaxReuters {
    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        float lr = args.length > 3 ? Float.parseFloat(args[3]) : 0.002f;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        double scale = args.length > 5 ? Double.parseDouble(args[5]) : 0.2;
        DataCatalog catalog = DataCatalog.standard();
        System.out.println(catalog.fetch("reuters-grain", dataDir, Progress.NONE));
        long t0 = System.nanoTime();
        TextCorpus.Split split = TextCorpus.reutersGrain(dataDir, TextCorpus.DEFAULT_VOCABULARY);
        Matrix train = split.train().dataset().features(), test = split.test().dataset().features();
        System.out.printf(Locale.ROOT, "train %d docs (%d dropped empty), %d tokens; test %d docs (%d dropped), %d tokens; vocabulary %d%n",
                train.rows(), split.train().droppedEmpty(), split.train().tokens(), test.rows(), split.test().droppedEmpty(),
                split.test().tokens(), split.vocabulary().size());

        Matrix bA = ReplicatedSoftmaxRbm.unigramBias(train);
        ReplicatedSoftmaxRbm rbm = ReplicatedSoftmaxRbm.initialize(train.cols(), hidden, new RandomStream(1));
        rbm.visibleBias().copyFrom(bA);
        RbmTrainer.Config c = RbmTrainer.Config.defaults().withLearningRate(lr).withWeightDecay(1e-4f);
        RbmTrainer trainer = new RbmTrainer(rbm, c, new RandomStream(2));
        RandomStream shuffle = new RandomStream(3);
        int batch = 50;
        Matrix mb = Matrix.zeros(batch, train.cols());
        long tTrain = System.nanoTime();
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] perm = shuffle.permutation(train.rows());
            for (int from = 0; from + batch <= perm.length; from += batch) {
                for (int r = 0; r < batch; r++) mb.rows(r, r + 1).copyFrom(train.rows(perm[from + r], perm[from + r] + 1));
                trainer.update(mb, epoch);
            }
            if (epoch % 5 == 4 || epoch == epochs - 1) {
                System.out.printf(Locale.ROOT, "epoch %d: reconstruction error %.5f, |W|max %.3f%n", epoch + 1,
                        trainer.reconstructionError(test), maxAbs(rbm.weights()));
            }
        }
        double trainSeconds = (System.nanoTime() - tTrain) / 1e9;

        ReplicatedSoftmaxAis ais = new ReplicatedSoftmaxAis(rbm, bA);
        AnnealingSchedule schedule = AnnealingSchedule.standardScaled(scale);
        long tAis = System.nanoTime();
        ReplicatedSoftmaxAis.HeldOut held = ais.evaluate(test, schedule, runs, new RandomStream(4), Progress.NONE);
        double aisSeconds = (System.nanoTime() - tAis) / 1e9;
        double[] uni = ais.baseLogProbabilities(test);
        double maxStd = 0, meanStd = 0;
        for (AisEstimate e : held.partitions().values()) {
            maxStd = Math.max(maxStd, e.logWeightStd());
            meanStd += e.logWeightStd() / held.partitions().size();
        }
        System.out.printf(Locale.ROOT, "CD-1, F=%d, %d epochs, lr %g, batch %d: %.1f s training%n", hidden, epochs, lr, batch, trainSeconds);
        System.out.printf(Locale.ROOT, "AIS: %d distinct test lengths (%d..%d), %d runs each, %s: %.1f s; sd(ln w) mean %.3f, max %.3f%n",
                held.partitions().size(), held.partitions().firstKey(), held.partitions().lastKey(), runs, schedule, aisSeconds, meanStd, maxStd);
        System.out.printf(Locale.ROOT, "held-out perplexity: replicated softmax %.1f, unigram %.1f%n", held.perplexity(),
                ReplicatedSoftmaxAis.perplexity(uni, held.lengths()));
        topWords(rbm, split, 10, 10);
        System.out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    static double maxAbs(Matrix m) {
        double x = 0;
        for (int i = 0; i < m.size(); i++) x = Math.max(x, Math.abs(m.getFlat(i)));
        return x;
    }

    /** The top words (largest W_kj) of the {@code units} hidden units with the largest weight norms. */
    static void topWords(ReplicatedSoftmaxRbm rbm, TextCorpus.Split split, int units, int words) {
        Matrix w = rbm.weights();
        int k = w.rows(), f = w.cols();
        List<Integer> order = new ArrayList<>();
        double[] norm = new double[f];
        for (int j = 0; j < f; j++) {
            for (int i = 0; i < k; i++) norm[j] += (double) w.get(i, j) * w.get(i, j);
            order.add(j);
        }
        order.sort((a, b) -> Double.compare(norm[b], norm[a]));
        for (int u = 0; u < Math.min(units, f); u++) {
            int j = order.get(u);
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < k; i++) idx.add(i);
            idx.sort((a, b) -> Float.compare(w.get(b, j), w.get(a, j)));
            StringBuilder sb = new StringBuilder();
            for (int t = 0; t < words; t++) sb.append(t == 0 ? "" : " ").append(split.vocabulary().word(idx.get(t)));
            System.out.printf(Locale.ROOT, "hidden %2d (|W_j| %.2f): %s%n", j, Math.sqrt(norm[j]), sb);
        }
    }
}
