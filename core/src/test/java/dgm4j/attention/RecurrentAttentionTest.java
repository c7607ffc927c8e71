package dgm4j.attention;

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
import dgm4j.math.Glimpses;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/** The attention model's network: gradients with the actions held fixed, the action draws, and the glimpses it takes. */
class RecurrentAttentionTest {
    /** A small model on 10 x 10 images: 3 glimpses of 2 patches of 3 x 3, 3 scales, 4 classes. */
    static RecurrentAttention.Architecture tiny(int grid, boolean inference) {
        return new RecurrentAttention.Architecture(10, 10, 4, 3, 3, 2, 3, grid, 0.3, 5, 4, 6, 7, inference, 6, 3);
    }

    static Matrix randomImages(int n, int pixels, long seed) {
        Matrix m = Matrix.zeros(n, pixels);
        new RandomStream(seed).uniforms(m);
        return m;
    }

    /**
     * Central differences across a rectifier's kink are wrong by half its jump, and with some hundred rectified units
     * per pass one of them is within eps = 1e-3 of its kink in about one model of three; a wiring error (a parameter
     * used in the wrong place, a stop-gradient missing) fails every model. So: five random models per setting, at
     * least three must pass.
     */
    @Test
    void gradientsOfLogProbabilitiesWithTheActionsFixed() {
        for (int grid : new int[] {0, 3}) {
            int modelPasses = 0, proposalPasses = 0;
            StringBuilder failures = new StringBuilder();
            for (int seed = 1; seed <= 5; seed++) {
                GradientCheck.Result[] r = check(grid, seed);
                if (r[0].passed()) modelPasses++; else failures.append("\n  seed ").append(seed).append(" log p: ").append(r[0]);
                if (r[1].passed()) proposalPasses++; else failures.append("\n  seed ").append(seed).append(" log q: ").append(r[1]);
            }
            assertTrue(modelPasses >= 3 && proposalPasses >= 3, "grid " + grid + ":" + failures);
        }
    }

    /** Checks d [log p(y | a, X) + log p(a | X)] / d W and d log q(a | y, X) / d eta with the actions held fixed. */
    private static GradientCheck.Result[] check(int grid, long seed) {
        RecurrentAttention model = RecurrentAttention.initialize(tiny(grid, true), new RandomStream(seed));
        Graph g = new Graph();
        RecurrentAttention.Unrolled u = model.unroll(g, 2, 3, RecurrentAttention.Sampling.PROPOSAL, false);
        u.images().value().copyFrom(randomImages(2, 100, seed + 100));
        u.fillLabels(new int[] {1, 3});
        RandomStream r = new RandomStream(seed + 200);
        for (RecurrentAttention.Action a : u.actions()) {    // fixed actions: the network is then smooth in its parameters
            int[] scales = new int[6], cells = new int[6];
            Matrix locations = Matrix.zeros(6, 2);
            for (int k = 0; k < 6; k++) {
                scales[k] = r.nextInt(3);
                cells[k] = r.nextInt(9);
                locations.set(k, 0, (float) (1.4 * r.nextDouble() - 0.7));
                locations.set(k, 1, (float) (1.4 * r.nextDouble() - 0.7));
            }
            a.force(grid > 0 ? cells : null, grid > 0 ? null : locations, scales);
        }
        // q reads the core through a stop-gradient: its log-probability is checked against q's parameters alone
        Node modelLoss = g.add(g.sum(u.logLikelihood()), g.sum(u.logPrior())), proposalLoss = g.sum(u.logProposal());
        List<Node> w = new ArrayList<>(), eta = new ArrayList<>();
        for (Parameter p : model.modelParameters()) w.add(g.parameter(p));
        for (Parameter p : model.inferenceParameters()) eta.add(g.parameter(p));
        return new GradientCheck.Result[] {GradientCheck.check(g, modelLoss, w, 1e-3, 5e-3, 3e-2, 20, seed),
                GradientCheck.check(g, proposalLoss, eta, 1e-3, 5e-3, 3e-2, 20, seed)};
    }

    @Test
    void firstActionsFollowTheLearnedPrior() {
        // p(a_1) comes from h_0 = 0: the location mean is tanh(bias), the scale probabilities softmax(bias)
        RecurrentAttention model = new RecurrentAttention(tiny(0, false));
        Parameter locationBias = param(model, "policy.location.bias"), scaleBias = param(model, "policy.scale.bias");
        locationBias.value().copyFrom(new float[] {0.5f, -0.2f});
        scaleBias.value().copyFrom(new float[] {0f, (float) Math.log(2), (float) Math.log(5)});
        Graph g = new Graph(false);
        int rows = 20_000;
        RecurrentAttention.Unrolled u = model.unroll(g, 1, rows, RecurrentAttention.Sampling.PRIOR, false);
        u.fillLabels(new int[] {0});
        u.fillNoise(new RandomStream(4));
        g.forward();
        RecurrentAttention.Action first = u.actions().get(0);
        double sx = 0, sxx = 0, sy = 0;
        int[] scaleCounts = new int[3];
        for (int r = 0; r < rows; r++) {
            double x = first.location().value().get(r, 0);
            sx += x;
            sxx += x * x;
            sy += first.location().value().get(r, 1);
            scaleCounts[first.scale(r)]++;
        }
        assertEquals(Math.tanh(0.5), sx / rows, 0.01);
        assertEquals(Math.tanh(-0.2), sy / rows, 0.01);
        assertEquals(0.3, Math.sqrt(sxx / rows - (sx / rows) * (sx / rows)), 0.01);
        assertEquals(1 / 8.0, scaleCounts[0] / (double) rows, 0.01);
        assertEquals(2 / 8.0, scaleCounts[1] / (double) rows, 0.01);
        assertEquals(5 / 8.0, scaleCounts[2] / (double) rows, 0.01);
        // log p(a_1) is the Gaussian density at the draw plus the scale's log-probability
        double x = first.location().value().get(0, 0), y = first.location().value().get(0, 1);
        double expected = gaussian(x, Math.tanh(0.5), 0.3) + gaussian(y, Math.tanh(-0.2), 0.3) + Math.log(new double[] {1, 2, 5}[first.scale(0)] / 8);
        assertEquals(expected, u.logPrior().value().get(0, 0), 1e-4);
    }

    @Test
    void gridCellsAreDrawnFromTheirSoftmax() {
        RecurrentAttention model = new RecurrentAttention(tiny(2, false));
        param(model, "policy.location.bias").value().copyFrom(new float[] {0f, 1f, 2f, 3f});
        Graph g = new Graph(false);
        int rows = 20_000;
        RecurrentAttention.Unrolled u = model.unroll(g, 1, rows, RecurrentAttention.Sampling.PRIOR, false);
        u.fillLabels(new int[] {0});
        u.fillNoise(new RandomStream(5));
        g.forward();
        int[] counts = new int[4];
        RecurrentAttention.Action first = u.actions().get(0);
        for (int r = 0; r < rows; r++) {
            counts[first.cell(r)]++;
            int c = first.cell(r);                                      // the cell's centre in [-1, 1]^2
            assertEquals(-0.5 + (c % 2), first.location().value().get(r, 0), 1e-6);
            assertEquals(-0.5 + (c / 2), first.location().value().get(r, 1), 1e-6);
        }
        double z = 1 + Math.E + Math.exp(2) + Math.exp(3);
        for (int c = 0; c < 4; c++) assertEquals(Math.exp(c) / z, counts[c] / (double) rows, 0.01);
    }

    @Test
    void theGlimpseNetworkSeesTheRetinaAtTheDrawnAction() {
        // two models equal but for the image: glimpses at the same actions differ only where the retina differs
        RecurrentAttention model = RecurrentAttention.initialize(tiny(0, false), new RandomStream(6));
        Graph g = new Graph(false);
        RecurrentAttention.Unrolled u = model.unroll(g, 2, 1, RecurrentAttention.Sampling.PRIOR, false);
        Matrix images = randomImages(2, 100, 7);
        for (int j = 0; j < 100; j++) images.set(1, j, images.get(0, j));
        Matrix locations = Matrix.of(2, 2, 0.9f, 0.9f, 0.9f, 0.9f);
        for (RecurrentAttention.Action a : u.actions()) a.force(null, locations, new int[] {0, 0});
        images.set(1, 0, 0.123f);                              // a pixel far from every glimpse at (0.9, 0.9), scale 0
        u.images().value().copyFrom(images);
        u.fillLabels(new int[] {0, 0});
        g.forward();
        Matrix patches = Matrix.zeros(2, 18);
        new Glimpses(10, 10, 3, 6).retina(images, locations, new int[] {0, 0}, 2, patches);
        assertEquals(patches.get(0, 0), patches.get(1, 0));
        assertEquals(u.classLogits().value().get(0, 2), u.classLogits().value().get(1, 2), 0f);
        images.set(1, 99, 0f);                                  // a pixel inside the first patch
        u.images().value().copyFrom(images);
        g.forward();
        assertTrue(u.classLogits().value().get(0, 2) != u.classLogits().value().get(1, 2));
    }

    @Test
    void refusesBadArchitectures() {
        assertThrows(InputException.class, () -> new RecurrentAttention.Architecture(10, 10, 1, 3, 3, 2, 3, 0, 0.3, 5, 4, 6, 7, false, 0, 0));
        assertThrows(InputException.class, () -> new RecurrentAttention.Architecture(10, 10, 4, 0, 3, 2, 3, 0, 0.3, 5, 4, 6, 7, false, 0, 0));
        assertThrows(InputException.class, () -> new RecurrentAttention.Architecture(10, 10, 4, 3, 3, 2, 3, 1, 0.3, 5, 4, 6, 7, false, 0, 0));
        assertThrows(InputException.class, () -> new RecurrentAttention.Architecture(10, 10, 4, 3, 3, 2, 3, 0, 0, 5, 4, 6, 7, false, 0, 0));
        assertThrows(InputException.class, () -> new RecurrentAttention.Architecture(10, 10, 4, 3, 3, 2, 3, 0, 0.3, 5, 4, 6, 7, true, 0, 3));
        RecurrentAttention noQ = new RecurrentAttention(tiny(0, false));
        assertThrows(IllegalStateException.class, () -> noQ.unroll(new Graph(), 1, 1, RecurrentAttention.Sampling.PROPOSAL, false));
        assertTrue(noQ.inferenceParameters().isEmpty());
    }

    static Parameter param(RecurrentAttention model, String name) {
        return model.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private static double gaussian(double x, double mu, double sigma) {
        return -0.5 * Math.log(2 * Math.PI) - Math.log(sigma) - (x - mu) * (x - mu) / (2 * sigma * sigma);
    }
}
