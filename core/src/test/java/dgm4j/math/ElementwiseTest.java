package dgm4j.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Vector and scalar kernels against double-precision formulas, on sizes with and without a vector tail. */
@ExtendWith(RestoresNumerics.class)
class ElementwiseTest {

    static Matrix random(int rows, int cols, float scale, long seed) {
        Random r = new Random(seed);
        Matrix m = Matrix.zeros(rows, cols);
        for (int k = 0; k < m.size(); k++) m.setFlat(k, (float) (scale * r.nextGaussian()));
        return m;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void unaryFunctionsMatchDoublePrecision(boolean vector) {
        Numerics.useVectorKernels(vector);
        for (int[] s : new int[][] {{1, 1}, {3, 7}, {13, 37}, {100, 500}, {0, 5}}) {
            Matrix x = random(s[0], s[1], 8f, 11);
            Matrix out = Matrix.zeros(s[0], s[1]);
            Elementwise.sigmoid(x, out);
            for (int k = 0; k < x.size(); k++) {
                double v = x.getFlat(k);
                assertEquals(1 / (1 + Math.exp(-v)), out.getFlat(k), 2e-7 + 1e-6 * Math.abs(out.getFlat(k)));
            }
            Elementwise.tanh(x, out);
            for (int k = 0; k < x.size(); k++) assertEquals(Math.tanh(x.getFlat(k)), out.getFlat(k), 1e-6);
            Elementwise.softplus(x, out);
            for (int k = 0; k < x.size(); k++) {
                double v = x.getFlat(k);
                assertEquals(Math.log1p(Math.exp(v)), out.getFlat(k), 1e-6 * Math.max(1, Math.abs(v)));
            }
            Elementwise.exp(x, out);
            for (int k = 0; k < x.size(); k++) {
                double e = Math.exp(x.getFlat(k));
                assertEquals(e, out.getFlat(k), 1e-6 * e);
            }
        }
    }

    @Test
    void vectorAndScalarKernelsAgreeBitForBit() {
        Assumptions.assumeTrue(Numerics.vectorApiAvailable());
        Matrix x = random(31, 33, 20f, 9);
        x.set(0, 0, 0f); x.set(0, 1, -0f); x.set(0, 2, 95f); x.set(0, 3, -95f); x.set(0, 4, Float.NaN);
        Matrix abs = Matrix.zeros(31, 33);
        for (int k = 0; k < x.size(); k++) abs.setFlat(k, Math.abs(x.getFlat(k)) + 1e-3f);
        for (Kernels.Fn fn : Kernels.Fn.values()) {
            Matrix in = fn == Kernels.Fn.LOG ? abs : x;
            Matrix v = Matrix.zeros(31, 33), s = Matrix.zeros(31, 33);
            new VectorKernels().map(fn, in, v, in.size());
            new ScalarKernels().map(fn, in, s, in.size());
            assertArrayEquals(s.toArray(), v.toArray(), fn.name());
        }
        double[] lv = new double[31], ls = new double[31];
        new VectorKernels().logSumExpRows(abs, lv);
        new ScalarKernels().logSumExpRows(abs, ls);
        assertArrayEquals(ls, lv);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void softplusRowSumsMatchDoublePrecisionAtAnyScale(boolean vector) {
        Numerics.useVectorKernels(vector);
        Matrix x = random(7, 531, 10f, 12);
        for (float scale : new float[] {0f, 1e-3f, 0.5f, 1f}) {
            double[] got = Elementwise.softplusRowSums(x, scale);
            for (int i = 0; i < 7; i++) {
                double ref = 0;
                for (int j = 0; j < 531; j++) ref += Math.log1p(Math.exp(scale * (double) x.get(i, j)));
                assertEquals(ref, got[i], 1e-6 * Math.abs(ref) + 1e-5, "scale " + scale + " row " + i);
            }
        }
    }

    @Test
    void softplusRowSumsAreBitwiseEqualAcrossKernels() {
        Assumptions.assumeTrue(Numerics.vectorApiAvailable());
        Matrix x = random(5, 4099, 30f, 13);
        double[] v = new double[5], s = new double[5];
        new VectorKernels().softplusRowSums(x, 0.37f, v);
        new ScalarKernels().softplusRowSums(x, 0.37f, s);
        assertArrayEquals(s, v);
    }

    @Test
    void logOfSpecialValues() {
        Matrix x = Matrix.of(1, 5, 0f, -1f, Float.POSITIVE_INFINITY, 1f, (float) Math.E);
        Matrix out = Elementwise.log(x, Matrix.zeros(1, 5));
        assertEquals(Float.NEGATIVE_INFINITY, out.get(0, 0));
        assertTrue(Float.isNaN(out.get(0, 1)));
        assertEquals(Float.POSITIVE_INFINITY, out.get(0, 2));
        assertEquals(0f, out.get(0, 3));
        assertEquals(1f, out.get(0, 4), 1e-7);
    }

    @Test
    void softplusIsStableForLargeArguments() {
        Matrix x = Matrix.of(1, 4, 100f, -100f, 1000f, -1000f);
        Matrix out = Matrix.zeros(1, 4);
        Elementwise.softplus(x, out);
        assertEquals(100f, out.get(0, 0), 1e-4);
        // exp underflows to 0 below -87.34 (float32's smallest normal is 1.2e-38), so softplus(-100) is 0 within that
        assertEquals(Math.exp(-100), out.get(0, 1), 1.2e-38);
        assertEquals(1000f, out.get(0, 2), 1e-3);
        assertEquals(0f, out.get(0, 3), 0f);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void logSumExpRowsIsExactAndOverflowSafe(boolean vector) {
        Numerics.useVectorKernels(vector);
        Matrix x = random(7, 53, 30f, 5);
        x.set(2, 3, 500f); // exp(500) overflows float and double
        double[] got = Elementwise.logSumExpRows(x);
        for (int i = 0; i < 7; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 53; j++) max = Math.max(max, x.get(i, j));
            double s = 0;
            for (int j = 0; j < 53; j++) s += Math.exp(x.get(i, j) - max);
            assertEquals(max + Math.log(s), got[i], 1e-5 * Math.max(1, Math.abs(max)));
        }
        double[] mean = Elementwise.logMeanExpRows(x);
        assertEquals(got[0] - Math.log(53), mean[0], 1e-12);
        Matrix inf = Matrix.of(1, 3, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
        assertEquals(Double.NEGATIVE_INFINITY, Elementwise.logSumExpRows(inf)[0]);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void arithmeticAndBiasBroadcast(boolean vector) {
        Numerics.useVectorKernels(vector);
        Matrix x = random(5, 19, 1f, 1), y = random(5, 19, 1f, 2), out = Matrix.zeros(5, 19);
        Elementwise.axpby(2f, x, -3f, y, out);
        for (int k = 0; k < 95; k++) assertEquals(2f * x.getFlat(k) - 3f * y.getFlat(k), out.getFlat(k), 1e-5);
        Elementwise.multiply(x, y, out);
        for (int k = 0; k < 95; k++) assertEquals(x.getFlat(k) * y.getFlat(k), out.getFlat(k), 1e-6);
        Matrix bias = random(1, 19, 1f, 3);
        Elementwise.addRowVector(x, bias, out);
        for (int i = 0; i < 5; i++) for (int j = 0; j < 19; j++) assertEquals(x.get(i, j) + bias.get(0, j), out.get(i, j), 1e-6);
        Elementwise.scale(out, 0.5f);
        assertEquals((x.get(4, 18) + bias.get(0, 18)) * 0.5f, out.get(4, 18), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Elementwise.addRowVector(x, Matrix.zeros(1, 18), out));
        Elementwise.multiplyRowVector(x, bias, out);
        for (int i = 0; i < 5; i++) for (int j = 0; j < 19; j++) assertEquals(x.get(i, j) * bias.get(0, j), out.get(i, j), 0f);
        Matrix inPlace = x.copy();
        Elementwise.multiplyRowVector(inPlace.rows(1, 4), bias, inPlace.rows(1, 4));
        assertEquals(x.get(0, 7), inPlace.get(0, 7), 0f);   // rows outside the view untouched
        assertEquals(x.get(2, 7) * bias.get(0, 7), inPlace.get(2, 7), 0f);
        assertThrows(IllegalArgumentException.class, () -> Elementwise.multiplyRowVector(x, Matrix.zeros(1, 18), out));
        assertThrows(IllegalArgumentException.class, () -> Elementwise.add(x, Matrix.zeros(5, 18), out));
    }
}
