package dgm4j.vae;

import java.util.List;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.math.ImportanceSampling;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * Estimates for a trained {@link VariationalAutoencoder}:
 * <ul>
 *   <li>L_k(x) = log (1/k) sum_i w_i for any k, one draw per example: the k-sample bound, and for large k (the paper
 *       uses 5000) the estimate of log p(x) whose negative mean is the reported test NLL;</li>
 *   <li>active units (Burda et al. 2016, sec. 6): unit u is active if Cov_x(E_{q(u | x)}[u]) &gt; 0.01.</li>
 * </ul>
 * Samples are processed in passes of about {@code rowsPerPass} rows (examples x samples), accumulated per example by a
 * streaming log-sum-exp in double, so k = 5000 needs no more memory than a training step of that size.
 */
public final class VaeEstimator {
    /** Rows (examples x samples) per forward pass unless told otherwise. */
    public static final int DEFAULT_ROWS_PER_PASS = 5000;

    private VaeEstimator() {}

    /** Per-example L_k(x) = log (1/k) sum_{i=1..k} w_i, w_i = p(x, h_i) / q(h_i | x), h_i ~ q(h | x). */
    public static double[] logMeanWeights(VariationalAutoencoder model, Matrix data, int k, RandomStream random,
                                          int rowsPerPass, Progress progress) {
        if (k < 1) throw new InputException("the number of samples k must be at least 1, got " + k);
        model.requireWidth(data);
        return ImportanceSampling.logMeanWeights(data.rows(), k, rowsPerPass, (examples, kc) -> {
            Graph g = new Graph(false);
            VariationalAutoencoder.LogWeights w = model.logWeights(g, examples, kc);
            Matrix x = w.x().value(), logW = w.logWeights().value();
            return ImportanceSampling.columnSampler((start, count) -> {
                x.loadRows(data, start, count);
            }, () -> {
                w.fillNoise(random);
                g.forward();
            }, logW);
        }, progress);
    }

    /** Mean and standard error of per-example values. */
    public record Summary(double mean, double standardError, int n) {
        public static Summary of(double[] values) {
            double s = 0, s2 = 0;
            for (double v : values) s += v;
            double mean = s / values.length;
            for (double v : values) s2 += (v - mean) * (v - mean);
            double se = values.length > 1 ? Math.sqrt(s2 / (values.length - 1) / values.length) : Double.NaN;
            return new Summary(mean, se, values.length);
        }
    }

    /**
     * Per layer, Cov_x(E_q[u]) of each unit u over the data (E_q[h_1 | x] is q's mean; deeper layers average their q
     * means over {@code samples} draws of the layers below).
     */
    public static double[][] posteriorMeanVariances(VariationalAutoencoder model, Matrix data, int samples, RandomStream random) {
        model.requireWidth(data);
        int layers = model.stochasticLayers(), n = data.rows();
        int[] latents = model.latents();
        int examples = Math.max(1, Math.min(n, DEFAULT_ROWS_PER_PASS / samples));
        Graph g = new Graph(false);
        VariationalAutoencoder.LogWeights w = model.logWeights(g, examples, samples);
        double[][] sum = new double[layers][], sum2 = new double[layers][];
        for (int l = 0; l < layers; l++) {
            sum[l] = new double[latents[l]];
            sum2[l] = new double[latents[l]];
        }
        Matrix x = w.x().value();
        for (int start = 0; start < n; start += examples) {
            int m = Math.min(examples, n - start);
            x.loadRows(data, start, m);
            w.fillNoise(random);
            g.forward();
            List<Node> means = w.posteriorMeans();
            for (int l = 0; l < layers; l++) {
                Matrix mu = means.get(l).value();
                int per = l == 0 ? 1 : samples; // rows per example
                for (int i = 0; i < m; i++) {
                    for (int u = 0; u < latents[l]; u++) {
                        double e = 0;
                        for (int s = 0; s < per; s++) e += mu.get(i * per + s, u);
                        e /= per;
                        sum[l][u] += e;
                        sum2[l][u] += e * e;
                    }
                }
            }
        }
        double[][] variance = new double[layers][];
        for (int l = 0; l < layers; l++) {
            variance[l] = new double[latents[l]];
            for (int u = 0; u < latents[l]; u++) {
                double mean = sum[l][u] / n;
                variance[l][u] = Math.max(0, sum2[l][u] / n - mean * mean);
            }
        }
        return variance;
    }

    /** Active units per layer: Cov_x(E_q[u]) &gt; threshold (the paper's 0.01). */
    public static int[] activeUnits(double[][] variances, double threshold) {
        int[] active = new int[variances.length];
        for (int l = 0; l < variances.length; l++) for (double v : variances[l]) if (v > threshold) active[l]++;
        return active;
    }
}
