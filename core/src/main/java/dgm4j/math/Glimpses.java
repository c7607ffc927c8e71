package dgm4j.math;

/**
 * The glimpse sensor's retina (Mnih et al. 2014, sec. 3.1; Ba et al. 2015): square patches of an image around a
 * location, each downsampled to g x g by area sampling. An image of height H and width W is piecewise constant, pixel
 * (i, j) covering [j, j + 1) x [i, i + 1); a patch of side S centred at (x, y) covers [x - S/2, x + S/2) x
 * [y - S/2, y + S/2), cut into g x g cells of side S/g, and each output is the mean of the image over its cell (outside
 * the image counts as 0). The sum is separable: with w_v(j) the overlap of pixel column j with cell column v, over S/g,
 * <pre>
 *   patch[u, v] = sum_i sum_j w_u(i) w_v(j) X[i, j]
 * </pre>
 * so a patch costs about (S + g) (S/g + 1) g operations, not H W. Locations l in [-1, 1]^2 (clamped) map to pixel
 * coordinates x = (l_1 + 1) W / 2, y = (l_2 + 1) H / 2: (0, 0) is the image centre, (-1, -1) its top-left corner.
 * Not differentiable in the location (it is a sampled action); arithmetic in double, results in float.
 */
public final class Glimpses {
    private final int height, width, g;
    private Axis xs, ys;
    private final double[] t;
    private final float[] image, patchRow;

    /**
     * A sensor for H x W images and g x g outputs; its scratch (sized for patches up to {@code maxSide} pixels, grown
     * if a larger one is asked for) is allocated once, so reading allocates nothing. Not thread-safe.
     */
    public Glimpses(int height, int width, int g, double maxSide) {
        if (height < 1 || width < 1) throw new IllegalArgumentException("images must be at least 1x1, got " + height + "x" + width);
        if (g < 1) throw new IllegalArgumentException("patches must be at least 1x1, got " + g);
        this.height = height;
        this.width = width;
        this.g = g;
        this.t = new double[width];
        this.image = new float[height * width];
        this.patchRow = new float[g * g];
        grow(maxSide);
    }

    private void grow(double side) {
        int count = (int) Math.ceil(side / g) + 2;
        if (xs == null || xs.w[0].length < count) {
            xs = new Axis(g, count);
            ys = new Axis(g, count);
        }
    }

    /** Column (or row) weights of one axis: for cell v, pixels [first[v], first[v] + count[v]) with weights w[v][..]. */
    private static final class Axis {
        final int[] first, count;
        final double[][] w;

        Axis(int g, int maxCount) {
            first = new int[g];
            count = new int[g];
            w = new double[g][maxCount];
        }

        /** Cells of side {@code cell} starting at {@code start}, over pixels [0, size). */
        void set(double start, double cell, int size) {
            for (int v = 0; v < first.length; v++) {
                double a = start + v * cell, b = a + cell;
                int lo = Math.max(0, (int) Math.floor(a)), hi = Math.min(size, (int) Math.ceil(b));
                first[v] = lo;
                count[v] = Math.max(0, hi - lo);
                for (int j = lo; j < hi; j++) w[v][j - lo] = (Math.min(b, j + 1) - Math.max(a, j)) / cell;
            }
        }
    }

    /**
     * Row {@code row} of {@code images} (H x W images, row-major) seen through a g x g patch of side {@code side}
     * pixels centred at pixel coordinates ({@code centreX}, {@code centreY}), written to out[offset, offset + g g).
     */
    public void patch(Matrix images, int row, double centreX, double centreY, double side, float[] out, int offset) {
        check(images);
        if (!(side > 0)) throw new IllegalArgumentException("patch side must be positive, got " + side);
        images.floats.get(images.offset + row * images.cols(), image, 0, image.length);
        grow(side);
        patch(centreX, centreY, side, out, offset);
    }

    /** The patch of the image in {@link #image}. */
    private void patch(double centreX, double centreY, double side, float[] out, int offset) {
        double cell = side / g;
        xs.set(centreX - side / 2, cell, width);
        ys.set(centreY - side / 2, cell, height);
        int from = width, to = 0;                          // the pixel columns any cell touches
        for (int v = 0; v < g; v++) {
            if (xs.count[v] == 0) continue;
            from = Math.min(from, xs.first[v]);
            to = Math.max(to, xs.first[v] + xs.count[v]);
        }
        for (int u = 0; u < g; u++) {
            for (int j = from; j < to; j++) t[j] = 0;
            for (int a = 0; a < ys.count[u]; a++) {        // t = sum_i w_u(i) X[i, :]
                double wy = ys.w[u][a];
                int base = (ys.first[u] + a) * width;
                for (int j = from; j < to; j++) t[j] += wy * image[base + j];
            }
            for (int v = 0; v < g; v++) {                  // patch[u, v] = sum_j w_v(j) t[j]
                double s = 0;
                for (int b = 0; b < xs.count[v]; b++) s += xs.w[v][b] * t[xs.first[v] + b];
                out[offset + u * g + v] = (float) s;
            }
        }
    }

    /**
     * The retina for every row r of {@code out} (R x k g g): k patches centred at location (locations[r, 0],
     * locations[r, 1]) in [-1, 1]^2 (clamped), patch i of side g 2^(i + s_r) pixels, s_r = scales[r] (null: 0), each
     * downsampled to g x g, concatenated in order i = 0..k-1. Images may have fewer rows than out (a divisor of R):
     * row r then reads image r / (R / images.rows()), as when M samples of each example are taken side by side.
     */
    public void retina(Matrix images, Matrix locations, int[] scales, int k, Matrix out) {
        check(images);
        int rows = out.rows(), size = g * g;
        if (k < 1) throw new IllegalArgumentException("the retina needs at least one patch, got " + k);
        if (out.cols() != k * size) throw new IllegalArgumentException("retina: output " + out.shape() + " for " + k + " patches of " + g + "x" + g);
        if (locations.rows() != rows || locations.cols() != 2) throw new IllegalArgumentException("retina: locations " + locations.shape() + " for " + rows + " rows");
        if (rows % images.rows() != 0) throw new IllegalArgumentException("retina: " + images.rows() + " images for " + rows + " rows");
        if (scales != null && scales.length != rows) throw new IllegalArgumentException("retina: " + scales.length + " scales for " + rows + " rows");
        int perImage = rows / images.rows(), loaded = -1;
        for (int r = 0; r < rows; r++) {
            int source = r / perImage;
            if (source != loaded) {
                images.floats.get(images.offset + source * images.cols(), image, 0, image.length);
                loaded = source;
            }
            double x = pixel(locations.get(r, 0), width), y = pixel(locations.get(r, 1), height);
            int s = scales == null ? 0 : scales[r];
            if (s < 0) throw new IllegalArgumentException("retina: scale " + s + " at row " + r);
            for (int i = 0; i < k; i++) {
                double side = (double) g * (1 << (i + s));
                grow(side);
                patch(x, y, side, patchRow, 0);
                out.floats.put(out.offset + r * out.cols() + i * size, patchRow, 0, size);
            }
        }
    }

    /** The pixel coordinate of location l in [-1, 1] (clamped) along an axis of {@code size} pixels. */
    public static double pixel(double l, int size) {
        return (Math.max(-1, Math.min(1, l)) + 1) * size / 2;
    }

    private void check(Matrix images) {
        if (images.cols() != height * width) {
            throw new IllegalArgumentException("images " + images.shape() + " are not " + height + "x" + width);
        }
    }
}
