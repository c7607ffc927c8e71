package dgm4j.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-tiled product with the Vector API (jdk.incubator.vector): a 4-row by 3-vector tile of C stays in registers
 * while the k loop broadcasts A and streams B (FMA). Only loaded when the incubator module is present.
 */
final class VectorBlas extends JavaBlas {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int KC = 256;

    @Override
    public String name() { return "vector"; }

    @Override
    protected void multiplyRows(float[] a, float[] b, float[] c, int n, int k, int rowFrom, int rowTo) {
        for (int p0 = 0; p0 < k; p0 += KC) {
            int p1 = Math.min(k, p0 + KC);
            int i = rowFrom;
            for (; i + 4 <= rowTo; i += 4) tile4(a, b, c, n, k, i, p0, p1);
            for (; i < rowTo; i++) row1(a, b, c, n, k, i, p0, p1);
        }
    }

    private static void tile4(float[] a, float[] b, float[] c, int n, int k, int i, int p0, int p1) {
        int a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        int j = 0;
        for (; j + 3 * L <= n; j += 3 * L) {
            FloatVector c00 = FloatVector.fromArray(S, c, i * n + j);
            FloatVector c01 = FloatVector.fromArray(S, c, i * n + j + L);
            FloatVector c02 = FloatVector.fromArray(S, c, i * n + j + 2 * L);
            FloatVector c10 = FloatVector.fromArray(S, c, (i + 1) * n + j);
            FloatVector c11 = FloatVector.fromArray(S, c, (i + 1) * n + j + L);
            FloatVector c12 = FloatVector.fromArray(S, c, (i + 1) * n + j + 2 * L);
            FloatVector c20 = FloatVector.fromArray(S, c, (i + 2) * n + j);
            FloatVector c21 = FloatVector.fromArray(S, c, (i + 2) * n + j + L);
            FloatVector c22 = FloatVector.fromArray(S, c, (i + 2) * n + j + 2 * L);
            FloatVector c30 = FloatVector.fromArray(S, c, (i + 3) * n + j);
            FloatVector c31 = FloatVector.fromArray(S, c, (i + 3) * n + j + L);
            FloatVector c32 = FloatVector.fromArray(S, c, (i + 3) * n + j + 2 * L);
            for (int p = p0; p < p1; p++) {
                int bp = p * n + j;
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
                c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
                x = FloatVector.broadcast(S, a[a1 + p]);
                c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
                x = FloatVector.broadcast(S, a[a2 + p]);
                c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
                x = FloatVector.broadcast(S, a[a3 + p]);
                c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
            }
            c00.intoArray(c, i * n + j); c01.intoArray(c, i * n + j + L); c02.intoArray(c, i * n + j + 2 * L);
            c10.intoArray(c, (i + 1) * n + j); c11.intoArray(c, (i + 1) * n + j + L); c12.intoArray(c, (i + 1) * n + j + 2 * L);
            c20.intoArray(c, (i + 2) * n + j); c21.intoArray(c, (i + 2) * n + j + L); c22.intoArray(c, (i + 2) * n + j + 2 * L);
            c30.intoArray(c, (i + 3) * n + j); c31.intoArray(c, (i + 3) * n + j + L); c32.intoArray(c, (i + 3) * n + j + 2 * L);
        }
        // remaining columns: one row at a time
        if (j < n) {
            for (int r = 0; r < 4; r++) rowTail(a, b, c, n, k, i + r, p0, p1, j);
        }
    }

    private static void row1(float[] a, float[] b, float[] c, int n, int k, int i, int p0, int p1) {
        rowTail(a, b, c, n, k, i, p0, p1, 0);
    }

    /** Row i of C, columns [j0, n). */
    private static void rowTail(float[] a, float[] b, float[] c, int n, int k, int i, int p0, int p1, int j0) {
        int ai = i * k;
        int ci = i * n;
        int j = j0;
        for (; j + L <= n; j += L) {
            FloatVector acc = FloatVector.fromArray(S, c, ci + j);
            for (int p = p0; p < p1; p++) {
                acc = FloatVector.broadcast(S, a[ai + p]).fma(FloatVector.fromArray(S, b, p * n + j), acc);
            }
            acc.intoArray(c, ci + j);
        }
        for (; j < n; j++) {
            float s = c[ci + j];
            for (int p = p0; p < p1; p++) s += a[ai + p] * b[p * n + j];
            c[ci + j] = s;
        }
    }
}
