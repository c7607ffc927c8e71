package dgm4j.dbm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dgm4j.InputException;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * The persistent Markov chains of stochastic-approximation learning ("fantasy particles", Tieleman 2008; Salakhutdinov
 * and Hinton 2009), advanced by Gibbs sweeps, or by parallel tempering (Swendsen and Wang 1986; Desjardins et al.
 * 2010 for Boltzmann machines): each of the M chains has K replicas at inverse temperatures 1 = beta_1 &gt; ... &gt;
 * beta_K, p_beta(x) = exp(-beta E(x)) / Z_beta; every sweep updates all replicas, then neighbouring temperatures
 * (alternately the pairs (1,2), (3,4), ... and (2,3), (4,5), ...) propose to exchange states, accepted with
 * probability min(1, exp((beta_k - beta_{k+1}) (E(x_k) - E(x_{k+1})))). Hot replicas cross between modes that the
 * cold chain alone leaves rarely (the lecture's "key insight" on mixing); the beta = 1 replicas are the model samples.
 *
 * <p>Rows k M .. (k + 1) M - 1 of every layer hold the replicas at beta_k. With K = 1 this is plain Gibbs sampling.
 */
public final class DbmChains {
    private final Dbm dbm;
    private final int chains;
    private final double[] betas;        // per temperature
    private final double[] rowBetas;     // per row (null with one temperature)
    private final List<Matrix> states;   // K M rows per layer
    private final List<Matrix> cold;     // views of the first M rows
    private final List<Matrix> oddProbabilities;       // K M rows: p(odd layer | even layers) of the last sweep
    private final List<Matrix> coldOddProbabilities;   // M rows, after the swaps
    private final List<Matrix> coldStatistics;         // even layers of cold, odd layers of coldOddProbabilities
    private final List<Matrix> scratch;
    private final long[] swapAttempts;
    private final long[] swapAccepts;
    private final List<Matrix> transposed;   // W_l^T, refreshed at every advance (the weights change between updates)
    private final float[][] rowA;
    private final float[][] rowB;

    /**
     * @param betas the inverse temperatures, betas[0] = 1 and decreasing (length 1 = plain Gibbs), e.g. from
     *              {@link #ladder}
     */
    public DbmChains(Dbm dbm, int chains, double[] betas) {
        if (chains < 1) throw new InputException("need at least one persistent chain, got " + chains);
        if (betas.length < 1 || betas[0] != 1.0) throw new InputException("the first inverse temperature must be 1");
        for (int k = 1; k < betas.length; k++) {
            if (!(betas[k] < betas[k - 1] && betas[k] > 0)) throw new InputException("inverse temperatures must decrease and stay positive");
        }
        this.dbm = dbm;
        this.chains = chains;
        this.betas = betas.clone();
        int rows = chains * betas.length;
        if (betas.length > 1) {
            rowBetas = new double[rows];
            for (int r = 0; r < rows; r++) rowBetas[r] = betas[r / chains];
        } else {
            rowBetas = null;
        }
        states = dbm.newLayers(rows);
        oddProbabilities = dbm.newLayers(rows);
        scratch = dbm.newLayers(rows);
        cold = new ArrayList<>();
        for (Matrix m : states) cold.add(m.rows(0, chains));
        coldOddProbabilities = betas.length > 1 ? dbm.newLayers(chains) : viewsOfFirstRows(oddProbabilities, chains);
        coldStatistics = new ArrayList<>();
        for (int l = 0; l < cold.size(); l++) coldStatistics.add(l % 2 == 0 ? cold.get(l) : coldOddProbabilities.get(l));
        transposed = dbm.newTransposedWeights();
        swapAttempts = new long[Math.max(0, betas.length - 1)];
        swapAccepts = new long[swapAttempts.length];
        rowA = new float[states.size()][];
        rowB = new float[states.size()][];
        for (int l = 0; l < states.size(); l++) {
            rowA[l] = new float[states.get(l).cols()];
            rowB[l] = new float[states.get(l).cols()];
        }
    }

    private static List<Matrix> viewsOfFirstRows(List<Matrix> layers, int rows) {
        List<Matrix> v = new ArrayList<>();
        for (Matrix m : layers) v.add(m.rows(0, rows));
        return v;
    }

    /** K inverse temperatures spaced evenly from 1 down to {@code minimum} (K = 1: just 1). */
    public static double[] ladder(int temperatures, double minimum) {
        if (temperatures < 1) throw new InputException("need at least one temperature, got " + temperatures);
        if (temperatures > 1 && !(minimum > 0 && minimum < 1)) {
            throw new InputException("the lowest inverse temperature must lie in (0, 1), got " + minimum);
        }
        double[] b = new double[temperatures];
        for (int k = 0; k < temperatures; k++) b[k] = temperatures == 1 ? 1 : 1 - (1 - minimum) * k / (temperatures - 1);
        return b;
    }

    public int chains() { return chains; }

    public double[] betas() { return betas.clone(); }

    /** Every replica's state, layer by layer (K M rows; live, for checkpoints). */
    public List<Matrix> states() { return states; }

    /** The model samples: the beta = 1 replicas (M rows, views). */
    public List<Matrix> cold() { return cold; }

    /**
     * The model statistics' stand-in for the cold chains' state: sampled states for the even layers, p(h_l = 1 | even
     * layers) for the odd ones (Rao-Blackwellised), valid after {@link #advance}.
     */
    public List<Matrix> coldStatistics() {
        return coldStatistics;
    }

    /** Every replica of every chain set to the given M-row state (e.g. data and a sample of its posterior). */
    public void start(List<Matrix> from) {
        for (int l = 0; l < states.size(); l++) {
            Matrix src = from.get(l);
            if (src.rows() != chains || src.cols() != states.get(l).cols()) {
                throw new InputException("chain start for layer " + l + " is " + src.shape() + ", expected " + chains + "x" + states.get(l).cols());
            }
            for (int k = 0; k < betas.length; k++) states.get(l).rows(k * chains, (k + 1) * chains).copyFrom(src);
        }
    }

    /** Restores the replicas' states (e.g. from a checkpoint): one K M-row matrix per layer. */
    public void restore(List<Matrix> saved) {
        for (int l = 0; l < states.size(); l++) {
            Matrix.requireSameShape(saved.get(l), states.get(l), "chain state of layer " + l);
            states.get(l).copyFrom(saved.get(l));
        }
    }

    /** {@code sweeps} Gibbs sweeps of every replica, each followed by the exchanges of parallel tempering. */
    public void advance(int sweeps, RandomStream random) {
        // a snapshot of W_l^T for the sweeps' top-down products (sampled states: row sums of W_l^T, Blas.gemmBinaryLeft)
        dbm.transposeWeights(transposed);
        for (int s = 0; s < sweeps; s++) {
            dbm.gibbsSweep(states, rowBetas, oddProbabilities, random, transposed);
            if (betas.length > 1) exchange(s & 1, random);
        }
        if (betas.length > 1) dbm.oddLayerProbabilities(cold, coldOddProbabilities);
    }

    /** Proposes exchanges between temperatures k and k + 1 for k = parity, parity + 2, ... */
    private void exchange(int parity, RandomStream random) {
        double[] energy = dbm.energy(states, scratch);
        for (int k = parity; k + 1 < betas.length; k += 2) {
            double dBeta = betas[k] - betas[k + 1];
            for (int m = 0; m < chains; m++) {
                int i = k * chains + m, j = (k + 1) * chains + m;
                double logAccept = dBeta * (energy[i] - energy[j]);
                swapAttempts[k]++;
                if (logAccept >= 0 || Math.log(random.nextDouble()) < logAccept) {
                    swapAccepts[k]++;
                    swapRows(i, j);
                }
            }
        }
    }

    private void swapRows(int i, int j) {
        for (int l = 0; l < states.size(); l++) {
            Matrix x = states.get(l);
            x.getRow(i, rowA[l]);
            x.getRow(j, rowB[l]);
            x.setRow(i, rowB[l]);
            x.setRow(j, rowA[l]);
        }
    }

    /** Fraction of accepted exchanges between temperatures k and k + 1 since the last {@link #resetSwapCounts}. */
    public double[] swapRates() {
        double[] r = new double[swapAttempts.length];
        for (int k = 0; k < r.length; k++) r[k] = swapAttempts[k] == 0 ? Double.NaN : (double) swapAccepts[k] / swapAttempts[k];
        return r;
    }

    /** Mean of {@link #swapRates()} (NaN without tempering). */
    public double meanSwapRate() {
        long a = 0, t = 0;
        for (int k = 0; k < swapAttempts.length; k++) {
            a += swapAccepts[k];
            t += swapAttempts[k];
        }
        return t == 0 ? Double.NaN : (double) a / t;
    }

    public void resetSwapCounts() {
        Arrays.fill(swapAttempts, 0);
        Arrays.fill(swapAccepts, 0);
    }

    /** "swap rates 0.91 0.88 ..." per neighbouring pair of temperatures. */
    public String swapReport() {
        StringBuilder sb = new StringBuilder("swap rates");
        for (double r : swapRates()) sb.append(String.format(Locale.ROOT, " %.2f", r));
        return sb.toString();
    }
}
