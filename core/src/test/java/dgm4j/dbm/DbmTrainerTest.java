package dgm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.RbmTest;

/** Stochastic-approximation gradients against the exact gradient; pretraining's corrections; a whole tiny training. */
public class DbmTrainerTest {

    /**
     * With many chains, the SA gradient is the mean-field data term minus the exact model term
     * E_model[h_{l-1} h_l^T] (enumerated) within Monte Carlo error, for plain and tempered chains.
     */
    @Test
    void stochasticApproximationGradientMatchesTheExactOne() {
        Dbm dbm = DbmTest.randomDbm(new int[] {4, 3, 2}, 1f, 11);
        Matrix data = DbmTest.coinFlips(50, 4, 12);
        // data term: mean-field statistics
        Dbm.Posterior q = dbm.newPosterior(50);
        dbm.meanField(data, q, 10, 1e-5);
        List<Matrix> mu = q.mu;
        // exact model term by enumeration
        double[] joint = DbmTest.exactJoint(dbm);
        double[][][] model = {null, new double[4][3], new double[3][2]};
        for (int c = 0; c < joint.length; c++) {
            List<Matrix> x = DbmTest.state(dbm, c);
            for (int l = 1; l <= 2; l++) {
                for (int i = 0; i < dbm.units(l - 1); i++) for (int j = 0; j < dbm.units(l); j++) model[l][i][j] += joint[c] * x.get(l - 1).get(0, i) * x.get(l).get(0, j);
            }
        }
        for (int temperatures : new int[] {1, 3}) {
            DbmTrainer.Config c = DbmTrainer.Config.defaults().withChains(20000).withGibbsSteps(30).withTempering(temperatures, 0.9);
            DbmTrainer t = new DbmTrainer(dbm, c, new RandomStream(13));
            t.estimateGradient(data);   // burn in
            t.estimateGradient(data);
            for (int l = 1; l <= 2; l++) {
                Matrix g = t.gradient().get(l - 1);
                for (int i = 0; i < dbm.units(l - 1); i++) {
                    for (int j = 0; j < dbm.units(l); j++) {
                        double dataTerm = 0;
                        for (int n = 0; n < 50; n++) dataTerm += mu.get(l - 1).get(n, i) * mu.get(l).get(n, j) / 50.0;
                        // model term: mean of 20,000 values in [0, 1]; 6 standard errors
                        assertEquals(dataTerm - model[l][i][j], g.get(i, j), 6 * 0.5 / Math.sqrt(20000),
                                "K=" + temperatures + " dW" + l + "[" + i + "][" + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void pretrainingHalvesMiddleWeightsAndAveragesBiasesWhereRbmsMeet() {
        RandomStream r = new RandomStream(14);
        List<BernoulliRbm> rbms = List.of(BernoulliRbm.initialize(5, 4, r), BernoulliRbm.initialize(4, 3, r), BernoulliRbm.initialize(3, 2, r));
        for (BernoulliRbm rbm : rbms) {
            r.gaussian(rbm.visibleBias());
            r.gaussian(rbm.hiddenBias());
        }
        Dbm dbm = DbmPretraining.compose(rbms);
        assertEquals(rbms.get(0).weights().get(2, 1), dbm.weights(1).get(2, 1));
        assertEquals(0.5f * rbms.get(1).weights().get(2, 1), dbm.weights(2).get(2, 1));
        assertEquals(rbms.get(2).weights().get(1, 1), dbm.weights(3).get(1, 1));
        assertEquals(rbms.get(0).visibleBias().get(0, 3), dbm.bias(0).get(0, 3));
        assertEquals(0.5f * (rbms.get(0).hiddenBias().get(0, 2) + rbms.get(1).visibleBias().get(0, 2)), dbm.bias(1).get(0, 2), 1e-6);
        assertEquals(0.5f * (rbms.get(1).hiddenBias().get(0, 1) + rbms.get(2).visibleBias().get(0, 1)), dbm.bias(2).get(0, 1), 1e-6);
        assertEquals(rbms.get(2).hiddenBias().get(0, 1), dbm.bias(3).get(0, 1));
        DbmPretraining.Config p = DbmPretraining.Config.defaults();
        assertEquals(1, p.rbm(3, 3).gibbsSteps(0));
        assertEquals(10, p.rbm(3, 3).gibbsSteps(9));
        assertEquals(1, p.rbm(2, 3).gibbsSteps(9));
        assertEquals(1, p.rbm(1, 1).gibbsSteps(9));
    }

    @Test
    void inputMultipliersDoubleTheRbmsInputsOnly() {
        BernoulliRbm rbm = RbmTest.randomRbm(5, 3, 1f, 15);
        BernoulliRbm up = rbm.withInputMultipliers(2f, 1f), down = rbm.withInputMultipliers(1f, 2f);
        Matrix v = Matrix.zeros(1, 5).fill(1f), h = Matrix.zeros(1, 3).fill(1f);
        Matrix x1 = rbm.hiddenInput(v, Matrix.zeros(1, 3)), x2 = up.hiddenInput(v, Matrix.zeros(1, 3));
        for (int j = 0; j < 3; j++) assertEquals(2 * x1.get(0, j) - rbm.hiddenBias().get(0, j), x2.get(0, j), 1e-5);
        Matrix y1 = rbm.visibleInput(h, Matrix.zeros(1, 5)), y2 = down.visibleInput(h, Matrix.zeros(1, 5));
        for (int i = 0; i < 5; i++) assertEquals(2 * y1.get(0, i) - rbm.visibleBias().get(0, i), y2.get(0, i), 1e-5);
        assertEquals(y1.get(0, 0), up.visibleInput(h, Matrix.zeros(1, 5)).get(0, 0));
        assertTrue(up.weights() == rbm.weights(), "the view shares the parameters");
    }

    /** A 16-8-4 DBM pretrained and jointly trained on bars. */
    public static Dbm trainOnBars(int jointEpochs, int temperatures, long seed) {
        return trainOnBars(new int[] {8, 4}, jointEpochs, temperatures, seed);
    }

    /** A 16-hidden[0]-... DBM pretrained and jointly trained on bars. */
    public static Dbm trainOnBars(int[] hidden, int jointEpochs, int temperatures, long seed) {
        Matrix bars = RbmTest.bars(1000, seed);
        Dataset data = new Dataset("bars", bars, null, 4, 4, 0);
        DbmPretraining.Config p = DbmPretraining.Config.defaults().withEpochs(10).withBatchSize(20).withLearningRate(0.1f);
        RandomStream r = new RandomStream(seed);
        Dbm dbm = DbmPretraining.pretrain(data, hidden, Binarization.none(), p, r.split(1), line -> { });
        DbmTrainer.Config c = DbmTrainer.Config.defaults().withLearningRate(0.02f).withChains(50).withTempering(temperatures, 0.9);
        DbmTrainer t = new DbmTrainer(dbm, c, r.split(2));
        for (int e = 0; e < jointEpochs; e++) {
            for (int b = 0; b < 50; b++) t.update(bars.rows(b * 20, b * 20 + 20), e);
        }
        return dbm;
    }

    @Test
    void configurationIsChecked() {
        Dbm dbm = DbmTest.randomDbm(new int[] {4, 3, 2}, 1f, 16);
        DbmTrainer.Config c = DbmTrainer.Config.defaults().withSparsity(new float[] {0.1f}, 0.01f);
        assertThrows(InputException.class, () -> new DbmTrainer(dbm, c, new RandomStream(1)));
        assertThrows(InputException.class, () -> DbmTrainer.Config.defaults().withChains(0));
        assertThrows(InputException.class, () -> DbmTrainer.Config.defaults().withSparsity(new float[] {0.1f, 1.5f}, 0.01f));
        DbmTrainer.Config e = DbmTrainer.Config.defaults();
        assertEquals(0.001f / Math.pow(1.000015, 1000), e.learningRate(1000), 1e-9);
        assertEquals(0.0005f, e.withLearningRateTimeConstant(100).learningRate(100), 1e-9);
        assertEquals(e.withSparsity(new float[] {0.2f, Float.NaN}, 0.01f), e.withSparsity(new float[] {0.2f, Float.NaN}, 0.01f));
    }
}
