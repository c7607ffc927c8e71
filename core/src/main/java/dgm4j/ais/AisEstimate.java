package dgm4j.ais;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;


/**
 * An AIS estimate of ln Z from M importance log-weights: ln Z = ln Z_0 + ln mean(w), with the standard error of the
 * mean weight turned into the bracket ln(Z_hat -+ 3 sigma), as Salakhutdinov and Murray (2008) report it.
 * For a reverse estimate (weights estimate Z_0 / Z) the bracket is mirrored.
 */
public final class AisEstimate {
    private final double logZ;
    private final double logZLow;
    private final double logZHigh;
    private final double logWeightStd;
    private final double effectiveRuns;
    private final int runs;
    private final int betas;
    private final boolean reverse;
    private final List<PathPoint> path;

    /** Mean weight, effective runs and spread of a set of log-weights (shared by the estimate and its path). */
    record WeightSummary(double max, double mean, double variance, double effectiveRuns, double logWeightStd) {
        /** ln of the mean weight. */
        double logMean() { return max + Math.log(mean); }

        static WeightSummary of(double[] logWeights) {
            int runs = logWeights.length;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logWeights) max = Math.max(max, v);
            double mean = 0, sumSquares = 0, lw = 0;
            for (double v : logWeights) {
                double w = Math.exp(v - max);
                mean += w;
                sumSquares += w * w;
                lw += v;
            }
            mean /= runs;
            lw /= runs;
            double var = 0, s2 = 0;
            for (double v : logWeights) {
                double d = Math.exp(v - max) - mean;
                var += d * d;
                s2 += (v - lw) * (v - lw);
            }
            double effective = mean * mean * runs * runs / sumSquares;   // (sum w)^2 / sum w^2
            return new WeightSummary(max, mean, var, effective, runs > 1 ? Math.sqrt(s2 / (runs - 1)) : 0);
        }
    }

    /**
     * ln Z_beta at one point of the annealing path, estimated from the runs' partial log-weights there: forward runs
     * estimate ln Z_beta directly, reverse runs ln Z_beta - ln Z_1 (their final ln Z added back here).
     */
    public record PathPoint(double beta, double logZ, double effectiveRuns, double logWeightStd) {}

    AisEstimate(double logZ0, double[] logWeights, int betas, boolean reverse) {
        this(logZ0, logWeights, null, betas, reverse);
    }

    AisEstimate(double logZ0, double[] logWeights, AisPath path, int betas, boolean reverse) {
        this.runs = logWeights.length;
        this.betas = betas;
        this.reverse = reverse;
        WeightSummary s = WeightSummary.of(logWeights);
        double max = s.max(), mean = s.mean();
        this.effectiveRuns = s.effectiveRuns();
        this.logWeightStd = s.logWeightStd();
        double sem = runs > 1 ? Math.sqrt(s.variance() / (runs - 1) / runs) : Double.NaN;
        double logMean = s.logMean();
        double lo = mean - 3 * sem > 0 ? max + Math.log(mean - 3 * sem) : Double.NEGATIVE_INFINITY;
        double hi = max + Math.log(mean + 3 * sem);
        if (!reverse) {
            logZ = logZ0 + logMean;
            logZLow = logZ0 + lo;
            logZHigh = logZ0 + hi;
        } else {
            logZ = logZ0 - logMean;
            logZLow = logZ0 - hi;
            logZHigh = logZ0 - lo;
        }
        List<PathPoint> points = new ArrayList<>();
        if (path != null) {
            double origin = reverse ? logZ : logZ0;   // ln Z at the path's first beta
            for (int i = 0; i < path.size(); i++) {
                points.add(new PathPoint(path.gamma(i), origin + path.logMeanW(i), path.effectiveRuns(i), path.logWeightStd(i)));
            }
        }
        this.path = List.copyOf(points);
    }

    /**
     * ln Z_beta along the annealing path, in the order the runs went (empty if not recorded): where a forward and a
     * reverse path part is where the schedule needs more betas.
     */
    public List<PathPoint> path() { return path; }

    /** The estimate of ln Z. */
    public double logZ() { return logZ; }

    /** ln(Z_hat - 3 sigma) (may be -infinity when the weights vary too much). */
    public double logZLow() { return logZLow; }

    /** ln(Z_hat + 3 sigma). */
    public double logZHigh() { return logZHigh; }

    /** Standard deviation of the log-weights: a diagnostic of how well annealing went. */
    public double logWeightStd() { return logWeightStd; }

    /**
     * Kish's effective sample size (sum w)^2 / sum w^2, between 1 and the number of runs: how many runs the estimate
     * effectively rests on. A handful of effective runs out of 100 means one or two runs dominate: a forward ln Z is
     * then probably too low (Jensen), a reverse one too high; anneal with more betas.
     */
    public double effectiveRuns() { return effectiveRuns; }

    /**
     * A warning for the user when fewer than a tenth of the runs carry the estimate (null otherwise): a forward
     * estimate of ln Z is then probably too low (a log-likelihood computed from it flattered), a reverse one too high.
     */
    public String warning() {
        if (runs < 2 || effectiveRuns >= 0.1 * runs) return null;
        return String.format(Locale.ROOT, "warning: the %s AIS estimate rests on %.1f effective runs of %d: ln Z is probably %s, "
                + "so the log-likelihood is %s; anneal with more betas", reverse ? "reverse" : "forward",
                effectiveRuns, runs, reverse ? "overestimated" : "underestimated", reverse ? "understated" : "flattered");
    }

    public int runs() { return runs; }

    public int betas() { return betas; }

    public boolean reverse() { return reverse; }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s AIS: ln Z = %.4f, bracket (ln(Z-3s), ln(Z+3s)) = (%.4f, %.4f), %d runs (effective %.1f), %d betas, sd(ln w) = %.3f",
                reverse ? "reverse" : "forward", logZ, logZLow, logZHigh, runs, effectiveRuns, betas, logWeightStd);
    }
}
