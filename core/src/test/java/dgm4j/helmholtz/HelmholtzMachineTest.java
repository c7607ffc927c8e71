package dgm4j.helmholtz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.autodiff.Parameter;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;
import dgm4j.math.Elementwise;
import dgm4j.math.LogMath;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.LearningRateSchedule;
import dgm4j.rbm.RbmTest;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingState;
import dgm4j.vae.VaeEstimator;
import dgm4j.vae.VariationalAutoencoder;

/** Helmholtz machines against exact enumeration on tiny models (fixed seeds). */
class HelmholtzMachineTest {
    /** A model with N(0, scale^2) parameters (big enough for a posterior far from q). */
    static HelmholtzMachine randomModel(long seed, double scale, int... sizes) {
        HelmholtzMachine m = new HelmholtzMachine(sizes);
        RandomStream r = new RandomStream(seed);
        for (Parameter p : m.parameters()) {
            r.gaussian(p.value());
            Elementwise.scale(p.value(), (float) scale);
        }
        return m;
    }

    static Matrix randomBinary(int rows, int cols, long seed) {
        Matrix x = Matrix.zeros(rows, cols);
        new RandomStream(seed).bernoulli(Matrix.zeros(rows, cols).fill(0.5f), x);
        return x;
    }

    static double mean(double[] v) { return VaeEstimator.Summary.of(v).mean(); }

    @Test
    void exactProbabilitiesSumToOne() {
        for (int[] sizes : new int[][] {{6, 3}, {6, 3, 2}, {4, 2, 2, 2}}) {
            HelmholtzMachine m = randomModel(1, 1.0, sizes);
            int d = sizes[0];
            Matrix all = Matrix.zeros(1 << d, d);
            for (int c = 0; c < 1 << d; c++) for (int j = 0; j < d; j++) all.set(c, j, (c >>> j) & 1);
            double logTotal = LogMath.logSumExp(HelmholtzEstimator.exactLogProbability(m, all));
            assertEquals(0.0, logTotal, 1e-4, Arrays.toString(sizes));
        }
    }

    @Test
    void importanceSamplingIsAStochasticLowerBoundThatConvergesToTheExactValue() {
        for (int[] sizes : new int[][] {{6, 3}, {6, 3, 2}}) {
            HelmholtzMachine m = randomModel(2, 1.0, sizes);
            Matrix x = randomBinary(4, 6, 3);
            double[] exact = HelmholtzEstimator.exactLogProbability(m, x);
            // large k (streamed in passes of 5000 rows): each example close to its exact value
            double[] large = HelmholtzEstimator.logMeanWeights(m, x, 20000, new RandomStream(4), 5000, Progress.NONE);
            for (int i = 0; i < exact.length; i++) assertEquals(exact[i], large[i], 0.02, "example " + i + " " + Arrays.toString(sizes));
            // E[L_k] <= log p(x), rising with k: 400 repeats of each example
            Matrix repeated = Matrix.zeros(400 * x.rows(), 6);
            Elementwise.repeatRows(x, 400, repeated);
            double exactMean = mean(exact), previous = Double.NEGATIVE_INFINITY;
            for (int k : new int[] {1, 5, 50}) {
                double lk = mean(HelmholtzEstimator.logMeanWeights(m, repeated, k, new RandomStream(5 + k), 5000, Progress.NONE));
                assertTrue(lk <= exactMean + 0.02, "E[L_" + k + "] = " + lk + " above log p(x) = " + exactMean);
                assertTrue(lk > previous, "E[L_" + k + "] = " + lk + " not above the previous k's " + previous);
                previous = lk;
            }
            assertTrue(exactMean - previous < 0.1, "L_50 " + previous + " far from " + exactMean);
        }
    }

    @Test
    void reweightedPGradientWithLargeKMatchesTheExactGradient() {
        HelmholtzMachine m = randomModel(6, 1.0, 6, 3, 2);
        Matrix x = randomBinary(3, 6, 7);
        new WakeSleep(m, 40000, 3, WakeSleep.QUpdate.WAKE).gradients(x, new RandomStream(8));
        List<Parameter> p = m.generativeParameters();
        Matrix[] rws = p.stream().map(q -> q.gradient().copy()).toArray(Matrix[]::new);
        m.zeroGradients();
        HelmholtzEstimator.addExactGradient(m, x, -1f / 3);
        double max = 0;
        for (Parameter q : p) for (int e = 0; e < q.gradient().size(); e++) max = Math.max(max, Math.abs(q.gradient().getFlat(e)));
        assertTrue(max > 0.1, "exact gradient too small to test: " + max);
        for (int i = 0; i < p.size(); i++) {
            for (int e = 0; e < rws[i].size(); e++) {
                assertEquals(p.get(i).gradient().getFlat(e), rws[i].getFlat(e), 0.02 + 0.03 * max, p.get(i).name() + "[" + e + "]");
            }
        }
    }

    /** sum_r weight_r log p(x_r, h_r) (p) or log q(h_r | x_r) (q) for fixed states. */
    private static double weightedLog(HelmholtzMachine m, HelmholtzMachine.Samples s, double[] w, boolean generative) {
        if (generative) m.generate(s, null);
        else m.recognize(s, null);
        double[] v = generative ? s.logP() : s.logQ();
        double t = 0;
        for (int r = 0; r < v.length; r++) t += w[r] * v[r];
        return t;
    }

    @Test
    void closedFormGradientsMatchFiniteDifferences() {
        HelmholtzMachine m = randomModel(9, 0.7, 6, 3, 2);
        Matrix x = randomBinary(5, 6, 10);
        HelmholtzMachine.Samples s = m.new Samples(5);
        s.setData(x, 1);
        m.recognize(s, new RandomStream(11));             // fixed states h ~ q
        double[] w = {0.3, 1.0, -0.5, 0.8, 0.2};
        float eps = 1e-2f;
        for (boolean generative : new boolean[] {true, false}) {
            m.zeroGradients();
            weightedLog(m, s, w, generative);
            if (generative) m.addGenerativeGradient(s, w, 1f);
            else m.addRecognitionGradient(s, w, 1f);
            for (Parameter p : generative ? m.generativeParameters() : m.recognitionParameters()) {
                for (int e = 0; e < p.value().size(); e++) {
                    float v = p.value().getFlat(e);
                    p.value().setFlat(e, v + eps);
                    double up = weightedLog(m, s, w, generative);
                    p.value().setFlat(e, v - eps);
                    double down = weightedLog(m, s, w, generative);
                    p.value().setFlat(e, v);
                    assertEquals((up - down) / (2 * eps), p.gradient().getFlat(e), 2e-3, p.name() + "[" + e + "]");
                }
            }
        }
        // the exact gradient of log p(x) (posterior by enumeration) against finite differences of exact log p(x)
        m.zeroGradients();
        HelmholtzEstimator.addExactGradient(m, x, 1f);
        for (Parameter p : m.generativeParameters()) {
            for (int e = 0; e < p.value().size(); e++) {
                float v = p.value().getFlat(e);
                p.value().setFlat(e, v + eps);
                double up = mean(HelmholtzEstimator.exactLogProbability(m, x)) * x.rows();
                p.value().setFlat(e, v - eps);
                double down = mean(HelmholtzEstimator.exactLogProbability(m, x)) * x.rows();
                p.value().setFlat(e, v);
                assertEquals((up - down) / (2 * eps), p.gradient().getFlat(e), 2e-3, "exact " + p.name() + "[" + e + "]");
            }
        }
    }

    /** Trains a 16-6-4 machine on bars; returns the exact mean test log-likelihood before and after. */
    private static double[] trainOnBars(WakeSleep.Algorithm algorithm, int k, int epochs) {
        Matrix train = RbmTest.bars(1000, 21), test = RbmTest.bars(200, 22);
        RandomStream r = new RandomStream(23);
        HelmholtzMachine m = HelmholtzMachine.initialize(new int[] {16, 6, 4}, r.split(1), VariationalAutoencoder.columnMeans(train));
        double before = mean(HelmholtzEstimator.exactLogProbability(m, test));
        Dataset data = new Dataset("bars", train, null, 4, 4, 0);
        HelmholtzTrainingTask.Config defaults = HelmholtzTrainingTask.Config.defaults();
        HelmholtzTrainingTask.Config config = (algorithm == WakeSleep.Algorithm.WS ? defaults.withWakeSleep()
                : defaults.withReweighted(k, WakeSleep.QUpdate.BOTH)).withSchedule(LearningRateSchedule.constant(0.03, epochs));
        HelmholtzTrainingTask task = new HelmholtzTrainingTask(m, config, TrainingData.of(data, 20).withBinarization(Binarization.none()),
                r.split(2), r.split(3));
        for (int e = 0; e < epochs; e++) for (int st = 0; st < task.stepsPerEpoch(); st++) task.step(e, st);
        return new double[] {before, mean(HelmholtzEstimator.exactLogProbability(m, test))};
    }

    @Test
    void wakeSleepAndReweightedWakeSleepRaiseTheExactLikelihoodOnBars() {
        double[] ws = trainOnBars(WakeSleep.Algorithm.WS, 1, 20);
        double[] rws = trainOnBars(WakeSleep.Algorithm.RWS, 5, 20);
        String report = "WS " + ws[0] + " -> " + ws[1] + ", RWS k=5 " + rws[0] + " -> " + rws[1];
        System.out.println("bars exact test log-likelihood: " + report);
        assertTrue(ws[1] > ws[0] + 2.0, report);
        assertTrue(rws[1] > rws[0] + 3.0, report);
        assertTrue(rws[1] > ws[1] + 0.5, report);   // the paper: RWS ahead of WS
    }

    /** An RWS (k = 3) training task on 200 bars images. */
    private static HelmholtzTrainingTask barsTask(HelmholtzMachine m, RandomStream random, RandomStream dataRandom, int epochs) {
        Dataset data = new Dataset("bars", RbmTest.bars(200, 31), null, 4, 4, 0);
        HelmholtzTrainingTask.Config config = HelmholtzTrainingTask.Config.defaults().withReweighted(3, WakeSleep.QUpdate.BOTH)
                .withSchedule(LearningRateSchedule.constant(0.01, epochs));
        return new HelmholtzTrainingTask(m, config, TrainingData.of(data, 20).withBinarization(Binarization.none()), random, dataRandom);
    }

    @Test
    void aResumedRunContinuesBitForBit() {
        RandomStream root = new RandomStream(30);
        HelmholtzMachine straight = HelmholtzMachine.initialize(new int[] {16, 5, 3}, root.split(1), null);
        HelmholtzMachine copy = HelmholtzFiles.read(HelmholtzFiles.builder(straight, WakeSleep.Algorithm.RWS, 3, WakeSleep.QUpdate.BOTH, 4, 4).build()).model();
        HelmholtzTrainingTask a = barsTask(straight, root.split(2), root.split(3), 2);
        for (int e = 0; e < 2; e++) for (int st = 0; st < a.stepsPerEpoch(); st++) a.step(e, st);
        // the same run, interrupted after one epoch and resumed from its checkpoint
        HelmholtzTrainingTask b = barsTask(copy, root.split(2), root.split(3), 2);
        for (int st = 0; st < b.stepsPerEpoch(); st++) b.step(0, st);
        ModelFile checkpoint = b.snapshot(1);
        assertEquals(1, TrainingState.epochsDone(checkpoint));
        HelmholtzMachine resumed = HelmholtzFiles.read(checkpoint).model();
        HelmholtzTrainingTask c = barsTask(resumed, TrainingState.randomStream(checkpoint, "train.random"),
                TrainingState.randomStream(checkpoint, "train.data_random"), 2).restoreOptimizer(checkpoint);
        for (int st = 0; st < c.stepsPerEpoch(); st++) c.step(1, st);
        List<Parameter> x = straight.parameters(), y = resumed.parameters();
        for (int i = 0; i < x.size(); i++) {
            assertTrue(Arrays.equals(x.get(i).value().toArray(), y.get(i).value().toArray()), x.get(i).name());
        }
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        HelmholtzMachine m = randomModel(1, 1.0, 6, 3);
        InputException e = assertThrows(InputException.class, () -> HelmholtzEstimator.exactLogProbability(m, randomBinary(2, 5, 1)));
        assertTrue(e.getMessage().contains("5 columns"), e.getMessage());
        Matrix half = Matrix.zeros(2, 6).fill(0.5f);
        e = assertThrows(InputException.class, () -> HelmholtzEstimator.logMeanWeights(m, half, 5, new RandomStream(1), 100, Progress.NONE));
        assertTrue(e.getMessage().contains("0/1"), e.getMessage());
        e = assertThrows(InputException.class, () -> HelmholtzEstimator.logMeanWeights(m, randomBinary(2, 6, 1), 0, new RandomStream(1), 100, Progress.NONE));
        assertTrue(e.getMessage().contains("k"), e.getMessage());
        e = assertThrows(InputException.class, () -> new WakeSleep(m, 0, 10, WakeSleep.QUpdate.BOTH));
        assertTrue(e.getMessage().contains("k"), e.getMessage());
        e = assertThrows(InputException.class, () -> new HelmholtzMachine(6, 0));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
        e = assertThrows(InputException.class, () -> new HelmholtzMachine(6));
        assertTrue(e.getMessage().contains("latent layer"), e.getMessage());
        e = assertThrows(InputException.class, () -> HelmholtzEstimator.exactLogProbability(new HelmholtzMachine(6, 21), randomBinary(1, 6, 1)));
        assertTrue(e.getMessage().contains("2^21"), e.getMessage());
        ModelFile vae = ModelFile.builder("vae").config("{\"data_dim\": 6}").build();
        ModelFileException f = assertThrows(ModelFileException.class, () -> HelmholtzFiles.read(vae));
        assertTrue(f.getMessage().contains("\"vae\"") && f.getMessage().contains("helmholtz"), f.getMessage());
        ModelFile bad = ModelFile.builder(HelmholtzMachine.KIND).config("{\"layers\": [6], \"algorithm\": \"rws\", \"k\": 5, \"q_update\": \"both\"}").build();
        f = assertThrows(ModelFileException.class, () -> HelmholtzFiles.read(bad));
        assertTrue(f.getMessage().contains("layers"), f.getMessage());
    }

    @Test
    void modelFilesRoundTrip() {
        HelmholtzMachine m = randomModel(3, 1.0, 6, 3, 2);
        ModelFile f = HelmholtzFiles.builder(m, WakeSleep.Algorithm.RWS, 5, WakeSleep.QUpdate.BOTH, 2, 3).build();
        HelmholtzFiles.Stored s = HelmholtzFiles.read(f);
        assertEquals(WakeSleep.Algorithm.RWS, s.algorithm());
        assertEquals(5, s.k());
        assertEquals(2, s.imageHeight());
        Matrix x = randomBinary(3, 6, 4);
        double[] a = HelmholtzEstimator.exactLogProbability(m, x), b = HelmholtzEstimator.exactLogProbability(s.model(), x);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 0.0);
        assertTrue(f.tensors().containsKey("p_x.weight") && f.tensors().containsKey("p_h2.bias") && f.tensors().containsKey("q_h2.weight"));
    }
}
