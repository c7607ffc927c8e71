package dgm4j.math;

/** Plain-Java product (i-k-j loop order, blocked over k): correct everywhere, slow. */
final class ScalarBlas extends JavaBlas {
    private static final int KC = 256;

    @Override
    public String name() { return "scalar"; }

    @Override
    protected void multiplyRows(float[] a, float[] b, float[] c, int n, int k, int rowFrom, int rowTo) {
        for (int p0 = 0; p0 < k; p0 += KC) {
            int p1 = Math.min(k, p0 + KC);
            for (int i = rowFrom; i < rowTo; i++) {
                int ci = i * n;
                for (int p = p0; p < p1; p++) {
                    float aip = a[i * k + p];
                    int bp = p * n;
                    for (int j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
                }
            }
        }
    }
}
