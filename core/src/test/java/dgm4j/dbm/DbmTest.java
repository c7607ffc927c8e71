package dgm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.ais.ExactPartition;
import dgm4j.math.Elementwise;
import dgm4j.math.LogMath;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;

/**
 * The DBM's math against brute-force enumeration on tiny models: energy, conditionals, odd layers summed out,
 * the mean-field fixed point and its bound, Gibbs and tempered chains leaving the distribution invariant.
 */
public class DbmTest {

    /** A DBM with layer sizes {@code units}, weights and biases ~ N(0, scale^2). */
    public static Dbm randomDbm(int[] units, float scale, long seed) {
        RandomStream r = new RandomStream(seed);
        Dbm dbm = Dbm.initialize(units, r);
        for (Matrix p : dbm.parameters()) {
            r.gaussian(p);
            Elementwise.scale(p, scale);
        }
        return dbm;
    }

    /** Random binary rows: each bit Bernoulli(p) with p uniform on [0, 1]. */
    public static Matrix coinFlips(int rows, int cols, long seed) {
        Matrix v = Matrix.zeros(rows, cols);
        RandomStream r = new RandomStream(seed);
        r.uniforms(v);
        r.bernoulli(v, v);
        return v;
    }

    /** Bits of {@code code} spread over the layers of a one-row state. */
    static List<Matrix> state(Dbm dbm, long code) {
        List<Matrix> x = dbm.newLayers(1);
        for (Matrix layer : x) for (int u = 0; u < layer.cols(); u++, code >>>= 1) layer.set(0, u, (code & 1L) != 0 ? 1f : 0f);
        return x;
    }

    static int totalUnits(Dbm dbm) {
        int n = 0;
        for (int u : dbm.layerSizes()) n += u;
        return n;
    }

    /** -E by the definition, element by element, in double. */
    static double negativeEnergy(Dbm dbm, List<Matrix> x) {
        double e = 0;
        for (int l = 0; l <= dbm.hiddenLayers(); l++) {
            for (int j = 0; j < dbm.units(l); j++) e += (double) dbm.bias(l).get(0, j) * x.get(l).get(0, j);
            if (l == 0) continue;
            Matrix w = dbm.weights(l);
            for (int i = 0; i < w.rows(); i++) for (int j = 0; j < w.cols(); j++) e += (double) x.get(l - 1).get(0, i) * w.get(i, j) * x.get(l).get(0, j);
        }
        return e;
    }

    /** Exact probability of every joint state (index = code of {@link #state}). */
    static double[] exactJoint(Dbm dbm) {
        int n = totalUnits(dbm);
        double[] logp = new double[1 << n];
        for (int c = 0; c < logp.length; c++) logp[c] = negativeEnergy(dbm, state(dbm, c));
        double logZ = LogMath.logSumExp(logp);
        for (int c = 0; c < logp.length; c++) logp[c] = Math.exp(logp[c] - logZ);
        return logp;
    }

    @Test
    void transposedWeightsGiveTheSameLayerInputs() {
        // 3 hidden layers; 40 rows so that sparse and complement states take Blas.gemmBinaryLeft's row sums
        Dbm dbm = randomDbm(new int[] {70, 33, 130, 20}, 0.5f, 12);
        List<Matrix> t = dbm.transposeWeights(dbm.newTransposedWeights());
        for (int l = 1; l <= dbm.hiddenLayers(); l++) {
            for (int i = 0; i < dbm.units(l - 1); i++) {
                for (int j = 0; j < dbm.units(l); j++) assertEquals(dbm.weights(l).get(i, j), t.get(l - 1).get(j, i));
            }
        }
        RandomStream r = new RandomStream(4);
        for (double density : new double[] {0.01, 0.5, 0.99}) {
            List<Matrix> x = dbm.newLayers(40);
            for (Matrix layer : x) {
                r.bernoulli(layer.fill((float) density), layer);
            }
            for (int l = 0; l <= dbm.hiddenLayers(); l++) {
                Matrix a = dbm.layerInput(x, l, Matrix.zeros(40, dbm.units(l)));
                Matrix b = dbm.layerInput(x, l, Matrix.zeros(40, dbm.units(l)), t);
                for (int k = 0; k < a.size(); k++) assertEquals(a.getFlat(k), b.getFlat(k), 1e-4, "layer " + l + " density " + density);
            }
        }
    }

    @Test
    void energyAndConditionalsMatchEnumeration() {
        for (int[] units : new int[][] {{4, 3, 2}, {3, 3, 2, 2}}) {
            Dbm dbm = randomDbm(units, 1f, 3);
            int n = totalUnits(dbm);
            for (long c = 0; c < (1L << n); c += 7) {
                List<Matrix> x = state(dbm, c);
                assertEquals(-negativeEnergy(dbm, x), dbm.energy(x, dbm.newLayers(1))[0], 1e-4);
                int bit = 0;
                for (int l = 0; l <= dbm.hiddenLayers(); l++) {
                    Matrix input = dbm.layerInput(x, l, Matrix.zeros(1, dbm.units(l)));
                    for (int j = 0; j < dbm.units(l); j++, bit++) {
                        double on = negativeEnergy(dbm, state(dbm, c | (1L << bit)));
                        double off = negativeEnergy(dbm, state(dbm, c & ~(1L << bit)));
                        double exact = 1 / (1 + Math.exp(off - on));
                        assertEquals(exact, LogMath.sigmoid(input.get(0, j)), 1e-5, "layer " + l + " unit " + j);
                    }
                }
            }
        }
    }

    @Test
    void oddLayersSumOutAnalytically() {
        Dbm dbm = randomDbm(new int[] {3, 3, 2, 2}, 1f, 4);
        int n = totalUnits(dbm);
        // sum over the odd layers' bits of exp(-E), for a few even states
        for (long even = 0; even < 16; even++) {
            List<Matrix> x = state(dbm, spread(dbm, even, 0));
            double expected = Double.NEGATIVE_INFINITY;
            for (long c = 0; c < (1L << n); c++) {
                if (evenPart(dbm, c) == spread(dbm, even, 0)) expected = LogMath.logAddExp(expected, negativeEnergy(dbm, state(dbm, c)));
            }
            assertEquals(expected, dbm.logUnnormalizedEvenLayers(x, dbm.newLayers(1))[0], 1e-4);
        }
    }

    /** The code whose even layers hold the bits of {@code bits} (in order) and odd layers zero. */
    private static long spread(Dbm dbm, long bits, int unused) {
        long code = 0;
        int pos = 0;
        for (int l = 0; l <= dbm.hiddenLayers(); l++) {
            for (int j = 0; j < dbm.units(l); j++, pos++) {
                if (l % 2 == 0) {
                    if ((bits & 1L) != 0) code |= 1L << pos;
                    bits >>>= 1;
                }
            }
        }
        return code;
    }

    private static long evenPart(Dbm dbm, long code) {
        long mask = 0;
        int pos = 0;
        for (int l = 0; l <= dbm.hiddenLayers(); l++) for (int j = 0; j < dbm.units(l); j++, pos++) if (l % 2 == 0) mask |= 1L << pos;
        return code & mask;
    }

    @Test
    void meanFieldReachesItsFixedPointAndBoundsTheLogProbability() {
        for (int[] units : new int[][] {{8, 6, 4}, {8, 5, 4, 3}}) {
            Dbm dbm = randomDbm(units, 0.5f, 5);
            Matrix v = coinFlips(20, 8, 6);
            Dbm.Posterior q = dbm.newPosterior(20);
            List<Matrix> mu = q.mu;
            int sweeps = dbm.meanField(v, q, 200, 1e-7);
            assertTrue(sweeps < 200, "mean field did not converge: " + sweeps);
            for (int l = 1; l <= dbm.hiddenLayers(); l++) {
                Matrix fixed = Elementwise.sigmoid(dbm.layerInput(mu, l, Matrix.zeros(20, units[l])), Matrix.zeros(20, units[l]));
                for (int k = 0; k < fixed.size(); k++) assertEquals(fixed.getFlat(k), mu.get(l).getFlat(k), 1e-5, "layer " + l);
            }
            double[] bound = dbm.meanFieldBound(q);
            double[] exact = ExactPartition.logUnnormalizedProbability(dbm, v);
            for (int k = 0; k < 20; k++) {
                assertTrue(bound[k] <= exact[k] + 1e-4, "bound " + bound[k] + " above ln p*(v) " + exact[k]);
                assertTrue(exact[k] - bound[k] < 1.0, "loose bound: " + bound[k] + " vs " + exact[k]);
            }
        }
    }

    /** Unit marginals of the chains' states averaged over sweeps, against the exact ones. */
    private static void assertChainsSampleTheModel(Dbm dbm, DbmChains chains, String what) {
        double[] joint = exactJoint(dbm);
        int n = totalUnits(dbm);
        double[] exact = new double[n];
        for (int c = 0; c < joint.length; c++) for (int b = 0; b < n; b++) if ((c >>> b & 1) != 0) exact[b] += joint[c];
        RandomStream r = new RandomStream(8);
        List<Matrix> start = dbm.newLayers(chains.chains());
        for (Matrix m : start) m.fill(1f);   // far from equilibrium: all units on
        chains.start(start);
        chains.advance(100, r);
        double[] seen = new double[n];
        int rounds = 100;
        for (int t = 0; t < rounds; t++) {
            chains.advance(1, r);
            int b = 0;
            for (Matrix layer : chains.cold()) {
                for (int j = 0; j < layer.cols(); j++, b++) {
                    for (int m = 0; m < layer.rows(); m++) seen[b] += layer.get(m, j);
                }
            }
        }
        for (int b = 0; b < n; b++) {
            double p = seen[b] / ((double) rounds * chains.chains());
            // correlated samples: a generous 0.03 (standard error of 2000 x 100 samples is ~0.001 - 0.005)
            assertEquals(exact[b], p, 0.03, what + " unit " + b);
        }
    }

    @Test
    void gibbsAndTemperedChainsLeaveTheModelInvariant() {
        Dbm dbm = randomDbm(new int[] {4, 3, 2}, 1.5f, 7);
        assertChainsSampleTheModel(dbm, new DbmChains(dbm, 2000, new double[] {1}), "Gibbs");
        DbmChains tempered = new DbmChains(dbm, 2000, DbmChains.ladder(4, 0.3));
        assertChainsSampleTheModel(dbm, tempered, "tempered");
        for (double rate : tempered.swapRates()) assertTrue(rate > 0.2 && rate <= 1, tempered.swapReport());
    }

    @Test
    void badShapesAndDataAreRefused() {
        Dbm dbm = randomDbm(new int[] {4, 3, 2}, 1f, 9);
        assertThrows(InputException.class, () -> dbm.requireVisible(Matrix.zeros(2, 5)));
        assertThrows(InputException.class, () -> dbm.requireVisible(Matrix.zeros(2, 4).fill(0.5f)));
        List<Matrix> w = new ArrayList<>(List.of(Matrix.zeros(4, 3)));
        assertThrows(InputException.class, () -> new Dbm(w, List.of(Matrix.zeros(1, 4), Matrix.zeros(1, 2))));
        assertThrows(InputException.class, () -> DbmChains.ladder(3, 1.5));
        assertThrows(InputException.class, () -> Dbm.initialize(new int[] {4}, new RandomStream(1)));
    }

    @Test
    void oneHiddenLayerIsAnRbm() {
        Dbm dbm = randomDbm(new int[] {6, 4}, 1f, 12);
        BernoulliRbm rbm = new BernoulliRbm(dbm.weights(1), dbm.bias(0), dbm.bias(1));
        assertEquals(ExactPartition.logZ(rbm), ExactPartition.logZ(dbm), 1e-9 + 1e-6 * Math.abs(ExactPartition.logZ(rbm)));
        Matrix v = coinFlips(5, 6, 13);
        double[] free = rbm.freeEnergy(v, null), logp = ExactPartition.logUnnormalizedProbability(dbm, v);
        for (int n = 0; n < 5; n++) assertEquals(-free[n], logp[n], 1e-4);
    }
}
