package dgm4j.ais;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.dbm.Dbm;
import dgm4j.dbm.DbmSampler;
import dgm4j.dbm.DbmTrainerTest;
import dgm4j.math.Elementwise;
import dgm4j.math.LogMath;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.RbmTest;

/** DBM AIS and the mean-field lower bound against exact enumeration on a small trained DBM. */
class DbmAisTest {

    @Test
    void aisMatchesExactLogZAndTheBoundLiesBelowTheExactLogProbability() {
        check(DbmTrainerTest.trainOnBars(5, 1, 21));
    }

    @Test
    void threeLayersToo() {
        // 16-6-4-3: h1 and h3 (9 units) enumerated, v and h2 summed out analytically
        check(DbmTrainerTest.trainOnBars(new int[] {6, 4, 3}, 3, 2, 24));
    }

    private static void check(Dbm dbm) {
        Matrix data = RbmTest.bars(500, 22);
        // the paper's base-rate model (hidden layers uniform), and every layer's base rates from the mean-field posterior
        checkAis(dbm, data, new DbmAis(dbm, BernoulliRbm.baseRateBias(data)));
        checkAis(dbm, data, new DbmAis(dbm, DbmAis.baseRates(dbm, data, 30)));
    }

    private static void checkAis(Dbm dbm, Matrix data, DbmAis ais) {
        double exact = ExactPartition.logZ(dbm);   // the odd layers enumerated, v and h2 summed out
        AisEstimate f = ais.forward(AnnealingSchedule.standardScaled(0.3), 100, new RandomStream(23), Progress.NONE);
        System.out.println("DBM AIS: " + f + "; exact ln Z " + exact);
        assertEquals(exact, f.logZ(), 0.1, f + " exact " + exact);
        assertTrue(f.logZLow() <= f.logZ() && f.logZ() <= f.logZHigh());
        // reverse AIS from model samples (long Gibbs chains; these small models mix) agrees as well
        List<Matrix> samples = DbmSampler.gibbsChains(dbm, null, 100, 2000, new RandomStream(25));
        AisEstimate r = ais.reverse(samples, AnnealingSchedule.standardScaled(0.3), new RandomStream(26), Progress.NONE);
        System.out.println("DBM reverse AIS: " + r);
        assertEquals(exact, r.logZ(), 0.1, r + " exact " + exact);
        List<Matrix> wrong = new ArrayList<>(samples.subList(0, samples.size() - 1));
        Assertions.assertThrows(InputException.class,
                () -> ais.reverse(wrong, AnnealingSchedule.linear(5), new RandomStream(1), Progress.NONE));

        double[] bound = dbm.logProbabilityLowerBound(data, exact, 30, 1e-6);
        double[] logp = ExactPartition.logUnnormalizedProbability(dbm, data);
        double gap = 0;
        for (int n = 0; n < bound.length; n++) {
            double lp = logp[n] - exact;
            assertTrue(bound[n] <= lp + 1e-4, "bound " + bound[n] + " above log p " + lp);
            gap += (lp - bound[n]) / bound.length;
        }
        System.out.println("mean gap between exact log p(v) and the mean-field bound: " + gap);
        assertTrue(gap < 1.0, "mean gap between log p(v) and the mean-field bound: " + gap);
    }

    @Test
    void pathTracesExactLogZOfTheIntermediateDistributions() {
        Dbm dbm = DbmTrainerTest.trainOnBars(5, 1, 21);
        Matrix data = RbmTest.bars(500, 22);
        // the base-rate model (hidden layers uniform) and one with every layer's base rates from the mean-field posterior
        List<Matrix> uniform = List.of(BernoulliRbm.baseRateBias(data), Matrix.zeros(1, dbm.units(1)), Matrix.zeros(1, dbm.units(2)));
        List<Matrix> fitted = DbmAis.baseRates(dbm, data, 30);
        assertEquals(uniform.get(0).get(0, 3), fitted.get(0).get(0, 3), 0f);
        double spread = 0;
        for (int j = 0; j < dbm.units(1); j++) spread = Math.max(spread, Math.abs(fitted.get(1).get(0, j)));
        assertTrue(spread > 1, "the fitted hidden base rates are not uniform: " + spread);
        for (List<Matrix> base : List.of(uniform, fitted)) checkPath(dbm, base);
    }

    private static void checkPath(Dbm dbm, List<Matrix> base) {
        DbmAis ais = new DbmAis(dbm, base);
        AnnealingSchedule schedule = AnnealingSchedule.standardScaled(0.3);
        AisEstimate f = ais.forward(schedule, 100, new RandomStream(23), Progress.NONE);
        List<Matrix> samples = DbmSampler.gibbsChains(dbm, null, 100, 2000, new RandomStream(25));
        AisEstimate r = ais.reverse(samples, schedule, new RandomStream(26), Progress.NONE);
        double exactLogZ = ExactPartition.logZ(dbm);
        System.out.println("DBM AIS from " + base.get(1).get(0, 0) + "..: " + f + "; " + r + "; exact " + exactLogZ);
        assertEquals(exactLogZ, f.logZ(), 0.1);
        assertEquals(exactLogZ, r.logZ(), 0.1);
        for (AisEstimate e : new AisEstimate[] {f, r}) {
            List<AisEstimate.PathPoint> path = e.path();
            assertTrue(path.size() > 400 && path.size() < 600, "points kept: " + path.size());
            AisEstimate.PathPoint first = path.get(0), last = path.get(path.size() - 1);
            // the path runs from beta 0 to 1 (forward) or 1 to 0 (reverse), from ln Z_0 to the estimate or back
            assertEquals(e.reverse() ? 1.0 : 0.0, first.beta(), 0.0);
            assertEquals(e.reverse() ? 0.0 : 1.0, last.beta(), 0.0);
            assertEquals(e.reverse() ? e.logZ() : ais.logZBase(), first.logZ(), 1e-9);
            assertEquals(e.reverse() ? ais.logZBase() : e.logZ(), last.logZ(), 1e-6);
            assertEquals(e.effectiveRuns(), last.effectiveRuns(), 1e-6);
            // at intermediate betas it estimates ln Z of p*_beta: the DBM with weights times beta and biases
            // beta b_l + (1 - beta) b_A,l, computed exactly
            for (double target : new double[] {0.3, 0.6, 0.9}) {
                AisEstimate.PathPoint p = path.stream().min(Comparator.comparingDouble(q -> Math.abs(q.beta() - target))).orElseThrow();
                assertTrue(Math.abs(p.beta() - target) < 0.02, "no point near beta " + target);
                Dbm scaled = dbm.copy();
                for (int l = 1; l <= dbm.hiddenLayers(); l++) Elementwise.scale(scaled.weights(l), (float) p.beta());
                for (int l = 0; l <= dbm.hiddenLayers(); l++) {
                    Elementwise.axpby((float) p.beta(), dbm.bias(l), (float) (1 - p.beta()), base.get(l), scaled.bias(l));
                }
                double exact = ExactPartition.logZ(scaled);
                assertEquals(exact, p.logZ(), 0.1, (e.reverse() ? "reverse" : "forward") + " path at beta " + p.beta());
            }
        }
    }

    @Test
    void aisMatchesExactLogZOnAWideDbmWithANarrowFirstHiddenLayer() {
        // 300-10-120 with MNIST-like magnitudes (weights sd 0.3, visible biases around -2, sparse h2): exact by
        // enumerating h1's 2^10 states, v and h2 summed out; AIS anneals v's biases from a different base rate
        RandomStream r = new RandomStream(41);
        Dbm dbm = Dbm.initialize(new int[] {300, 10, 120}, r);
        for (int l = 1; l <= 2; l++) Elementwise.scale(dbm.weights(l), 30f);
        r.gaussian(dbm.bias(0));
        Elementwise.addScalar(dbm.bias(0), -2f);
        dbm.bias(1).fill(-0.5f);
        dbm.bias(2).fill(-2f);
        Matrix base = Matrix.zeros(1, 300);
        r.gaussian(base);
        Elementwise.addScalar(base, -1.5f);
        double exact = ExactPartition.logZ(dbm);
        AisEstimate f = new DbmAis(dbm, base).forward(AnnealingSchedule.standardScaled(0.3), 100, new RandomStream(42), Progress.NONE);
        System.out.println("wide DBM AIS: " + f + "; exact ln Z " + exact);
        assertEquals(exact, f.logZ(), 0.1, f + " exact " + exact);
        assertTrue(f.effectiveRuns() > 20, f.toString());
    }

    @Test
    void exactUnnormalisedProbabilityMatchesBruteForceOverEveryHiddenState() {
        Dbm dbm = DbmTrainerTest.trainOnBars(new int[] {6, 4, 3}, 3, 2, 24);   // 16-6-4-3: 2^13 hidden states
        Matrix v = RbmTest.bars(5, 7);
        double[] got = ExactPartition.logUnnormalizedProbability(dbm, v);
        int hiddenUnits = 6 + 4 + 3;
        List<Matrix> x = dbm.newLayers(1 << hiddenUnits), scratch = dbm.newLayers(1 << hiddenUnits);
        for (int r = 0; r < v.rows(); r++) {
            for (int s = 0; s < 1 << hiddenUnits; s++) {
                x.get(0).rows(s, s + 1).copyFrom(v.rows(r, r + 1));
                int code = s;
                for (int l = 1; l <= 3; l++) {
                    for (int u = 0; u < dbm.units(l); u++, code >>>= 1) x.get(l).set(s, u, code & 1);
                }
            }
            double[] e = dbm.energy(x, scratch);
            double[] minus = new double[e.length];
            for (int s = 0; s < e.length; s++) minus[s] = -e[s];
            assertEquals(LogMath.logSumExp(minus), got[r], 1e-4, "row " + r);
        }
    }

    @Test
    void exactLogZIsTheSameWhicheverSideIsEnumerated() {
        for (Dbm dbm : new Dbm[] {DbmTrainerTest.trainOnBars(5, 1, 21), DbmTrainerTest.trainOnBars(new int[] {6, 4, 3}, 3, 2, 24)}) {
            double odd = ExactPartition.logZ(dbm);   // odd layers fewer: 5 resp. 6 + 3 units enumerated
            double even = ExactPartition.logZOverEvenStates(dbm);
            assertEquals(even, odd, 1e-5, "odd " + odd + " even " + even);   // float32 inputs: agree to ~1e-7
        }
    }

    @Test
    void aDbmEqualToItsBaseModelGetsZeroLogWeights() {
        // W = 0 and every layer's biases equal to the base's: each intermediate distribution is the base itself
        Dbm dbm = Dbm.initialize(new int[] {6, 4, 3}, new RandomStream(1));
        for (int l = 1; l <= 2; l++) dbm.weights(l).fill(0f);
        List<Matrix> base = List.of(Matrix.of(1, 6, -2f, -1f, 0f, 0.5f, 1f, 3f),
                Matrix.of(1, 4, -3f, 0f, 1f, 2f), Matrix.of(1, 3, 0.5f, -0.5f, 4f));
        for (int l = 0; l <= 2; l++) dbm.bias(l).copyFrom(base.get(l));
        DbmAis ais = new DbmAis(dbm, base);
        assertEquals(ExactPartition.logZ(dbm), ais.logZBase(), 1e-4);
        AisEstimate e = ais.forward(AnnealingSchedule.linear(20), 10, new RandomStream(3), Progress.NONE);
        assertEquals(0.0, e.logWeightStd(), 1e-5);
        assertEquals(ais.logZBase(), e.logZ(), 1e-5);
    }

    @Test
    void badBaseModelsAreRefused() {
        Dbm dbm = Dbm.initialize(new int[] {6, 4, 3}, new RandomStream(1));
        Matrix v = Matrix.zeros(1, 6), h1 = Matrix.zeros(1, 4), h2 = Matrix.zeros(1, 3);
        String[] messages = {
                assertThrows(InputException.class, () -> new DbmAis(dbm, List.of(v, h1))).getMessage(),
                assertThrows(InputException.class, () -> new DbmAis(dbm, List.of(v, h2, h2))).getMessage(),
                assertThrows(InputException.class, () -> new DbmAis(dbm, List.of(v, h1, Matrix.of(1, 3, 0f, Float.NaN, 0f)))).getMessage(),
                assertThrows(InputException.class, () -> new DbmAis(dbm, Matrix.zeros(1, 5))).getMessage()};
        assertEquals("base model has 2 layers of biases, the DBM 3", messages[0]);
        assertTrue(messages[1].contains("layer 1 are 1x3, expected 1x4"), messages[1]);
        assertTrue(messages[2].contains("bias 1 of layer 2 is NaN"), messages[2]);
        assertTrue(messages[3].contains("expected 1x6"), messages[3]);
    }

    @Test
    void untrainedDbmWithZeroWeightsIsTheBaseModel() {
        Dbm dbm = Dbm.initialize(new int[] {6, 4, 3}, new RandomStream(1));
        for (int l = 1; l <= 2; l++) dbm.weights(l).fill(0f);
        Matrix b = Matrix.of(1, 6, -2f, -1f, 0f, 0.5f, 1f, 3f);
        dbm.bias(0).copyFrom(b);
        AisEstimate e = new DbmAis(dbm, b).forward(AnnealingSchedule.linear(20), 10, new RandomStream(3), Progress.NONE);
        assertEquals(ExactPartition.logZ(dbm), e.logZ(), 1e-4);
    }

    /** Mean exact log p(v) of the rows of data. */
    private static double exactAverageLogProbability(Dbm dbm, Matrix data) {
        double logZ = ExactPartition.logZ(dbm), s = 0;
        for (double lp : ExactPartition.logUnnormalizedProbability(dbm, data)) s += (lp - logZ) / data.rows();
        return s;
    }

    @Test
    void jointTrainingRaisesTheExactLikelihoodAbovePretraining() {
        Matrix data = RbmTest.bars(1000, 31);   // the training data of trainOnBars(..., 31)
        double pretrained = exactAverageLogProbability(DbmTrainerTest.trainOnBars(0, 1, 31), data);
        double joint = exactAverageLogProbability(DbmTrainerTest.trainOnBars(30, 1, 31), data);
        System.out.println("exact average log p(v) on bars: pretrained " + pretrained + ", after 30 joint epochs " + joint);
        // stochastic approximation is noisy (50 chains, momentum 0.9): measured a rise of about 1 nat (-6.46 -> -5.39)
        assertTrue(joint > pretrained + 0.3, "pretrained " + pretrained + ", joint " + joint);
    }
}
