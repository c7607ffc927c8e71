package dgm4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * Every operation of the tape against central finite differences: the loss is sum(R * op(...)) for a fixed random R,
 * so every output element carries a different weight.
 */
class GraphTest {
    private static final RandomStream RANDOM = new RandomStream(2024);

    static Matrix random(int rows, int cols, float scale, float shift) {
        Matrix m = Matrix.zeros(rows, cols);
        RANDOM.gaussian(m);
        for (int k = 0; k < m.size(); k++) m.setFlat(k, shift + scale * m.getFlat(k));
        return m;
    }

    static Node filled(Graph g, Matrix m) {
        Node n = g.differentiableInput(m.rows(), m.cols());
        n.value().copyFrom(m);
        return n;
    }

    /** Loss = sum(R * out) for random R; checks all listed nodes. */
    static void assertGradients(Graph g, Node out, Node... wrt) {
        Node r = g.constant(random(out.rows(), out.cols(), 1f, 0f));
        Node loss = g.sum(g.multiply(out, r));
        GradientCheck.Result result = GradientCheck.check(g, loss, List.of(wrt), 1e-2, 2e-3, 2e-2, 200, 7);
        assertTrue(result.passed(), result.toString());
        assertTrue(result.checked() > 0);
    }

    private static void unary(Function<Graph, Function<Node, Node>> op, float scale, float shift) {
        Graph g = new Graph();
        Node a = filled(g, random(5, 7, scale, shift));
        assertGradients(g, op.apply(g).apply(a), a);
    }

    private static void binary(Function<Graph, BiFunction<Node, Node, Node>> op, float shiftB) {
        Graph g = new Graph();
        Node a = filled(g, random(4, 6, 1f, 0f)), b = filled(g, random(4, 6, 0.3f, shiftB));
        assertGradients(g, op.apply(g).apply(a, b), a, b);
    }

    @Test
    void productsInAllFourTransposeCases() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Graph g = new Graph();
                Node a = filled(g, ta ? random(4, 3, 1f, 0f) : random(3, 4, 1f, 0f));
                Node b = filled(g, tb ? random(5, 4, 1f, 0f) : random(4, 5, 1f, 0f));
                Node c = g.matmul(a, ta, b, tb);
                assertEquals("3x5", c.shape());
                assertGradients(g, c, a, b);
            }
        }
    }

    @Test
    void affineLayerWithParameters() {
        Graph g = new Graph();
        Parameter w = new Parameter("w", random(6, 4, 0.5f, 0f)), b = new Parameter("b", random(1, 4, 0.5f, 0f));
        Node x = filled(g, random(3, 6, 1f, 0f));
        Node y = g.affine(x, g.parameter(w), g.parameter(b));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                double e = b.value().get(0, j);
                for (int k = 0; k < 6; k++) e += x.value().get(i, k) * w.value().get(k, j);
                assertEquals(e, y.value().get(i, j), 1e-5);
            }
        }
        assertGradients(g, y, x, g.parameter(w), g.parameter(b));
    }

    @Test
    void arithmetic() {
        binary(g -> g::add, 0f);
        binary(g -> g::subtract, 0f);
        binary(g -> g::multiply, 0f);
        binary(g -> g::divide, 2f);
        unary(g -> a -> g.scale(a, -1.7f), 1f, 0f);
        unary(g -> a -> g.addScalar(a, 0.3f), 1f, 0f);
        Graph g = new Graph();
        Node a = filled(g, random(4, 6, 1f, 0f)), v = filled(g, random(1, 6, 1f, 0f));
        assertGradients(g, g.addRow(a, v), a, v);
    }

    @Test
    void elementwiseFunctions() {
        unary(g -> g::tanh, 1.5f, 0f);
        unary(g -> g::sigmoid, 2f, 0f);
        unary(g -> g::softplus, 2f, 0f);
        unary(g -> g::exp, 1f, 0f);
        unary(g -> g::log, 0.2f, 2f);
        unary(g -> g::square, 1f, 0f);
    }

    @Test
    void rectifierAwayFromItsKink() {
        Graph g = new Graph();
        Matrix m = random(5, 7, 1f, 0f);
        for (int k = 0; k < m.size(); k++) m.setFlat(k, m.getFlat(k) + Math.copySign(0.1f, m.getFlat(k)));   // |x| > 0.1 > eps
        Node a = filled(g, m);
        Node r = g.relu(a);
        for (int k = 0; k < m.size(); k++) assertEquals(Math.max(0f, m.getFlat(k)), r.value().getFlat(k));
        assertGradients(g, r, a);
    }

    @Test
    void stopGradientPassesValuesButNoGradient() {
        Graph g = new Graph();
        Node a = filled(g, random(3, 4, 1f, 0f));
        Node stopped = g.stopGradient(a);
        assertTrue(!stopped.requiresGrad());
        Node loss = g.sum(g.multiply(a, stopped));           // d/da sum(a * stop(a)) = a, not 2 a
        g.forward();
        g.backward(loss);
        for (int k = 0; k < 12; k++) assertEquals(a.value().getFlat(k), a.gradient().getFlat(k), 1e-6);
        a.value().setFlat(0, 5f);                              // replayed: the stopped copy follows the value
        g.forward();
        assertEquals(5f, stopped.value().getFlat(0));
        int[] calls = {0};
        Node counted = g.nonDifferentiable(1, 1, out -> out.set(0, 0, ++calls[0]));
        assertEquals(1, calls[0], "computed once when recorded");
        g.forward();
        assertEquals(2f, counted.value().get(0, 0));
    }

    @Test
    void reductions() {
        unary(g -> g::sumRows, 1f, 0f);
        unary(g -> g::sumColumns, 1f, 0f);
        unary(g -> g::sum, 1f, 0f);
        unary(g -> g::mean, 1f, 0f);
        unary(g -> g::logSumExpRows, 2f, 0f);
        Graph g = new Graph();
        Node a = filled(g, Matrix.of(2, 3, 1f, 2f, 3f, -1000f, 0f, -1000f));
        Node l = g.logSumExpRows(a);
        assertEquals(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), l.value().get(0, 0), 1e-5);
        assertEquals(0.0, l.value().get(1, 0), 1e-6);
    }

    @Test
    void shapes() {
        unary(g -> a -> g.sliceColumns(a, 2, 5), 1f, 0f);
        unary(g -> a -> g.repeatRows(a, 3), 1f, 0f);
        unary(g -> a -> g.reshape(a, 7, 5), 1f, 0f);
        binary(g -> g::concatColumns, 0f);
        Graph g = new Graph();
        Node a = filled(g, Matrix.of(2, 2, 1f, 2f, 3f, 4f));
        Node r = g.repeatRows(a, 2);
        assertEquals("4x2", r.shape());
        assertEquals(3f, r.value().get(2, 0));
        assertEquals(2f, r.value().get(1, 1));
    }

    @Test
    void logDensities() {
        Graph g = new Graph();
        Node logits = filled(g, random(4, 9, 3f, 0f));
        Matrix bits = random(4, 9, 1f, 0f);
        for (int k = 0; k < bits.size(); k++) bits.setFlat(k, bits.getFlat(k) > 0 ? 1f : 0f);
        Node x = g.constant(bits);
        Node ll = g.bernoulliLogLikelihood(logits, x);
        double expected = 0;
        for (int j = 0; j < 9; j++) {
            double p = 1 / (1 + Math.exp(-logits.value().get(0, j)));
            expected += bits.get(0, j) > 0 ? Math.log(p) : Math.log1p(-p);
        }
        assertEquals(expected, ll.value().get(0, 0), 1e-4);
        assertGradients(g, ll, logits);

        // data rows shared by k = 3 consecutive rows of logits: the same as repeating the data
        g = new Graph();
        Node many = filled(g, random(6, 9, 3f, 0f));
        Node few = g.constant(bits.rows(0, 2));
        Node shared = g.bernoulliLogLikelihood(many, few);
        Node repeated = g.bernoulliLogLikelihood(many, g.repeatRows(few, 3));
        for (int i = 0; i < 6; i++) assertEquals(repeated.value().get(i, 0), shared.value().get(i, 0), 0f);
        assertGradients(g, shared, many);

        g = new Graph();
        Node z = filled(g, random(5, 3, 1f, 0f)), mu = filled(g, random(5, 3, 1f, 0f)), ls = filled(g, random(5, 3, 0.3f, 0f));
        Node d = g.gaussianLogDensity(z, mu, ls);
        double s = Math.exp(ls.value().get(1, 2)), u = (z.value().get(1, 2) - mu.value().get(1, 2)) / s;
        double e1 = 0;
        for (int j = 0; j < 3; j++) {
            double sj = Math.exp(ls.value().get(1, j)), uj = (z.value().get(1, j) - mu.value().get(1, j)) / sj;
            e1 += -0.5 * Math.log(2 * Math.PI) - Math.log(sj) - 0.5 * uj * uj;
        }
        assertTrue(Double.isFinite(u));
        assertEquals(e1, d.value().get(1, 0), 1e-5);
        assertGradients(g, d, z, mu, ls);
        g = new Graph();
        z = filled(g, random(5, 3, 1f, 0f));
        assertGradients(g, g.standardNormalLogDensity(z), z);

        g = new Graph();
        Node l = filled(g, random(4, 5, 2f, 0f));
        Matrix targets = Matrix.zeros(4, 5);
        for (int i = 0; i < 4; i++) targets.set(i, (3 * i + 1) % 5, 1f);
        Node cls = g.logSoftmaxLikelihood(l, g.constant(targets));
        double norm = 0;
        for (int j = 0; j < 5; j++) norm += Math.exp(l.value().get(2, j));
        assertEquals(l.value().get(2, 2) - Math.log(norm), cls.value().get(2, 0), 1e-5);
        assertGradients(g, cls, l);
    }

    @Test
    void aNodeUsedSeveralTimesReceivesTheSumOfItsGradients() {
        Graph g = new Graph();
        Node a = filled(g, random(4, 4, 0.7f, 0f));
        Node out = g.add(g.add(g.multiply(a, a), g.tanh(a)), g.matmul(a, false, a, true));
        out = g.add(out, g.affine(a, a, g.sumColumns(a)));
        assertGradients(g, out, a);
    }

    @Test
    void replayingGivesTheSameGradientsAndUnreachedParametersGetZero() {
        Graph g = new Graph();
        Parameter w = new Parameter("w", random(3, 3, 1f, 0f)), unused = new Parameter("u", random(2, 2, 1f, 0f));
        unused.gradient().fill(5f);
        g.parameter(unused);
        Node x = filled(g, random(2, 3, 1f, 0f));
        Node loss = g.sum(g.tanh(g.matmul(x, false, g.parameter(w), false)));
        g.forward();
        g.backward(loss);
        Matrix first = w.gradient().copy();
        g.forward();
        g.backward(loss);
        for (int k = 0; k < first.size(); k++) assertEquals(first.getFlat(k), w.gradient().getFlat(k), 0f);
        for (int k = 0; k < 4; k++) assertEquals(0f, unused.gradient().getFlat(k));
    }

    @Test
    void misuseIsRefusedWithAClearMessage() {
        Graph g = new Graph();
        Node a = g.input(2, 3), b = g.input(3, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> g.add(a, b)).getMessage().contains("2x3"));
        assertThrows(IllegalArgumentException.class, () -> g.matmul(a, false, a, false));
        assertThrows(IllegalArgumentException.class, () -> g.backward(g.sum(a)));
        assertThrows(IllegalArgumentException.class, () -> g.repeatRows(a, 0));
        Graph eval = new Graph(false);
        Node c = eval.parameter(new Parameter("p", Matrix.zeros(1, 1)));
        assertThrows(IllegalStateException.class, () -> eval.backward(eval.sum(c)));
    }
}
