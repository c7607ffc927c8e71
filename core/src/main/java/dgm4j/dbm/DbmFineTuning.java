package dgm4j.dbm;

import java.util.List;

import dgm4j.InputException;
import dgm4j.classify.SigmoidClassifier;
import dgm4j.data.Dataset;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * What discriminative fine-tuning starts from (Salakhutdinov and Hinton 2009, section 5; the authors' code): a
 * two-hidden-layer DBM becomes a feed-forward network whose input is the image together with its mean-field q(h2 | v),
 *
 * <pre>
 *   a1 = sigmoid([v, q(h2)] [W1; W2^T] + b1),   a2 = sigmoid(a1 W2 + b2),   p(y | v) = softmax(a2 W3 + b3)
 * </pre>
 *
 * so that at initialisation a1 and a2 are one mean-field sweep from q(h1) and q(h2) (exactly them at the fixed point);
 * W3, b3 are new (small random weights). q(h2 | v) is computed once per example and stays fixed while the network is
 * trained by backpropagation ({@link SigmoidClassifier}, on the autodiff tape).
 */
public final class DbmFineTuning {
    private DbmFineTuning() {}

    /** The first and second layers' initial weights and biases: [W1; W2^T] ((n0 + n2) x n1), b1, W2, b2 (copies). */
    public record Initialisation(Matrix firstWeights, Matrix firstBias, Matrix secondWeights, Matrix secondBias) {}

    private static void requireTwoLayers(Dbm dbm) {
        if (dbm.hiddenLayers() != 2) {
            throw new InputException("fine-tuning with q(h2) as extra input is defined for DBMs with two hidden layers, not " + dbm.hiddenLayers());
        }
    }

    /** The network's initial weights from the DBM. */
    public static Initialisation initialisation(Dbm dbm) {
        requireTwoLayers(dbm);
        int n0 = dbm.units(0), n1 = dbm.units(1), n2 = dbm.units(2);
        Matrix first = Matrix.zeros(n0 + n2, n1);
        first.rows(0, n0).copyFrom(dbm.weights(1));
        Matrix w2 = dbm.weights(2);
        float[] row = new float[n1];
        for (int k = 0; k < n2; k++) {
            for (int j = 0; j < n1; j++) row[j] = w2.get(j, k);   // row k of W2^T
            first.setRow(n0 + k, row);
        }
        return new Initialisation(first, dbm.bias(1).copy(), w2.copy(), dbm.bias(2).copy());
    }

    /** [v, q(h2 | v)] per row, q from {@link Dbm#meanField} (at most {@code iterations} sweeps). */
    public static Matrix augmentedInput(Dbm dbm, Matrix v, int iterations, double tolerance) {
        requireTwoLayers(dbm);
        Dbm.Posterior q = dbm.newPosterior(v.rows());
        dbm.meanField(v, q, iterations, tolerance);
        return DbmSampler.sideBySide(List.of(v, q.mu.get(2)));
    }

    /**
     * The network (n0 + n2) - n1 - n2 - {@code classes} of sigmoid layers and a softmax, initialised from the DBM; the
     * softmax layer's weights ~ N(0, 0.01^2), its biases 0.
     */
    public static SigmoidClassifier classifier(Dbm dbm, int classes, RandomStream random) {
        Initialisation init = initialisation(dbm);
        SigmoidClassifier c = new SigmoidClassifier(dbm.units(0) + dbm.units(2), dbm.units(1), dbm.units(2), classes);
        c.weight(0).copyFrom(init.firstWeights());
        c.bias(0).copyFrom(init.firstBias());
        c.weight(1).copyFrom(init.secondWeights());
        c.bias(1).copyFrom(init.secondBias());
        random.gaussian(c.weight(2));
        Elementwise.scale(c.weight(2), 0.01f);
        c.bias(2).fill(0f);
        return c;
    }

    /** The dataset with each row replaced by [v, q(h2 | v)] (labels and name kept): the classifier's input. */
    public static Dataset augmented(Dbm dbm, Dataset data, int iterations, double tolerance) {
        if (data.dim() != dbm.visibleUnits()) {
            throw new InputException(data.name() + " has " + data.dim() + " columns but the DBM has " + dbm.visibleUnits() + " visible units");
        }
        Matrix x = augmentedInput(dbm, data.features(), iterations, tolerance);
        return new Dataset(data.name() + " + q(h2)", x, data.labels(), 0, 0, data.numClasses());
    }
}
