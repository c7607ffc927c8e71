package dgm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.ais.ExactPartition;
import dgm4j.math.Elementwise;
import dgm4j.math.LogMath;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/** RBM math against brute-force enumeration of (v, h), and learning measured by the exact log-likelihood. */
public class RbmTest {

    /** A random RBM with weights of the given scale. */
    public static BernoulliRbm randomRbm(int d, int f, float scale, long seed) {
        RandomStream r = new RandomStream(seed);
        Matrix w = Matrix.zeros(d, f), b = Matrix.zeros(1, d), a = Matrix.zeros(1, f);
        r.gaussian(w); r.gaussian(b); r.gaussian(a);
        Elementwise.scale(w, scale);
        return new BernoulliRbm(w, b, a);
    }

    static float[] bits(long code, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (code >>> i & 1) != 0 ? 1f : 0f;
        return x;
    }

    /** -E(v, h) in double. */
    static double negativeEnergy(BernoulliRbm rbm, float[] v, float[] h) {
        double e = 0;
        for (int i = 0; i < v.length; i++) {
            e += rbm.visibleBias().get(0, i) * v[i];
            for (int j = 0; j < h.length; j++) e += v[i] * rbm.weights().get(i, j) * h[j];
        }
        for (int j = 0; j < h.length; j++) e += rbm.hiddenBias().get(0, j) * h[j];
        return e;
    }

    @Test
    void freeEnergyAndPartitionFunctionMatchBruteForce() {
        BernoulliRbm rbm = randomRbm(5, 4, 1.5f, 1);
        double logZ = Double.NEGATIVE_INFINITY;
        Matrix all = Matrix.zeros(32, 5);
        double[] logMarginal = new double[32];
        for (int vc = 0; vc < 32; vc++) {
            float[] v = bits(vc, 5);
            all.setRow(vc, v);
            double lm = Double.NEGATIVE_INFINITY;
            for (int hc = 0; hc < 16; hc++) lm = LogMath.logAddExp(lm, negativeEnergy(rbm, v, bits(hc, 4)));
            logMarginal[vc] = lm;
            logZ = LogMath.logAddExp(logZ, lm);
        }
        double[] free = rbm.freeEnergy(all, null);
        for (int vc = 0; vc < 32; vc++) assertEquals(logMarginal[vc], -free[vc], 1e-5);
        assertEquals(logZ, ExactPartition.logZ(rbm), 1e-5);
        // enumerating the visible side (F > D) gives the same answer
        BernoulliRbm wide = randomRbm(3, 6, 1f, 2);
        double bz = Double.NEGATIVE_INFINITY;
        for (int vc = 0; vc < 8; vc++) for (int hc = 0; hc < 64; hc++) {
            bz = LogMath.logAddExp(bz, negativeEnergy(wide, bits(vc, 3), bits(hc, 6)));
        }
        assertEquals(bz, ExactPartition.logZ(wide), 1e-5);
    }

    @Test
    void conditionalSamplesHaveTheSigmoidFrequencies() {
        BernoulliRbm rbm = randomRbm(6, 5, 1f, 3);
        int n = 20000;
        Matrix v = Matrix.zeros(n, 6);
        float[] v0 = {1, 0, 1, 1, 0, 0};
        for (int i = 0; i < n; i++) v.setRow(i, v0);
        Matrix p = Matrix.zeros(n, 5), h = Matrix.zeros(n, 5);
        rbm.sampleHidden(v, p, h, new RandomStream(4));
        for (int j = 0; j < 5; j++) {
            double input = rbm.hiddenBias().get(0, j);
            for (int i = 0; i < 6; i++) input += v0[i] * rbm.weights().get(i, j);
            double expected = 1 / (1 + Math.exp(-input));
            assertEquals(expected, p.get(0, j), 1e-6);
            double freq = 0;
            for (int i = 0; i < n; i++) freq += h.get(i, j);
            freq /= n;
            assertEquals(expected, freq, 4 * Math.sqrt(expected * (1 - expected) / n) + 1e-9);
        }
    }

    /** 4x4 "bars" images: each row and column on with probability 1/4 (a classic RBM test distribution). */
    public static Matrix bars(int n, long seed) {
        RandomStream r = new RandomStream(seed);
        Matrix x = Matrix.zeros(n, 16);
        for (int k = 0; k < n; k++) {
            float[] img = new float[16];
            boolean vertical = r.nextDouble() < 0.5;
            for (int line = 0; line < 4; line++) {
                if (r.nextDouble() < 0.25) for (int t = 0; t < 4; t++) img[vertical ? t * 4 + line : line * 4 + t] = 1f;
            }
            x.setRow(k, img);
        }
        return x;
    }

    public static double exactAverageLogLikelihood(BernoulliRbm rbm, Matrix data) {
        double logZ = ExactPartition.logZ(rbm);
        double s = 0;
        for (double f : rbm.freeEnergy(data, null)) s += -f - logZ;
        return s / data.rows();
    }

    /** Trains an RBM on bars with the given algorithm; returns it. */
    public static BernoulliRbm trainOnBars(boolean persistent, int k, int epochs, long seed) {
        Matrix data = bars(2000, seed);
        RbmTrainer.Config c = RbmTrainer.Config.defaults().withLearningRate(persistent ? 0.05f : 0.1f)
        // persistent chains must keep up with the parameters: PCD is run with less momentum (Tieleman 2008)
                .withMomentum(0.5f, persistent ? 0.5f : 0.9f).withPersistent(persistent).withGibbsSteps(k).withWeightDecay(1e-4f);
        RandomStream r = new RandomStream(seed + 1);
        BernoulliRbm rbm = BernoulliRbm.initialize(16, 12, r);
        RbmTrainer t = new RbmTrainer(rbm, c, r);
        for (int e = 0; e < epochs; e++) {
            int[] order = r.permutation(data.rows());
            Matrix batch = Matrix.zeros(50, 16);
            float[] row = new float[16];
            for (int b = 0; b + 50 <= data.rows(); b += 50) {
                for (int i = 0; i < 50; i++) { data.getRow(order[b + i], row); batch.setRow(i, row); }
                t.update(batch, e);
            }
        }
        return rbm;
    }

    @Test
    void cdAndPcdIncreaseTheExactLikelihoodWellBeyondIndependentPixels() {
        Matrix test = bars(1000, 99);
        // independent-pixel baseline: each pixel on with probability 1/4 + (1/2)(3/4)(1/4)... use the empirical marginals
        Matrix train = bars(2000, 7);
        double indep = 0;
        for (int i = 0; i < 16; i++) {
            double p = 0;
            for (int n = 0; n < train.rows(); n++) p += train.get(n, i);
            p = (p + 1) / (train.rows() + 2);
            for (int n = 0; n < test.rows(); n++) indep += test.get(n, i) > 0.5 ? Math.log(p) : Math.log(1 - p);
        }
        indep /= test.rows();
        BernoulliRbm init = BernoulliRbm.initialize(16, 12, new RandomStream(8));
        double before = exactAverageLogLikelihood(init, test);
        BernoulliRbm cd = trainOnBars(false, 1, 30, 7);
        BernoulliRbm pcd = trainOnBars(true, 1, 100, 7);
        double llCd = exactAverageLogLikelihood(cd, test), llPcd = exactAverageLogLikelihood(pcd, test);
        // the true distribution has entropy 16*... about 6.3 nats: learned models must get well past independent pixels
        assertTrue(before < -10.5, "untrained " + before);
        assertTrue(llCd > indep + 1.0, "CD-1 " + llCd + " vs independent pixels " + indep);
        assertTrue(llPcd > indep + 1.0, "PCD-1 " + llPcd + " vs independent pixels " + indep);
    }

    @Test
    void sparsityTargetLowersHiddenActivity() {
        Matrix data = bars(2000, 41);
        double[] activity = new double[2];
        for (int variant = 0; variant < 2; variant++) {
            RbmTrainer.Config c = variant == 1 ? RbmTrainer.Config.defaults().withSparsity(0.05f, 0.5f) : RbmTrainer.Config.defaults();
            RandomStream r = new RandomStream(42);
            BernoulliRbm rbm = BernoulliRbm.initialize(16, 12, r);
            RbmTrainer t = new RbmTrainer(rbm, c, r);
            for (int e = 0; e < 20; e++) for (int b = 0; b < 2000; b += 50) t.update(data.rows(b, b + 50), e);
            Matrix p = rbm.hiddenProbabilities(data, Matrix.zeros(2000, 12));
            activity[variant] = Elementwise.sum(p) / p.size();
        }
        assertTrue(activity[1] < 0.12 && activity[1] < activity[0] - 0.1,
                "mean hidden activity without / with a 0.05 target: " + activity[0] + " / " + activity[1]);
    }

    @Test
    void centeredTrainingLearnsBarsAtLeastAsWell() {
        Matrix data = bars(2000, 7), test = bars(1000, 99);
        RbmTrainer.Config c = RbmTrainer.Config.defaults().withCentering(true).withLearningRate(0.1f);
        RandomStream r = new RandomStream(8);
        BernoulliRbm rbm = BernoulliRbm.initialize(16, 12, r);
        RbmTrainer t = new RbmTrainer(rbm, c, r);
        t.setVisibleOffset(Elementwise.columnSums(data, 1f / data.rows(), 0f, Matrix.zeros(1, 16)));
        for (int e = 0; e < 30; e++) for (int b = 0; b < 2000; b += 50) t.update(data.rows(b, b + 50), e);
        double centered = exactAverageLogLikelihood(rbm, test);
        double plain = exactAverageLogLikelihood(trainOnBars(false, 1, 30, 7), test);
        assertTrue(centered > plain - 0.3, "centered CD-1 " + centered + " vs plain CD-1 " + plain);
        assertTrue(centered > -6.0, "centered CD-1 " + centered);
    }

    @Test
    void gibbsStepsRiseFromFirstToFinalOverTheEpochs() {
        RbmTrainer.Config c = RbmTrainer.Config.defaults().withEpochs(9).withFinalGibbsSteps(5);   // 1 rising to 5 (Salakhutdinov & Hinton 2009)
        int[] k = new int[9];
        for (int e = 0; e < 9; e++) k[e] = c.gibbsSteps(e);
        assertArrayEquals(new int[] {1, 2, 2, 3, 3, 4, 4, 5, 5}, k);
        assertEquals("CD-1..5", c.algorithm());
        assertEquals("CD-3", c.algorithm(4));
        c = c.withFinalGibbsSteps(0);
        assertEquals(1, c.gibbsSteps(8));
        assertEquals("CD-1", c.algorithm());

        // an update at epoch e is the constant-k update with k = gibbsSteps(e): same random draws, same parameters
        Matrix data = bars(20, 3);
        for (int e : new int[] {0, 4, 8}) {
            RbmTrainer.Config ramped = RbmTrainer.Config.defaults().withEpochs(9).withFinalGibbsSteps(5);
            RbmTrainer.Config constant = RbmTrainer.Config.defaults().withEpochs(9).withGibbsSteps(ramped.gibbsSteps(e));
            BernoulliRbm a = BernoulliRbm.initialize(16, 4, new RandomStream(5)), b = BernoulliRbm.initialize(16, 4, new RandomStream(5));
            new RbmTrainer(a, ramped, new RandomStream(6)).update(data, e);
            new RbmTrainer(b, constant, new RandomStream(6)).update(data, e);
            assertArrayEquals(b.weights().toArray(), a.weights().toArray(), "epoch " + e);
        }
        assertThrows(InputException.class, () -> RbmTrainer.Config.defaults().withGibbsSteps(3).withFinalGibbsSteps(2));
    }

    @Test
    void badInputIsRefused() {
        BernoulliRbm rbm = BernoulliRbm.initialize(4, 3, new RandomStream(1));
        assertThrows(InputException.class, () -> rbm.hiddenInput(Matrix.zeros(2, 5), Matrix.zeros(2, 3)));
        assertThrows(InputException.class, () -> new BernoulliRbm(Matrix.zeros(4, 3), Matrix.zeros(1, 3), Matrix.zeros(1, 3)));
        assertThrows(InputException.class, () -> RbmTrainer.Config.defaults().withGibbsSteps(0));
        assertThrows(InputException.class, () -> RbmTrainer.Config.defaults().withMomentum(0.5f, 1f));
        assertThrows(InputException.class, () -> RbmTrainer.Config.defaults().withFinalLearningRate(0.1f));
        assertThrows(InputException.class, () -> RbmTrainer.Config.defaults().withCentering(true).withSparsity(1.5f, 0.1f));
        RbmTrainer.Config gaussian = RbmTrainer.Config.defaults().withCentering(true);
        assertThrows(InputException.class, () -> new RbmTrainer(GaussianRbm.initialize(4, 3, false, new RandomStream(1)), gaussian, new RandomStream(1)));
        assertEquals(RbmTrainer.Config.defaults().withLearningRate(0.01f), RbmTrainer.Config.defaults().withLearningRate(0.01f));
    }
}
