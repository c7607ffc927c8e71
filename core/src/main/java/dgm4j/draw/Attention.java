package dgm4j.draw;

import java.util.ArrayList;
import java.util.List;

import dgm4j.InputException;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * DRAW's read and write operations (Gregor et al. 2015, sec. 3), for images of A columns (width) and B rows (height),
 * stored row-major as rows of B A pixels.
 *
 * <p>With attention (sec. 3.2), each operation places an N x N grid of Gaussian filters on the image, its five
 * parameters a linear function of the decoder state (eq. 21):
 * <pre>
 *   (g~_X, g~_Y, log sigma^2, log delta~, log gamma) = W(h_dec)
 *   g_X = (A + 1)/2 (g~_X + 1),  g_Y = (B + 1)/2 (g~_Y + 1)                   (eqs. 22-23)
 *   delta = (max(A, B) - 1)/(N - 1) delta~                                    (eq. 24)
 *   F_X (N x A), F_Y (N x B): normalised Gaussians at mu_i = g + (i - N/2 - 0.5) delta   (eqs. 19-20, 25-26)
 *   read(x, x^, h_dec) = gamma [F_Y x F_X^T, F_Y x^ F_X^T]                     (eq. 27: two N x N glimpses)
 *   w_t = W(h_dec)  (an N x N patch);  write(h_dec) = (1/gamma^) F^_Y^T w_t F^_X   (eqs. 28-29)
 * </pre>
 * Without attention (sec. 3.1): read(x, x^, h_dec) = [x, x^] and write(h_dec) = W(h_dec), the whole image.
 *
 * <p>Parameters (weights [in, out], y = x W + b): with attention {@code read.window.*} [H_dec, 5],
 * {@code write.window.*} [H_dec, 5] and {@code write.patch.*} [H_dec, N_write^2]; without, {@code write.*} [H_dec, B A].
 */
public final class Attention {
    private final int height;
    private final int width;
    private final boolean gaussian;
    private final int readN;
    private final int writeN;
    private final int decoderSize;
    private final List<Parameter> parameters = new ArrayList<>();
    private final Parameter readWindowWeight, readWindowBias, writeWindowWeight, writeWindowBias;
    private final Parameter writeWeight, writeBias;

    private Attention(int height, int width, boolean gaussian, int readN, int writeN, int decoderSize) {
        if (height < 1 || width < 1) throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        if (decoderSize < 1) throw new IllegalArgumentException("decoder size must be positive, got " + decoderSize);
        this.height = height;
        this.width = width;
        this.gaussian = gaussian;
        this.readN = readN;
        this.writeN = writeN;
        this.decoderSize = decoderSize;
        if (gaussian) {
            requireWindow(readN, "read");
            requireWindow(writeN, "write");
            readWindowWeight = add("read.window.weight", decoderSize, 5);
            readWindowBias = add("read.window.bias", 1, 5);
            writeWindowWeight = add("write.window.weight", decoderSize, 5);
            writeWindowBias = add("write.window.bias", 1, 5);
            writeWeight = add("write.patch.weight", decoderSize, writeN * writeN);
            writeBias = add("write.patch.bias", 1, writeN * writeN);
        } else {
            readWindowWeight = readWindowBias = writeWindowWeight = writeWindowBias = null;
            writeWeight = add("write.weight", decoderSize, height * width);
            writeBias = add("write.bias", 1, height * width);
        }
    }

    /** Gaussian attention with N x N read and write grids (parameters zero until initialised or read from a file). */
    public static Attention gaussian(int height, int width, int readN, int writeN, int decoderSize) {
        return new Attention(height, width, true, readN, writeN, decoderSize);
    }

    /** No attention: the whole image is read and the whole canvas written. */
    public static Attention none(int height, int width, int decoderSize) {
        return new Attention(height, width, false, 0, 0, decoderSize);
    }

    private void requireWindow(int n, String what) {
        if (n < 1) throw new InputException("the " + what + " window must be at least 1 x 1, got " + n + " x " + n);
        if (n > width || n > height) {
            throw new InputException("the " + what + " window " + n + " x " + n + " is larger than the " + height + " x " + width
                    + " image: at most " + Math.min(width, height) + " x " + Math.min(width, height));
        }
    }

    private Parameter add(String name, int rows, int cols) {
        Parameter p = new Parameter(name, Matrix.zeros(rows, cols));
        parameters.add(p);
        return p;
    }

    public boolean isGaussian() { return gaussian; }

    /** N of the read grid (0 without attention). */
    public int readN() { return readN; }

    /** N of the write grid (0 without attention). */
    public int writeN() { return writeN; }

    public int height() { return height; }

    public int width() { return width; }

    /** Width of what {@link #read} returns: 2 N^2 with attention, 2 B A without. */
    public int readSize() { return gaussian ? 2 * readN * readN : 2 * height * width; }

    public List<Parameter> parameters() { return parameters; }

    /**
     * Glorot-uniform weights and zero biases, except log sigma^2's: at first every grid is centred and spans the image
     * (delta~ = 1, so delta = (max(A, B) - 1)/(N - 1)), gamma = 1, and sigma is half the stride, so that the N x N
     * filters tile the image rather than sample N^2 single pixels (with sigma = 1 a 2 x 2 read grid would see only the
     * four corners, blank in MNIST, and the encoder nothing). The paper does not say how it initialised; this is ours.
     */
    void initializeParameters(RandomStream random) {
        Parameter.initializeGlorot(parameters, random);
        if (gaussian) {
            readWindowBias.value().set(0, 2, (float) (2 * Math.log(0.5 * spread(readN))));
            writeWindowBias.value().set(0, 2, (float) (2 * Math.log(0.5 * spread(writeN))));
        }
    }

    /** (max(A, B) - 1)/(N - 1) of eq. 24: the stride when delta~ = 1 (and, for one filter, the image's extent). */
    private float spread(int n) {
        return n > 1 ? (Math.max(width, height) - 1) / (float) (n - 1) : Math.max(width, height) - 1;
    }

    /**
     * One attention window recorded from the decoder state: the grid centre (g_X, g_Y), stride delta, log sigma^2 and
     * log gamma (each rows x 1), and the filterbanks F_X (rows x N A) and F_Y (rows x N B), each row an example's N x A
     * or N x B matrix.
     */
    public record Window(Node centreX, Node centreY, Node stride, Node logVariance, Node logGamma, Node filtersX, Node filtersY, int n) {}

    private Window window(Graph g, Node hDec, Parameter weight, Parameter bias, int n) {
        Node p = g.affine(hDec, g.parameter(weight), g.parameter(bias));             // eq. 21
        float halfA = (width + 1) / 2f, halfB = (height + 1) / 2f;
        Node gX = g.addScalar(g.scale(g.sliceColumns(p, 0, 1), halfA), halfA);        // eq. 22
        Node gY = g.addScalar(g.scale(g.sliceColumns(p, 1, 2), halfB), halfB);        // eq. 23
        Node logVariance = g.sliceColumns(p, 2, 3);
        Node delta = g.scale(g.exp(g.sliceColumns(p, 3, 4)), spread(n));              // eq. 24 (one filter: delta unused)
        Node logGamma = g.sliceColumns(p, 4, 5);
        Node fX = g.gaussianFilterbank(gX, logVariance, delta, n, width);             // eqs. 19, 25
        Node fY = g.gaussianFilterbank(gY, logVariance, delta, n, height);            // eqs. 20, 26
        return new Window(gX, gY, delta, logVariance, logGamma, fX, fY, n);
    }

    /** The read window at the decoder state (attention only). */
    public Window readWindow(Graph g, Node hDec) {
        requireGaussian();
        return window(g, hDec, readWindowWeight, readWindowBias, readN);
    }

    /** The write window at the decoder state (attention only). */
    public Window writeWindow(Graph g, Node hDec) {
        requireGaussian();
        return window(g, hDec, writeWindowWeight, writeWindowBias, writeN);
    }

    private void requireGaussian() {
        if (!gaussian) throw new IllegalStateException("no attention: there is no window");
    }

    /** read(x, x^, h_dec_{t-1}): rows x {@link #readSize()}. */
    public Node read(Graph g, Node x, Node xHat, Node hDecPrevious) {
        if (!gaussian) return g.concatColumns(x, xHat);                               // sec. 3.1
        Window w = readWindow(g, hDecPrevious);
        Node glimpses = g.concatColumns(glimpse(g, x, w), glimpse(g, xHat, w));
        return g.scaleRows(glimpses, g.exp(w.logGamma()));                            // eq. 27
    }

    /** F_Y x F_X^T for each example: N x B times B x A times A x N. */
    private Node glimpse(Graph g, Node image, Window w) {
        Node rows = g.batchedMatmul(w.filtersY(), w.n(), false, image, height, false);  // F_Y x: N x A
        return g.batchedMatmul(rows, w.n(), false, w.filtersX(), w.n(), true);          // (F_Y x) F_X^T: N x N
    }

    /** write(h_dec_t): the canvas increment, rows x B A. */
    public Node write(Graph g, Node hDec) {
        Node patch = g.affine(hDec, g.parameter(writeWeight), g.parameter(writeBias));   // eq. 28 (or the whole canvas)
        if (!gaussian) return patch;
        Window w = writeWindow(g, hDec);
        Node columns = g.batchedMatmul(w.filtersY(), w.n(), true, patch, w.n(), false);  // F_Y^T w: B x N
        Node canvas = g.batchedMatmul(columns, height, false, w.filtersX(), w.n(), false); // (F_Y^T w) F_X: B x A
        return g.scaleRows(canvas, g.exp(g.scale(w.logGamma(), -1f)));                    // eq. 29: 1 / gamma
    }

    /** The decoder size the linear maps read. */
    public int decoderSize() { return decoderSize; }
}
