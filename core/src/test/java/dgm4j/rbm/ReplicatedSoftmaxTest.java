package dgm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.ais.ExactPartition;
import dgm4j.ais.ReplicatedSoftmaxAis;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.math.Elementwise;
import dgm4j.math.LogMath;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/** The replicated softmax model against brute force: energies, statistics, Z_D over word sequences, training. */
public class ReplicatedSoftmaxTest {

    static ReplicatedSoftmaxRbm randomModel(int k, int f, float scale, long seed) {
        RandomStream r = new RandomStream(seed);
        Matrix w = Matrix.zeros(k, f), b = Matrix.zeros(1, k), a = Matrix.zeros(1, f);
        for (Matrix m : List.of(w, b, a)) for (int i = 0; i < m.size(); i++) m.setFlat(i, (float) (scale * r.nextGaussian()));
        return new ReplicatedSoftmaxRbm(w, b, a);
    }

    static Matrix randomDocs(int n, int k, int maxLength, long seed) {
        RandomStream r = new RandomStream(seed);
        Matrix v = Matrix.zeros(n, k);
        for (int i = 0; i < n; i++) {
            int d = 1 + r.nextInt(maxLength);
            for (int t = 0; t < d; t++) { int w = r.nextInt(k); v.set(i, w, v.get(i, w) + 1); }
        }
        return v;
    }

    /** -E(v, h) in double, from the definition. */
    static double negativeEnergy(ReplicatedSoftmaxRbm m, float[] v, float[] h) {
        double e = 0, d = 0;
        for (float x : v) d += x;
        for (int k = 0; k < v.length; k++) {
            e += m.visibleBias().get(0, k) * v[k];
            for (int j = 0; j < h.length; j++) e += m.weights().get(k, j) * v[k] * h[j];
        }
        for (int j = 0; j < h.length; j++) e += d * m.hiddenBias().get(0, j) * h[j];
        return e;
    }

    static float[] bits(int code, int n) {
        float[] b = new float[n];
        for (int i = 0; i < n; i++) b[i] = (code >>> i & 1) != 0 ? 1f : 0f;
        return b;
    }

    @Test
    void freeEnergyAndHiddenProbabilitiesMatchTheEnergy() {
        ReplicatedSoftmaxRbm m = randomModel(7, 4, 0.5f, 1);
        Matrix v = randomDocs(5, 7, 30, 2);
        double[] free = m.freeEnergy(v, null);
        Matrix p = m.hiddenProbabilities(v, Matrix.zeros(5, 4));
        float[] row = new float[7];
        for (int n = 0; n < 5; n++) {
            v.getRow(n, row);
            double logSum = Double.NEGATIVE_INFINITY;
            double[] pOn = new double[4];
            double[] terms = new double[16];
            for (int c = 0; c < 16; c++) terms[c] = negativeEnergy(m, row, bits(c, 4));
            logSum = LogMath.logSumExp(terms);
            for (int c = 0; c < 16; c++) for (int j = 0; j < 4; j++) pOn[j] += bits(c, 4)[j] * Math.exp(terms[c] - logSum);
            assertEquals(-logSum, free[n], 1e-4 * Math.max(1, Math.abs(logSum)), "F(v) row " + n);
            for (int j = 0; j < 4; j++) assertEquals(pOn[j], p.get(n, j), 1e-5, "p(h_" + j + " | v) row " + n);
        }
    }

    @Test
    void statisticsAreTheFiniteDifferencesOfMinusFreeEnergy() {
        ReplicatedSoftmaxRbm m = randomModel(6, 3, 0.1f, 3);
        Matrix v = randomDocs(4, 6, 12, 4);
        List<Matrix> stats = new ArrayList<>();
        for (Matrix q : m.parameters()) stats.add(Matrix.zeros(q.rows(), q.cols()));
        m.addStatistics(v, m.hiddenProbabilities(v, Matrix.zeros(4, 3)), 1f, stats);
        float eps = 1e-2f;
        for (int t = 0; t < 3; t++) {
            Matrix q = m.parameters().get(t);
            for (int i = 0; i < q.size(); i++) {
                float old = q.getFlat(i);
                q.setFlat(i, old + eps);
                double up = -sum(m.freeEnergy(v, null));
                q.setFlat(i, old - eps);
                double down = -sum(m.freeEnergy(v, null));
                q.setFlat(i, old);
                double fd = (up - down) / (2 * eps);
                assertEquals(fd, stats.get(t).getFlat(i), 2e-2 * Math.max(1, Math.abs(fd)),
                        m.parameterNames().get(t) + "[" + i + "]");
            }
        }
    }

    static double sum(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s;
    }

    @Test
    void exactPartitionIsTheSumOverAllWordSequences() {
        int k = 3, f = 2;
        ReplicatedSoftmaxRbm m = randomModel(k, f, 0.8f, 5);
        for (int d = 1; d <= 3; d++) {
            // every ordered sequence of d words, each contributing sum_h exp(-E(counts(sequence), h))
            List<Double> terms = new ArrayList<>();
            int sequences = (int) Math.pow(k, d);
            for (int s = 0; s < sequences; s++) {
                float[] counts = new float[k];
                for (int t = 0, code = s; t < d; t++, code /= k) counts[code % k]++;
                for (int c = 0; c < (1 << f); c++) terms.add(negativeEnergy(m, counts, bits(c, f)));
            }
            double brute = LogMath.logSumExp(terms.stream().mapToDouble(Double::doubleValue).toArray());
            assertEquals(brute, ExactPartition.logZ(m, new int[] {d})[0], 1e-5, "ln Z_" + d);
        }
        assertEquals(f * Math.log(2), ExactPartition.logZ(m, new int[] {0})[0], 1e-12, "Z_0 = 2^F");
    }

    @Test
    void sampleVisibleKeepsEachDocumentsLength() {
        ReplicatedSoftmaxRbm m = randomModel(10, 4, 1f, 6);
        Matrix v = randomDocs(50, 10, 100, 7);
        double[] before = Elementwise.rowSums(v);
        Matrix h = Matrix.zeros(50, 4), mean = Matrix.zeros(50, 10);
        RandomStream r = new RandomStream(8);
        for (int step = 0; step < 3; step++) {
            m.sampleHidden(v, null, h, r);
            m.sampleVisible(h, mean, v, r);
        }
        double[] after = Elementwise.rowSums(v);
        double[] meanSums = Elementwise.rowSums(mean);
        for (int n = 0; n < 50; n++) {
            assertEquals(before[n], after[n], 0.0, "length of row " + n);
            assertEquals(before[n], meanSums[n], 1e-3 * before[n], "E[v|h] sums to D");
        }
        m.requireVisible(v);
    }

    @Test
    void badCountsAreRefusedNamingRowAndColumn() {
        ReplicatedSoftmaxRbm m = randomModel(3, 2, 0.1f, 9);
        m.requireVisible(Matrix.of(2, 3, 1f, 0f, 2f, 0f, 5f, 0f));
        InputException e = assertThrows(InputException.class, () -> m.requireVisible(Matrix.of(2, 3, 1f, 0f, 2f, 0f, -1f, 3f)));
        assertTrue(e.getMessage().contains("row 1, column 1") && e.getMessage().contains("-1.0"), e.getMessage());
        e = assertThrows(InputException.class, () -> m.requireVisible(Matrix.of(1, 3, 1f, 0.5f, 2f)));
        assertTrue(e.getMessage().contains("row 0, column 1") && e.getMessage().contains("0.5"), e.getMessage());
        e = assertThrows(InputException.class, () -> m.requireVisible(Matrix.of(1, 3, 1f, 1f, Float.NaN)));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("column 2"), e.getMessage());
        assertThrows(InputException.class, () -> m.requireVisible(Matrix.of(1, 3, 1f, Float.POSITIVE_INFINITY, 0f)));
        e = assertThrows(InputException.class, () -> m.requireVisible(Matrix.of(2, 3, 1f, 0f, 0f, 0f, 0f, 0f)));
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("empty"), e.getMessage());
        assertThrows(InputException.class, () -> m.requireVisible(Matrix.zeros(1, 4)));
    }

    @Test
    void modelFileRoundTrip() {
        ReplicatedSoftmaxRbm m = randomModel(8, 3, 0.3f, 10);
        byte[] bytes = ModelFiles.toBytes(RbmFiles.builder(m, 0, 0).build());
        ModelFile file = ModelFiles.fromBytes(bytes, "m.safetensors", Set.of(Rbm.KIND));
        Rbm back = RbmFiles.read(file);
        assertTrue(back instanceof ReplicatedSoftmaxRbm);
        assertEquals("softmax", back.visibleType());
        for (int t = 0; t < 3; t++) {
            Matrix a = m.parameters().get(t), b = back.parameters().get(t);
            for (int i = 0; i < a.size(); i++) assertEquals(a.getFlat(i), b.getFlat(i), 0f);
        }
    }

    /** Documents from 3 topics over 24 words (each topic mostly on its own 8 words), two topics mixed per document. */
    public static Matrix topicDocs(int n, long seed) {
        int k = 24;
        RandomStream r = new RandomStream(seed);
        Matrix v = Matrix.zeros(n, k);
        for (int i = 0; i < n; i++) {
            int t1 = r.nextInt(3), t2 = r.nextInt(3);
            int d = 5 + r.nextInt(36);
            for (int t = 0; t < d; t++) {
                int topic = r.nextDouble() < 0.7 ? t1 : t2;
                int w = r.nextDouble() < 0.9 ? 8 * topic + r.nextInt(8) : r.nextInt(k);
                v.set(i, w, v.get(i, w) + 1);
            }
        }
        return v;
    }

    static ReplicatedSoftmaxRbm trainOnTopics(Matrix train, long seed) {
        ReplicatedSoftmaxRbm m = ReplicatedSoftmaxRbm.initialize(24, 10, new RandomStream(seed));
        m.visibleBias().copyFrom(ReplicatedSoftmaxRbm.unigramBias(train));
        RbmTrainer.Config c = RbmTrainer.Config.defaults().withLearningRate(0.005f).withWeightDecay(1e-4f);
        RbmTrainer t = new RbmTrainer(m, c, new RandomStream(seed + 1));
        int batch = 50;
        for (int epoch = 0; epoch < 30; epoch++) {
            for (int from = 0; from < train.rows(); from += batch) t.update(train.rows(from, Math.min(train.rows(), from + batch)), epoch);
        }
        return m;
    }

    /** Mean exact held-out log-probability (per document) of a model with few hidden units. */
    static double exactMeanLogProbability(ReplicatedSoftmaxRbm m, Matrix docs) {
        int[] lengths = ReplicatedSoftmaxAis.distinctLengths(docs);
        double[] logZ = ExactPartition.logZ(m, lengths);
        Map<Integer, Double> z = new HashMap<>();
        for (int i = 0; i < lengths.length; i++) z.put(lengths[i], logZ[i]);
        double[] free = m.freeEnergy(docs, null), d = Elementwise.rowSums(docs);
        double s = 0;
        for (int n = 0; n < free.length; n++) s += -free[n] - z.get((int) d[n]);
        return s / free.length;
    }

    @Test
    void cdTrainingBeatsTheUnigramModelOnHeldOutTopicData() {
        Matrix train = topicDocs(1000, 11), test = topicDocs(300, 12);
        ReplicatedSoftmaxRbm unigram = new ReplicatedSoftmaxRbm(Matrix.zeros(24, 10), ReplicatedSoftmaxRbm.unigramBias(train), Matrix.zeros(1, 10));
        double base = exactMeanLogProbability(unigram, test);
        assertEquals(sum(new ReplicatedSoftmaxAis(unigram, unigram.visibleBias()).baseLogProbabilities(test)) / test.rows(), base, 1e-3,
                "a model with W = 0, a = 0 is the unigram model");
        double trained = exactMeanLogProbability(trainOnTopics(train, 13), test);
        assertTrue(trained > base + 5, "CD-1: held-out " + trained + " nats per document vs unigram " + base);
    }

    @Test
    void persistentChainsKeepTheirDocumentLengths() {
        Matrix train = topicDocs(100, 14);
        ReplicatedSoftmaxRbm m = ReplicatedSoftmaxRbm.initialize(24, 5, new RandomStream(15));
        RbmTrainer.Config c = RbmTrainer.Config.defaults().withPersistent(true).withChains(30);
        RbmTrainer t = new RbmTrainer(m, c, new RandomStream(16));
        t.update(train.rows(0, 20), 0);
        double[] start = Elementwise.rowSums(t.chains());
        for (int n = 0; n < 30; n++) assertEquals(Elementwise.rowSums(train.rows(n % 20, n % 20 + 1))[0], start[n], 0.0);
        t.update(train.rows(20, 40), 0);
        double[] after = Elementwise.rowSums(t.chains());
        for (int n = 0; n < 30; n++) assertEquals(start[n], after[n], 0.0, "chain " + n);
    }
}
