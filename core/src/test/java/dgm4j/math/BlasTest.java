package dgm4j.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every backend against a plain double-precision reference, on random, odd, 1xN, Nx1 and empty shapes. */
@ExtendWith(RestoresNumerics.class)
class BlasTest {

    static List<int[]> shapes() {
        List<int[]> s = new ArrayList<>();
        int[][] fixed = {{1, 1, 1}, {1, 37, 5}, {37, 1, 5}, {5, 7, 1}, {0, 3, 4}, {3, 0, 4}, {3, 4, 0}, {4, 48, 3},
                {17, 65, 33}, {100, 784, 50}, {9, 300, 257}, {64, 64, 64}};
        for (int[] f : fixed) s.add(f);
        Random r = new Random(7);
        for (int t = 0; t < 12; t++) s.add(new int[] {1 + r.nextInt(70), 1 + r.nextInt(70), 1 + r.nextInt(300)});
        return s;
    }

    static Matrix random(int rows, int cols, Random r) {
        Matrix m = Matrix.zeros(rows, cols);
        for (int k = 0; k < m.size(); k++) m.setFlat(k, (float) r.nextGaussian());
        return m;
    }

    /** op(X)[i][j] in double. */
    static double at(Matrix x, boolean t, int i, int j) {
        return t ? x.get(j, i) : x.get(i, j);
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "vector", "scalar"})
    void matchesReferenceOnAllShapesAndTransposes(String backend) {
        Blas blas = Numerics.useBlas(backend);
        assertEquals(backend, blas.name());
        Random r = new Random(42);
        for (int[] s : shapes()) {
            int m = s[0], n = s[1], k = s[2];
            for (int variant = 0; variant < 4; variant++) {
                boolean ta = (variant & 1) != 0, tb = (variant & 2) != 0;
                Matrix a = ta ? random(k, m, r) : random(m, k, r);
                Matrix b = tb ? random(n, k, r) : random(k, n, r);
                Matrix c = random(m, n, r);
                Matrix c0 = c.copy();
                float alpha = 0.75f, beta = variant == 3 ? 0f : -0.5f;
                blas.gemm(ta, tb, alpha, a, b, beta, c);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double ref = 0, mag = 0;
                        for (int p = 0; p < k; p++) {
                            double prod = at(a, ta, i, p) * at(b, tb, p, j);
                            ref += prod;
                            mag += Math.abs(prod);
                        }
                        ref = alpha * ref + beta * c0.get(i, j);
                        double tol = 1e-5 * (mag + Math.abs(c0.get(i, j))) + 1e-6;
                        assertEquals(ref, c.get(i, j), tol, backend + " " + m + "x" + n + "x" + k + " t=" + ta + tb + " at " + i + "," + j);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "vector", "scalar"})
    void rowViewsAreReadAndWrittenInPlace(String backend) {
        Blas blas = Numerics.useBlas(backend);
        Random r = new Random(3);
        Matrix big = random(10, 6, r);
        Matrix a = big.rows(3, 7); // 4x6 view
        Matrix b = random(6, 5, r);
        Matrix out = Matrix.zeros(12, 5);
        Matrix c = out.rows(2, 6);
        blas.gemm(false, false, 1f, a, b, 0f, c);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 5; j++) {
                double ref = 0;
                for (int p = 0; p < 6; p++) ref += big.get(3 + i, p) * b.get(p, j);
                assertEquals(ref, out.get(2 + i, j), 1e-4);
            }
        }
        assertEquals(0f, out.get(0, 0));
        assertEquals(0f, out.get(11, 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "vector", "scalar"})
    void threadedProductEqualsSingleThreaded(String backend) {
        Blas blas = Numerics.useBlas(backend);
        Random r = new Random(5);
        Matrix a = random(200, 300, r), b = random(300, 90, r);
        Numerics.setThreads(1);
        Matrix c1 = Matrix.zeros(200, 90);
        blas.gemm(false, false, 1f, a, b, 0f, c1);
        Numerics.setThreads(2);
        Matrix c2 = Matrix.zeros(200, 90);
        blas.gemm(false, false, 1f, a, b, 0f, c2);
        for (int k = 0; k < c1.size(); k++) assertEquals(c1.getFlat(k), c2.getFlat(k), 1e-4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "scalar"})
    void shapeMismatchIsRefusedWithBothShapes(String backend) {
        Blas blas = Numerics.useBlas(backend);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> blas.gemm(false, false, 1f, Matrix.zeros(3, 4), Matrix.zeros(5, 2), 0f, Matrix.zeros(3, 2)));
        assertTrue(e.getMessage().contains("3x4") && e.getMessage().contains("5x2"), e.getMessage());
    }

    @Test
    void unknownBackendIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Numerics.useBlas("cuda"));
    }
}
