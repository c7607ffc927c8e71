package dgm4j.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.autodiff.GradientCheck;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * DRAW's read and write (Gregor et al. 2015, eqs. 19-29) on a small non-square image (5 rows x 6 columns, so that a
 * swapped axis shows): values against the equations evaluated in double, gradients against central differences at two
 * step sizes; the no-attention variant; refusals.
 */
class AttentionTest {
    static final int HEIGHT = 5, WIDTH = 6, DECODER = 4, ROWS = 2;

    static Matrix random(int rows, int cols, float scale, long seed) {
        Matrix m = Matrix.zeros(rows, cols);
        new RandomStream(seed).gaussian(m);
        for (int k = 0; k < m.size(); k++) m.setFlat(k, scale * m.getFlat(k));
        return m;
    }

    static Node filled(Graph g, Matrix m) {
        Node n = g.differentiableInput(m.rows(), m.cols());
        n.value().copyFrom(m);
        return n;
    }

    static void assertGradients(Graph g, Node out, List<Node> wrt) {
        Node loss = g.sum(g.multiply(out, g.constant(random(out.rows(), out.cols(), 1f, 99))));
        for (double eps : new double[] {1e-2, 3e-3}) {
            GradientCheck.Result r = GradientCheck.check(g, loss, wrt, eps, 2e-3, 2e-2, 120, 3);
            assertTrue(r.passed(), "eps " + eps + ": " + r);
        }
    }

    private static Attention attention(int readN, int writeN) {
        Attention a = Attention.gaussian(HEIGHT, WIDTH, readN, writeN, DECODER);
        a.initializeParameters(new RandomStream(4));
        for (Parameter p : a.parameters()) {   // biases away from zero, so that windows sit off-centre
            if (p.name().endsWith(".bias")) {
                Matrix b = random(1, p.value().cols(), 0.3f, p.name().hashCode());
                p.value().copyFrom(b);
            }
        }
        return a;
    }

    /** The filterbank of eqs. 19-26 in double: row i (1..N) over pixels a (1..size). */
    private static double[][] filters(double[] p, int n, int size, int axis, int height, int width) {
        double half = (size + 1) / 2.0;
        double centre = half * (p[axis] + 1), variance = Math.exp(p[2]);
        double delta = (Math.max(width, height) - 1) / (double) Math.max(1, n - 1) * Math.exp(p[3]);
        double[][] f = new double[n][size];
        for (int i = 1; i <= n; i++) {
            double mu = centre + (i - n / 2.0 - 0.5) * delta, z = 0;
            for (int a = 1; a <= size; a++) z += Math.exp(-(a - mu) * (a - mu) / (2 * variance));
            for (int a = 1; a <= size; a++) f[i - 1][a - 1] = Math.exp(-(a - mu) * (a - mu) / (2 * variance)) / z;
        }
        return f;
    }

    private static double[] window(Matrix hDec, int r, Parameter w, Parameter b) {
        double[] p = new double[5];
        for (int j = 0; j < 5; j++) {
            p[j] = b.value().get(0, j);
            for (int k = 0; k < hDec.cols(); k++) p[j] += hDec.get(r, k) * w.value().get(k, j);
        }
        return p;
    }

    private static Parameter named(Attention a, String name) {
        return a.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void readIsTheGammaScaledGlimpseOfImageAndErrorImage() {
        int n = 3;
        Attention a = attention(n, 2);
        Graph g = new Graph();
        Node x = filled(g, random(ROWS, HEIGHT * WIDTH, 1f, 1)), xHat = filled(g, random(ROWS, HEIGHT * WIDTH, 1f, 2));
        Node hDec = filled(g, random(ROWS, DECODER, 1f, 3));
        Node read = a.read(g, x, xHat, hDec);
        assertEquals(ROWS + "x" + (2 * n * n), read.shape());
        for (int r = 0; r < ROWS; r++) {
            double[] p = window(hDec.value(), r, named(a, "read.window.weight"), named(a, "read.window.bias"));
            double[][] fx = filters(p, n, WIDTH, 0, HEIGHT, WIDTH), fy = filters(p, n, HEIGHT, 1, HEIGHT, WIDTH);
            double gamma = Math.exp(p[4]);
            Matrix[] images = {x.value(), xHat.value()};
            for (int m = 0; m < 2; m++) {
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < n; i++) {
                        double e = 0;                                         // gamma sum_b sum_a F_Y[j, b] x[b, a] F_X[i, a]
                        for (int b = 0; b < HEIGHT; b++) {
                            for (int c = 0; c < WIDTH; c++) e += fy[j][b] * images[m].get(r, b * WIDTH + c) * fx[i][c];
                        }
                        assertEquals(gamma * e, read.value().get(r, m * n * n + j * n + i), 1e-4);
                    }
                }
            }
        }
        List<Node> wrt = new ArrayList<>(List.of(xHat, hDec));
        for (Parameter p : a.parameters()) if (p.name().startsWith("read.")) wrt.add(g.parameter(p));
        assertGradients(g, read, wrt);
    }

    @Test
    void writeIsThePatchThroughTheTransposedFilterbanksOverGamma() {
        int n = 3;
        Attention a = attention(2, n);
        Graph g = new Graph();
        Node hDec = filled(g, random(ROWS, DECODER, 1f, 5));
        Node write = a.write(g, hDec);
        assertEquals(ROWS + "x" + (HEIGHT * WIDTH), write.shape());
        Parameter pw = named(a, "write.patch.weight"), pb = named(a, "write.patch.bias");
        for (int r = 0; r < ROWS; r++) {
            double[] p = window(hDec.value(), r, named(a, "write.window.weight"), named(a, "write.window.bias"));
            double[][] fx = filters(p, n, WIDTH, 0, HEIGHT, WIDTH), fy = filters(p, n, HEIGHT, 1, HEIGHT, WIDTH);
            double[] w = new double[n * n];
            for (int j = 0; j < n * n; j++) {
                w[j] = pb.value().get(0, j);
                for (int k = 0; k < DECODER; k++) w[j] += hDec.value().get(r, k) * pw.value().get(k, j);
            }
            for (int b = 0; b < HEIGHT; b++) {
                for (int c = 0; c < WIDTH; c++) {
                    double e = 0;                                             // (1/gamma) sum_j sum_i F_Y[j, b] w[j, i] F_X[i, a]
                    for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) e += fy[j][b] * w[j * n + i] * fx[i][c];
                    assertEquals(e / Math.exp(p[4]), write.value().get(r, b * WIDTH + c), 1e-4);
                }
            }
        }
        List<Node> wrt = new ArrayList<>(List.of(hDec));
        for (Parameter p : a.parameters()) if (p.name().startsWith("write.")) wrt.add(g.parameter(p));
        assertGradients(g, write, wrt);
    }

    @Test
    void withoutAttentionTheWholeImageIsReadAndTheWholeCanvasWritten() {
        Attention a = Attention.none(HEIGHT, WIDTH, DECODER);
        a.initializeParameters(new RandomStream(6));
        assertEquals(2 * HEIGHT * WIDTH, a.readSize());
        Graph g = new Graph();
        Node x = filled(g, random(ROWS, HEIGHT * WIDTH, 1f, 1)), xHat = filled(g, random(ROWS, HEIGHT * WIDTH, 1f, 2));
        Node hDec = filled(g, random(ROWS, DECODER, 1f, 3));
        Node read = a.read(g, x, xHat, hDec);
        assertEquals(x.value().get(1, 7), read.value().get(1, 7));
        assertEquals(xHat.value().get(1, 7), read.value().get(1, HEIGHT * WIDTH + 7));
        Node write = a.write(g, hDec);
        assertEquals(ROWS + "x" + (HEIGHT * WIDTH), write.shape());
        List<Node> wrt = new ArrayList<>(List.of(x, xHat, hDec));
        for (Parameter p : a.parameters()) wrt.add(g.parameter(p));
        assertGradients(g, g.concatColumns(read, write), wrt);
        assertEquals(List.of("write.weight", "write.bias"), a.parameters().stream().map(Parameter::name).toList());
    }

    @Test
    void aWindowLargerThanTheImageIsRefused() {
        InputException e = assertThrows(InputException.class, () -> Attention.gaussian(5, 6, 6, 2, 4));
        assertTrue(e.getMessage().contains("6 x 6") && e.getMessage().contains("5 x 6"), e.getMessage());
        assertThrows(InputException.class, () -> Attention.gaussian(5, 6, 2, 0, 4));
        Attention one = Attention.gaussian(5, 6, 1, 1, 4);                 // N = 1: one filter at the centre
        one.initializeParameters(new RandomStream(1));
        Graph g = new Graph();
        Node out = one.read(g, filled(g, random(1, 30, 1f, 1)), filled(g, random(1, 30, 1f, 2)), filled(g, random(1, 4, 1f, 3)));
        assertTrue(!out.value().hasNonFinite());
    }
}
