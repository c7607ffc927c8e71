package dgm4j.math;

import java.util.Arrays;

/**
 * A seeded, splittable stream of random numbers. Randomness in dgm4j is always an argument, never a global: a run is
 * reproducible from its seed (and, where products are threaded, its thread count).
 *
 * <p>Bulk draws (uniforms, Bernoulli, Gaussian) come from 16 independent xoshiro128++ lanes (Blackman and Vigna),
 * element 16r + l being lane l's r-th output, so the Vector API and scalar kernels give bitwise the same uniforms.
 * Single draws (shuffles, indices) come from a separate SplitMix64 sequence. Lanes and sub-streams are seeded through
 * SplitMix64 (Steele, Lea and Flood 2014), so {@link #split(long)} streams are statistically independent.
 *
 * <p>Not thread-safe: give each thread its own {@link #split(long)}.
 */
public final class RandomStream {
    /** Number of xoshiro lanes; a multiple of every vector width used. */
    public static final int LANES = 16;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final long seed;
    private final int[] lanes = new int[4 * LANES];
    private long scalarState;
    private final float[] scratchA = new float[CHUNK];
    private final float[] scratchB = new float[CHUNK];
    static final int CHUNK = 4096;

    public RandomStream(long seed) {
        this.seed = seed;
        long s = seed;
        for (int i = 0; i < lanes.length; i += 2) {
            s += GOLDEN;
            long z = mix64(s);
            lanes[i] = (int) z;
            lanes[i + 1] = (int) (z >>> 32);
        }
        // xoshiro's state must not be all zero in any lane
        for (int l = 0; l < LANES; l++) {
            if ((lanes[l] | lanes[LANES + l] | lanes[2 * LANES + l] | lanes[3 * LANES + l]) == 0) lanes[l] = 1;
        }
        scalarState = mix64(seed ^ 0x5DEECE66DL);
    }

    /** An independent stream derived from this stream's seed and {@code key} (does not advance this stream). */
    public RandomStream split(long key) {
        return new RandomStream(mix64(seed + GOLDEN * (key + 1)) ^ mix64(key ^ 0xD1B54A32D192ED03L));
    }

    /** Fills dst[0, n) with uniforms in [0, 1). */
    public void uniforms(float[] dst, int n) {
        if (n > dst.length) throw new IllegalArgumentException("n = " + n + " exceeds the array length " + dst.length);
        Numerics.kernels().uniforms(lanes, dst, n);
    }

    /** Fills a matrix with uniforms in [0, 1). */
    public void uniforms(Matrix out) {
        int n = out.size();
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            uniforms(scratchA, len);
            for (int k = 0; k < len; k++) out.floats.put(out.offset + from + k, scratchA[k]);
        }
    }

    /** sample[k] = 1 with probability p[k], else 0. p must lie in [0, 1]. */
    public void bernoulli(Matrix p, Matrix sample) {
        Matrix.requireSameShape(p, sample, "bernoulli");
        bernoulliChunks(p, false, null, sample);
    }

    /**
     * The fused Gibbs half-step: prob = sigmoid(x), sample ~ Bernoulli(prob). {@code prob} may be null when only the
     * sample is wanted; {@code prob} may be {@code x} itself.
     */
    public void sigmoidBernoulli(Matrix x, Matrix prob, Matrix sample) {
        Matrix.requireSameShape(x, sample, "sigmoidBernoulli");
        if (prob != null) Matrix.requireSameShape(x, prob, "sigmoidBernoulli");
        bernoulliChunks(x, true, prob, sample);
    }

    private void bernoulliChunks(Matrix p, boolean sigmoid, Matrix prob, Matrix sample) {
        Kernels k = Numerics.kernels();
        int n = p.size();
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            k.uniforms(lanes, scratchA, len);
            k.bernoulli(p, sigmoid, prob, sample, scratchA, scratchB, from, len);
        }
    }

    /** out = mean + std * N(0, 1) elementwise; mean and std may be null (0 and 1). */
    public void gaussian(Matrix mean, Matrix std, Matrix out) {
        if (mean != null) Matrix.requireSameShape(mean, out, "gaussian");
        if (std != null) Matrix.requireSameShape(std, out, "gaussian");
        Kernels k = Numerics.kernels();
        int n = out.size();
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            int pairs = (len + 1) / 2;           // Box-Muller gives two normals per pair of uniforms
            k.uniforms(lanes, scratchA, pairs);
            k.uniforms(lanes, scratchB, pairs);
            k.gaussian(mean, std, out, scratchA, scratchB, from, len);
        }
    }

    /** Standard normal samples into out. */
    public void gaussian(Matrix out) { gaussian(null, null, out); }

    /**
     * counts[i, :] ~ Multinomial(draws[i], prob[i, :]): draws[i] independent categorical draws from row i of prob
     * (non-negative, normalised here by the row sum, so rounding of a softmax does not matter), counted per column.
     * Each draw is an inverse-CDF lookup: one double uniform (SplitMix64) and a binary search in the row's cumulative
     * sums (double), so a row costs O(K + n log K) for K columns and n draws. Zero-probability columns are never drawn.
     * draws[i] must be a non-negative integer; a row with draws[i] = 0 gets zeros.
     */
    public void multinomialRows(Matrix prob, double[] draws, Matrix counts) {
        Matrix.requireSameShape(prob, counts, "multinomialRows");
        int r = prob.rows(), c = prob.cols();
        if (draws.length != r) throw new IllegalArgumentException("multinomialRows: " + draws.length + " draw counts for " + r + " rows");
        double[] cdf = new double[c];
        float[] row = new float[c];
        for (int i = 0; i < r; i++) {
            double nd = draws[i];
            if (!(nd >= 0) || nd != Math.rint(nd) || nd > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("multinomialRows: row " + i + " asks for " + nd + " draws");
            }
            int n = (int) nd;
            int pi = prob.offset + i * c, ci = counts.offset + i * c;
            double acc = 0;
            prob.floats.get(pi, row);
            for (int j = 0; j < c; j++) {
                float p = row[j];
                if (!(p >= 0) || p == Float.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("multinomialRows: probability " + p + " at row " + i + ", column " + j);
                }
                acc += p;
                cdf[j] = acc;
            }
            Arrays.fill(row, 0f);
            if (n > 0) {
                if (!(acc > 0)) throw new IllegalArgumentException("multinomialRows: row " + i + " has no probability mass");
                for (int t = 0; t < n; t++) {
                    double u = nextDouble() * acc;
                    // first j with cdf[j] > u (cdf[c - 1] = acc > u, so one exists; ties skip zero-mass columns)
                    int lo = 0, hi = c - 1;
                    while (lo < hi) {
                        int mid = (lo + hi) >>> 1;
                        if (cdf[mid] > u) hi = mid; else lo = mid + 1;
                    }
                    row[lo]++;
                }
            }
            counts.floats.put(ci, row);
        }
    }

    // ---- single draws (SplitMix64) ----

    public long nextLong() {
        scalarState += GOLDEN;
        return mix64(scalarState);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound), without modulo bias (Lemire's method). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Standard normal (Box-Muller, double precision). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }

    /** Complete state, for checkpoints: 64 lane words and the scalar state. */
    public long[] state() {
        long[] s = new long[lanes.length + 2];
        for (int i = 0; i < lanes.length; i++) s[i] = lanes[i];
        s[lanes.length] = scalarState;
        s[lanes.length + 1] = seed;
        return s;
    }

    /** Restores a state from {@link #state()}. */
    public static RandomStream fromState(long[] s) {
        if (s.length != 4 * LANES + 2) {
            throw new IllegalArgumentException("random state must have " + (4 * LANES + 2) + " words, got " + s.length);
        }
        RandomStream r = new RandomStream(s[s.length - 1]);
        for (int i = 0; i < r.lanes.length; i++) r.lanes[i] = (int) s[i];
        r.scalarState = s[r.lanes.length];
        return r;
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
