package dgm4j.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.autodiff.GradientCheck;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/** The VAE and IWAE objectives: whole-model gradients against finite differences, and L_k against exact log p(x). */
class VariationalAutoencoderTest {

    static Matrix binary(int rows, int cols, long seed) {
        Matrix m = Matrix.zeros(rows, cols);
        new RandomStream(seed).uniforms(m);
        for (int k = 0; k < m.size(); k++) m.setFlat(k, m.getFlat(k) < 0.4f ? 1f : 0f);
        return m;
    }

    static VariationalAutoencoder tiny(int layers, StochasticLayer.Kind output, long seed) {
        return layers == 1
                ? VariationalAutoencoder.initialize(6, output, new int[] {3}, new int[][] {{4}}, new RandomStream(seed), null)
                : VariationalAutoencoder.initialize(6, output, new int[] {3, 2}, new int[][] {{5, 4}, {3}}, new RandomStream(seed), null);
    }

    @ParameterizedTest
    @CsvSource({"1, BERNOULLI, VAE", "1, BERNOULLI, IWAE", "2, BERNOULLI, IWAE", "2, BERNOULLI, VAE", "1, GAUSSIAN, IWAE", "2, GAUSSIAN, VAE"})
    void wholeModelGradientsMatchFiniteDifferences(int layers, StochasticLayer.Kind output, VariationalAutoencoder.Objective objective) {
        VariationalAutoencoder model = tiny(layers, output, 3);
        Graph g = new Graph();
        VariationalAutoencoder.LogWeights w = model.logWeights(g, 2, 3);
        Matrix x = output == StochasticLayer.Kind.BERNOULLI ? binary(2, 6, 5) : GraphData.gaussian(2, 6, 5);
        w.x().value().copyFrom(x);
        w.fillNoise(new RandomStream(9));
        Node bound = VariationalAutoencoder.bound(g, w, objective);
        List<Node> nodes = new ArrayList<>();
        for (Parameter p : model.parameters()) nodes.add(g.parameter(p));
        GradientCheck.Result r = GradientCheck.check(g, bound, nodes, 5e-3, 2e-3, 2e-2, 12, 11);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void withOneSampleTheIwaeAndVaeObjectivesAndGradientsCoincide() {
        VariationalAutoencoder model = tiny(2, StochasticLayer.Kind.BERNOULLI, 4);
        Matrix[] grads = new Matrix[2];
        float[] values = new float[2];
        for (VariationalAutoencoder.Objective o : VariationalAutoencoder.Objective.values()) {
            Graph g = new Graph();
            VariationalAutoencoder.LogWeights w = model.logWeights(g, 3, 1);
            w.x().value().copyFrom(binary(3, 6, 1));
            w.fillNoise(new RandomStream(2));
            Node b = VariationalAutoencoder.bound(g, w, o);
            g.forward();
            g.backward(b);
            values[o.ordinal()] = b.value().get(0, 0);
            grads[o.ordinal()] = model.parameters().get(0).gradient().copy();
        }
        assertEquals(values[0], values[1], 1e-5);
        for (int k = 0; k < grads[0].size(); k++) assertEquals(grads[0].getFlat(k), grads[1].getFlat(k), 1e-5);
    }

    /**
     * One latent unit: log p(x) = log integral N(h; 0, 1) p(x | h) dh by quadrature, in double. L_k rises with k and
     * L_5000 matches log p(x) within Monte Carlo error.
     */
    @Test
    void boundsRiseWithKTowardsTheExactLogLikelihood() {
        VariationalAutoencoder model = VariationalAutoencoder.initialize(8, StochasticLayer.Kind.BERNOULLI, new int[] {1}, new int[][] {{5}},
                new RandomStream(17), null);
        for (Parameter p : model.parameters()) { // sharper conditionals than Glorot's, so that q is far from exact
            if (p.name().startsWith("p_x")) for (int k = 0; k < p.value().size(); k++) p.value().setFlat(k, 3 * p.value().getFlat(k));
        }
        Matrix x = binary(20, 8, 23);
        double[] exact = exactLogLikelihood(model, x);
        double[] previous = null;
        for (int k : new int[] {1, 5, 50, 5000}) {
            double[] lk = VaeEstimator.logMeanWeights(model, x, k, new RandomStream(100 + k), 4000, Progress.NONE);
            if (k == 5000) {
                // q is deliberately poor (untrained, sharp decoder): single estimates scatter by a few hundredths
                // (measured up to 0.08 nat), their mean over 20 examples by less
                for (int i = 0; i < x.rows(); i++) assertEquals(exact[i], lk[i], 0.2, "example " + i);
                assertEquals(mean(exact), mean(lk), 0.02);
            }
            // averaged over 200 repeats, L_k < L_k' for k < k' well beyond the Monte Carlo error
            double mean = mean(VaeEstimator.logMeanWeights(model, repeat(x, 200), k, new RandomStream(7 + k), 4000, Progress.NONE));
            if (previous != null) assertTrue(mean > previous[0], "L_" + k + " = " + mean + " not above " + previous[0]);
            assertTrue(mean <= mean(exact) + 0.01, "L_" + k + " = " + mean + " above log p(x) = " + mean(exact));
            previous = new double[] {mean};
        }
    }

    static double[] exactLogLikelihood(VariationalAutoencoder model, Matrix x) {
        int grid = 8001;
        double lo = -10, step = 20.0 / (grid - 1);
        Matrix h = Matrix.zeros(grid, 1);
        for (int i = 0; i < grid; i++) h.set(i, 0, (float) (lo + i * step));
        Matrix mean = model.decodeMean(h);
        double[] out = new double[x.rows()];
        for (int n = 0; n < x.rows(); n++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] terms = new double[grid];
            for (int i = 0; i < grid; i++) {
                double hv = lo + i * step, t = -0.5 * Math.log(2 * Math.PI) - 0.5 * hv * hv + Math.log(step);
                for (int j = 0; j < x.cols(); j++) {
                    double mu = Math.min(Math.max(mean.get(i, j), 1e-7), 1 - 1e-7);
                    t += x.get(n, j) > 0 ? Math.log(mu) : Math.log1p(-mu);
                }
                terms[i] = t;
                max = Math.max(max, t);
            }
            double s = 0;
            for (double t : terms) s += Math.exp(t - max);
            out[n] = max + Math.log(s);
        }
        return out;
    }

    static Matrix repeat(Matrix x, int times) {
        Matrix r = Matrix.zeros(x.rows() * times, x.cols());
        for (int t = 0; t < times; t++) r.rows(t * x.rows(), (t + 1) * x.rows()).copyFrom(x);
        return r;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double d : v) s += d;
        return s / v.length;
    }

    @Test
    void badInputIsRefused() {
        VariationalAutoencoder model = tiny(1, StochasticLayer.Kind.BERNOULLI, 1);
        assertThrows(IllegalArgumentException.class, () -> model.logWeights(new Graph(), 2, 0));
        assertThrows(InputException.class, () -> VaeEstimator.logMeanWeights(model, Matrix.zeros(2, 6), 0, new RandomStream(1), 100, Progress.NONE));
        assertTrue(assertThrows(InputException.class, () -> VaeEstimator.logMeanWeights(model, Matrix.zeros(2, 7), 5,
                new RandomStream(1), 100, Progress.NONE)).getMessage().contains("7 columns"));
        Matrix real = Matrix.zeros(1, 6).fill(0.5f);
        assertTrue(assertThrows(InputException.class, () -> model.requireSupportedValues(real, "x")).getMessage().contains("not binary"));
        Matrix nan = Matrix.zeros(1, 6).fill(Float.NaN);
        assertThrows(InputException.class, () -> model.requireSupportedValues(nan, "x"));
        assertThrows(IllegalArgumentException.class, () -> VariationalAutoencoder.paperArchitecture(3, 784, StochasticLayer.Kind.BERNOULLI,
                new RandomStream(1), null));
    }
}
