package dgm4j.ais;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

class AisVerdictTest {
    /** 100 log-weights spread by sd around 0, so ln mean(w) is about sd^2 / 2 and the effective runs fall with sd. */
    private static double[] weights(double sd, long seed) {
        Random r = new Random(seed);
        double[] w = new double[100];
        for (int i = 0; i < w.length; i++) w[i] = sd * r.nextGaussian();
        return w;
    }

    private static AisEstimate forward(double logZ0, double sd) { return new AisEstimate(logZ0, weights(sd, 1), 1000, false); }

    private static AisEstimate reverse(double logZ0, double sd) { return new AisEstimate(logZ0, weights(sd, 2), 1000, true); }

    @Test
    void agreementWithEnoughEffectiveRunsIsDetermined() {
        AisVerdict v = new AisVerdict(forward(100, 0.05), reverse(100.05, 0.05), 0.1);
        assertTrue(v.determined(), v.summary());
        assertTrue(v.problems().isEmpty());
        assertEquals(0.5 * (v.forward().logZ() + v.reverse().logZ()), v.logZ(), 1e-12);
        assertTrue(v.summary().startsWith("forward and reverse AIS agree"), v.summary());
        Map<String, Object> j = v.toJson();
        assertEquals(true, j.get("determined"));
        assertEquals(100, ((Map<?, ?>) j.get("reverse")).get("runs"));
    }

    @Test
    void aGapBeyondTheToleranceIsNotDetermined() {
        AisVerdict v = new AisVerdict(forward(100, 0.05), reverse(100.5, 0.05), 0.1);
        assertFalse(v.determined());
        assertTrue(v.summary().contains("DISAGREE by 0.5"), v.summary());
        assertTrue(v.summary().contains("not determined"), v.summary());
    }

    @Test
    void reverseBelowForwardIsCalledOutAsImpossibleForModelSamples() {
        AisVerdict v = new AisVerdict(forward(100, 0.05), reverse(99, 0.05), 0.1);
        assertFalse(v.determined());
        assertTrue(String.join(";", v.problems()).contains("BELOW forward"), v.problems().toString());
    }

    @Test
    void fewEffectiveRunsAreFlaggedEvenWhenTheTwoAgree() {
        // sd(ln w) = 3: a handful of runs carry the mean; the two may happen to agree, the verdict still refuses
        AisEstimate f = forward(100, 3), r = new AisEstimate(f.logZ() - 0, new double[100], 1000, true);
        assertTrue(f.effectiveRuns() < 10, "effective " + f.effectiveRuns());
        AisVerdict v = new AisVerdict(f, r, 0.1);
        assertEquals(0, v.gap(), 1e-9);
        assertFalse(v.determined());
        assertTrue(v.problems().get(0).contains("forward AIS rests on"), v.problems().toString());
    }

    @Test
    void forwardAloneIsNeverDetermined() {
        AisVerdict v = new AisVerdict(forward(100, 0.05), null, 0.1);
        assertFalse(v.determined());
        assertTrue(v.summary().startsWith("NOT CHECKED"), v.summary());
        assertTrue(Double.isNaN(v.gap()));
        assertThrows(IllegalArgumentException.class, () -> new AisVerdict(reverse(1, 0.1), null, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new AisVerdict(forward(1, 0.1), forward(1, 0.1), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new AisVerdict(forward(1, 0.1), null, 0));
    }

    /** Directions whose forward and reverse estimates close in as the betas double: gap = 1.6 / scale nats. */
    private static final class Closing implements AisAgreement.Directions {
        final List<Integer> betas = new ArrayList<>();

        @Override
        public AisEstimate forward(AnnealingSchedule s, RandomStream r, Progress p) {
            betas.add(s.size());
            return new AisEstimate(50 - gap(s) / 2, new double[100], s.size(), false);
        }

        @Override
        public AisEstimate reverse(AnnealingSchedule s, RandomStream r, Progress p) {
            return new AisEstimate(50 + gap(s) / 2, new double[100], s.size(), true);
        }

        static double gap(AnnealingSchedule s) { return 1.6 * 14501.0 / s.size(); }
    }

    @Test
    void untilAgreeDoublesTheBetasUntilTheDirectionsAgree() {
        Closing c = new Closing();
        List<AisAgreement.Round> seen = new ArrayList<>();
        AisAgreement.Outcome o = AisAgreement.untilAgree(c, 1, 0.25, 10, 0, new RandomStream(1), Progress.NONE, seen::add);
        // gaps 1.6, 0.8, 0.4, 0.2: agreement in the fourth round, at 8 x 14,500 steps
        assertEquals(4, o.rounds().size());
        assertEquals(seen, o.rounds());
        assertTrue(o.verdict().determined());
        assertEquals(List.of(14501, 29001, 58001, 116001), c.betas);
        assertEquals("forward and reverse agree", o.stoppedBecause());
        assertEquals(50, o.verdict().logZ(), 1e-9);
    }

    /** A gap that twice the betas do not shrink (0.19 then 0.18 nats) is not the schedule's: the loop stops and says why. */
    @Test
    void untilAgreeStopsWhenMoreBetasDoNotCloseTheGap() {
        AisAgreement.Directions stuck = new AisAgreement.Directions() {
            @Override public AisEstimate forward(AnnealingSchedule s, RandomStream r, Progress p) {
                return new AisEstimate(50, new double[100], s.size(), false);
            }

            @Override public AisEstimate reverse(AnnealingSchedule s, RandomStream r, Progress p) {
                return new AisEstimate(s.size() < 20000 ? 50.19 : 50.18, new double[100], s.size(), true);
            }
        };
        AisAgreement.Outcome o = AisAgreement.untilAgree(stuck, 1, 0.1, 4, 0, new RandomStream(1), Progress.NONE, null);
        assertEquals(2, o.rounds().size());
        assertFalse(o.verdict().determined());
        assertTrue(o.stoppedBecause().contains("did not close the gap"), o.stoppedBecause());
        assertTrue(o.advice().startsWith("stopped: doubling the betas"), o.advice());
        assertFalse(o.verdict().summary(o.advice()).contains("--until-agree"), o.verdict().summary(o.advice()));
        // a gap that halves is the schedule's: it keeps going (the Closing directions agree in round 4)
        assertEquals(4, AisAgreement.untilAgree(new Closing(), 1, 0.25, 10, 0, new RandomStream(1), Progress.NONE, null).rounds().size());
    }

    @Test
    void untilAgreeStopsAtTheLastRoundOrTheBudgetAndSaysSo() {
        AisAgreement.Outcome capped = AisAgreement.untilAgree(new Closing(), 1, 0.25, 2, 0, new RandomStream(1), Progress.NONE, null);
        assertEquals(2, capped.rounds().size());
        assertFalse(capped.verdict().determined());
        assertTrue(capped.stoppedBecause().contains("last round"), capped.stoppedBecause());
        // a budget of 1 ns lets the first round run, never a second
        AisAgreement.Outcome budget = AisAgreement.untilAgree(new Closing(), 1, 0.25, 10, 1e-9, new RandomStream(1), Progress.NONE, null);
        assertEquals(1, budget.rounds().size());
        assertFalse(budget.verdict().determined());
        assertTrue(budget.stoppedBecause().contains("time budget"), budget.stoppedBecause());
        assertThrows(InputException.class, () -> AisAgreement.untilAgree(new Closing(), 0, 0.1, 2, 0, new RandomStream(1), Progress.NONE, null));
        assertThrows(InputException.class, () -> AisAgreement.untilAgree(new Closing(), 1, 0.1, 0, 0, new RandomStream(1), Progress.NONE, null));
    }

    @Test
    void baseModelsAreFiniteOnConstantDataAndRefuseEmptyData() {
        Matrix zeros = Matrix.zeros(50, 4), ones = Matrix.zeros(50, 4);
        for (int i = 0; i < 50; i++) for (int j = 0; j < 4; j++) ones.set(i, j, 1f);
        for (Matrix data : List.of(zeros, ones)) {
            Matrix b = RbmAis.smoothedBaseRateBias(data, 0.05);
            for (int j = 0; j < 4; j++) {
                assertTrue(Float.isFinite(b.get(0, j)) && Math.abs(b.get(0, j)) < 4, "logit " + b.get(0, j));
            }
        }
        // base_rate.m's smoothing: (0 + 0.05 N) / (1.1 N) = 1/22
        assertEquals(Math.log((1 / 22.0) / (21 / 22.0)), RbmAis.smoothedBaseRateBias(zeros, 0.05).get(0, 0), 1e-5);
        assertThrows(InputException.class, () -> RbmAis.smoothedBaseRateBias(Matrix.zeros(0, 4), 0.05));
        Matrix m = Matrix.of(1, 3, 0f, 0.5f, 1f);
        Matrix b = RbmAis.marginalBias(m);
        assertEquals(Math.log(1e-4 / (1 - 1e-4)), b.get(0, 0), 1e-3);
        assertEquals(0, b.get(0, 1), 1e-6);
        assertThrows(InputException.class, () -> RbmAis.marginalBias(Matrix.of(1, 1, Float.NaN)));
    }
}
