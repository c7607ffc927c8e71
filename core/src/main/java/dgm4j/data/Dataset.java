package dgm4j.data;

import java.util.Arrays;
import java.util.Objects;

import dgm4j.math.Matrix;

/**
 * An in-memory dataset: n examples of d float32 features (one row of {@link #features()} per example), optional integer
 * class labels in [0, {@link #numClasses()}), a name, and for images their height and width (row-major pixels, so
 * d = height * width). Pixel values of image datasets are scaled to [0, 1].
 *
 * <p>Immutable in shape. The feature matrix is shared, not copied (also by {@link #subset}), so callers must not
 * write into it.
 */
public final class Dataset {
    private final String name;
    private final Matrix features;
    private final int[] labels;
    private final int height;
    private final int width;
    private final int numClasses;

    /**
     * @param features   n x d matrix, one example per row (kept, not copied)
     * @param labels     one label per row, or null for unlabelled data (kept, not copied)
     * @param height     image height, or 0 if the examples are not images
     * @param width      image width, or 0 if the examples are not images
     * @param numClasses number of classes, labels lie in [0, numClasses); ignored for unlabelled data
     * @throws IllegalArgumentException if the pieces do not fit together
     */
    public Dataset(String name, Matrix features, int[] labels, int height, int width, int numClasses) {
        this.name = Objects.requireNonNull(name, "name");
        this.features = Objects.requireNonNull(features, "features");
        if (labels != null && labels.length != features.rows()) {
            throw new IllegalArgumentException(name + ": " + features.rows() + " examples but " + labels.length + " labels");
        }
        if (height < 0 || width < 0 || (height == 0) != (width == 0)
                || (height != 0 && (long) height * width != features.cols())) {
            throw new IllegalArgumentException(name + ": image shape " + height + "x" + width + " does not match "
                    + features.cols() + " features");
        }
        if (labels != null) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= numClasses) {
                    throw new IllegalArgumentException(name + ": label " + labels[i] + " of example " + i
                            + " outside [0, " + numClasses + ")");
                }
            }
        }
        this.labels = labels;
        this.height = height;
        this.width = width;
        this.numClasses = labels == null ? 0 : numClasses;
    }

    public String name() { return name; }

    /** The n x d feature matrix (shared: do not modify). */
    public Matrix features() { return features; }

    /** The labels (shared: do not modify), or null if unlabelled. */
    public int[] labels() { return labels; }

    public boolean hasLabels() { return labels != null; }

    /** Label of example i. */
    public int label(int i) {
        if (labels == null) throw new IllegalStateException(name + " has no labels");
        return labels[i];
    }

    /** Number of examples n. */
    public int size() { return features.rows(); }

    /** Number of features d per example. */
    public int dim() { return features.cols(); }

    /** Image height, or 0 if the examples are not images. */
    public int height() { return height; }

    /** Image width, or 0 if the examples are not images. */
    public int width() { return width; }

    public boolean isImage() { return height > 0; }

    /** Number of classes (0 if unlabelled). */
    public int numClasses() { return numClasses; }

    /** Examples [from, to): the features are a view sharing storage with this dataset. */
    public Dataset subset(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("subset [" + from + ", " + to + ") outside " + name + " of " + size() + " examples");
        }
        int[] sub = labels == null ? null : Arrays.copyOfRange(labels, from, to);
        return new Dataset(name, features.rows(from, to), sub, height, width, numClasses);
    }

    /** A deep copy with its own storage (e.g. to let a large parent be freed). */
    public Dataset copy() {
        return new Dataset(name, features.copy(), labels == null ? null : labels.clone(), height, width, numClasses);
    }

    /** The same data under another name. */
    public Dataset withName(String newName) {
        return new Dataset(newName, features, labels, height, width, numClasses);
    }

    /** The same labels and shape with other features (same n x d). */
    public Dataset withFeatures(Matrix newFeatures) {
        Matrix.requireSameShape(features, newFeatures, "withFeatures");
        return new Dataset(name, newFeatures, labels, height, width, numClasses);
    }

    /** Smallest and largest feature value, as {min, max} ({+inf, -inf} if empty; NaN if any value is NaN). */
    public float[] range() {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        int n = features.size();
        for (int k = 0; k < n; k++) {
            float v = features.getFlat(k);
            if (Float.isNaN(v)) return new float[] {Float.NaN, Float.NaN};
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return new float[] {lo, hi};
    }

    @Override
    public String toString() {
        return name + " (" + size() + " x " + dim() + (isImage() ? ", " + height + "x" + width + " images" : "")
                + (labels != null ? ", " + numClasses + " classes" : ", unlabelled") + ")";
    }
}
