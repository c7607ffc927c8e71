package dgm4j.ais;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.RbmSampler;

/** The library's one-call measurement, as the README's Java snippet uses it. */
class AisEvaluationTest {
    /** A 20-10 RBM with weights of scale {@code scale}, and 200 rows of its own Gibbs samples as "data". */
    private static BernoulliRbm rbm(float scale, long seed) {
        RandomStream r = new RandomStream(seed);
        Matrix w = Matrix.zeros(20, 10), b = Matrix.zeros(1, 20), a = Matrix.zeros(1, 10);
        r.gaussian(w);
        Elementwise.scale(w, scale);
        r.gaussian(b);
        Elementwise.scale(b, 0.5f);
        return new BernoulliRbm(w, b, a);
    }

    private static Matrix data(BernoulliRbm rbm, long seed) {
        Matrix start = Matrix.zeros(200, 20);
        for (int i = 0; i < 200; i++) for (int j = 0; j < 20; j++) start.set(i, j, 0.5f);
        new RandomStream(seed).bernoulli(start, start);
        return RbmSampler.run(rbm, start, 200, new RandomStream(seed + 1)).samples();
    }

    @Test
    void aMixingModelIsDeterminedAndMatchesExactLogZ() {
        BernoulliRbm m = rbm(0.5f, 1);
        Matrix x = data(m, 2);
        AisEvaluation.Result r = AisEvaluation.rbm(m, x, x, null, AisEvaluation.Settings.standard().withScale(0.05).withRounds(3, 0),
                new RandomStream(3), Progress.NONE, null);
        double exact = ExactPartition.logZ(m);
        assertTrue(r.verdict().determined(), r.summary());
        assertEquals(exact, r.verdict().forward().logZ(), 0.1, r.summary());
        assertEquals(exact, r.verdict().reverse().logZ(), 0.1, r.summary());
        double[] free = m.freeEnergy(x, null);
        double mean = 0;
        for (double f : free) mean -= f / free.length;
        assertEquals(mean - r.verdict().logZ(), r.averageLogProbability(), 1e-9);
        Map<String, Object> j = r.toJson();
        assertEquals(true, j.get("determined"));
        assertEquals(r.outcome().rounds().size(), ((List<?>) j.get("rounds")).size());
        assertTrue(r.reverseStart().contains("fair coins"), r.reverseStart());
        // the data-fitted base is available too
        AisEvaluation.Result d = AisEvaluation.rbm(m, x, x, null, AisEvaluation.Settings.standard().withScale(0.05)
                .withBase(AisEvaluation.Base.DATA), new RandomStream(3), Progress.NONE, null);
        assertTrue(d.baseDescription().contains("base_rate.m"), d.baseDescription());
        // forward only: a number, never a determined one
        AisEvaluation.Result f = AisEvaluation.rbm(m, x, x, null, AisEvaluation.Settings.standard().withScale(0.05).forwardOnly(),
                new RandomStream(3), Progress.NONE, null);
        assertFalse(f.verdict().determined());
        assertTrue(f.summary().contains("NOT CHECKED"), f.summary());
    }

    /**
     * Two modes (all pixels on, all off) that Gibbs chains never leave, the on-mode e^5 times heavier; the data all in
     * the on-mode. Chains from the data stay there, two in five from fair coins fall into the off-mode: the Gibbs start
     * is refused, and the default start turns to tempering, whose samples put both directions on the exact ln Z. (With
     * the data in the light mode, the path from a base fitted to those chains has a change of phase near beta = 0.8 that
     * tempering cannot cross either: reverse AIS lands 4 nats below forward, and the verdict says so.)
     */
    @Test
    void theDefaultStartTempersWhenGibbsChainsHaveNotMixed() {
        BernoulliRbm m = RbmTemperingTest.twoModes();
        m.hiddenBias().fill(-95f);
        Matrix on = RbmTemperingTest.constant(200, 1f);
        double exact = ExactPartition.logZ(m);
        AisEvaluation.Settings gibbs = new AisEvaluation.Settings(100, 0.3, 0.1, true, 1, 0, 200, AisEvaluation.Base.MODEL,
                AisEvaluation.Start.GIBBS);
        AisEvaluation.Result g = AisEvaluation.rbm(m, on, on, null, gibbs, new RandomStream(7), Progress.NONE, null);
        assertFalse(g.verdict().determined(), g.summary());
        assertTrue(g.summary().contains("have not mixed"), g.summary());
        AisEvaluation.Result a = AisEvaluation.rbm(m, on, on, null, gibbs.withStart(AisEvaluation.Start.AUTO), new RandomStream(7),
                Progress.NONE, null);
        assertTrue(a.reverseStart().contains("parallel tempering") && a.reverseStart().contains("had not mixed"), a.reverseStart());
        assertTrue(a.verdict().determined(), a.summary());
        assertEquals(exact, a.verdict().forward().logZ(), 0.1, a.summary());
        assertEquals(exact, a.verdict().reverse().logZ(), 0.1, a.summary());
        assertEquals(AisEvaluation.Start.AUTO, AisEvaluation.Settings.standard().start());
        // the data in the light mode: no start reaches the heavy one, and the verdict flags it instead of a number
        Matrix off = RbmTemperingTest.constant(200, 0f);
        AisEvaluation.Result l = AisEvaluation.rbm(m, off, off, null, gibbs.withStart(AisEvaluation.Start.AUTO), new RandomStream(7),
                Progress.NONE, null);
        assertFalse(l.verdict().determined(), l.summary());
        assertTrue(l.verdict().forward().logZ() > exact - 0.1 || l.verdict().reverse().logZ() < exact - 1, l.summary());
    }

    @Test
    void settingsAndDataAreChecked() {
        BernoulliRbm m = rbm(0.5f, 1);
        assertThrows(InputException.class, () -> new AisEvaluation.Settings(1, 1, 0.1, true, 1, 0, 1000, AisEvaluation.Base.MODEL));
        assertThrows(InputException.class, () -> new AisEvaluation.Settings(100, 0, 0.1, true, 1, 0, 1000, AisEvaluation.Base.MODEL));
        assertThrows(InputException.class, () -> new AisEvaluation.Settings(100, 1, 0, true, 1, 0, 1000, AisEvaluation.Base.MODEL));
        assertThrows(InputException.class, () -> new AisEvaluation.Settings(100, 1, 0.1, false, 2, 0, 1000, AisEvaluation.Base.MODEL));
        assertThrows(InputException.class, () -> new AisEvaluation.Settings(100, 1, 0.1, true, 1, 0, 1, AisEvaluation.Base.MODEL));
        Matrix wrongWidth = Matrix.zeros(10, 16);
        assertThrows(InputException.class, () -> AisEvaluation.rbm(m, wrongWidth, wrongWidth, null, AisEvaluation.Settings.standard(),
                new RandomStream(1), Progress.NONE, null));
        Matrix empty = Matrix.zeros(0, 20);
        assertThrows(InputException.class, () -> AisEvaluation.rbm(m, empty, data(m, 2), null, AisEvaluation.Settings.standard(),
                new RandomStream(1), Progress.NONE, null));
    }
}
