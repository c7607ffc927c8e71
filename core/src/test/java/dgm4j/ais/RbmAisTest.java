package dgm4j.ais;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;

import org.junit.jupiter.api.Test;

import dgm4j.Progress;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.RbmTest;

/** AIS against exact enumeration on small trained RBMs (the 0.1-nat requirement). */
class RbmAisTest {

    @Test
    void standardScheduleHasThePublishedShape() {
        double[] b = AnnealingSchedule.standard().betas();
        assertEquals(14501, b.length);
        assertEquals(0, b[0]);
        assertEquals(1, b[b.length - 1]);
        assertEquals(1e-3, b[1] - b[0], 1e-12);
        assertEquals(1e-4, b[600] - b[599], 1e-12);
        assertEquals(1e-5, b[14000] - b[13999], 1e-12);
        for (int k = 1; k < b.length; k++) assertTrue(b[k] > b[k - 1]);
    }

    @Test
    void baseRateModelAloneIsExact() {
        // an RBM with W = 0 and a = 0 is the base-rate model itself: AIS weights are all 1
        Matrix data = RbmTest.bars(500, 3);
        Matrix bA = BernoulliRbm.baseRateBias(data);
        BernoulliRbm rbm = new BernoulliRbm(Matrix.zeros(16, 5), bA.copy(), Matrix.zeros(1, 5));
        AisEstimate e = new RbmAis(rbm, bA).forward(AnnealingSchedule.linear(50), 20, new RandomStream(1), Progress.NONE);
        assertEquals(ExactPartition.logZ(rbm), e.logZ(), 1e-4);
    }

    @Test
    void forwardAndReverseAisMatchExactLogZOnTrainedRbms() {
        for (boolean persistent : new boolean[] {false, true}) {
            BernoulliRbm rbm = RbmTest.trainOnBars(persistent, 1, persistent ? 100 : 30, 11);
            double exact = ExactPartition.logZ(rbm);
            Matrix data = RbmTest.bars(2000, 11);
            RbmAis ais = new RbmAis(rbm, BernoulliRbm.baseRateBias(data));
            AisEstimate f = ais.forward(AnnealingSchedule.standard(), 100, new RandomStream(5), Progress.NONE);
            assertEquals(exact, f.logZ(), 0.1, "forward " + f + " exact " + exact);
            assertTrue(f.logZLow() <= f.logZ() && f.logZ() <= f.logZHigh());
            // reverse AIS from exact-enough model samples: a long Gibbs chain per run
            Matrix v = Matrix.zeros(100, 16), h = Matrix.zeros(100, 12);
            RandomStream r = new RandomStream(6);
            r.uniforms(v);
            r.bernoulli(v, v);
            for (int t = 0; t < 2000; t++) {
                rbm.sampleHidden(v, null, h, r);
                rbm.sampleVisible(h, null, v, r);
            }
            AisEstimate rev = ais.reverse(v, AnnealingSchedule.standard(), r, Progress.NONE);
            assertEquals(exact, rev.logZ(), 0.1, "reverse " + rev + " exact " + exact);
            // the paths: ln Z_beta of the intermediate RBM (W, c times beta; b beta b + (1 - beta) b_A) at beta ~ 0.5
            for (AisEstimate e : new AisEstimate[] {f, rev}) {
                AisEstimate.PathPoint p = e.path().stream().min(Comparator.comparingDouble(q -> Math.abs(q.beta() - 0.5))).orElseThrow();
                float beta = (float) p.beta();
                BernoulliRbm mid = new BernoulliRbm(Elementwise.scale(rbm.weights().copy(), beta),
                        Elementwise.axpby(beta, rbm.visibleBias(), 1 - beta, BernoulliRbm.baseRateBias(data), Matrix.zeros(1, 16)),
                        Elementwise.scale(rbm.hiddenBias().copy(), beta));
                assertEquals(ExactPartition.logZ(mid), p.logZ(), 0.1, (e.reverse() ? "reverse" : "forward") + " path at beta " + beta);
                assertEquals(e.reverse() ? ais.logZBase() : e.logZ(), e.path().get(e.path().size() - 1).logZ(), 1e-6);
            }
        }
    }
}
