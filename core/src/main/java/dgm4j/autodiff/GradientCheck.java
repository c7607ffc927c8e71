package dgm4j.autodiff;

import java.util.List;

import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * Central finite differences against the tape's gradients: for each checked element theta_j,
 * (L(theta + eps e_j) - L(theta - eps e_j)) / (2 eps) beside dL/dtheta_j from {@link Graph#backward}.
 * The graph must be deterministic given its inputs (noise is an input, filled once).
 */
public final class GradientCheck {
    private GradientCheck() {}

    /** The worst disagreement found, as |numeric - analytic| / (atol + rtol max(|numeric|, |analytic|)): at most 1 passes. */
    public record Result(double worstRatio, String where, double numeric, double analytic, int checked) {
        public boolean passed() { return worstRatio <= 1.0; }

        @Override
        public String toString() {
            return String.format("%d elements checked; worst at %s: numeric %.6g, analytic %.6g (ratio %.3f to the tolerance)",
                    checked, where, numeric, analytic, worstRatio);
        }
    }

    /**
     * Checks d loss / d node for every node in {@code wrt} (parameters' nodes or differentiable inputs), at up to
     * {@code perNode} elements of each chosen at random (all of them if the node is smaller).
     */
    public static Result check(Graph graph, Node loss, List<Node> wrt, double eps, double atol, double rtol,
                               int perNode, long seed) {
        graph.forward();
        graph.backward(loss);
        Matrix[] analytic = new Matrix[wrt.size()];
        for (int i = 0; i < wrt.size(); i++) {
            if (!wrt.get(i).requiresGrad()) throw new IllegalArgumentException("node " + i + " has no gradient");
            analytic[i] = wrt.get(i).gradient().copy();
        }
        RandomStream random = new RandomStream(seed);
        double worst = -1, worstNumeric = 0, worstAnalytic = 0;
        String where = "";
        int checked = 0;
        for (int i = 0; i < wrt.size(); i++) {
            Matrix value = wrt.get(i).value();
            int n = value.size();
            int count = Math.min(n, perNode);
            for (int c = 0; c < count; c++) {
                int k = count == n ? c : random.nextInt(n);
                float original = value.getFlat(k);
                value.setFlat(k, (float) (original + eps));
                graph.forward();
                double plus = loss.value().get(0, 0);
                value.setFlat(k, (float) (original - eps));
                graph.forward();
                double minus = loss.value().get(0, 0);
                value.setFlat(k, original);
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic[i].getFlat(k);
                double ratio = Math.abs(numeric - a) / (atol + rtol * Math.max(Math.abs(numeric), Math.abs(a)));
                if (Double.isNaN(ratio)) ratio = Double.POSITIVE_INFINITY;
                checked++;
                if (ratio > worst) {
                    worst = ratio;
                    worstNumeric = numeric;
                    worstAnalytic = a;
                    where = "node " + i + " element " + k;
                }
            }
        }
        graph.forward();
        return new Result(worst, where, worstNumeric, worstAnalytic, checked);
    }
}
