package dgm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;

/** The network initialised from a DBM computes, at the mean-field fixed point, the posterior means q(h1), q(h2). */
class DbmFineTuningTest {

    @Test
    void initialisedNetworkReproducesTheMeanFieldPosterior() {
        Dbm dbm = DbmTest.randomDbm(new int[] {7, 5, 4}, 0.7f, 41);
        Matrix v = DbmTest.coinFlips(12, 7, 42);
        Matrix input = DbmFineTuning.augmentedInput(dbm, v, 500, 1e-8);
        DbmFineTuning.Initialisation init = DbmFineTuning.initialisation(dbm);
        Matrix a1 = Elementwise.broadcastRow(init.firstBias(), Matrix.zeros(12, 5));
        Numerics.blas().gemm(false, false, 1f, input, init.firstWeights(), 1f, a1);
        Elementwise.sigmoid(a1, a1);
        Matrix a2 = Elementwise.broadcastRow(init.secondBias(), Matrix.zeros(12, 4));
        Numerics.blas().gemm(false, false, 1f, a1, init.secondWeights(), 1f, a2);
        Elementwise.sigmoid(a2, a2);
        Dbm.Posterior q = dbm.newPosterior(12);
        dbm.meanField(v, q, 500, 1e-8);
        for (int k = 0; k < a1.size(); k++) assertEquals(q.mu.get(1).getFlat(k), a1.getFlat(k), 1e-5);
        for (int k = 0; k < a2.size(); k++) assertEquals(q.mu.get(2).getFlat(k), a2.getFlat(k), 1e-5);
        for (int k = 0; k < 7; k++) assertEquals(v.get(3, k), input.get(3, k));
        assertThrows(InputException.class, () -> DbmFineTuning.initialisation(DbmTest.randomDbm(new int[] {4, 3, 2, 2}, 1f, 1)));
    }
}
