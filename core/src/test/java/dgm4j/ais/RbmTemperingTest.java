package dgm4j.ais;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dgm4j.Progress;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.RbmSampler;

/**
 * Parallel tempering along the AIS path where plain Gibbs sampling cannot work: an RBM with two modes of equal mass
 * (all pixels on, all off) between which a Gibbs chain never moves.
 */
class RbmTemperingTest {
    static final int D = 20;

    /** One hidden unit: h = 1 turns every pixel on (b + W = 5), h = 0 off (b = -5); c balances the two modes' masses. */
    static BernoulliRbm twoModes() {
        Matrix w = Matrix.zeros(D, 1).fill(10f);
        Matrix b = Matrix.zeros(1, D).fill(-5f);
        Matrix c = Matrix.zeros(1, 1).fill(-100f);   // -D (softplus(5) - softplus(-5)) = -100
        return new BernoulliRbm(w, b, c);
    }

    static double onFraction(Matrix v) {
        double on = 0;
        for (int n = 0; v.rows() > n; n++) on += v.get(n, 0) * v.get(n, D - 1) / v.rows();   // first and last pixel both on: the on-mode
        return on;
    }

    static Matrix constant(int rows, float value) { return Matrix.zeros(rows, D).fill(value); }

    @Test
    void gibbsChainsNeverLeaveTheirMode() {
        BernoulliRbm rbm = twoModes();
        RbmSampler.Chains g = RbmSampler.run(rbm, constant(100, 0f), 2000, new RandomStream(1));
        assertEquals(0, onFraction(g.samples()), 1e-12);
    }

    @Test
    void temperedSamplesVisitBothModesInTheirProportions() {
        BernoulliRbm rbm = twoModes();
        // a base of fair coins: every state reachable from beta = 0
        RbmAis ais = new RbmAis(rbm, Matrix.zeros(1, D));
        RbmTempering.Result t = RbmTempering.sample(ais, constant(100, 0f), "off", "off too", 100, 2000, new RandomStream(2), Progress.NONE);
        double on = onFraction(t.samples());
        assertTrue(on > 0.3 && on < 0.7, "fraction of samples in the on-mode " + on + " (exact 0.5); " + t.describe());
        assertTrue(t.roundTrips() >= 100, t.describe());
        assertTrue(t.caveats().isEmpty(), t.caveats().toString());
        // and reverse AIS from them lands on the exact ln Z, as forward AIS does
        double exact = ExactPartition.logZ(rbm);
        AisEstimate rev = ais.reverse(t.samples(), AnnealingSchedule.standardScaled(0.3), new RandomStream(3), Progress.NONE);
        AisEstimate fwd = ais.forward(AnnealingSchedule.standardScaled(0.3), 100, new RandomStream(4), Progress.NONE);
        assertEquals(exact, rev.logZ(), 0.1, "reverse " + rev);
        assertEquals(exact, fwd.logZ(), 0.1, "forward " + fwd);
    }

    @Test
    void temperingCrossesToAModeTheBaseMisses() {
        BernoulliRbm rbm = twoModes();
        // a base with every pixel almost surely off, half the ladders seeded in each mode: the ladders still meet
        RbmAis ais = new RbmAis(rbm, Matrix.zeros(1, D).fill(-12f));
        Matrix starts = constant(100, 0f);
        starts.rows(50, 100).fill(1f);
        RbmTempering.Result t = RbmTempering.sample(ais, starts, "the off-mode", "the on-mode", 100, 400, new RandomStream(5), Progress.NONE);
        double on = onFraction(t.samples());
        assertTrue(on > 0.3 && on < 0.7, "fraction of samples in the on-mode " + on + " (exact 0.5); " + t.describe());
        assertTrue(t.caveats().isEmpty(), t.caveats().toString());
    }

    @Test
    void equalRejectionLadderSpreadsTheBarrierEvenly() {
        double[] betas = {0, 0.5, 0.9, 1};
        double[] rejection = {0.9, 0.1, 0.9};   // barrier 1.9: the middle stretch is easy
        double[] ladder = RbmTempering.equalRejectionLadder(betas, rejection);
        assertEquals(9, ladder.length);   // about 4 Lambda: ceil(7.6) + 1
        assertEquals(0, ladder[0]);
        int easy = 0;
        for (double b : ladder) if (b > 0.5 && b < 0.9) easy++;
        assertTrue(easy <= 1, "betas in the easy stretch: " + Arrays.toString(ladder));
        assertEquals(1, ladder[ladder.length - 1]);
        for (int k = 1; k < ladder.length; k++) assertTrue(ladder[k] > ladder[k - 1]);
    }
}
