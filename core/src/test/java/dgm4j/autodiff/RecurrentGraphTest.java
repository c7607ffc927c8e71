package dgm4j.autodiff;

import static dgm4j.autodiff.GraphTest.filled;
import static dgm4j.autodiff.GraphTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * The recurrent and attention operations of the tape (LSTM cell, n-ary concatenation, per-row scales, row-by-row
 * products, Gaussian filterbanks, the closed-form KL) against formulas computed in double, and their gradients against
 * central finite differences: each check runs at two step sizes (1e-2 and 3e-3), so that a lucky agreement at one of
 * them does not pass; then an LSTM unrolled over several steps, checked end to end (backpropagation through time).
 */
class RecurrentGraphTest {
    private static final double[] STEPS = {1e-2, 3e-3};

    /** Loss = sum(R * out) for a fixed random R; every node in wrt checked at both step sizes. */
    static void assertGradients(Graph g, Node out, Node... wrt) {
        Node r = g.constant(random(out.rows(), out.cols(), 1f, 0f));
        assertLossGradients(g, g.sum(g.multiply(out, r)), wrt);
    }

    static void assertLossGradients(Graph g, Node loss, Node... wrt) {
        for (double eps : STEPS) {
            GradientCheck.Result result = GradientCheck.check(g, loss, List.of(wrt), eps, 2e-3, 2e-2, 200, 7);
            assertTrue(result.passed(), "eps " + eps + ": " + result);
            assertTrue(result.checked() > 0);
        }
    }

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    @Test
    void lstmCellMatchesItsFormulaAndItsGradients() {
        int rows = 3, n = 5;
        Graph g = new Graph();
        Node gates = filled(g, random(rows, 4 * n, 1.5f, 0f)), cPrev = filled(g, random(rows, n, 1f, 0f));
        Lstm.State s = g.lstmCell(gates, cPrev);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                double in = sigmoid(gates.value().get(i, j)), f = sigmoid(gates.value().get(i, n + j));
                double o = sigmoid(gates.value().get(i, 2 * n + j)), gg = Math.tanh(gates.value().get(i, 3 * n + j));
                double c = f * cPrev.value().get(i, j) + in * gg;
                assertEquals(c, s.c().value().get(i, j), 1e-5);
                assertEquals(o * Math.tanh(c), s.h().value().get(i, j), 1e-5);
            }
        }
        assertGradients(g, s.h(), gates, cPrev);                         // only h used
        g = new Graph();
        gates = filled(g, random(rows, 4 * n, 1.5f, 0f));
        cPrev = filled(g, random(rows, n, 1f, 0f));
        s = g.lstmCell(gates, cPrev);
        assertGradients(g, s.c(), gates, cPrev);                         // only c used
        g = new Graph();                                                 // both, 17 units: a vector loop and a tail
        gates = filled(g, random(2, 4 * 17, 1.5f, 0f));
        cPrev = filled(g, random(2, 17, 1f, 0f));
        s = g.lstmCell(gates, cPrev);
        assertGradients(g, g.concatColumns(s.h(), g.tanh(s.c())), gates, cPrev);
    }

    @Test
    void anLstmUnrolledOverSeveralStepsHasTheGradientsOfBackpropagationThroughTime() {
        int rows = 2, inputs = 3, hidden = 4, steps = 4;
        Lstm lstm = new Lstm("cell", inputs + 2, hidden);
        lstm.initializeParameters(new RandomStream(5));
        Graph g = new Graph();
        Parameter h0 = new Parameter("h0", random(1, hidden, 0.5f, 0f));
        Lstm.State state = new Lstm.State(g.repeatRows(g.parameter(h0), rows), g.constant(Matrix.zeros(rows, hidden)));
        List<Node> xs = new ArrayList<>();
        Node extra = filled(g, random(rows, 2, 1f, 0f));                 // one input read at every step
        Node loss = null;
        for (int t = 0; t < steps; t++) {
            Node x = filled(g, random(rows, inputs, 1f, 0f));
            xs.add(x);
            state = lstm.step(g, state, x, extra);
            Node term = g.sum(g.multiply(state.h(), g.constant(random(rows, hidden, 1f, 0f))));
            loss = loss == null ? term : g.add(loss, term);
        }
        loss = g.add(loss, g.sum(g.multiply(state.c(), g.constant(random(rows, hidden, 1f, 0f)))));
        List<Node> wrt = new ArrayList<>(List.of(g.parameter(lstm.parameters().get(0)), g.parameter(lstm.parameters().get(1)),
                g.parameter(h0), extra));
        wrt.addAll(xs);
        assertLossGradients(g, loss, wrt.toArray(new Node[0]));
        // the first input reaches the loss only through the recurrence: its gradient is not zero
        double norm = 0;
        for (int k = 0; k < xs.get(0).gradient().size(); k++) norm += Math.abs(xs.get(0).gradient().getFlat(k));
        assertTrue(norm > 1e-3, "d loss / d x_1 = " + norm);
    }

    @Test
    void lstmStepRefusesInputsOfAnotherWidth() {
        Lstm lstm = new Lstm("cell", 3, 2);
        Graph g = new Graph();
        Lstm.State s = lstm.zeroState(g, 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> lstm.step(g, s, g.input(2, 4))).getMessage().contains("3 input"));
        assertThrows(IllegalArgumentException.class, () -> g.lstmCell(g.input(2, 7), s.c()));
    }

    @Test
    void concatenationOfManyPartsAndPerRowScales() {
        Graph g = new Graph();
        Node a = filled(g, random(3, 2, 1f, 0f)), b = filled(g, random(3, 4, 1f, 0f)), c = filled(g, random(3, 1, 1f, 0f));
        Node abc = g.concatColumns(a, b, c);
        assertEquals("3x7", abc.shape());
        assertEquals(b.value().get(1, 3), abc.value().get(1, 5));
        assertEquals(c.value().get(2, 0), abc.value().get(2, 6));
        assertGradients(g, g.concatColumns(abc, a, g.tanh(a)), a, b, c);   // a used three times
        g = new Graph();
        Node x = filled(g, random(4, 5, 1f, 0f)), s = filled(g, random(4, 1, 1f, 0.5f));
        Node y = g.scaleRows(x, s);
        assertEquals(x.value().get(2, 3) * s.value().get(2, 0), y.value().get(2, 3), 1e-6);
        assertGradients(g, y, x, s);
    }

    @Test
    void rowByRowProductsInAllFourTransposeCases() {
        int rows = 3, m = 2, k = 4, n = 3;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Graph g = new Graph();
                Node a = filled(g, random(rows, m * k, 1f, 0f)), b = filled(g, random(rows, k * n, 1f, 0f));
                int aRows = ta ? k : m, bRows = tb ? n : k;
                Node c = g.batchedMatmul(a, aRows, ta, b, bRows, tb);
                assertEquals(rows + "x" + (m * n), c.shape());
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double e = 0;
                            for (int p = 0; p < k; p++) {
                                double av = ta ? a.value().get(r, p * m + i) : a.value().get(r, i * k + p);
                                double bv = tb ? b.value().get(r, j * k + p) : b.value().get(r, p * n + j);
                                e += av * bv;
                            }
                            assertEquals(e, c.value().get(r, i * n + j), 1e-5);
                        }
                    }
                }
                assertGradients(g, c, a, b);
            }
        }
        Graph g = new Graph();
        assertThrows(IllegalArgumentException.class, () -> g.batchedMatmul(g.input(2, 6), 2, false, g.input(2, 6), 2, false));
    }

    @Test
    void gaussianFilterbanksAreNormalisedGaussiansWithCheckedGradients() {
        int rows = 3, n = 3, size = 7;
        Graph g = new Graph();
        Node centre = filled(g, Matrix.of(rows, 1, 4f, 2.5f, 6.2f));
        Node logVariance = filled(g, Matrix.of(rows, 1, 0f, 0.7f, -0.5f));
        Node stride = filled(g, Matrix.of(rows, 1, 1.5f, 0.8f, 2.2f));
        Node f = g.gaussianFilterbank(centre, logVariance, stride, n, size);
        for (int r = 0; r < rows; r++) {
            double variance = Math.exp(logVariance.value().get(r, 0));
            for (int i = 1; i <= n; i++) {                               // the paper's 1-based i and a
                double mu = centre.value().get(r, 0) + (i - n / 2.0 - 0.5) * stride.value().get(r, 0), z = 0;
                for (int a = 1; a <= size; a++) z += Math.exp(-(a - mu) * (a - mu) / (2 * variance));
                double sum = 0;
                for (int a = 1; a <= size; a++) {
                    double expected = Math.exp(-(a - mu) * (a - mu) / (2 * variance)) / z;
                    float got = f.value().get(r, (i - 1) * size + a - 1);
                    assertEquals(expected, got, 1e-6);
                    sum += got;
                }
                assertEquals(1.0, sum, 1e-5);
            }
        }
        assertGradients(g, f, centre, logVariance, stride);
        // a grid centred outside the image, narrower than a pixel: weight on the nearest pixel, no NaN
        Graph far = new Graph();
        Node fb = far.gaussianFilterbank(filled(far, Matrix.of(1, 1, 400f)), filled(far, Matrix.of(1, 1, -20f)),
                filled(far, Matrix.of(1, 1, 1f)), 2, 5);
        assertEquals(1f, fb.value().get(0, 4));
        assertEquals(1f, fb.value().get(0, 9));
        assertTrue(!fb.value().hasNonFinite());
    }

    @Test
    void closedFormKlToTheStandardNormal() {
        Graph g = new Graph();
        Node mu = filled(g, random(4, 3, 1f, 0f)), logSigma = filled(g, random(4, 3, 0.5f, 0f));
        Node kl = g.gaussianKlToStandard(mu, logSigma);
        for (int i = 0; i < 4; i++) {
            double e = 0;
            for (int j = 0; j < 3; j++) {
                double m = mu.value().get(i, j), s = Math.exp(logSigma.value().get(i, j));
                e += 0.5 * (m * m + s * s - 2 * Math.log(s) - 1);
            }
            assertEquals(e, kl.value().get(i, 0), 1e-5);
        }
        assertGradients(g, kl, mu, logSigma);
    }
}
