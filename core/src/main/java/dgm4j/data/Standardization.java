package dgm4j.data;

import dgm4j.InputException;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;

/**
 * Per-column standardisation x' = (x - mean) / std, the preprocessing a Gaussian RBM with unit variances expects
 * (Hinton's practical guide, section 13.2). Fitted on training data and applied unchanged to validation and test data.
 * A column whose standard deviation is below {@code minStd} (e.g. an always-black pixel) is divided by
 * {@code minStd} instead, so it stays finite and does not blow up rare values.
 */
public final class Standardization {
    private final Matrix mean;  // 1 x D
    private final Matrix std;   // 1 x D, each at least minStd
    private final Matrix inverseStd;

    private Standardization(Matrix mean, Matrix std) {
        this.mean = mean;
        this.std = std;
        this.inverseStd = Matrix.zeros(1, std.cols());
        for (int j = 0; j < std.cols(); j++) inverseStd.set(0, j, 1f / std.get(0, j));
    }

    /** A standardisation with given column means and (positive, finite) standard deviations, e.g. from a model file. */
    public static Standardization of(Matrix mean, Matrix std) {
        if (mean.rows() != 1 || std.rows() != 1 || mean.cols() != std.cols()) {
            throw new InputException("standardisation mean and std must be 1xD rows of equal width, got " + mean.shape() + " and " + std.shape());
        }
        for (int j = 0; j < std.cols(); j++) {
            float s = std.get(0, j);
            if (!(s > 0) || !Float.isFinite(s) || !Float.isFinite(mean.get(0, j))) {
                throw new InputException("standardisation column " + j + ": mean " + mean.get(0, j) + ", std " + s + " (std must be positive and finite)");
            }
        }
        return new Standardization(mean.copy(), std.copy());
    }

    /** Column means and (population) standard deviations of {@code features}, each std at least {@code minStd}. */
    public static Standardization fit(Matrix features, float minStd) {
        if (features.rows() == 0) throw new InputException("cannot standardise an empty dataset");
        if (!(minStd > 0) || !Float.isFinite(minStd)) throw new InputException("minimum standard deviation must be positive, got " + minStd);
        if (features.hasNonFinite()) throw new InputException("cannot standardise data with NaN or infinite values");
        int n = features.rows(), d = features.cols();
        Matrix mean = Elementwise.columnSums(features, 1f, 0f, Matrix.zeros(1, d));
        for (int j = 0; j < d; j++) mean.set(0, j, (float) ((double) mean.get(0, j) / n));  // divided in double
        Matrix negMean = Elementwise.scale(mean.copy(), -1f);
        Matrix centred = Elementwise.addRowVector(features, negMean, Matrix.zeros(n, d));
        Matrix var = Elementwise.columnSums(Elementwise.square(centred, centred), 1f / n, 0f, Matrix.zeros(1, d));
        Matrix std = Matrix.zeros(1, d);
        for (int j = 0; j < d; j++) std.set(0, j, Math.max(minStd, (float) Math.sqrt(var.get(0, j))));
        return new Standardization(mean, std);
    }

    /** {@link #fit(Matrix, float)} on a dataset's features. */
    public static Standardization fit(Dataset data, float minStd) {
        return fit(data.features(), minStd);
    }

    /** Column means (1 x D, a copy). */
    public Matrix mean() { return mean.copy(); }

    /** Column standard deviations used, after the minStd floor (1 x D, a copy). */
    public Matrix std() { return std.copy(); }

    /** (x - mean) / std, a new matrix. */
    public Matrix apply(Matrix x) {
        if (x.cols() != mean.cols()) {
            throw new InputException("data have " + x.cols() + " columns, the standardisation was fitted to " + mean.cols());
        }
        Matrix out = Matrix.zeros(x.rows(), x.cols());
        Elementwise.addRowVector(x, Elementwise.scale(mean.copy(), -1f), out);
        return Elementwise.multiplyRowVector(out, inverseStd, out);
    }

    /** The dataset with standardised features (labels and shape kept). */
    public Dataset apply(Dataset data) {
        return data.withFeatures(apply(data.features()));
    }

    /** x * std + mean, a new matrix: back to the original units (e.g. to look at samples). */
    public Matrix invert(Matrix x) {
        Matrix out = Elementwise.multiplyRowVector(x, std, Matrix.zeros(x.rows(), x.cols()));
        return Elementwise.addRowVector(out, mean, out);
    }
}
