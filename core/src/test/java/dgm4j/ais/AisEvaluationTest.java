package dgm4j.ais;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;

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
        return dgm4j.rbm.RbmSampler.run(rbm, start, 200, new RandomStream(seed + 1)).samples();
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
        assertEquals(r.outcome().rounds().size(), ((java.util.List<?>) j.get("rounds")).size());
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
