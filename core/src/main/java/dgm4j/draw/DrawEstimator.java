package dgm4j.draw;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.autodiff.Graph;
import dgm4j.data.Binarization;
import dgm4j.math.ImportanceSampling;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * The log-likelihood of binary images under a trained {@link Draw}:
 * <ul>
 *   <li>the variational bound the paper reports (Gregor et al. 2015, eq. 12 and sec. 4.2), per image
 *       log D(x | c_T) - sum_t KL(Q(Z_t | h^enc_t) || N(0, I)) with the KL terms in closed form, for one draw of
 *       z_1..T: its mean over the test set is an unbiased estimate of the ELBO, so -mean is the "NLL &lt;=" figure;</li>
 *   <li>the importance-sampled estimate L_k(x) = log (1/k) sum_i p(x, z^i) / q(z^i | x), z^i = z^i_1..T ~ q sampled
 *       step by step by the encoder (as for the IWAE, Burda et al. 2016): a bound that tightens as k grows,
 *       L_1 having the ELBO's expectation.</li>
 * </ul>
 * An unrolled graph holds every step's activations, about T times those of a feed-forward model; passes are therefore
 * sized so that a graph stays within {@link #MEMORY_FLOATS} floats, whatever rows per pass are asked.
 */
public final class DrawEstimator {
    /** Rows (examples x samples) per pass unless told otherwise, or fewer to stay within {@link #MEMORY_FLOATS}. */
    public static final int DEFAULT_ROWS_PER_PASS = 500;
    /** The most floats (4 bytes each) an evaluation graph may hold: 256 MiB. */
    public static final long MEMORY_FLOATS = 64L << 20;

    private DrawEstimator() {}

    /** At most {@code requested} rows per pass, and no more than an evaluation graph of {@link #MEMORY_FLOATS} floats holds. */
    public static int rowsPerPass(Draw model, int requested) {
        Graph one = new Graph(false), two = new Graph(false);   // the difference leaves out what does not grow with rows
        model.unroll(one, 1, true);
        model.unroll(two, 2, true);
        long perRow = Math.max(1, two.floats() - one.floats());
        return (int) Math.max(1, Math.min(requested, MEMORY_FLOATS / perRow));
    }

    /** Checks that the data fit the model and are binary (the output is Bernoulli). */
    public static void requireData(Draw model, Matrix data, String what) {
        model.requireWidth(data, what);
        Binarization.requireBinary(data, "DRAW (Bernoulli output)");
    }

    /** Per-image variational bound log D(x | c_T) - sum_t KL_t (closed-form KL, one draw of z per image). */
    public static double[] bound(Draw model, Matrix data, RandomStream random, int rowsPerPass, Progress progress) {
        requireData(model, data, "the images");
        int n = data.rows(), rows = Math.min(n, rowsPerPass(model, rowsPerPass));
        if (n == 0) return new double[0];
        Graph g = new Graph(false);
        return bound(g, model.unroll(g, rows, false), data, random, progress);
    }

    /** {@link #bound} through an unrolled evaluation graph recorded by the caller (e.g. once for every epoch's monitor). */
    public static double[] bound(Graph g, Draw.Unrolled u, Matrix data, RandomStream random, Progress progress) {
        int n = data.rows(), rows = u.batch();
        double[] out = new double[n];
        Matrix x = u.x().value();
        for (int start = 0; start < n; start += rows) {
            int m = Math.min(rows, n - start);
            x.loadRows(data, start, m);
            u.fillNoise(random);
            g.forward();
            for (int i = 0; i < m; i++) out[start + i] = (double) u.logLikelihood().value().get(i, 0) - u.kl().value().get(i, 0);
            progress.update("bound", start + m, n);
        }
        progress.finish("bound");
        return out;
    }

    /** Per-image L_k(x) = log (1/k) sum_{i=1..k} p(x, z^i) / q(z^i | x). */
    public static double[] logMeanWeights(Draw model, Matrix data, int k, RandomStream random, int rowsPerPass, Progress progress) {
        if (k < 1) throw new InputException("the number of samples k must be at least 1, got " + k);
        requireData(model, data, "the images");
        int rows = rowsPerPass(model, rowsPerPass);
        return ImportanceSampling.logMeanWeights(data.rows(), k, rows, (examples, kc) -> {
            Graph g = new Graph(false);
            Draw.Unrolled u = model.unroll(g, examples * kc, true);
            Matrix x = u.x().value(), logW = u.logWeights().value();
            return ImportanceSampling.columnSampler((start, count) -> {
                x.fill(0f);
                for (int i = 0; i < count; i++) {               // each image repeated for its kc samples
                    for (int s = 0; s < kc; s++) x.rows(i * kc + s, i * kc + s + 1).copyFrom(data.rows(start + i, start + i + 1));
                }
            }, () -> {
                u.fillNoise(random);
                g.forward();
            }, logW);
        }, progress);
    }
}
