package dgm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.classify.SigmoidClassifier;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.optim.Adam;

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

    @Test
    void fineTuningTheDbmInitialisedNetworkClassifiesDigits() throws Exception {
        Dataset all = Datasets.fromFiles(
                Path.of(getClass().getResource("/fixtures/mnist-t10k-300-images-idx3-ubyte.gz").toURI()),
                Path.of(getClass().getResource("/fixtures/mnist-t10k-300-labels-idx1-ubyte.gz").toURI()));
        Dataset train = all.subset(0, 200), test = all.subset(200, 300);
        DbmPretraining.Config pre = DbmPretraining.Config.defaults().withEpochs(3).withBatchSize(20);
        Dbm dbm = DbmPretraining.pretrain(train, new int[] {40, 20}, Binarization.dynamic(), pre, new RandomStream(1), line -> { });
        SigmoidClassifier c = DbmFineTuning.classifier(dbm, 10, new RandomStream(2));
        Dataset trainInput = DbmFineTuning.augmented(dbm, train, 30, 1e-6), testInput = DbmFineTuning.augmented(dbm, test, 30, 1e-6);
        assertEquals(784 + 20, trainInput.dim());
        double[] losses = c.train(trainInput, 40, 20, new Adam(c.parameters(), 0.9, 0.999, 1e-8), 1e-2, new RandomStream(3), Progress.NONE);
        double error = c.errorRate(testInput.features(), testInput.labels());
        System.out.println("fine-tuned 804-40-20-10 on 200 fixture digits: cross-entropy " + losses[0] + " -> " + losses[39]
                + ", held-out error " + error);
        assertTrue(losses[39] < 0.2 * losses[0], losses[0] + " -> " + losses[39]);
        // 200 examples, a DBM pretrained for 3 epochs: the point is that the initialised network trains (chance: 0.9)
        assertTrue(error < 0.45, "held-out error " + error);
    }
}
