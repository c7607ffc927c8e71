package dgm4j.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Blas#gemmBinaryLeft} and {@link BinaryProducts}: products with a 0/1 left factor by sums of selected rows
 * (few ones), by column sums minus the left-out rows (few zeros), or by gemm (dense, or not 0/1), against a
 * double-precision reference on shapes with and without vector tails; the vector and scalar kernels bit for bit.
 */
@ExtendWith(RestoresNumerics.class)
class BinaryProductsTest {

    // m x k x n; under BinaryProducts.MIN_ROWS rows gemm is used; m = 70 gives transposed X two mask words per row
    static final int[][] SHAPES = {{1, 1, 1}, {3, 65, 7}, {17, 64, 129}, {9, 200, 257}, {40, 130, 300}, {2, 7, 16},
            {70, 100, 33}, {8, 16, 128}};

    static Matrix binary(int rows, int cols, double density, Random r) {
        Matrix m = Matrix.zeros(rows, cols);
        for (int k = 0; k < m.size(); k++) m.setFlat(k, r.nextDouble() < density ? 1f : 0f);
        return m;
    }

    /** alpha op(X) op(W) + beta C0 in double, compared entrywise with a tolerance scaled by the sum of |terms|. */
    static void assertProduct(boolean transX, boolean transW, float alpha, Matrix x, Matrix w, float beta, Matrix c0,
                              Matrix c, String what) {
        int m = c.rows(), n = c.cols(), k = transW ? w.cols() : w.rows();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0, scale = Math.abs(beta * c0.get(i, j));
                for (int p = 0; p < k; p++) {
                    double t = (transX ? x.get(p, i) : x.get(i, p)) * (transW ? w.get(j, p) : w.get(p, j));
                    sum += t;
                    scale += Math.abs(alpha * t);
                }
                double expected = alpha * sum + beta * c0.get(i, j);
                assertEquals(expected, c.get(i, j), 1e-5 * scale + 1e-6, what + " at (" + i + ", " + j + ")");
            }
        }
    }

    static void assertProduct(boolean transX, float alpha, Matrix x, Matrix w, float beta, Matrix c0, Matrix c, String what) {
        assertProduct(transX, false, alpha, x, w, beta, c0, c, what);
    }

    @Test
    void everyPathMatchesTheReference() {
        Numerics.setThreads(1);   // the thresholds are for one product thread (divided by the thread count)
        everyPath();
    }

    private void everyPath() {
        Random r = new Random(11);
        for (boolean vector : new boolean[] {true, false}) {
            Numerics.useVectorKernels(vector && Numerics.vectorApiAvailable());
            for (int[] s : SHAPES) {
                int m = s[0], k = s[1], n = s[2];
                for (int variant = 0; variant < 4; variant++) {
                    boolean transX = (variant & 1) != 0, transW = (variant & 2) != 0;
                    for (double density : new double[] {0, 0.02, 0.05, 0.15, 0.5, 0.9, 0.98, 1}) {
                        for (float beta : new float[] {0f, -0.5f}) {
                            Matrix x = transX ? binary(k, m, density, r) : binary(m, k, density, r);
                            Matrix w = transW ? BlasTest.random(n, k, r) : BlasTest.random(k, n, r);
                            Matrix c = BlasTest.random(m, n, r), c0 = c.copy();
                            Numerics.blas().gemmBinaryLeft(transX, transW, 0.75f, x, w, beta, c);
                            assertProduct(transX, transW, 0.75f, x, w, beta, c0, c, "shape " + m + "x" + k + "x" + n
                                    + " transX " + transX + " transW " + transW + " density " + density + " beta " + beta
                                    + " vector " + vector);
                        }
                    }
                }
            }
        }
    }

    @Test
    void takesTheSparsePathOnlyWhereItPays() {
        for (boolean vector : new boolean[] {true, false}) {
            Numerics.useVectorKernels(vector && Numerics.vectorApiAvailable());
            Random r = new Random(3);
            int m = 50, k = 200, n = 70;
            Matrix w = BlasTest.random(k, n, r), c = Matrix.zeros(m, n);
            assertTrue(BinaryProducts.tryMultiply(false, false, 1f, binary(m, k, 0.1, r), w, 0f, c, 1), "10% ones: row sums");
            assertTrue(BinaryProducts.tryMultiply(false, false, 1f, binary(m, k, 0.9, r), w, 0f, c, 1), "10% zeros: complement");
            assertTrue(BinaryProducts.tryMultiply(true, false, 1f, binary(k, m, 0.9, r), BlasTest.random(k, n, r), 0f, c, 1));
            assertFalse(BinaryProducts.tryMultiply(false, false, 1f, binary(m, k, 0.5, r), w, 0f, c, 1), "half ones: gemm");
            Matrix wt = BlasTest.random(n, k, r);
            assertTrue(BinaryProducts.tryMultiply(false, true, 1f, binary(m, k, 0.01, r), wt, 0f, c, 1), "W^T, 1% ones");
            assertTrue(BinaryProducts.tryMultiply(false, true, 1f, binary(m, k, 0.99, r), wt, 0f, c, 1), "W^T, 1% zeros");
            assertFalse(BinaryProducts.tryMultiply(false, true, 1f, binary(m, k, 0.1, r), wt, 0f, c, 1), "W^T, 10% ones: gemm");
            assertFalse(BinaryProducts.tryMultiply(true, true, 1f, binary(k, m, 0.01, r), wt, 0f, c, 1), "X^T W^T: gemm");
            assertFalse(BinaryProducts.tryMultiply(false, false, 1f, binary(m, k, 0.15, r), w, 0f, c, 2),
                    "15% ones with two product threads: gemm");
            assertFalse(BinaryProducts.tryMultiply(false, false, 1f, binary(4, k, 0.1, r), w, 0f, Matrix.zeros(4, n), 1),
                    "4 rows: gemm");
            // a value other than 0/1 at the start, inside a vector and in the tail of a row (200 = 3 words + 8)
            for (int at : new int[] {0, 17, 199, (m - 1) * k + 70}) {
                for (float bad : new float[] {0.5f, Float.NaN, 2f, -1f}) {
                    Matrix x = binary(m, k, 0.1, r);
                    x.setFlat(at, bad);
                    assertFalse(BinaryProducts.tryMultiply(false, false, 1f, x, w, 0f, c, 1), bad + " at " + at);
                    // through Blas, gemm then gives the product
                    Matrix out = Matrix.zeros(m, n), c0 = out.copy();
                    Numerics.blas().gemmBinaryLeft(false, false, 1f, x, w, 0f, out);
                    if (Float.isNaN(bad)) {
                        assertTrue(Float.isNaN(out.get(at / k, 0)) && !Float.isNaN(out.get((at / k + 1) % m, 0)));
                    } else {
                        assertProduct(false, 1f, x, w, 0f, c0, out, bad + " at " + at);
                    }
                }
            }
            // -0 is a zero
            Matrix x = binary(m, k, 0.1, r);
            for (int t = 0; t < x.size(); t++) if (x.getFlat(t) == 0f && t % 3 == 0) x.setFlat(t, -0f);
            Matrix out = BlasTest.random(m, n, r), c0 = out.copy();
            assertTrue(BinaryProducts.tryMultiply(false, false, 0.5f, x, w, 2f, out, 1));
            assertProduct(false, 0.5f, x, w, 2f, c0, out, "-0 entries");
        }
    }

    @Test
    void viewsWithOffsetsOffTheVectorGrid() {
        Random r = new Random(8);
        int m = 30, k = 131, n = 77;
        for (int variant = 0; variant < 3; variant++) {
            boolean transX = variant == 1, transW = variant == 2;
            for (double density : transW ? new double[] {0.01, 0.99} : new double[] {0.05, 0.95}) {
                Matrix bigX = transX ? binary(k + 3, m, density, r) : binary(m + 3, k, density, r);
                Matrix x = transX ? bigX.rows(3, k + 3) : bigX.rows(3, m + 3);
                Matrix w = transW ? BlasTest.random(n + 1, k, r).rows(1, n + 1) : BlasTest.random(k + 1, n, r).rows(1, k + 1);
                Matrix c = BlasTest.random(m + 2, n, r).rows(2, m + 2), c0 = c.copy();
                assertTrue(BinaryProducts.tryMultiply(transX, transW, 0.75f, x, w, -0.5f, c, 1));
                assertProduct(transX, transW, 0.75f, x, w, -0.5f, c0, c, "views, transX " + transX + " transW " + transW
                        + " density " + density);
            }
        }
    }

    @Test
    void vectorAndScalarKernelsAgreeBitForBit() {
        if (!Numerics.vectorApiAvailable()) return;
        Random r = new Random(5);
        for (int[] s : SHAPES) {
            for (int variant = 0; variant < 4; variant++) {
                boolean transX = variant >= 2;
                double density = variant % 2 == 0 ? 0.05 : 0.95;
                Matrix x = transX ? binary(s[1], s[0], density, r) : binary(s[0], s[1], density, r);
                Matrix w = BlasTest.random(s[1], s[2], r);
                Matrix a = Matrix.zeros(s[0], s[2]), b = Matrix.zeros(s[0], s[2]);
                long[] ma = new long[x.rows() * ((x.cols() + 63) / 64)], mb = ma.clone();
                Numerics.useVectorKernels(true);
                boolean ta = BinaryProducts.tryMultiply(transX, false, 1f, x, w, 0f, a, 1);
                long onesVector = Numerics.kernels().binaryMasks(x, ma, Long.MAX_VALUE);
                Numerics.useVectorKernels(false);
                boolean tb = BinaryProducts.tryMultiply(transX, false, 1f, x, w, 0f, b, 1);
                long onesScalar = Numerics.kernels().binaryMasks(x, mb, Long.MAX_VALUE);
                assertEquals(ta, tb);
                assertEquals(onesScalar, onesVector);
                assertEquals((long) Elementwise.sum(x), onesScalar);
                assertArrayEquals(mb, ma);
                assertArrayEquals(b.toArray(), a.toArray(), 0f, "shape " + s[0] + "x" + s[1] + "x" + s[2]);
            }
        }
        // the scan stops (-2) once both ones and zeros exceed the limit, and only then
        Matrix half = binary(20, 100, 0.5, r);
        long[] masks = new long[20 * 2];
        for (boolean vector : new boolean[] {true, false}) {
            Numerics.useVectorKernels(vector);
            assertEquals(-2, Numerics.kernels().binaryMasks(half, masks, 30));
            assertEquals((long) Elementwise.sum(half), Numerics.kernels().binaryMasks(half, masks, 1000));
            Matrix few = binary(20, 100, 0.01, r);
            assertEquals((long) Elementwise.sum(few), Numerics.kernels().binaryMasks(few, masks, 30));
        }
    }
}
