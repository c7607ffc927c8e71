package dgm4j.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The retina's area-sampled patches against direct computations over every pixel. */
class GlimpsesTest {
    /** The definition: the mean of the piecewise-constant image over each cell, summed over all H W pixels. */
    private static float[] direct(float[] image, int h, int w, double cx, double cy, double side, int g) {
        float[] out = new float[g * g];
        double cell = side / g, x0 = cx - side / 2, y0 = cy - side / 2;
        for (int u = 0; u < g; u++) {
            for (int v = 0; v < g; v++) {
                double s = 0;
                for (int i = 0; i < h; i++) {
                    double oy = Math.max(0, Math.min(i + 1, y0 + (u + 1) * cell) - Math.max(i, y0 + u * cell));
                    for (int j = 0; j < w; j++) {
                        double ox = Math.max(0, Math.min(j + 1, x0 + (v + 1) * cell) - Math.max(j, x0 + v * cell));
                        s += ox * oy * image[i * w + j];
                    }
                }
                out[u * g + v] = (float) (s / (cell * cell));
            }
        }
        return out;
    }

    private static Matrix randomImages(int n, int h, int w, long seed) {
        Matrix m = Matrix.zeros(n, h * w);
        new RandomStream(seed).uniforms(m);
        return m;
    }

    @Test
    void patchesEqualTheAreaMeansAtAnyCentreAndSide() {
        int h = 19, w = 23;
        Matrix images = randomImages(1, h, w, 1);
        float[] image = images.toArray();
        RandomStream r = new RandomStream(2);
        for (int trial = 0; trial < 200; trial++) {
            int g = 1 + r.nextInt(6);
            double side = 0.5 + 40 * r.nextDouble();
            double cx = -10 + (w + 20) * r.nextDouble(), cy = -10 + (h + 20) * r.nextDouble();   // partly or wholly off the image too
            float[] got = new float[g * g];
            new Glimpses(h, w, g, 1).patch(images, 0, cx, cy, side, got, 0);
            float[] want = direct(image, h, w, cx, cy, side, g);
            for (int k = 0; k < g * g; k++) assertEquals(want[k], got[k], 1e-5, "trial " + trial + " cell " + k);
        }
    }

    @Test
    void alignedPatchesAreBlockMeans() {
        int h = 8, w = 8;
        Matrix images = randomImages(1, h, w, 3);
        float[] image = images.toArray(), got = new float[4];
        new Glimpses(h, w, 2, 8).patch(images, 0, 4, 4, 8, got, 0);          // the whole image in 2 x 2 blocks of 4 x 4
        for (int u = 0; u < 2; u++) {
            for (int v = 0; v < 2; v++) {
                double s = 0;
                for (int i = 4 * u; i < 4 * u + 4; i++) for (int j = 4 * v; j < 4 * v + 4; j++) s += image[i * w + j];
                assertEquals(s / 16, got[u * 2 + v], 1e-6);
            }
        }
        float[] one = new float[9];
        new Glimpses(h, w, 3, 3).patch(images, 0, 3.5, 2.5, 3, one, 0);      // 3 x 3 pixels at full resolution
        for (int u = 0; u < 3; u++) for (int v = 0; v < 3; v++) assertEquals(image[(1 + u) * w + 2 + v], one[u * 3 + v], 1e-6);
    }

    @Test
    void retinaStacksPatchesTwiceAsWideAtTheLocationsScaleAndImage() {
        int h = 28, w = 30, g = 4, k = 3, samples = 2;
        Matrix images = randomImages(3, h, w, 4);
        Matrix locations = Matrix.of(6, 2, -1f, -1f, 0f, 0f, 0.3f, -0.7f, 1.5f, 0.2f, -0.25f, 0.9f, 0.6f, 0.6f);
        int[] scales = {0, 1, 2, 0, 1, 2};
        Matrix out = Matrix.zeros(6, k * g * g);
        new Glimpses(h, w, g, 4).retina(images, locations, scales, k, out);   // scratch grows to the 64-pixel patches
        for (int r = 0; r < 6; r++) {
            float[] image = images.rows(r / samples, r / samples + 1).toArray();
            double lx = Math.max(-1, Math.min(1, locations.get(r, 0))), ly = locations.get(r, 1);
            double cx = (lx + 1) * w / 2, cy = (ly + 1) * h / 2;
            for (int i = 0; i < k; i++) {
                float[] want = direct(image, h, w, cx, cy, g * Math.pow(2, i + scales[r]), g);
                for (int c = 0; c < g * g; c++) assertEquals(want[c], out.get(r, i * g * g + c), 1e-5, "row " + r + " patch " + i);
            }
        }
        assertEquals(0.0, Glimpses.pixel(-3, 60));
        assertEquals(30.0, Glimpses.pixel(0, 60));
        assertEquals(60.0, Glimpses.pixel(1, 60));
    }

    @Test
    void refusesShapesThatDoNotFit() {
        Matrix images = Matrix.zeros(2, 16);
        Glimpses sensor = new Glimpses(4, 4, 2, 4);
        assertThrows(IllegalArgumentException.class, () -> sensor.retina(images, Matrix.zeros(3, 2), null, 1, Matrix.zeros(3, 4)));
        assertThrows(IllegalArgumentException.class, () -> new Glimpses(4, 5, 2, 4).retina(images, Matrix.zeros(2, 2), null, 1, Matrix.zeros(2, 4)));
        assertThrows(IllegalArgumentException.class, () -> sensor.retina(images, Matrix.zeros(2, 2), null, 2, Matrix.zeros(2, 4)));
        assertThrows(IllegalArgumentException.class, () -> sensor.patch(images, 0, 2, 2, 0, new float[4], 0));
        assertThrows(IllegalArgumentException.class, () -> new Glimpses(4, 4, 0, 4));
    }
}
