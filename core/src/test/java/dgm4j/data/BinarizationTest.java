package dgm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/** Binarization on the MNIST fixture: exactness of THRESHOLD, reproducibility and statistics of FIXED and DYNAMIC. */
class BinarizationTest {
    private final Dataset mnist = Fixtures.mnist300();
    private final float[] x = mnist.features().toArray();

    private static double mean(float[] v) {
        double s = 0;
        for (float f : v) s += f;
        return s / v.length;
    }

    private static void assertBinary(float[] v) {
        for (float f : v) assertTrue(f == 0f || f == 1f, "not binary: " + f);
    }

    @Test
    void thresholdIsExact() {
        float[] b = Binarization.threshold(0.5f).apply(mnist).features().toArray();
        for (int k = 0; k < x.length; k++) assertEquals(x[k] > 0.5f ? 1f : 0f, b[k]);
        assertArrayEquals(mnist.labels(), Binarization.threshold(0.5f).apply(mnist).labels());
    }

    @Test
    void fixedIsReproducibleAndUnbiased() {
        float[] a = Binarization.fixed(7).apply(mnist).features().toArray();
        float[] a2 = Binarization.fixed(7).apply(mnist).features().toArray();
        float[] b = Binarization.fixed(8).apply(mnist).features().toArray();
        assertBinary(a);
        assertArrayEquals(a, a2, "same seed, same bits");
        assertFalse(Arrays.equals(a, b), "another seed, other bits");
        // 235,200 pixels: the standard deviation of the mean of the bits is below sqrt(0.25 / 235200) = 0.001
        assertEquals(mean(x), mean(a), 0.005);
        // pixels of intensity 0 are always 0, of intensity 1 always 1
        for (int k = 0; k < x.length; k++) {
            if (x[k] == 0f) assertEquals(0f, a[k]);
            if (x[k] == 1f) assertEquals(1f, a[k]);
        }
        // mid-grey pixels (0.4 .. 0.6) are 1 about half of the time
        double ones = 0, count = 0;
        for (int k = 0; k < x.length; k++) {
            if (x[k] > 0.4f && x[k] < 0.6f) { count++; ones += a[k]; }
        }
        assertTrue(count > 1000, "enough mid-grey pixels: " + count);
        assertEquals(0.5, ones / count, 0.05);
    }

    @Test
    void dynamicResamplesEachDrawAndAveragesToTheIntensity() {
        Dataset small = mnist.subset(0, 50);
        float[] p = small.features().toArray();
        Minibatches mb = new Minibatches(small, 50, false, false, Binarization.dynamic(), new RandomStream(11));
        int draws = 400;
        double[] avg = new double[p.length];
        float[] first = null;
        for (int t = 0; t < draws; t++) {
            assertTrue(mb.next());
            float[] bits = mb.features().toArray();
            assertBinary(bits);
            if (first == null) first = bits;
            else if (t == 1) assertFalse(Arrays.equals(first, bits), "two draws must differ");
            for (int k = 0; k < p.length; k++) avg[k] += bits[k] / (double) draws;
            assertFalse(mb.next()); // one batch per epoch
        }
        // per pixel the average has standard deviation at most 0.5 / sqrt(400) = 0.025: allow 7 sigma for the max
        double maxDev = 0, meanDev = 0;
        for (int k = 0; k < p.length; k++) {
            double dev = Math.abs(avg[k] - p[k]);
            maxDev = Math.max(maxDev, dev);
            meanDev += dev / p.length;
        }
        assertTrue(maxDev < 0.175, "max deviation " + maxDev);
        assertTrue(meanDev < 0.01, "mean deviation " + meanDev);
        // the data itself is untouched
        assertArrayEquals(p, small.features().toArray());
    }

    @Test
    void inputOutsideTheUnitIntervalIsRejected() {
        Dataset bad = new Dataset("bad", Matrix.of(2, 2, 0f, 0.5f, 1.5f, 1f), null, 0, 0, 0);
        DataException e = assertThrows(DataException.class, () -> Binarization.fixed(1).apply(bad));
        assertTrue(e.getMessage().contains("bad: binarization needs values in [0, 1], found 1.5 at example 1, feature 0"),
                e.getMessage());
        Dataset nan = new Dataset("nan", Matrix.of(1, 2, 0f, Float.NaN), null, 0, 0, 0);
        assertThrows(DataException.class, () -> Binarization.dynamic().apply(nan));
        assertThrows(DataException.class, () -> new Minibatches(nan, 1, false, Binarization.dynamic(), new RandomStream(1)));
    }

    @Test
    void parsesCommandLineForms() {
        assertEquals(Binarization.threshold(0.5f), Binarization.parse("threshold"));
        assertEquals(Binarization.threshold(0.25f), Binarization.parse("THRESHOLD:0.25"));
        assertEquals(Binarization.fixed(42), Binarization.parse("fixed:42"));
        assertSame(Binarization.dynamic(), Binarization.parse("dynamic"));
        assertSame(Binarization.none(), Binarization.parse("none"));
        assertEquals("fixed:42", Binarization.fixed(42).toString());
        assertThrows(InputException.class, () -> Binarization.parse("fixed"));
        assertThrows(InputException.class, () -> Binarization.parse("threshold:2"));
        assertThrows(InputException.class, () -> Binarization.parse("bernoulli"));
    }
}
