package dgm4j.classify;

import java.util.ArrayList;
import java.util.List;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Minibatches;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Optimizer;
import dgm4j.train.TrainingDivergedException;

/**
 * A feed-forward classifier: h_1 = sigmoid(x W_1 + b_1), ..., p(y | x) = softmax(h_L W + b), trained by minimising the
 * cross-entropy -mean log p(y | x) with backpropagation. Its layers can be set from a pretrained generative model
 * (e.g. a DBM's weights, Salakhutdinov &amp; Hinton 2009, sec. 4); parameters are named {@code layer0.weight},
 * {@code layer0.bias}, ..., the last layer being the softmax.
 */
public final class SigmoidClassifier {
    private final int[] sizes;
    private final List<Parameter> parameters = new ArrayList<>();

    /**
     * A classifier with zero parameters, to be filled (e.g. from a pretrained model); {@link #initialize} makes a
     * randomly initialised one.
     *
     * @param sizes input width, hidden sizes..., number of classes
     */
    public SigmoidClassifier(int... sizes) {
        if (sizes.length < 2) throw new IllegalArgumentException("a classifier needs an input width and a number of classes");
        for (int s : sizes) if (s < 1) throw new IllegalArgumentException("layer sizes must be positive, got " + s);
        this.sizes = sizes.clone();
        for (int l = 0; l + 1 < sizes.length; l++) {
            parameters.add(new Parameter("layer" + l + ".weight", Matrix.zeros(sizes[l], sizes[l + 1])));
            parameters.add(new Parameter("layer" + l + ".bias", Matrix.zeros(1, sizes[l + 1])));
        }
    }

    public List<Parameter> parameters() { return parameters; }

    /** W of layer l (input width x output width), to be filled (e.g. from a pretrained model). */
    public Matrix weight(int layer) { return parameters.get(2 * layer).value(); }

    /** b of layer l (1 x output width). */
    public Matrix bias(int layer) { return parameters.get(2 * layer + 1).value(); }

    public int inputs() { return sizes[0]; }

    public int classes() { return sizes[sizes.length - 1]; }

    /** A new classifier with small Gaussian weights N(0, 0.01^2) and zero biases (Hinton's practice for the softmax layer). */
    public static SigmoidClassifier initialize(int[] sizes, RandomStream random) {
        SigmoidClassifier c = new SigmoidClassifier(sizes);
        for (int l = 0; l + 1 < sizes.length; l++) {
            random.gaussian(c.weight(l));
            Elementwise.scale(c.weight(l), 0.01f);
        }
        return c;
    }

    /** Records the logits of a batch of inputs. */
    private Node logits(Graph g, Node x) {
        Node h = x;
        int layers = sizes.length - 1;
        for (int l = 0; l < layers; l++) {
            Node a = g.affine(h, g.parameter(parameters.get(2 * l)), g.parameter(parameters.get(2 * l + 1)));
            h = l < layers - 1 ? g.sigmoid(a) : a;
        }
        return h;
    }

    /** The most probable class of each row of x. */
    public int[] predict(Matrix x) {
        if (x.cols() != sizes[0]) throw new InputException("the classifier takes " + sizes[0] + " inputs, the data have " + x.cols());
        int[] out = new int[x.rows()];
        int chunk = Math.max(1, Math.min(x.rows(), 1000));
        Graph g = new Graph(false);
        Node in = g.input(chunk, sizes[0]);
        Node logits = logits(g, in);
        for (int start = 0; start < x.rows(); start += chunk) {
            int n = Math.min(chunk, x.rows() - start);
            in.value().fill(0f);
            in.value().rows(0, n).copyFrom(x.rows(start, start + n));
            g.forward();
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < classes(); c++) if (logits.value().get(i, c) > logits.value().get(i, best)) best = c;
                out[start + i] = best;
            }
        }
        return out;
    }

    /** The fraction of examples whose predicted class differs from their label. */
    public double errorRate(Matrix x, int[] labels) {
        int[] p = predict(x);
        int wrong = 0;
        for (int i = 0; i < p.length; i++) if (p[i] != labels[i]) wrong++;
        return (double) wrong / Math.max(1, p.length);
    }

    /**
     * Minimises the cross-entropy on labelled data for {@code epochs} epochs of shuffled minibatches; returns the mean
     * training loss of each epoch.
     */
    public double[] train(Dataset data, int epochs, int batch, Optimizer optimizer, double learningRate, RandomStream random,
                          Progress progress) {
        if (!data.hasLabels()) throw new InputException(data.name() + " has no labels to train a classifier on");
        if (data.dim() != sizes[0]) throw new InputException("the classifier takes " + sizes[0] + " inputs, " + data.name() + " has " + data.dim());
        if (data.numClasses() > classes()) {
            throw new InputException(data.name() + " has " + data.numClasses() + " classes, the classifier " + classes());
        }
        Graph g = new Graph();
        Node x = g.input(batch, sizes[0]);
        Node targets = g.input(batch, classes());
        Node loss = g.scale(g.mean(g.logSoftmaxLikelihood(logits(g, x), targets)), -1f);
        Minibatches batches = new Minibatches(data, batch, true, Binarization.none(), random);
        double[] losses = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++) {
            double sum = 0;
            int steps = 0;
            while (batches.next()) {
                x.value().copyFrom(batches.features());
                targets.value().fill(0f);
                int[] labels = batches.labels();
                for (int i = 0; i < batch; i++) targets.value().set(i, labels[i], 1f);
                g.forward();
                g.backward(loss);
                optimizer.step(learningRate);
                sum += loss.value().get(0, 0);
                steps++;
                progress.update("fine-tune epoch " + (epoch + 1) + "/" + epochs, steps, batches.batchesPerEpoch());
            }
            progress.finish("fine-tune epoch " + (epoch + 1) + "/" + epochs);
            losses[epoch] = sum / Math.max(1, steps);
            if (!Double.isFinite(losses[epoch])) throw new TrainingDivergedException(epoch, steps, "the cross-entropy is " + losses[epoch]);
        }
        return losses;
    }
}
