package dgm4j.ais;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The estimate, its bracket and the effective number of runs from given log-weights. */
class AisEstimateTest {

    @Test
    void equalWeightsAreExactAndEveryRunCounts() {
        double[] logW = new double[50];
        Arrays.fill(logW, 3.25);
        AisEstimate e = new AisEstimate(10, logW, 7, false);
        assertEquals(13.25, e.logZ(), 1e-12);
        assertEquals(13.25, e.logZLow(), 1e-12);
        assertEquals(13.25, e.logZHigh(), 1e-12);
        assertEquals(50, e.effectiveRuns(), 1e-9);
        assertEquals(0, e.logWeightStd(), 1e-12);
        assertEquals(null, e.warning());
        AisEstimate r = new AisEstimate(10, logW, 7, true);   // reverse: weights estimate Z_0 / Z
        assertEquals(6.75, r.logZ(), 1e-12);
    }

    @Test
    void oneDominantRunLeavesAboutOneEffectiveRun() {
        double[] logW = new double[100];
        logW[17] = 40;
        AisEstimate e = new AisEstimate(0, logW, 2, false);
        assertEquals(1, e.effectiveRuns(), 1e-9);
        assertEquals(40 - Math.log(100), e.logZ(), 1e-9);
        assertEquals(Double.NEGATIVE_INFINITY, e.logZLow());   // the mean is within 3 standard errors of 0
        assertTrue(e.warning().contains("1.0 effective runs of 100"), e.warning());
    }

    @Test
    void lognormalWeightsGiveTheKnownEffectiveFraction() {
        // ln w ~ N(0, s^2): E[w]^2 / E[w^2] = exp(-s^2), and ln E[w] = s^2 / 2
        Random random = new Random(5);
        double s = 0.8;
        double[] logW = new double[200_000];
        for (int i = 0; i < logW.length; i++) logW[i] = s * random.nextGaussian();
        AisEstimate e = new AisEstimate(0, logW, 2, false);
        assertEquals(Math.exp(-s * s), e.effectiveRuns() / logW.length, 0.01);
        assertEquals(s * s / 2, e.logZ(), 0.01);
        assertEquals(s, e.logWeightStd(), 0.005);
        assertTrue(e.logZLow() < e.logZ() && e.logZ() < e.logZHigh());
    }
}
