package dgm4j.math;

/** Log-space helpers in double, for accumulated log-probabilities and partition functions. */
public final class LogMath {
    private LogMath() {}

    /** log(exp(a) + exp(b)) without overflow. */
    public static double logAddExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) return b;
        if (b == Double.NEGATIVE_INFINITY) return a;
        double m = Math.max(a, b);
        return m + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    /** log sum_i exp(x[i]). */
    public static double logSumExp(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) m = Math.max(m, v);
        if (m == Double.NEGATIVE_INFINITY || Double.isInfinite(m) || Double.isNaN(m)) return m;
        double s = 0;
        for (double v : x) s += Math.exp(v - m);
        return m + Math.log(s);
    }

    /** log (1/n) sum_i exp(x[i]). */
    public static double logMeanExp(double[] x) {
        return logSumExp(x) - Math.log(x.length);
    }

    /** log(1 + exp(x)), stable. */
    public static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    public static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
