package dgm4j.math;

/**
 * DRAW's Gaussian filterbank (Gregor et al. 2015, sec. 3.2): for each example, an N x S matrix F whose row i is a
 * Gaussian over the S pixel positions a = 1..S of one image axis, centred at
 * mu_i = g + (i - N/2 - 0.5) delta (i = 1..N; eqs. 19-20), with variance sigma^2, normalised so that
 * sum_a F[i, a] = 1 (eqs. 25-26):
 * <pre>
 *   F[i, a] = exp(-(a - mu_i)^2 / (2 sigma^2)) / Z_i  =  softmax_a(-(a - mu_i)^2 / (2 sigma^2)).
 * </pre>
 * Pixel positions are 1-based, so that the grid centre g = (S + 1) / 2 of eqs. 22-23 is the middle of the axis. The
 * softmax is max-shifted: a filter far outside the image, or narrower than a pixel, puts its weight on the nearest
 * pixels instead of dividing zero by zero. Arithmetic in double, results in float.
 */
public final class GaussianFilterbank {
    private GaussianFilterbank() {}

    /** The offset i - N/2 - 0.5 of filter i (0-based here: i + 1 in the paper's numbering) from the grid centre, in strides. */
    public static double offset(int i, int n) {
        return i + 1 - n / 2.0 - 0.5;
    }

    /**
     * Row r of {@code filters} (B x N S) receives example r's N x S filterbank, row-major, from its centre g = centre[r, 0],
     * log sigma^2 = logVariance[r, 0] and stride delta = stride[r, 0] (B x 1 columns).
     */
    public static void forward(Matrix centre, Matrix logVariance, Matrix stride, int n, int size, Matrix filters) {
        check(centre, logVariance, stride, n, size, filters);
        double[] s = new double[size];
        for (int r = 0; r < filters.rows(); r++) {
            double g = centre.get(r, 0), inverseTwoVariance = 0.5 * Math.exp(-logVariance.get(r, 0)), delta = stride.get(r, 0);
            int row = filters.offset + r * n * size;
            for (int i = 0; i < n; i++) {
                double mu = g + offset(i, n) * delta, max = Double.NEGATIVE_INFINITY;
                for (int a = 0; a < size; a++) {
                    double u = a + 1 - mu;
                    s[a] = -u * u * inverseTwoVariance;
                    if (s[a] > max) max = s[a];
                }
                double z = 0;
                for (int a = 0; a < size; a++) {
                    s[a] = Math.exp(s[a] - max);
                    z += s[a];
                }
                for (int a = 0; a < size; a++) filters.floats.put(row + i * size + a, (float) (s[a] / z));
            }
        }
    }

    /**
     * The gradient of sum(G * F) in the centre, log-variance and stride (B x 1 each; null = not wanted), from G = d loss /
     * d F and the filters F of {@link #forward}. With D[i, a] = F[i, a] (G[i, a] - sum_a' G[i, a'] F[i, a']) (the
     * softmax's backward pass) and u = a - mu_i: d mu_i = sum_a D u / sigma^2, d g = sum_i d mu_i,
     * d delta = sum_i (i - N/2 - 0.5) d mu_i, d log sigma^2 = sum_{i, a} D u^2 / (2 sigma^2).
     */
    public static void backward(Matrix gradient, Matrix filters, Matrix centre, Matrix logVariance, Matrix stride, int n, int size,
                                Matrix dCentre, Matrix dLogVariance, Matrix dStride) {
        check(centre, logVariance, stride, n, size, filters);
        Matrix.requireSameShape(gradient, filters, "filterbank backward");
        for (int r = 0; r < filters.rows(); r++) {
            double g = centre.get(r, 0), inverseVariance = Math.exp(-logVariance.get(r, 0)), delta = stride.get(r, 0);
            int row = r * n * size;
            double dg = 0, dDelta = 0, dLogVar = 0;
            for (int i = 0; i < n; i++) {
                int base = row + i * size;
                double mu = g + offset(i, n) * delta, dot = 0;
                for (int a = 0; a < size; a++) dot += (double) gradient.getFlat(base + a) * filters.getFlat(base + a);
                double dMu = 0;
                for (int a = 0; a < size; a++) {
                    double d = filters.getFlat(base + a) * (gradient.getFlat(base + a) - dot), u = a + 1 - mu;
                    dMu += d * u * inverseVariance;
                    dLogVar += 0.5 * d * u * u * inverseVariance;
                }
                dg += dMu;
                dDelta += offset(i, n) * dMu;
            }
            if (dCentre != null) dCentre.set(r, 0, (float) dg);
            if (dStride != null) dStride.set(r, 0, (float) dDelta);
            if (dLogVariance != null) dLogVariance.set(r, 0, (float) dLogVar);
        }
    }

    private static void check(Matrix centre, Matrix logVariance, Matrix stride, int n, int size, Matrix filters) {
        if (n < 1 || size < 1) throw new IllegalArgumentException("filterbank: need N >= 1 filters over S >= 1 pixels, got " + n + " x " + size);
        for (Matrix m : new Matrix[] {centre, logVariance, stride}) {
            if (m.cols() != 1 || m.rows() != filters.rows()) {
                throw new IllegalArgumentException("filterbank: parameters must be " + filters.rows() + "x1 columns, got " + m.shape());
            }
        }
        if (filters.cols() != n * size) throw new IllegalArgumentException("filterbank: " + filters.shape() + " does not hold " + n + "x" + size + " filters per row");
    }
}
