package dgm4j.math;

import java.util.Arrays;

import dgm4j.InputException;
import dgm4j.Progress;

/**
 * The importance-sampling estimate L_k(x) = log (1/k) sum_{i=1..k} w_i of log p(x) from log-weights log w_i drawn by a
 * model (a VAE, DRAW, a Helmholtz machine), streamed: samples are drawn in passes of about {@code rowsPerPass} rows
 * (examples x samples) and accumulated per example by a log-sum-exp in double, so that k = 5000 needs no more memory
 * than one pass.
 */
public final class ImportanceSampling {
    private ImportanceSampling() {}

    /** Draws log-weights for a block of examples, {@code samples} per example, one pass at a time. */
    public interface Sampler {
        /** The next pass is for examples [start, start + count) (count &lt;= the block size it was made for). */
        void load(int start, int count);

        /** Fills logW[i * samples + j] (example i of the block, sample j) with fresh draws. */
        void draw(double[] logW);
    }

    /** Places examples [start, start + count) of the data in a model's input for the next pass. */
    @FunctionalInterface
    public interface Loader {
        void load(int start, int count);
    }

    /**
     * The sampler of a model that computes its log-weights in the first column of {@code logWeights}, row i * samples + j
     * for example i's sample j (a VAE's or DRAW's recorded graph): {@code load} places a pass's examples, {@code pass}
     * draws fresh noise and recomputes (e.g. a forward pass through the graph), then the column is read.
     */
    public static Sampler columnSampler(Loader load, Runnable pass, Matrix logWeights) {
        return new Sampler() {
            @Override
            public void load(int start, int count) { load.load(start, count); }

            @Override
            public void draw(double[] out) {
                pass.run();
                for (int r = 0; r < out.length; r++) out[r] = logWeights.get(r, 0);
            }
        };
    }

    /** Makes a sampler for blocks of {@code examples} examples x {@code samples} samples. */
    @FunctionalInterface
    public interface SamplerFactory {
        Sampler create(int examples, int samples);
    }

    /** Per example of n, log (1/k) sum_i w_i. */
    public static double[] logMeanWeights(int n, int k, int rowsPerPass, SamplerFactory factory, Progress progress) {
        if (k < 1) throw new InputException("the number of samples k must be at least 1, got " + k);
        double[] result = new double[n];
        if (n == 0) return result;
        int kc = Math.min(k, Math.max(1, rowsPerPass));
        int examples = Math.max(1, Math.min(n, rowsPerPass / kc));
        Sampler sampler = factory.create(examples, kc);
        double[] logW = new double[examples * kc];
        double[] max = new double[examples], sum = new double[examples];
        double logK = Math.log(k);
        for (int start = 0; start < n; start += examples) {
            int m = Math.min(examples, n - start);
            sampler.load(start, m);
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
            Arrays.fill(sum, 0.0);
            for (int done = 0; done < k; done += kc) {
                int s = Math.min(kc, k - done);
                sampler.draw(logW);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < s; j++) {
                        double v = logW[i * kc + j];
                        if (v > max[i]) {
                            sum[i] = sum[i] * Math.exp(max[i] - v) + 1;   // streaming log-sum-exp
                            max[i] = v;
                        } else if (v != Double.NEGATIVE_INFINITY) {   // a zero weight adds nothing (and -inf - -inf is NaN)
                            sum[i] += Math.exp(v - max[i]);
                        }
                    }
                }
            }
            for (int i = 0; i < m; i++) result[start + i] = max[i] + Math.log(sum[i]) - logK;
            progress.update("L_" + k, start + m, n);
        }
        progress.finish("L_" + k);
        return result;
    }
}
