package dgm4j.ais;

import java.util.Arrays;

/**
 * The runs' partial log-weights recorded along the annealing path: after the step to gamma_k, the mean of exp(ln w)
 * over the runs estimates Z_{gamma_k} / Z_{gamma_0}, so a forward run traces ln Z_beta for every beta it passes and a
 * reverse run traces ln Z_beta - ln Z_1. Where a forward and a reverse trace part is where the schedule needs more
 * betas (the authors' RBM_AIS.m plots the variance of the log-weights against beta for the same reason). About
 * {@code points} evenly spaced steps are kept, plus the first and the last.
 */
final class AisPath {
    private final int every;
    private double[] gammas = new double[16], logMeanW = new double[16], effectiveRuns = new double[16], logWeightStd = new double[16];
    private int size;

    AisPath(int steps, int points) {
        int p = Math.max(1, points);
        this.every = Math.max(1, (steps + p - 1) / p);
    }

    /** A path keeping about 500 points of an annealing through {@code gammas}. */
    static AisPath along(double[] gammas) {
        return new AisPath(gammas.length - 1, 500);
    }

    /** Records step k of {@code steps} (k = 0: before the first step) if it is one of the kept points. */
    void record(int k, int steps, double gamma, double[] logW) {
        if (k % every != 0 && k != steps) return;
        if (size == gammas.length) {
            gammas = Arrays.copyOf(gammas, 2 * size);
            logMeanW = Arrays.copyOf(logMeanW, 2 * size);
            effectiveRuns = Arrays.copyOf(effectiveRuns, 2 * size);
            logWeightStd = Arrays.copyOf(logWeightStd, 2 * size);
        }
        AisEstimate.WeightSummary s = AisEstimate.WeightSummary.of(logW);
        gammas[size] = gamma;
        logMeanW[size] = s.logMean();
        effectiveRuns[size] = s.effectiveRuns();
        logWeightStd[size] = s.logWeightStd();
        size++;
    }

    int size() { return size; }

    double gamma(int i) { return gammas[i]; }

    double logMeanW(int i) { return logMeanW[i]; }

    double effectiveRuns(int i) { return effectiveRuns[i]; }

    double logWeightStd(int i) { return logWeightStd[i]; }
}
