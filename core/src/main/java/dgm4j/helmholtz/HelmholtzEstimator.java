package dgm4j.helmholtz;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.data.Binarization;
import dgm4j.math.ImportanceSampling;
import dgm4j.math.LogMath;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * log p(x) of a {@link HelmholtzMachine}:
 * <ul>
 *   <li>by importance sampling with q as the proposal, L_k(x) = log (1/k) sum_{i=1..k} p(x, h_i) / q(h_i | x),
 *       h_i ~ q(h | x) (Bornschein &amp; Bengio 2015, eq. 3): a stochastic lower bound, E[L_k] &lt;= log p(x), that
 *       rises with k to log p(x); k = 5000 streamed in passes like the VAE's estimate;</li>
 *   <li>exactly, for small models, by summing p(x, h) over all 2^(n_1 + ... + n_L) latent states, and the exact
 *       gradient of log p(x) in p's parameters, E_{p(h | x)}[grad log p(x, h)] (for tests).</li>
 * </ul>
 */
public final class HelmholtzEstimator {
    /** Rows (examples x samples) per pass unless told otherwise. */
    public static final int DEFAULT_ROWS_PER_PASS = 5000;
    /** The most latent units {@link #exactLogProbability} enumerates (2^20 states per example). */
    public static final int MAX_EXACT_LATENTS = 20;
    /** ... and at most this many floats of work space (2^20 states of a 100-pixel model; 784 pixels allow 2^17). */
    static final long MAX_EXACT_FLOATS = 1L << 28;

    private HelmholtzEstimator() {}

    /** Per-example L_k(x) (binary data, the model's width). */
    public static double[] logMeanWeights(HelmholtzMachine model, Matrix data, int k, RandomStream random, int rowsPerPass,
                                          Progress progress) {
        if (k < 1) throw new InputException("the number of samples k must be at least 1, got " + k);
        model.requireWidth(data);
        Binarization.requireBinary(data, "Helmholtz machine");
        return ImportanceSampling.logMeanWeights(data.rows(), k, rowsPerPass, (examples, kc) -> {
            HelmholtzMachine.Samples s = model.new Samples(examples * kc);
            Matrix x = Matrix.zeros(examples, model.dataDim());
            return new ImportanceSampling.Sampler() {
                @Override
                public void load(int start, int count) {
                    x.loadRows(data, start, count);
                    s.setData(x, kc);
                }

                @Override
                public void draw(double[] logW) { model.logWeights(s, random, logW); }
            };
        }, progress);
    }

    /** Every latent state, one per row: rows 2^(n_1 + ... + n_L), with h_0 = x (one example). */
    private static HelmholtzMachine.Samples allStates(HelmholtzMachine model, Matrix x) {
        int units = model.latentUnits();
        if (units > MAX_EXACT_LATENTS) {
            throw new InputException("exact log p(x) enumerates 2^" + units + " latent states; at most " + MAX_EXACT_LATENTS + " latent units");
        }
        int states = 1 << units;
        long floats = (long) states * 2 * (model.dataDim() + units);   // states and logits of every layer, one row per state
        if (floats > MAX_EXACT_FLOATS) {
            throw new InputException("exact log p(x) would hold 2^" + units + " latent states of a " + model.dataDim()
                    + "-pixel model in memory (" + floats * 4 / (1 << 20) + " MiB); at most " + MAX_EXACT_FLOATS * 4 / (1 << 20) + " MiB");
        }
        int[] sizes = model.sizes();
        HelmholtzMachine.Samples s = model.new Samples(states);
        s.setData(x, states);
        for (int c = 0; c < states; c++) {
            int bit = 0;
            for (int l = 1; l < sizes.length; l++) {
                for (int u = 0; u < sizes[l]; u++, bit++) s.layer(l).set(c, u, (c >>> bit) & 1);
            }
        }
        return s;
    }

    /** Exact log p(x) = log sum_h p(x, h) per example (at most {@link #MAX_EXACT_LATENTS} latent units). */
    public static double[] exactLogProbability(HelmholtzMachine model, Matrix data) {
        model.requireWidth(data);
        Binarization.requireBinary(data, "Helmholtz machine");
        double[] out = new double[data.rows()];
        for (int i = 0; i < out.length; i++) {
            HelmholtzMachine.Samples s = allStates(model, data.rows(i, i + 1));
            model.generate(s, null);
            out[i] = LogMath.logSumExp(s.logP());
        }
        return out;
    }

    /**
     * Adds scale * sum_x grad log p(x) to p's gradient buffers, exactly: grad log p(x) = sum_h p(h | x) grad log p(x, h)
     * (the posterior by enumeration). Returns sum_x log p(x).
     */
    public static double addExactGradient(HelmholtzMachine model, Matrix data, float scale) {
        model.requireWidth(data);
        Binarization.requireBinary(data, "Helmholtz machine");
        double total = 0;
        for (int i = 0; i < data.rows(); i++) {
            HelmholtzMachine.Samples s = allStates(model, data.rows(i, i + 1));
            model.generate(s, null);
            double[] logP = s.logP();
            double logPx = LogMath.logSumExp(logP);
            double[] posterior = new double[logP.length];
            for (int c = 0; c < logP.length; c++) posterior[c] = Math.exp(logP[c] - logPx);
            model.addGenerativeGradient(s, posterior, scale);
            total += logPx;
        }
        return total;
    }
}
