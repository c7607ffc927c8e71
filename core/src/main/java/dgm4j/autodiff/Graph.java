package dgm4j.autodiff;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dgm4j.math.BatchedProducts;
import dgm4j.math.Blas;
import dgm4j.math.Elementwise;
import dgm4j.math.GaussianFilterbank;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;

/**
 * A reverse-mode tape over matrices, recorded once for fixed shapes and replayed every step.
 *
 * <p>Recording: {@link #input}, {@link #parameter} and the operations below create nodes and allocate every buffer the
 * forward and backward passes need. Replaying: fill the inputs, call {@link #forward()}, then {@link #backward(Node)}
 * with a 1 x 1 loss; parameter gradients are then in {@link Parameter#gradient()}. A graph recorded without gradients
 * ({@code new Graph(false)}) only evaluates (no gradient buffers: for large evaluation batches).
 *
 * <p>Gradients flow only into nodes that depend on a parameter or on an input created with gradients. A node used
 * several times receives the sum of its contributions: the first is written straight into its gradient buffer, the
 * others computed into a scratch buffer and added (products accumulate through BLAS beta instead).
 */
public final class Graph {
    /** One recorded operation: recomputes its output from its inputs, and propagates the output's gradient back. */
    private interface Op {
        void forward();

        /** Called only when the output received a gradient this pass. */
        void backward();
    }

    private final boolean gradients;
    private final List<Op> ops = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<Parameter, Node> parameterNodes = new IdentityHashMap<>();

    /** A graph that computes gradients. */
    public Graph() { this(true); }

    /** @param gradients false for an evaluation-only graph (no gradient buffers; {@link #backward} refuses). */
    public Graph(boolean gradients) { this.gradients = gradients; }

    // ---------------------------------------------------------------- leaves

    /** An input of the given shape, filled by the caller before each forward pass; no gradient. */
    public Node input(int rows, int cols) {
        return add(new Node(Matrix.zeros(rows, cols), false));
    }

    /** An input whose gradient is computed too (for gradient checks, or gradients with respect to data). */
    public Node differentiableInput(int rows, int cols) {
        return add(new Node(Matrix.zeros(rows, cols), gradients));
    }

    /** A fixed matrix (shared, not copied); no gradient. */
    public Node constant(Matrix value) {
        return add(new Node(value, false));
    }

    /** The node of a parameter in this graph (one node per parameter, however often it is used). */
    public Node parameter(Parameter p) {
        return parameterNodes.computeIfAbsent(p, q -> add(new Node(q.value(), gradients ? q.gradient() : null)));
    }

    // ---------------------------------------------------------------- replay

    /** Recomputes every node from the inputs and parameters, in recording order. */
    public void forward() {
        for (Op op : ops) op.forward();
    }

    /**
     * Computes d loss / d node for every node that needs it, in reverse recording order; parameters of this graph that
     * the loss does not reach get a zero gradient. Call after {@link #forward()}.
     */
    public void backward(Node loss) {
        if (!gradients) throw new IllegalStateException("this graph was recorded without gradients");
        if (loss.rows() != 1 || loss.cols() != 1) throw new IllegalArgumentException("the loss must be 1x1, got " + loss.shape());
        if (!loss.requiresGrad()) throw new IllegalArgumentException("the loss does not depend on any parameter");
        for (Node n : nodes) n.gradWritten = false;
        loss.grad.set(0, 0, 1f);
        loss.gradWritten = true;
        for (int i = ops.size() - 1; i >= 0; i--) {
            if (receivedGradient(outputs.get(i))) ops.get(i).backward();
        }
        for (Node n : parameterNodes.values()) if (n.grad != null && !n.gradWritten) n.grad.fill(0f);
    }

    /** The outputs of ops, by op index (so backward can skip ops whose outputs received no gradient). */
    private final List<Node[]> outputs = new ArrayList<>();

    private static boolean receivedGradient(Node[] outs) {
        for (Node n : outs) if (n.gradWritten) return true;
        return false;
    }

    /** The number of floats this graph holds in values and gradients (its memory, in units of 4 bytes). */
    public long floats() {
        long f = 0;
        for (Node n : nodes) f += (long) n.value.size() + (n.grad == null ? 0 : n.grad.size());
        return f;
    }

    private Node add(Node n) {
        nodes.add(n);
        return n;
    }

    private Node record(Node out, Op op) {
        record(new Node[] {out}, op);
        return out;
    }

    /** Records an op with several outputs; its backward pass runs if any of them received a gradient. */
    private void record(Node[] outs, Op op) {
        for (Node out : outs) add(out);
        ops.add(op);
        outputs.add(outs);
        op.forward(); // a recorded graph holds valid values at once (inputs as they are now)
    }

    private Node output(int rows, int cols, Node... inputs) {
        boolean g = false;
        for (Node n : inputs) g |= n.requiresGrad();
        return new Node(Matrix.zeros(rows, cols), g);
    }

    private static Blas blas() { return Numerics.blas(); }

    private static void requireSameShape(Node a, Node b, String op) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException(op + ": shapes differ: " + a.shape() + " and " + b.shape());
        }
    }

    /** grad(n) += c * g (written, or accumulated). */
    private static void accumulate(Node n, Matrix g, float c) {
        if (!n.requiresGrad()) return;
        if (n.gradWritten) Elementwise.axpby(c, g, 1f, n.grad, n.grad);
        else Elementwise.axpby(c, g, 0f, g, n.grad);
        n.gradWritten = true;
    }

    // ---------------------------------------------------------------- products

    /** op(a) op(b), op = transpose where asked: the product of the lecture's W^T v etc. */
    public Node matmul(Node a, boolean transA, Node b, boolean transB) {
        int m = transA ? a.cols() : a.rows(), ka = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows(), n = transB ? b.rows() : b.cols();
        if (ka != kb) throw new IllegalArgumentException("matmul: inner dimensions differ: " + a.shape() + (transA ? "^T" : "") + " x " + b.shape() + (transB ? "^T" : ""));
        Node out = output(m, n, a, b);
        return record(out, new Op() {
            public void forward() { blas().gemm(transA, transB, 1f, a.value, b.value, 0f, out.value); }

            public void backward() {
                Matrix g = out.grad;
                if (a.requiresGrad()) {
                    if (!transA) blas().gemm(false, !transB, 1f, g, b.value, a.beta(), a.grad);  // dA = G op(B)^T
                    else blas().gemm(transB, true, 1f, b.value, g, a.beta(), a.grad);           // dA = op(B) G^T
                    a.gradWritten = true;
                }
                if (b.requiresGrad()) {
                    if (!transB) blas().gemm(!transA, false, 1f, a.value, g, b.beta(), b.grad); // dB = op(A)^T G
                    else blas().gemm(true, transA, 1f, g, a.value, b.beta(), b.grad);            // dB = G^T op(A)
                    b.gradWritten = true;
                }
            }
        });
    }

    /** x W + b: a dense layer's pre-activation (W is in x out, b a 1 x out row broadcast over the rows). */
    public Node affine(Node x, Node w, Node b) {
        if (x.cols() != w.rows()) throw new IllegalArgumentException("affine: input " + x.shape() + " does not fit weights " + w.shape());
        if (b.rows() != 1 || b.cols() != w.cols()) throw new IllegalArgumentException("affine: bias " + b.shape() + " does not fit weights " + w.shape());
        Node out = output(x.rows(), w.cols(), x, w, b);
        return record(out, new Op() {
            public void forward() {
                Elementwise.broadcastRow(b.value, out.value);
                blas().gemm(false, false, 1f, x.value, w.value, 1f, out.value);
            }

            public void backward() {
                Matrix g = out.grad;
                if (x.requiresGrad()) {
                    blas().gemm(false, true, 1f, g, w.value, x.beta(), x.grad);
                    x.gradWritten = true;
                }
                if (w.requiresGrad()) {
                    blas().gemm(true, false, 1f, x.value, g, w.beta(), w.grad);
                    w.gradWritten = true;
                }
                if (b.requiresGrad()) {
                    Elementwise.columnSums(g, 1f, b.beta(), b.grad);
                    b.gradWritten = true;
                }
            }
        });
    }

    // ---------------------------------------------------------------- elementwise arithmetic

    /** a + b (same shapes). */
    public Node add(Node a, Node b) { return linear(a, 1f, b, 1f, "add"); }

    /** a - b (same shapes). */
    public Node subtract(Node a, Node b) { return linear(a, 1f, b, -1f, "subtract"); }

    private Node linear(Node a, float ca, Node b, float cb, String name) {
        requireSameShape(a, b, name);
        Node out = output(a.rows(), a.cols(), a, b);
        return record(out, new Op() {
            public void forward() { Elementwise.axpby(ca, a.value, cb, b.value, out.value); }

            public void backward() {
                accumulate(a, out.grad, ca);
                accumulate(b, out.grad, cb);
            }
        });
    }

    /** c a for a constant c. */
    public Node scale(Node a, float c) {
        Node out = output(a.rows(), a.cols(), a);
        return record(out, new Op() {
            public void forward() { Elementwise.axpby(c, a.value, 0f, a.value, out.value); }

            public void backward() { accumulate(a, out.grad, c); }
        });
    }

    /** a + c for a constant c. */
    public Node addScalar(Node a, float c) {
        Node out = output(a.rows(), a.cols(), a);
        return record(out, new Op() {
            public void forward() { Elementwise.addScalar(out.value.copyFrom(a.value), c); }

            public void backward() { accumulate(a, out.grad, 1f); }
        });
    }

    /** a + v, v a 1 x cols row broadcast over the rows of a. */
    public Node addRow(Node a, Node v) {
        if (v.rows() != 1 || v.cols() != a.cols()) throw new IllegalArgumentException("addRow: row " + v.shape() + " does not fit " + a.shape());
        Node out = output(a.rows(), a.cols(), a, v);
        return record(out, new Op() {
            public void forward() { Elementwise.addRowVector(a.value, v.value, out.value); }

            public void backward() {
                accumulate(a, out.grad, 1f);
                if (v.requiresGrad()) {
                    Elementwise.columnSums(out.grad, 1f, v.beta(), v.grad);
                    v.gradWritten = true;
                }
            }
        });
    }

    /** a * b elementwise. */
    public Node multiply(Node a, Node b) {
        requireSameShape(a, b, "multiply");
        Node out = output(a.rows(), a.cols(), a, b);
        return record(out, new Op() {
            public void forward() { Elementwise.multiply(a.value, b.value, out.value); }

            public void backward() {
                if (a.requiresGrad()) {
                    Elementwise.multiply(out.grad, b.value, a.target());
                    a.done();
                }
                if (b.requiresGrad()) {
                    Elementwise.multiply(out.grad, a.value, b.target());
                    b.done();
                }
            }
        });
    }

    /** a / b elementwise. */
    public Node divide(Node a, Node b) {
        requireSameShape(a, b, "divide");
        Node out = output(a.rows(), a.cols(), a, b);
        Matrix gOverB = Matrix.zeros(a.rows(), a.cols());
        return record(out, new Op() {
            public void forward() { Elementwise.divide(a.value, b.value, out.value); }

            public void backward() {
                Elementwise.divide(out.grad, b.value, gOverB);
                if (a.requiresGrad()) accumulate(a, gOverB, 1f);
                if (b.requiresGrad()) {                       // d(a/b)/db = -(a/b) / b
                    Matrix t = b.target();
                    Elementwise.multiply(gOverB, out.value, t);
                    Elementwise.scale(t, -1f);
                    b.done();
                }
            }
        });
    }

    // ---------------------------------------------------------------- elementwise functions

    public Node tanh(Node a) {
        Node out = output(a.rows(), a.cols(), a);
        return record(out, new Op() {
            public void forward() { Elementwise.tanh(a.value, out.value); }

            public void backward() {
                Elementwise.tanhBackward(out.grad, out.value, a.target());
                a.done();
            }
        });
    }

    public Node sigmoid(Node a) {
        Node out = output(a.rows(), a.cols(), a);
        return record(out, new Op() {
            public void forward() { Elementwise.sigmoid(a.value, out.value); }

            public void backward() {
                Elementwise.sigmoidBackward(out.grad, out.value, a.target());
                a.done();
            }
        });
    }

    /** max(a, 0), the rectifier (Mnih et al. 2014's glimpse network). */
    public Node relu(Node a) {
        Node out = output(a.rows(), a.cols(), a);
        return record(out, new Op() {
            public void forward() { Elementwise.relu(a.value, out.value); }

            public void backward() {
                Elementwise.reluBackward(out.grad, out.value, a.target());
                a.done();
            }
        });
    }

    /** log(1 + exp(a)). */
    public Node softplus(Node a) {
        Node out = output(a.rows(), a.cols(), a);
        return record(out, new Op() {
            public void forward() { Elementwise.softplus(a.value, out.value); }

            public void backward() {
                Elementwise.softplusBackward(out.grad, a.value, a.target());
                a.done();
            }
        });
    }

    public Node exp(Node a) {
        Node out = output(a.rows(), a.cols(), a);
        return record(out, new Op() {
            public void forward() { Elementwise.exp(a.value, out.value); }

            public void backward() {
                Elementwise.multiply(out.grad, out.value, a.target());
                a.done();
            }
        });
    }

    public Node log(Node a) {
        Node out = output(a.rows(), a.cols(), a);
        return record(out, new Op() {
            public void forward() { Elementwise.log(a.value, out.value); }

            public void backward() {
                Elementwise.divide(out.grad, a.value, a.target());
                a.done();
            }
        });
    }

    public Node square(Node a) {
        Node out = output(a.rows(), a.cols(), a);
        return record(out, new Op() {
            public void forward() { Elementwise.square(a.value, out.value); }

            public void backward() {
                Matrix t = a.target();
                Elementwise.multiply(out.grad, a.value, t);
                Elementwise.scale(t, 2f);
                a.done();
            }
        });
    }

    // ---------------------------------------------------------------- reductions

    /** The rows x 1 column of row sums. */
    public Node sumRows(Node a) {
        Node out = output(a.rows(), 1, a);
        double[] g = new double[a.rows()];
        return record(out, new Op() {
            public void forward() { setColumn(out.value, Elementwise.rowSums(a.value)); }

            public void backward() {
                getColumn(out.grad, g);
                Elementwise.broadcastColumn(g, a.target());
                a.done();
            }
        });
    }

    /** The 1 x cols row of column sums. */
    public Node sumColumns(Node a) {
        Node out = output(1, a.cols(), a);
        return record(out, new Op() {
            public void forward() { Elementwise.columnSums(a.value, 1f, 0f, out.value); }

            public void backward() {
                Elementwise.broadcastRow(out.grad, a.target());
                a.done();
            }
        });
    }

    /** The 1 x 1 sum of all elements (accumulated in double). */
    public Node sum(Node a) { return total(a, 1.0, "sum"); }

    /** The 1 x 1 mean of all elements (accumulated in double). */
    public Node mean(Node a) { return total(a, 1.0 / Math.max(1, a.value.size()), "mean"); }

    private Node total(Node a, double factor, String name) {
        Node out = output(1, 1, a);
        return record(out, new Op() {
            public void forward() { out.value.set(0, 0, (float) (factor * Elementwise.sum(a.value))); }

            public void backward() {
                float g = (float) (factor * out.grad.get(0, 0));
                if (a.gradWritten) Elementwise.addScalar(a.grad, g);
                else a.grad.fill(g);
                a.gradWritten = true;
            }
        });
    }

    /** The rows x 1 column log sum_j exp(a_ij) (max-shifted, in double); its gradient is the row softmax. */
    public Node logSumExpRows(Node a) {
        Node out = output(a.rows(), 1, a);
        double[] g = new double[a.rows()];
        return record(out, new Op() {
            public void forward() { setColumn(out.value, Elementwise.logSumExpRows(a.value)); }

            public void backward() {
                Matrix t = a.target();
                Elementwise.softmaxRows(a.value, t);
                getColumn(out.grad, g);
                Elementwise.scaleRows(t, g, t);
                a.done();
            }
        });
    }

    // ---------------------------------------------------------------- shapes

    /** Columns [from, to) of a, copied. */
    public Node sliceColumns(Node a, int from, int to) {
        if (from < 0 || to > a.cols() || from > to) throw new IllegalArgumentException("sliceColumns [" + from + ", " + to + ") of " + a.shape());
        Node out = output(a.rows(), to - from, a);
        return record(out, new Op() {
            public void forward() { copyColumns(a.value, from, out.value, 0, to - from); }

            public void backward() {
                Matrix t = a.target();
                t.fill(0f);
                copyColumns(out.grad, 0, t, from, to - from);
                a.done();
            }
        });
    }

    /** [a b]: the columns of a, then those of b. */
    public Node concatColumns(Node a, Node b) {
        if (a.rows() != b.rows()) throw new IllegalArgumentException("concatColumns: " + a.shape() + " and " + b.shape() + " differ in rows");
        Node out = output(a.rows(), a.cols() + b.cols(), a, b);
        return record(out, new Op() {
            public void forward() {
                copyColumns(a.value, 0, out.value, 0, a.cols());
                copyColumns(b.value, 0, out.value, a.cols(), b.cols());
            }

            public void backward() {
                if (a.requiresGrad()) {
                    copyColumns(out.grad, 0, a.target(), 0, a.cols());
                    a.done();
                }
                if (b.requiresGrad()) {
                    copyColumns(out.grad, a.cols(), b.target(), 0, b.cols());
                    b.done();
                }
            }
        });
    }

    /** [a_1 a_2 ... a_n]: the columns of each part in turn (one copy, e.g. an LSTM's input beside its state). */
    public Node concatColumns(Node... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("concatColumns: nothing to concatenate");
        if (parts.length == 2) return concatColumns(parts[0], parts[1]);
        int cols = 0;
        for (Node p : parts) {
            if (p.rows() != parts[0].rows()) throw new IllegalArgumentException("concatColumns: " + parts[0].shape() + " and " + p.shape() + " differ in rows");
            cols += p.cols();
        }
        Node out = output(parts[0].rows(), cols, parts);
        return record(out, new Op() {
            public void forward() {
                int at = 0;
                for (Node p : parts) {
                    copyColumns(p.value, 0, out.value, at, p.cols());
                    at += p.cols();
                }
            }

            public void backward() {
                int at = 0;
                for (Node p : parts) {
                    if (p.requiresGrad()) {
                        copyColumns(out.grad, at, p.target(), 0, p.cols());
                        p.done();
                    }
                    at += p.cols();
                }
            }
        });
    }

    /** Each row of a repeated k times in a row: row i k + s of the result is row i of a (k samples per example). */
    public Node repeatRows(Node a, int k) {
        if (k < 1) throw new IllegalArgumentException("repeatRows: k must be at least 1, got " + k);
        Node out = output(a.rows() * k, a.cols(), a);
        return record(out, new Op() {
            public void forward() { Elementwise.repeatRows(a.value, k, out.value); }

            public void backward() {
                Elementwise.sumRowGroups(out.grad, k, a.target()); // the sum of the k copies' gradients
                a.done();
            }
        });
    }

    /** The same elements in another shape (row-major order), copied. */
    public Node reshape(Node a, int rows, int cols) {
        if ((long) rows * cols != a.value.size()) throw new IllegalArgumentException("cannot reshape " + a.shape() + " to " + rows + "x" + cols);
        Node out = output(rows, cols, a);
        return record(out, new Op() {
            public void forward() { out.value.copyFrom(a.value.reshape(rows, cols)); }

            public void backward() { accumulate(a, out.grad.reshape(a.rows(), a.cols()), 1f); }
        });
    }

    // ---------------------------------------------------------------- values the tape does not differentiate

    /**
     * A rows x cols node that {@code compute} fills on every forward pass from the values of nodes recorded before it
     * (a sampled action, a glimpse at a sampled location): the tape does not differentiate it, so the node carries no
     * gradient and none flows back through it. It is computed once at recording, as every op is.
     */
    public Node nonDifferentiable(int rows, int cols, Consumer<Matrix> compute) {
        Node out = new Node(Matrix.zeros(rows, cols), false);
        return record(out, new Op() {
            public void forward() { compute.accept(out.value); }

            public void backward() { }
        });
    }

    /** a's value, through which no gradient flows back (e.g. a baseline or a proposal reading a network's state without training it). */
    public Node stopGradient(Node a) {
        return nonDifferentiable(a.rows(), a.cols(), out -> out.copyFrom(a.value));
    }

    // ---------------------------------------------------------------- log-densities (rows x 1 columns)

    /** log p(x | logits) for binary x (a constant) under independent Bernoulli units with the given logits, per row; x
     *  may have rows / k rows, each then scored against k consecutive rows of logits (k samples per example). */
    public Node bernoulliLogLikelihood(Node logits, Node x) {
        if (x.cols() != logits.cols() || logits.rows() % x.rows() != 0) {
            throw new IllegalArgumentException("bernoulliLogLikelihood: data " + x.shape() + " do not fit logits " + logits.shape());
        }
        if (x.requiresGrad()) throw new IllegalArgumentException("bernoulliLogLikelihood: the data must be a constant");
        Node out = output(logits.rows(), 1, logits);
        Matrix dLogits = Matrix.zeros(logits.rows(), logits.cols()); // x - sigmoid(logits), from the forward pass
        double[] ll = new double[logits.rows()];
        double[] g = new double[logits.rows()];
        return record(out, new Op() {
            public void forward() { setColumn(out.value, Elementwise.bernoulliLogLikelihood(logits.value, x.value, dLogits, ll)); }

            public void backward() {
                getColumn(out.grad, g);
                Elementwise.scaleRows(dLogits, g, logits.target());
                logits.done();
            }
        });
    }

    /**
     * log softmax(logits)[i, y_i] per row for one-hot targets (a constant): the log-probability of each example's class,
     * sum_j t_ij (l_ij - logsumexp_j l_ij); minus its mean is the cross-entropy loss of a classifier.
     */
    public Node logSoftmaxLikelihood(Node logits, Node oneHot) {
        requireSameShape(logits, oneHot, "logSoftmaxLikelihood");
        if (oneHot.requiresGrad()) throw new IllegalArgumentException("logSoftmaxLikelihood: the targets must be a constant");
        Node out = output(logits.rows(), 1, logits);
        Matrix probabilities = Matrix.zeros(logits.rows(), logits.cols());
        double[] g = new double[logits.rows()];
        return record(out, new Op() {
            public void forward() {
                double[] lse = Elementwise.logSumExpRows(logits.value);
                double[] dot = Elementwise.rowDotRows(logits.value, oneHot.value);
                for (int i = 0; i < lse.length; i++) out.value.set(i, 0, (float) (dot[i] - lse[i]));
                Elementwise.softmaxRows(logits.value, probabilities);
            }

            public void backward() {                 // d/dl = g_i (t_i - softmax(l_i))
                Matrix t = logits.target();
                Elementwise.subtract(oneHot.value, probabilities, t);
                getColumn(out.grad, g);
                Elementwise.scaleRows(t, g, t);
                logits.done();
            }
        });
    }

    /** log N(z; mu, diag(exp(logSigma))^2) per row; mu and logSigma of z's shape. */
    public Node gaussianLogDensity(Node z, Node mu, Node logSigma) {
        requireSameShape(z, mu, "gaussianLogDensity");
        requireSameShape(z, logSigma, "gaussianLogDensity");
        return gaussian(z, mu, logSigma);
    }

    /** log N(z; 0, I) per row: the standard normal prior. */
    public Node standardNormalLogDensity(Node z) { return gaussian(z, null, null); }

    private Node gaussian(Node z, Node mu, Node logSigma) {
        Node out = mu == null ? output(z.rows(), 1, z) : output(z.rows(), 1, z, mu, logSigma);
        double[] ll = new double[z.rows()];
        double[] g = new double[z.rows()];
        Matrix muValue = mu == null ? null : mu.value, logSigmaValue = logSigma == null ? null : logSigma.value;
        Matrix u = Matrix.zeros(z.rows(), z.cols());              // (z - mu) / sigma, kept for the backward pass
        Matrix inverseSigma = Matrix.zeros(z.rows(), z.cols());   // 1 / sigma (ones for the standard normal)
        return record(out, new Op() {
            public void forward() {
                setColumn(out.value, Elementwise.gaussianLogDensity(z.value, muValue, logSigmaValue, ll, u, inverseSigma));
            }

            public void backward() {
                getColumn(out.grad, g);
                boolean dz = z.requiresGrad(), dmu = mu != null && mu.requiresGrad(), ds = logSigma != null && logSigma.requiresGrad();
                Elementwise.gaussianLogDensityBackward(u, inverseSigma, g,
                        dz ? z.target() : null, dmu ? mu.target() : null, ds ? logSigma.target() : null);
                if (dz) z.done();
                if (dmu) mu.done();
                if (ds) logSigma.done();
            }
        });
    }

    // ---------------------------------------------------------------- per-row scales and small products

    /** a[i, :] s[i, 0]: each row of a scaled by its own factor (s a rows x 1 column), e.g. DRAW's intensity gamma. */
    public Node scaleRows(Node a, Node s) {
        if (s.cols() != 1 || s.rows() != a.rows()) throw new IllegalArgumentException("scaleRows: scales " + s.shape() + " do not fit " + a.shape());
        Node out = output(a.rows(), a.cols(), a, s);
        double[] factors = new double[a.rows()];
        return record(out, new Op() {
            public void forward() {
                getColumn(s.value, factors);
                Elementwise.scaleRows(a.value, factors, out.value);
            }

            public void backward() {
                if (s.requiresGrad()) {                           // ds_i = sum_j g_ij a_ij
                    double[] dot = Elementwise.rowDotRows(out.grad, a.value);
                    Matrix t = s.target();
                    setColumn(t, dot);
                    s.done();
                }
                if (a.requiresGrad()) {                           // da = g s
                    getColumn(s.value, factors);
                    Elementwise.scaleRows(out.grad, factors, a.target());
                    a.done();
                }
            }
        });
    }

    /**
     * Row by row small products: row r of the result is op(A_r) op(B_r) flattened, where A_r is row r of {@code a} read
     * as an aRows-row matrix and B_r row r of {@code b} as a bRows-row matrix (see {@link BatchedProducts}).
     */
    public Node batchedMatmul(Node a, int aRows, boolean transA, Node b, int bRows, boolean transB) {
        int size = BatchedProducts.resultSize(transA, aRows, a.value, transB, bRows, b.value);
        int m = BatchedProducts.resultRows(transA, aRows, a.value, transB, bRows, b.value);
        Node out = output(a.rows(), size, a, b);
        return record(out, new Op() {
            public void forward() { BatchedProducts.gemm(transA, aRows, a.value, transB, bRows, b.value, 0f, out.value); }

            public void backward() {
                Matrix g = out.grad;                               // G_r is m x n
                if (a.requiresGrad()) {
                    if (!transA) BatchedProducts.gemm(false, m, g, !transB, bRows, b.value, a.beta(), a.grad);  // dA = G op(B)^T
                    else BatchedProducts.gemm(transB, bRows, b.value, true, m, g, a.beta(), a.grad);            // dA = op(B) G^T
                    a.gradWritten = true;
                }
                if (b.requiresGrad()) {
                    if (!transB) BatchedProducts.gemm(!transA, aRows, a.value, false, m, g, b.beta(), b.grad);  // dB = op(A)^T G
                    else BatchedProducts.gemm(true, m, g, transA, aRows, a.value, b.beta(), b.grad);            // dB = G^T op(A)
                    b.gradWritten = true;
                }
            }
        });
    }

    /**
     * DRAW's Gaussian filterbanks (Gregor et al. 2015, eqs. 19-20, 25-26; {@link GaussianFilterbank}): row r of the
     * result is example r's n x size filterbank over one image axis, from its grid centre, log sigma^2 and stride (each a
     * rows x 1 column).
     */
    public Node gaussianFilterbank(Node centre, Node logVariance, Node stride, int n, int size) {
        Node out = output(centre.rows(), n * size, centre, logVariance, stride);
        return record(out, new Op() {
            public void forward() { GaussianFilterbank.forward(centre.value, logVariance.value, stride.value, n, size, out.value); }

            public void backward() {
                boolean dc = centre.requiresGrad(), dv = logVariance.requiresGrad(), ds = stride.requiresGrad();
                GaussianFilterbank.backward(out.grad, out.value, centre.value, logVariance.value, stride.value, n, size,
                        dc ? centre.target() : null, dv ? logVariance.target() : null, ds ? stride.target() : null);
                if (dc) centre.done();
                if (dv) logVariance.done();
                if (ds) stride.done();
            }
        });
    }

    // ---------------------------------------------------------------- recurrent cells and latent variables

    /**
     * One LSTM cell from its gates' pre-activations (B x 4H, column blocks [i f o g]) and the previous cell state
     * (B x H): c = sigmoid(f) cPrev + sigmoid(i) tanh(g), h = sigmoid(o) tanh(c) ({@link Elementwise#lstmCell}). Both
     * outputs come from one fused pass; the backward pass takes whichever of dh, dc arrived.
     */
    public Lstm.State lstmCell(Node gates, Node cPrev) {
        int rows = cPrev.rows(), n = cPrev.cols();
        if (gates.rows() != rows || gates.cols() != 4 * n) {
            throw new IllegalArgumentException("lstmCell: gates " + gates.shape() + " do not fit a cell state " + cPrev.shape());
        }
        Node h = output(rows, n, gates, cPrev), c = output(rows, n, gates, cPrev);
        Matrix act = Matrix.zeros(rows, 4 * n), tanhC = Matrix.zeros(rows, n);
        Matrix[] zeros = new Matrix[1], unused = new Matrix[1];   // allocated on first need
        record(new Node[] {h, c}, new Op() {
            public void forward() { Elementwise.lstmCell(gates.value, cPrev.value, act, c.value, tanhC, h.value); }

            public void backward() {
                if (!h.gradWritten || !c.gradWritten) {
                    if (zeros[0] == null) zeros[0] = Matrix.zeros(rows, n);
                }
                Matrix dh = h.gradWritten ? h.grad : zeros[0], dc = c.gradWritten ? c.grad : zeros[0];
                Matrix dcPrev;
                if (cPrev.requiresGrad()) {
                    dcPrev = cPrev.target();
                } else {
                    if (unused[0] == null) unused[0] = Matrix.zeros(rows, n);
                    dcPrev = unused[0];
                }
                Elementwise.lstmCellBackward(act, cPrev.value, tanhC, dh, dc, gates.target(), dcPrev);
                gates.done();
                if (cPrev.requiresGrad()) cPrev.done();
            }
        });
        return new Lstm.State(h, c);
    }

    /**
     * KL(N(mu, diag(exp(logSigma))^2) || N(0, I)) per row (rows x 1), in closed form: sum_j (mu^2 + sigma^2 - 2 log sigma
     * - 1) / 2 (Kingma &amp; Welling 2014, appendix B; DRAW's latent loss, Gregor et al. 2015, eq. 11).
     */
    public Node gaussianKlToStandard(Node mu, Node logSigma) {
        requireSameShape(mu, logSigma, "gaussianKlToStandard");
        Node out = output(mu.rows(), 1, mu, logSigma);
        Matrix variance = Matrix.zeros(mu.rows(), mu.cols());
        double[] kl = new double[mu.rows()], g = new double[mu.rows()];
        return record(out, new Op() {
            public void forward() { setColumn(out.value, Elementwise.gaussianKlToStandard(mu.value, logSigma.value, variance, kl)); }

            public void backward() {
                getColumn(out.grad, g);
                boolean dm = mu.requiresGrad(), ds = logSigma.requiresGrad();
                Elementwise.gaussianKlToStandardBackward(mu.value, variance, g, dm ? mu.target() : null, ds ? logSigma.target() : null);
                if (dm) mu.done();
                if (ds) logSigma.done();
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    private static void setColumn(Matrix column, double[] values) {
        for (int i = 0; i < values.length; i++) column.set(i, 0, (float) values[i]);
    }

    private static void getColumn(Matrix column, double[] dst) {
        for (int i = 0; i < dst.length; i++) dst[i] = column.get(i, 0);
    }

    private static void copyColumns(Matrix src, int srcFrom, Matrix dst, int dstFrom, int count) {
        for (int i = 0; i < src.rows(); i++) {
            for (int j = 0; j < count; j++) dst.set(i, dstFrom + j, src.get(i, srcFrom + j));
        }
    }
}
