package dgm4j.ais;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * Samples of an RBM for reverse AIS by non-reversible parallel tempering along the AIS path (Syed, Bouchard-Cote,
 * Deligiannidis and Doucet 2022). Replicas sit at inverse temperatures 0 = beta_0 &lt; ... &lt; beta_{K-1} = 1 of the
 * distributions AIS anneals through,
 *
 * <pre>
 *   ln p*_beta(v) = ln f_A(v) + beta g(v) + sum_j softplus(beta x_j(v)),   g = ln f_B - ln f_A,
 * </pre>
 *
 * each making one Gibbs sweep at its beta; the replica at beta = 0 is an exact sample of the base model every sweep.
 * Neighbours (k, k+1) exchange states with probability min(1, r),
 *
 * <pre>
 *   ln r = (beta_{k+1} - beta_k) (g(v_k) - g(v_{k+1})) + S_k(v_{k+1}) + S_{k+1}(v_k) - S_k(v_k) - S_{k+1}(v_{k+1}),
 * </pre>
 *
 * S_k(v) = sum_j softplus(beta_k x_j(v)) (ln f_A cancels), on even pairs at even sweeps and odd pairs at odd sweeps
 * (deterministic even-odd swaps: a state travels the ladder in O(K) sweeps, not O(K^2)). Fresh base samples so reach
 * beta = 1; a state that has gone base -> model -> base is a round trip, and samples taken at beta = 1 at least one
 * round trip apart no longer depend on where the chains started, which plain Gibbs chains on a sharp RBM may never
 * achieve. The ladder is tuned by equalising rejection (the paper's Algorithm 4): with r_k the rejection rate of pair
 * k, the communication barrier Lambda(beta_k) = sum_{i &lt; k} r_i is interpolated and the betas moved to equal steps
 * of it; K is set near 4 Lambda so each pair rejects about a quarter of its proposals.
 */
final class RbmTempering {
    /** Ladders run side by side (the samples are spread over them). */
    static final int LADDERS = 10;
    static final int MIN_LEVELS = 8, MAX_LEVELS = 256;

    /**
     * @param samples    states at beta = 1, collected evenly over the second half of the last run
     * @param betas      the tuned ladder
     * @param rejection  each neighbour pair's mean rejection probability in the last run
     * @param barrier    Lambda, the sum of the rejections
     * @param roundTrips base -> model -> base journeys completed in the last run (all ladders)
     * @param sweeps     sweeps of the last run
     * @param ladderLogUnnormalized each ladder's average ln p*(v) at beta = 1 over the second half of the last run; the
     *                   first half of the ladders were seeded from {@code firstStart}, the rest from {@code secondStart}
     */
    record Result(Matrix samples, double[] betas, double[] rejection, double barrier, int roundTrips, int sweeps, int ladders,
                  double[] ladderLogUnnormalized, String firstStart, String secondStart) {
        String describe() {
            return String.format(Locale.ROOT, "parallel tempering along the AIS path: %d ladders of %d temperatures (barrier %.1f), "
                    + "%d sweeps, %d round trips base -> model -> base", ladders, betas.length, barrier, sweeps, roundTrips);
        }

        /**
         * Fewer round trips than samples (some samples may still carry the chains' starting states), or the ladders
         * seeded from the two kinds of start disagreeing on the average ln p*(v) at beta = 1 (a phase of the model that
         * one group never found: tempering along a path from a base that misses a mode need not cross to it).
         */
        List<String> caveats() {
            List<String> c = new ArrayList<>(AisEvaluation.mixingCaveats(ladderLogUnnormalized, (ladders + 1) / 2,
                    "tempered ladders seeded from " + firstStart, "from " + secondStart, sweeps));
            if (roundTrips < samples.rows()) {
                c.add(String.format(Locale.ROOT, "the tempered chains made only %d round trips between the base and the model in %d sweeps "
                        + "(at least %d needed for %d independent starting states), so the reverse runs may not start from model samples",
                        roundTrips, sweeps, samples.rows(), samples.rows()));
            }
            return c;
        }
    }

    private final RbmAnnealing path;
    private final int ladders, d, f;
    private double[] betas;
    private Matrix v, x, scaled, h;
    private int[] ids;
    private int[] phase;   // per state: 0 never at beta = 0, 1 left the base, 2 then reached beta = 1
    private double[] rejectSum;
    private long[] attempts;
    private int roundTrips;
    private double[] ladderSum;
    private int averaged;
    private String firstStart, secondStart;

    private RbmTempering(RbmAnnealing path, int ladders) {
        this.path = path;
        this.ladders = ladders;
        this.d = path.rbm.visibleUnits();
        this.f = path.rbm.hiddenUnits();
    }

    /**
     * Tunes a ladder (two pilot runs of {@code sweeps / 4} sweeps), then runs {@code sweeps} sweeps, doubling (up to
     * 16 x) while there are fewer round trips than samples, and returns {@code samples} states at beta = 1.
     *
     * @param starts rows the chains start from, e.g. the ends of Gibbs chains: the first half of the ladders from its
     *               first half of rows, the other ladders from the rest (every temperature of a ladder from the same row)
     */
    static Result sample(RbmAnnealing path, Matrix starts, String firstStart, String secondStart, int samples, int sweeps,
                         RandomStream random, Progress progress) {
        if (samples < 1 || sweeps < 4) throw new InputException("tempering needs at least one sample and 4 sweeps");
        path.rbm.requireVisible(starts);
        if (starts.rows() < 2) throw new InputException("tempering needs at least 2 starting states");
        RbmTempering t = new RbmTempering(path, Math.min(LADDERS, samples));
        t.firstStart = firstStart;
        t.secondStart = secondStart;
        t.betas = initialLadder(32);
        t.reset(starts);
        int pilot = Math.max(2, sweeps / 4);
        for (int round = 0; round < 2; round++) {
            t.run(pilot, 0, null, random, progress, "tempering: tuning the ladder");
            t.retune();
        }
        int s = sweeps;
        Result r = t.collect(s, samples, random, progress);
        while (!r.caveats().isEmpty() && s < 16 * sweeps) {
            s *= 2;
            r = t.collect(s, samples, random, progress);
        }
        return r;
    }

    /** K betas from the standard AIS schedule at evenly spaced indices: dense where AIS needs small steps. */
    static double[] initialLadder(int k) {
        double[] s = AnnealingSchedule.standard().betas();
        double[] b = new double[k];
        for (int i = 0; i < k; i++) b[i] = s[(int) Math.round((double) i * (s.length - 1) / (k - 1))];
        return b;
    }

    /** New betas at equal steps of the interpolated cumulative rejection; K about 4 Lambda (within bounds). */
    static double[] equalRejectionLadder(double[] betas, double[] rejection) {
        int k = betas.length;
        double[] cum = new double[k];
        for (int i = 1; i < k; i++) cum[i] = cum[i - 1] + Math.max(rejection[i - 1], 1e-6);
        double barrier = cum[k - 1];
        int levels = (int) Math.max(MIN_LEVELS, Math.min(MAX_LEVELS, Math.ceil(4 * barrier) + 1));
        double[] out = new double[levels];
        int seg = 0;
        for (int i = 0; i < levels; i++) {
            double target = barrier * i / (levels - 1);
            while (seg < k - 2 && cum[seg + 1] < target) seg++;
            double w = (target - cum[seg]) / (cum[seg + 1] - cum[seg]);
            out[i] = betas[seg] + Math.max(0, Math.min(1, w)) * (betas[seg + 1] - betas[seg]);
        }
        out[0] = 0;
        out[levels - 1] = 1;
        return out;
    }

    private void reset(Matrix starts) {
        int n = betas.length * ladders;
        Matrix old = v;
        int oldLevels = old == null ? 0 : old.rows() / ladders;
        v = Matrix.zeros(n, d);
        x = Matrix.zeros(n, f);
        scaled = Matrix.zeros(n, f);
        h = Matrix.zeros(n, f);
        ids = new int[n];
        phase = new int[n];
        // level k, ladder l is row k * ladders + l; a retuned ladder starts each level from the old level nearest in rank
        for (int row = 0; row < n; row++) {
            Matrix src = old != null ? old : starts;
            int k = row / ladders, l = row % ladders;
            int half = (starts == null ? 0 : starts.rows() + 1) / 2, firstLadders = (ladders + 1) / 2;
            int from = old != null ? (int) Math.round((double) k * (oldLevels - 1) / (betas.length - 1)) * ladders + l
                    : l < firstLadders ? l % half : half + (l - firstLadders) % (starts.rows() - half);
            v.rows(row, row + 1).copyFrom(src.rows(from, from + 1));
            ids[row] = row;
        }
        rejectSum = new double[betas.length - 1];
        attempts = new long[betas.length - 1];
    }

    private void retune() {
        double[] rej = rejections();
        betas = equalRejectionLadder(betas, rej);
        reset(null);
    }

    private double[] rejections() {
        double[] r = new double[rejectSum.length];
        for (int k = 0; k < r.length; k++) r[k] = attempts[k] == 0 ? 1 : rejectSum[k] / attempts[k];
        return r;
    }

    private Result collect(int sweeps, int samples, RandomStream random, Progress progress) {
        Arrays.fill(rejectSum, 0);
        Arrays.fill(attempts, 0);
        roundTrips = 0;
        ladderSum = new double[ladders];
        averaged = 0;
        Matrix out = Matrix.zeros(samples, d);
        run(sweeps, samples, out, random, progress, "tempering: sampling the model");
        double[] perLadder = new double[ladders];
        for (int l = 0; l < ladders; l++) perLadder[l] = ladderSum[l] / Math.max(1, averaged);
        double[] rej = rejections();
        double barrier = 0;
        for (double r : rej) barrier += r;
        return new Result(out, betas.clone(), rej, barrier, roundTrips, sweeps, ladders, perLadder, firstStart, secondStart);
    }

    /** {@code sweeps} sweeps; with {@code out}, fills it with beta = 1 states taken evenly over the second half. */
    private void run(int sweeps, int samples, Matrix out, RandomStream random, Progress progress, String task) {
        int levels = betas.length, perLadder = out == null ? 0 : (samples + ladders - 1) / ladders, taken = 0;
        float[] a = new float[d], b = new float[d], c = new float[f], e = new float[f];
        for (int t = 0; t < sweeps; t++) {
            path.rbm.hiddenInput(v, x);
            swap(t & 1, random, a, b, c, e);
            track(levels);
            for (int k = 0; k < levels; k++) {
                int lo = k * ladders, hi = lo + ladders;
                float beta = (float) betas[k];
                Elementwise.axpby(beta, x.rows(lo, hi), 0f, x.rows(lo, hi), scaled.rows(lo, hi));
                random.sigmoidBernoulli(scaled.rows(lo, hi), null, h.rows(lo, hi));   // h ~ p_beta(h | v)
                path.sampleVisible(h.rows(lo, hi), beta, v.rows(lo, hi), random);    // v ~ p_beta(v | h)
            }
            int half = sweeps / 2;
            if (out != null && t >= half) {
                int top = (levels - 1) * ladders;
                double[] free = path.rbm.freeEnergy(v.rows(top, top + ladders), null);
                for (int l = 0; l < ladders; l++) ladderSum[l] -= free[l];
                averaged++;
            }
            while (out != null && taken < perLadder && t + 1 == half + (long) (taken + 1) * (sweeps - half) / perLadder) {
                int top = (levels - 1) * ladders;
                for (int l = 0; l < ladders && taken * ladders + l < samples; l++) {
                    out.rows(taken * ladders + l, taken * ladders + l + 1).copyFrom(v.rows(top + l, top + l + 1));
                }
                taken++;
            }
            if ((t & 15) == 0 || t == sweeps - 1) progress.update(task, t + 1, sweeps);
        }
        progress.finish(task);
    }

    /** Proposes exchanges on the pairs (k, k+1) with k of the given parity, for every ladder. */
    private void swap(int parity, RandomStream random, float[] a, float[] b, float[] c, float[] e) {
        double[] g = path.visibleLogRatio(v);
        for (int k = parity; k + 1 < betas.length; k += 2) {
            int lo = k * ladders, up = (k + 1) * ladders;
            float b0 = (float) betas[k], b1 = (float) betas[k + 1];
            double[] lowAtOwn = Elementwise.softplusRowSums(x.rows(lo, lo + ladders), b0);
            double[] lowAtUp = Elementwise.softplusRowSums(x.rows(lo, lo + ladders), b1);
            double[] upAtLow = Elementwise.softplusRowSums(x.rows(up, up + ladders), b0);
            double[] upAtOwn = Elementwise.softplusRowSums(x.rows(up, up + ladders), b1);
            for (int l = 0; l < ladders; l++) {
                int i = lo + l, j = up + l;
                double logR = ((double) b1 - b0) * (g[i] - g[j]) + upAtLow[l] + lowAtUp[l] - lowAtOwn[l] - upAtOwn[l];
                double accept = logR >= 0 ? 1 : Math.exp(logR);
                rejectSum[k] += 1 - accept;
                attempts[k]++;
                if (accept >= 1 || random.nextDouble() < accept) {
                    swapRows(v, i, j, a, b);
                    swapRows(x, i, j, c, e);
                    int id = ids[i]; ids[i] = ids[j]; ids[j] = id;
                    double gi = g[i]; g[i] = g[j]; g[j] = gi;
                }
            }
        }
    }

    /** Counts a round trip when a state that reached beta = 1 after leaving the base is back at beta = 0. */
    private void track(int levels) {
        int top = (levels - 1) * ladders;
        for (int l = 0; l < ladders; l++) {
            int bottom = ids[l];
            if (phase[bottom] == 2) roundTrips++;
            phase[bottom] = 1;
            int up = ids[top + l];
            if (phase[up] == 1) phase[up] = 2;
        }
    }

    private static void swapRows(Matrix m, int i, int j, float[] a, float[] b) {
        m.getRow(i, a);
        m.getRow(j, b);
        m.setRow(i, b);
        m.setRow(j, a);
    }
}
