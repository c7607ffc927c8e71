package dgm4j.attention;

import java.util.ArrayList;
import java.util.List;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.autodiff.Graph;
import dgm4j.math.Elementwise;
import dgm4j.math.Glimpses;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * What a trained {@link RecurrentAttention} does at test time: it draws its glimpses from its own policy p(a | X) (the
 * label unseen) and classifies by p(y | X) ~ (1/M) sum_m p(y | a_m, X) over M draws, the class of highest probability
 * (M = 1: a single glimpse sequence, as Mnih et al. test). The graph is recorded once, without gradients, for
 * {@code batch} images and replayed.
 */
public final class RamEvaluation {
    private final RecurrentAttention model;
    private final int batch, samples;
    private final Graph graph = new Graph(false);
    private final RecurrentAttention.Unrolled unrolled;
    private final Matrix probabilities, mean;

    /** An evaluator for batches of up to {@code batch} images, M = {@code samples} glimpse sequences each. */
    public RamEvaluation(RecurrentAttention model, int batch, int samples) {
        if (batch < 1) throw new InputException("the batch size must be at least 1, got " + batch);
        if (samples < 1) throw new InputException("the number of glimpse sequences per image must be at least 1, got " + samples);
        this.model = model;
        this.batch = batch;
        this.samples = samples;
        this.unrolled = model.unroll(graph, batch, samples, RecurrentAttention.Sampling.PRIOR, false);
        this.probabilities = Matrix.zeros(batch * samples, model.architecture().classes());
        this.mean = Matrix.zeros(batch, model.architecture().classes());
    }

    /** A classification error with the count it comes from. */
    public record Result(int errors, int examples, int samples) {
        public double errorRate() { return examples == 0 ? Double.NaN : errors / (double) examples; }
    }

    /** The error of the predicted classes on {@code images} (n x H W) with {@code labels}, glimpses drawn with {@code random}. */
    public Result classify(Matrix images, int[] labels, RandomStream random, Progress progress) {
        if (labels == null || labels.length != images.rows()) throw new InputException("classification needs one label per image");
        model.architecture().requireImages(0, 0, images.cols(), "the data");
        int n = images.rows(), errors = 0;
        int[] predicted = new int[batch];
        for (int start = 0; start < n; start += batch) {
            int count = Math.min(batch, n - start);
            predict(images.rows(start, start + count), random, predicted);
            for (int i = 0; i < count; i++) if (predicted[i] != labels[start + i]) errors++;
            progress.update("classify", start + count, n);
        }
        progress.finish("classify");
        return new Result(errors, n, samples);
    }

    /** The predicted class of each of up to {@code batch} images (the rows past them are left as they were). */
    public void predict(Matrix images, RandomStream random, int[] out) {
        int count = images.rows();
        if (count > batch) throw new IllegalArgumentException(count + " images for an evaluator of " + batch);
        unrolled.images().value().rows(0, count).copyFrom(images);
        if (count < batch) unrolled.images().value().rows(count, batch).fill(0f);
        unrolled.fillNoise(random);
        graph.forward();
        Elementwise.softmaxRows(unrolled.classLogits().value(), probabilities);
        Elementwise.sumRowGroups(probabilities, samples, mean);             // sum_m p(y | a_m, X), per image
        for (int i = 0; i < count; i++) out[i] = argmax(mean, i);
    }

    private static int argmax(Matrix m, int r) {
        int best = 0;
        for (int c = 1; c < m.cols(); c++) if (m.get(r, c) > m.get(r, best)) best = c;
        return best;
    }

    /**
     * One glimpse sequence drawn from the policy on an image: per glimpse n the centre (x, y) in pixels (the clamped
     * location), the scale s_n and the side of each patch g 2^(i + s_n); then the predicted class and its probability.
     */
    public record Trajectory(double[] x, double[] y, int[] scale, double[][] patchSides, int predicted, double probability) {}

    /** Draws one glimpse sequence on each of {@code images} (n x H W) and returns where it looked and what it said. */
    public static List<Trajectory> trajectories(RecurrentAttention model, Matrix images, RandomStream random) {
        RecurrentAttention.Architecture a = model.architecture();
        a.requireImages(0, 0, images.cols(), "the images");
        int n = images.rows();
        Graph g = new Graph(false);
        RecurrentAttention.Unrolled u = model.unroll(g, n, 1, RecurrentAttention.Sampling.PRIOR, false);
        u.images().value().copyFrom(images);
        u.fillNoise(random);
        g.forward();
        Matrix p = Elementwise.softmaxRows(u.classLogits().value(), Matrix.zeros(n, a.classes()));
        List<Trajectory> out = new ArrayList<>();
        int steps = a.glimpses();
        for (int i = 0; i < n; i++) {
            double[] x = new double[steps], y = new double[steps];
            int[] scale = new int[steps];
            double[][] sides = new double[steps][a.patches()];
            for (int t = 0; t < steps; t++) {
                RecurrentAttention.Action act = u.actions().get(t);
                x[t] = Glimpses.pixel(act.location().value().get(i, 0), a.width());
                y[t] = Glimpses.pixel(act.location().value().get(i, 1), a.height());
                scale[t] = act.scale(i);
                for (int k = 0; k < a.patches(); k++) sides[t][k] = a.glimpseSize() * Math.pow(2, k + scale[t]);
            }
            int best = argmax(p, i);
            out.add(new Trajectory(x, y, scale, sides, best, p.get(i, best)));
        }
        return out;
    }
}
