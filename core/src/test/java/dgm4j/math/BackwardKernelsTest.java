package dgm4j.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The autodiff tape's kernels (backward maps, Adam, the Bernoulli log-likelihood) against double-precision formulas,
 *  and vector against scalar bit for bit, on sizes with and without a vector tail. */
@ExtendWith(RestoresNumerics.class)
class BackwardKernelsTest {
    private static final int[][] SHAPES = {{1, 1}, {3, 7}, {13, 37}, {20, 784}, {0, 5}};

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void backwardMapsMatchDoublePrecision(boolean vector) {
        Numerics.useVectorKernels(vector);
        for (int[] s : SHAPES) {
            Matrix g = ElementwiseTest.random(s[0], s[1], 2f, 1);
            Matrix x = ElementwiseTest.random(s[0], s[1], 6f, 2);
            Matrix y = Matrix.zeros(s[0], s[1]);
            Matrix out = Matrix.zeros(s[0], s[1]);
            Elementwise.tanh(x, y);
            Elementwise.tanhBackward(g, y, out);
            for (int k = 0; k < x.size(); k++) {
                double t = Math.tanh(x.getFlat(k));
                assertEquals(g.getFlat(k) * (1 - t * t), out.getFlat(k), 1e-6 * (1 + Math.abs(g.getFlat(k))));
            }
            Elementwise.sigmoid(x, y);
            Elementwise.sigmoidBackward(g, y, out);
            for (int k = 0; k < x.size(); k++) {
                double p = 1 / (1 + Math.exp(-x.getFlat(k)));
                assertEquals(g.getFlat(k) * p * (1 - p), out.getFlat(k), 1e-6 * (1 + Math.abs(g.getFlat(k))));
            }
            Elementwise.softplusBackward(g, x, out);
            for (int k = 0; k < x.size(); k++) {
                double p = 1 / (1 + Math.exp(-x.getFlat(k)));
                assertEquals(g.getFlat(k) * p, out.getFlat(k), 1e-6 * (1 + Math.abs(g.getFlat(k))));
            }
            Elementwise.exp(x, y);
            Elementwise.divide(g, y, out);
            for (int k = 0; k < x.size(); k++) {
                double q = g.getFlat(k) / (double) y.getFlat(k);
                assertEquals(q, out.getFlat(k), 1e-6 * Math.abs(q));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void bernoulliLogLikelihoodMatchesDoublePrecision(boolean vector) {
        Numerics.useVectorKernels(vector);
        for (int[] s : SHAPES) {
            Matrix l = ElementwiseTest.random(s[0], s[1], 30f, 3);
            Matrix x = ElementwiseTest.random(s[0], s[1], 1f, 4);
            for (int k = 0; k < x.size(); k++) x.setFlat(k, x.getFlat(k) > 0 ? 1f : 0f);
            Matrix grad = Matrix.zeros(s[0], s[1]);
            double[] out = Elementwise.bernoulliLogLikelihood(l, x, grad, new double[s[0]]);
            for (int i = 0; i < s[0]; i++) {
                double expected = 0;
                for (int j = 0; j < s[1]; j++) {
                    double v = l.get(i, j), p = 1 / (1 + Math.exp(-v));
                    double softplus = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
                    expected += x.get(i, j) * v - softplus;
                    assertEquals(x.get(i, j) - p, grad.get(i, j), 1e-6);
                }
                assertEquals(expected, out[i], 1e-5 * (1 + Math.abs(expected)));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void adamStepMatchesTheUpdateRule(boolean vector) {
        Numerics.useVectorKernels(vector);
        Matrix p = ElementwiseTest.random(7, 11, 1f, 5), g = ElementwiseTest.random(7, 11, 1f, 6);
        Matrix m = ElementwiseTest.random(7, 11, 0.1f, 7), v = ElementwiseTest.random(7, 11, 0.1f, 8);
        for (int k = 0; k < v.size(); k++) v.setFlat(k, Math.abs(v.getFlat(k)));
        Matrix p0 = p.copy(), m0 = m.copy(), v0 = v.copy();
        Elementwise.adamStep(p, g, m, v, 0.9f, 0.999f, 1e-3f, 1e-4f);
        for (int k = 0; k < p.size(); k++) {
            double gk = g.getFlat(k);
            double mk = 0.9 * m0.getFlat(k) + 0.1 * gk, vk = 0.999 * v0.getFlat(k) + 0.001 * gk * gk;
            assertEquals(mk, m.getFlat(k), 1e-6);
            assertEquals(vk, v.getFlat(k), 1e-6);
            assertEquals(p0.getFlat(k) - 1e-3 * mk / (Math.sqrt(vk) + 1e-4), p.getFlat(k), 1e-6);
        }
    }

    @Test
    void vectorAndScalarAgreeBitForBit() {
        Assumptions.assumeTrue(Numerics.vectorApiAvailable());
        Matrix g = ElementwiseTest.random(29, 101, 2f, 21), x = ElementwiseTest.random(29, 101, 25f, 22);
        Matrix bin = ElementwiseTest.random(29, 101, 1f, 23);
        for (int k = 0; k < bin.size(); k++) bin.setFlat(k, bin.getFlat(k) > 0 ? 1f : 0f);
        Matrix[] results = new Matrix[2];
        double[][] ll = new double[2][];
        for (int t = 0; t < 2; t++) {
            Numerics.useVectorKernels(t == 0);
            Matrix out = Matrix.zeros(29, 4 * 101 + 101 + 101);
            Matrix y = Matrix.zeros(29, 101), o = Matrix.zeros(29, 101), grad = Matrix.zeros(29, 101);
            int c = 0;
            Elementwise.tanh(x, y);
            c = append(out, Elementwise.tanhBackward(g, y, o), c);
            Elementwise.sigmoid(x, y);
            c = append(out, Elementwise.sigmoidBackward(g, y, o), c);
            c = append(out, Elementwise.softplusBackward(g, x, o), c);
            c = append(out, Elementwise.divide(g, x, o), c);
            ll[t] = Elementwise.bernoulliLogLikelihood(x, bin, grad, new double[29]);
            c = append(out, grad, c);
            Matrix p = x.copy(), m = g.copy(), v = Matrix.zeros(29, 101);
            Elementwise.square(g, v);
            Elementwise.adamStep(p, g, m, v, 0.9f, 0.999f, 1e-3f, 1e-4f);
            append(out, p, c);
            results[t] = out;
        }
        for (int k = 0; k < results[0].size(); k++) {
            assertEquals(Float.floatToRawIntBits(results[0].getFlat(k)), Float.floatToRawIntBits(results[1].getFlat(k)), "element " + k);
        }
        for (int i = 0; i < 29; i++) assertEquals(ll[0][i], ll[1][i], 0.0);
    }

    @Test
    void gaussianLogDensityKernelsAgreeBitForBitAndWithDoublePrecision() {
        Assumptions.assumeTrue(Numerics.vectorApiAvailable());
        Matrix z = ElementwiseTest.random(13, 53, 1.5f, 31), mu = ElementwiseTest.random(13, 53, 1f, 32);
        Matrix ls = ElementwiseTest.random(13, 53, 0.5f, 33);
        double[] g = new double[13];
        for (int i = 0; i < 13; i++) g[i] = 0.5 - 0.1 * i;
        float[][] results = new float[2][];
        double[][] values = new double[2][];
        for (int t = 0; t < 2; t++) {
            Numerics.useVectorKernels(t == 0);
            Matrix u = Matrix.zeros(13, 53), inv = Matrix.zeros(13, 53), dz = Matrix.zeros(13, 53), dmu = Matrix.zeros(13, 53),
                    dls = Matrix.zeros(13, 53);
            values[t] = Elementwise.gaussianLogDensity(z, mu, ls, new double[13], u, inv);
            Elementwise.gaussianLogDensityBackward(u, inv, g, dz, dmu, dls);
            float[] all = new float[5 * 13 * 53];
            int c = 0;
            for (Matrix m : new Matrix[] {u, inv, dz, dmu, dls}) for (int k = 0; k < m.size(); k++) all[c++] = m.getFlat(k);
            results[t] = all;
        }
        Numerics.useVectorKernels(true);
        for (int k = 0; k < results[0].length; k++) {
            assertEquals(Float.floatToRawIntBits(results[0][k]), Float.floatToRawIntBits(results[1][k]), "element " + k);
        }
        for (int i = 0; i < 13; i++) {
            assertEquals(values[0][i], values[1][i], 0.0);
            double e = 0;
            for (int j = 0; j < 53; j++) {
                double s = Math.exp(ls.get(i, j)), w = (z.get(i, j) - mu.get(i, j)) / s;
                e += -0.5 * Math.log(2 * Math.PI) - Math.log(s) - 0.5 * w * w;
            }
            assertEquals(e, values[0][i], 1e-5 * Math.abs(e));
        }
    }

    private static int append(Matrix out, Matrix block, int col) {
        for (int i = 0; i < block.rows(); i++) for (int j = 0; j < block.cols(); j++) out.set(i, col + j, block.get(i, j));
        return col + block.cols();
    }
}
