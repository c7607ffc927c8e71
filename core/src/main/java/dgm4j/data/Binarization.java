package dgm4j.data;

import java.util.Locale;

import dgm4j.InputException;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * How [0, 1] intensities become binary {0, 1} inputs for Bernoulli visible units.
 * <ul>
 *   <li>{@link #none()}: keep the values as they are (any range: also for real-valued models).</li>
 *   <li>{@link #threshold(float) THRESHOLD(t)}: x &gt; t gives 1.</li>
 *   <li>{@link #fixed(long) FIXED(seed)}: every pixel sampled once, 1 with probability x, from a
 *       {@code new RandomStream(seed)} walking the feature matrix in row-major order; the same dataset and seed always
 *       give the same bits.</li>
 *   <li>{@link #dynamic() DYNAMIC}: a fresh Bernoulli sample each time a minibatch is drawn, from the caller's
 *       {@link RandomStream} (Salakhutdinov and Murray 2008); see {@link #sampleBatch}.</li>
 * </ul>
 * Inputs to the other kinds must lie in [0, 1] (NaN included in "not"): otherwise a {@link DataException} naming the
 * dataset.
 */
public final class Binarization {
    /** The four kinds. */
    public enum Kind { NONE, THRESHOLD, FIXED, DYNAMIC }

    private static final Binarization NONE = new Binarization(Kind.NONE, 0f, 0L);
    private static final Binarization DYNAMIC = new Binarization(Kind.DYNAMIC, 0f, 0L);

    private final Kind kind;
    private final float threshold;
    private final long seed;

    private Binarization(Kind kind, float threshold, long seed) {
        this.kind = kind;
        this.threshold = threshold;
        this.seed = seed;
    }

    /** Keep the intensities. */
    public static Binarization none() { return NONE; }

    /** 1 where x &gt; t, else 0; t in [0, 1). */
    public static Binarization threshold(float t) {
        if (!(t >= 0f && t < 1f)) throw new IllegalArgumentException("binarization threshold must lie in [0, 1), got " + t);
        return new Binarization(Kind.THRESHOLD, t, 0L);
    }

    /** Each pixel sampled once from its intensity with a stream seeded by {@code seed}. */
    public static Binarization fixed(long seed) { return new Binarization(Kind.FIXED, 0f, seed); }

    /** A fresh sample per minibatch draw. */
    public static Binarization dynamic() { return DYNAMIC; }

    /**
     * Parses "none", "threshold" (t = 0.5), "threshold:T", "fixed:SEED" or "dynamic" (case-insensitive), for command
     * lines.
     */
    public static Binarization parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String head = colon < 0 ? s : s.substring(0, colon);
        String arg = colon < 0 ? null : s.substring(colon + 1).trim();
        try {
            switch (head) {
                case "none": if (arg == null) return none(); break;
                case "dynamic": if (arg == null) return dynamic(); break;
                case "threshold": return threshold(arg == null ? 0.5f : Float.parseFloat(arg));
                case "fixed": if (arg != null) return fixed(Long.parseLong(arg)); break;
                default: break;
            }
        } catch (IllegalArgumentException e) {
            throw new InputException("bad binarization \"" + text + "\": " + e.getMessage(), e);
        }
        throw new InputException("bad binarization \"" + text
                + "\": expected none, dynamic, threshold[:T] or fixed:SEED");
    }

    public Kind kind() { return kind; }

    /** True for DYNAMIC: batches must be resampled with {@link #sampleBatch} at every draw. */
    public boolean isDynamic() { return kind == Kind.DYNAMIC; }

    /**
     * The first {@code n} examples of {@code data} as a training run's monitors see them: binarized once (dynamic
     * binarization becomes fixed:1234, so that epochs are comparable), otherwise as {@link #apply} gives them; null for
     * null data.
     */
    public Matrix monitorFeatures(Dataset data, int n) {
        if (data == null) return null;
        Binarization once = isDynamic() ? fixed(1234) : this;
        return once.apply(data.subset(0, Math.min(n, data.size()))).features();
    }

    /**
     * The dataset as training should see it: NONE returns it unchanged, unchecked (real-valued data such as
     * standardised features for a Gaussian RBM pass through; models check their own domain), DYNAMIC returns it
     * unchanged after checking the range, THRESHOLD and FIXED return a binarized copy with the same labels and shape.
     */
    public Dataset apply(Dataset data) {
        if (kind == Kind.NONE) return data;
        requireUnitRange(data.features(), data.name());
        switch (kind) {
            case THRESHOLD: {
                Matrix out = Matrix.zeros(data.size(), data.dim());
                float[] row = new float[data.dim()];
                for (int i = 0; i < data.size(); i++) {
                    data.features().getRow(i, row);
                    for (int j = 0; j < row.length; j++) row[j] = row[j] > threshold ? 1f : 0f;
                    out.setRow(i, row);
                }
                return data.withFeatures(out);
            }
            case FIXED: {
                Matrix out = Matrix.zeros(data.size(), data.dim());
                new RandomStream(seed).bernoulli(data.features(), out);
                return data.withFeatures(out);
            }
            default:
                return data;
        }
    }

    /**
     * For DYNAMIC, replaces the intensities in {@code batch} by a Bernoulli sample of them drawn from {@code rng}
     * (in place); for the other kinds does nothing (their data was binarized once by {@link #apply}).
     */
    public void sampleBatch(Matrix batch, RandomStream rng) {
        if (kind == Kind.DYNAMIC) rng.bernoulli(batch, batch);
    }

    /**
     * Refuses values other than 0 and 1, naming the model that needs them ("a binary RBM needs 0/1 data; found ...").
     */
    public static void requireBinary(Matrix m, String model) {
        int n = m.size();
        for (int k = 0; k < n; k++) {
            float x = m.getFlat(k);
            if (x != 0f && x != 1f) {
                throw new InputException("a " + model + " needs 0/1 data; found " + x + " at row " + (k / m.cols())
                        + ", column " + (k % m.cols()) + " (binarize the data first)");
            }
        }
    }

    /** Throws a {@link DataException} naming {@code what} if a value of m is NaN or outside [0, 1]. */
    public static void requireUnitRange(Matrix m, String what) {
        float[] row = new float[m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            m.getRow(i, row);
            for (int j = 0; j < row.length; j++) {
                float v = row[j];
                if (!(v >= 0f && v <= 1f)) {
                    throw new DataException(what + ": binarization needs values in [0, 1], found " + v
                            + " at example " + i + ", feature " + j + " (scale the data first)");
                }
            }
        }
    }

    @Override
    public String toString() {
        switch (kind) {
            case THRESHOLD: return "threshold:" + threshold;
            case FIXED: return "fixed:" + seed;
            default: return kind.name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Binarization b && b.kind == kind && Float.compare(b.threshold, threshold) == 0 && b.seed == seed;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Float.hashCode(threshold) * 17 + Long.hashCode(seed);
    }
}
