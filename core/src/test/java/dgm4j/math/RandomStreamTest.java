package dgm4j.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reproducibility (bitwise, across kernels) and distributional tests with fixed seeds. */
@ExtendWith(RestoresNumerics.class)
class RandomStreamTest {

    @Test
    void sameSeedGivesBitwiseSameStreamsAndVectorEqualsScalar() {
        for (int n : new int[] {1, 15, 16, 17, 1000, 4097}) {
            Numerics.useVectorKernels(false);
            float[] a = new float[n];
            RandomStream s = new RandomStream(99);
            s.uniforms(a, n);
            float[] a2 = new float[n];
            s.uniforms(a2, n);
            if (Numerics.vectorApiAvailable()) Numerics.useVectorKernels(true);
            float[] b = new float[n];
            RandomStream t = new RandomStream(99);
            t.uniforms(b, n);
            float[] b2 = new float[n];
            t.uniforms(b2, n);
            assertArrayEquals(a, b, "n=" + n);
            assertArrayEquals(a2, b2, "n=" + n);
            assertFalse(Arrays.equals(a, a2));
        }
    }

    @Test
    void splitStreamsDifferFromEachOtherAndAreReproducible() {
        RandomStream root = new RandomStream(1);
        float[] x = new float[64], y = new float[64], z = new float[64];
        root.split(0).uniforms(x, 64);
        root.split(1).uniforms(y, 64);
        new RandomStream(1).split(0).uniforms(z, 64);
        assertFalse(Arrays.equals(x, y));
        assertArrayEquals(x, z);
    }

    @Test
    void stateRoundTripContinuesTheSameSequence() {
        RandomStream s = new RandomStream(5);
        float[] warm = new float[33];
        s.uniforms(warm, 33);
        s.nextLong();
        RandomStream r = RandomStream.fromState(s.state());
        float[] a = new float[100], b = new float[100];
        s.uniforms(a, 100);
        r.uniforms(b, 100);
        assertArrayEquals(a, b);
        assertEquals(s.nextLong(), r.nextLong());
    }

    @Test
    void uniformsPassKolmogorovSmirnov() {
        int n = 100_000;
        float[] u = new float[n];
        new RandomStream(2024).uniforms(u, n);
        Arrays.sort(u);
        double d = 0;
        for (int i = 0; i < n; i++) d = Math.max(d, Math.max(Math.abs((i + 1.0) / n - u[i]), Math.abs(u[i] - (double) i / n)));
        // critical value at alpha = 0.001: 1.95 / sqrt(n)
        assertTrue(d < 1.95 / Math.sqrt(n), "KS distance " + d);
        assertTrue(u[0] >= 0f && u[n - 1] < 1f);
    }

    @Test
    void bernoulliFrequenciesMatchProbabilities() {
        int rows = 2000, cols = 7;
        float[] ps = {0f, 0.01f, 0.2f, 0.5f, 0.77f, 0.99f, 1f};
        Matrix p = Matrix.zeros(rows, cols);
        for (int i = 0; i < rows; i++) p.setRow(i, ps);
        Matrix s = Matrix.zeros(rows, cols);
        new RandomStream(8).bernoulli(p, s);
        for (int j = 0; j < cols; j++) {
            double count = 0;
            for (int i = 0; i < rows; i++) {
                float v = s.get(i, j);
                assertTrue(v == 0f || v == 1f);
                count += v;
            }
            double mean = count / rows;
            double sd = Math.sqrt(ps[j] * (1 - ps[j]) / rows);
            assertEquals(ps[j], mean, 4 * sd + 1e-12, "column " + j);
        }
    }

    @Test
    void fusedSigmoidBernoulliEqualsSigmoidThenBernoulli() {
        Matrix x = ElementwiseTest.random(50, 37, 3f, 4);
        Matrix prob = Matrix.zeros(50, 37), s1 = Matrix.zeros(50, 37);
        new RandomStream(3).sigmoidBernoulli(x, prob, s1);
        Matrix p2 = Elementwise.sigmoid(x, Matrix.zeros(50, 37));
        Matrix s2 = Matrix.zeros(50, 37);
        new RandomStream(3).bernoulli(p2, s2);
        assertArrayEquals(p2.toArray(), prob.toArray());
        assertArrayEquals(s2.toArray(), s1.toArray());
    }

    @Test
    void gaussianMomentsAndTails() {
        int n = 200_000;
        Matrix z = Matrix.zeros(n / 100, 100);
        new RandomStream(77).gaussian(z);
        double s1 = 0, s2 = 0, s4 = 0;
        int beyond2 = 0;
        for (int k = 0; k < n; k++) {
            double v = z.getFlat(k);
            s1 += v; s2 += v * v; s4 += v * v * v * v;
            if (Math.abs(v) > 2) beyond2++;
        }
        double mean = s1 / n, var = s2 / n - mean * mean;
        assertEquals(0, mean, 4 / Math.sqrt(n));
        assertEquals(1, var, 4 * Math.sqrt(2.0 / n));
        assertEquals(3, s4 / n, 4 * Math.sqrt(96.0 / n));
        double p2 = 0.04550026;
        assertEquals(p2, (double) beyond2 / n, 4 * Math.sqrt(p2 * (1 - p2) / n));
        Matrix mean5 = Matrix.zeros(n / 100, 100).fill(5f), std2 = Matrix.zeros(n / 100, 100).fill(2f);
        Matrix y = Matrix.zeros(n / 100, 100);
        new RandomStream(77).gaussian(mean5, std2, y);
        assertEquals(5 + 2 * z.getFlat(12345), y.getFlat(12345), 1e-5);
    }

    /** Box-Muller keeping both outputs: Kolmogorov-Smirnov against the normal CDF for each kernel, the vector and
     *  scalar kernels bit for bit (odd sizes too), and the cos and sin halves uncorrelated. */
    @Test
    void gaussianIsNormalAndEqualAcrossKernels() {
        int n = 100_001;
        Matrix[] z = new Matrix[2];
        for (int t = 0; t < 2; t++) {
            Numerics.useVectorKernels(t == 0 && Numerics.vectorApiAvailable());
            z[t] = Matrix.zeros(1, n);
            new RandomStream(5).gaussian(z[t]);
            double[] v = new double[n];
            for (int k = 0; k < n; k++) v[k] = z[t].getFlat(k);
            Arrays.sort(v);
            double d = 0;
            for (int k = 0; k < n; k++) {
                double cdf = 0.5 * (1 + erf(v[k] / Math.sqrt(2)));
                d = Math.max(d, Math.max(Math.abs(cdf - (double) k / n), Math.abs(cdf - (double) (k + 1) / n)));
            }
            assertTrue(d * Math.sqrt(n) < 1.95, "KS statistic " + d * Math.sqrt(n) + " (p = 0.001 at 1.95)");
        }
        Numerics.useVectorKernels(Numerics.vectorApiAvailable());
        for (int k = 0; k < n; k++) assertEquals(Float.floatToRawIntBits(z[0].getFlat(k)), Float.floatToRawIntBits(z[1].getFlat(k)));
        // each chunk puts r cos in its first half and r sin in its second: their correlation over a chunk of 4096
        double sxy = 0, sxx = 0, syy = 0;
        for (int k = 0; k < 2048; k++) {
            double a = z[0].getFlat(k), b = z[0].getFlat(2048 + k);
            sxy += a * b; sxx += a * a; syy += b * b;
        }
        assertEquals(0, sxy / Math.sqrt(sxx * syy), 4 / Math.sqrt(2048));
    }

    /** erf to 1.2e-7 (Numerical Recipes' erfc Chebyshev fit). */
    static double erf(double x) {
        double t = 1 / (1 + 0.5 * Math.abs(x));
        double y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - y : y - 1;
    }

    @Test
    void permutationAndBoundedIntsAreUniform() {
        RandomStream r = new RandomStream(10);
        int[] counts = new int[6];
        int n = 60_000;
        for (int i = 0; i < n; i++) counts[r.nextInt(6)]++;
        double chi2 = 0;
        for (int c : counts) chi2 += (c - n / 6.0) * (c - n / 6.0) / (n / 6.0);
        assertTrue(chi2 < 20.5, "chi-square with 5 dof: " + chi2); // p = 0.001
        int[] p = r.permutation(1000);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 1000; i++) assertEquals(i, sorted[i]);
    }
}
