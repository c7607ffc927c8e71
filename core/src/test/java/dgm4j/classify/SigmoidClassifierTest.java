package dgm4j.classify;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Adam;

class SigmoidClassifierTest {
    @Test
    void learnsDigitsFromTheFixture() throws Exception {
        Dataset all = Datasets.fromFiles(
                Path.of(getClass().getResource("/fixtures/mnist-t10k-300-images-idx3-ubyte.gz").toURI()),
                Path.of(getClass().getResource("/fixtures/mnist-t10k-300-labels-idx1-ubyte.gz").toURI()));
        Dataset train = all.subset(0, 200), test = all.subset(200, 300);
        SigmoidClassifier c = SigmoidClassifier.initialize(new int[] {784, 64, 10}, new RandomStream(1));
        double before = c.errorRate(test.features(), test.labels());
        double[] losses = c.train(train, 40, 20, new Adam(c.parameters(), 0.9, 0.999, 1e-8), 3e-3, new RandomStream(2), Progress.NONE);
        assertTrue(losses[39] < 0.1 * losses[0], "cross-entropy " + losses[0] + " -> " + losses[39]);
        assertTrue(c.errorRate(train.features(), train.labels()) < 0.02);
        double after = c.errorRate(test.features(), test.labels());
        assertTrue(before > 0.6 && after < 0.3, "held-out error " + before + " -> " + after);
        assertThrows(InputException.class, () -> c.predict(Matrix.zeros(2, 10)));
    }
}
