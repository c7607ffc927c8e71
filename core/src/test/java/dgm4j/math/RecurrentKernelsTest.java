package dgm4j.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fused LSTM cell (forward and backward) against double-precision formulas, vector against scalar kernels bit for
 * bit on widths with and without a vector tail; the row-by-row products against a plain triple loop.
 */
@ExtendWith(RestoresNumerics.class)
class RecurrentKernelsTest {
    private static final int[][] SHAPES = {{1, 1}, {3, 7}, {5, 16}, {4, 37}, {2, 256}};

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    @Test
    void lstmCellForwardAndBackwardMatchDoublePrecisionAndAgreeAcrossKernels() {
        for (int[] s : SHAPES) {
            int rows = s[0], n = s[1];
            Matrix gates = ElementwiseTest.random(rows, 4 * n, 4f, 11), cPrev = ElementwiseTest.random(rows, n, 2f, 12);
            Matrix dh = ElementwiseTest.random(rows, n, 1f, 13), dc = ElementwiseTest.random(rows, n, 1f, 14);
            Matrix[][] results = new Matrix[2][];
            for (int t = 0; t < 2; t++) {
                Numerics.useVectorKernels(t == 0 && Numerics.vectorApiAvailable());
                Matrix act = Matrix.zeros(rows, 4 * n), c = Matrix.zeros(rows, n), tanhC = Matrix.zeros(rows, n), h = Matrix.zeros(rows, n);
                Matrix dGates = Matrix.zeros(rows, 4 * n), dcPrev = Matrix.zeros(rows, n);
                Elementwise.lstmCell(gates, cPrev, act, c, tanhC, h);
                Elementwise.lstmCellBackward(act, cPrev, tanhC, dh, dc, dGates, dcPrev);
                results[t] = new Matrix[] {act, c, tanhC, h, dGates, dcPrev};
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < n; j++) {
                        double i = sigmoid(gates.get(r, j)), f = sigmoid(gates.get(r, n + j)), o = sigmoid(gates.get(r, 2 * n + j));
                        double g = Math.tanh(gates.get(r, 3 * n + j)), cp = cPrev.get(r, j);
                        double cv = f * cp + i * g, tc = Math.tanh(cv);
                        assertEquals(cv, c.get(r, j), 1e-5);
                        assertEquals(o * tc, h.get(r, j), 1e-5);
                        double dct = dc.get(r, j) + dh.get(r, j) * o * (1 - tc * tc);
                        assertEquals(dct * g * i * (1 - i), dGates.get(r, j), 1e-5);
                        assertEquals(dct * cp * f * (1 - f), dGates.get(r, n + j), 1e-5);
                        assertEquals(dh.get(r, j) * tc * o * (1 - o), dGates.get(r, 2 * n + j), 1e-5);
                        assertEquals(dct * i * (1 - g * g), dGates.get(r, 3 * n + j), 1e-5);
                        assertEquals(dct * f, dcPrev.get(r, j), 1e-5);
                    }
                }
            }
            for (int m = 0; m < results[0].length; m++) {
                for (int k = 0; k < results[0][m].size(); k++) {
                    assertEquals(results[1][m].getFlat(k), results[0][m].getFlat(k), 0f, "output " + m + " element " + k + " of " + rows + "x" + n);
                }
            }
        }
    }

    @Test
    void rowByRowProductsMatchATripleLoopAndAccumulate() {
        int rows = 4, m = 5, k = 28, n = 3;
        Matrix a = ElementwiseTest.random(rows, m * k, 1f, 21), b = ElementwiseTest.random(rows, k * n, 1f, 22);
        Matrix c = ElementwiseTest.random(rows, m * n, 1f, 23), c0 = c.copy();
        BatchedProducts.gemm(false, m, a, false, k, b, 1f, c);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double e = c0.get(r, i * n + j);
                    for (int p = 0; p < k; p++) e += (double) a.get(r, i * k + p) * b.get(r, p * n + j);
                    assertEquals(e, c.get(r, i * n + j), 1e-4);
                }
            }
        }
        BatchedProducts.gemm(false, m, a, false, k, b, 0f, c);
        assertTrue(Math.abs(c.get(0, 0) - c0.get(0, 0)) > 0 || c0.get(0, 0) == 0f);
    }
}
