package dgm4j.attention;

import java.util.ArrayList;
import java.util.List;

import dgm4j.InputException;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Lstm;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
import dgm4j.math.Elementwise;
import dgm4j.math.Glimpses;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * A recurrent attention model (Mnih et al. 2014; Ba, Grosse, Salakhutdinov &amp; Frey 2015): it classifies an image X
 * from N glimpses, the n-th at an action a_n = (l_n, s_n), a location l_n in [-1, 1]^2 and a scale s_n in {0..S-1},
 * which are latent: the model is
 * <pre>
 *   p(y | X) = sum_a p(a | X) p(y | a, X),     p(a | X) = prod_n p(a_n | h_{n-1})
 *   p(l_n | h_{n-1}) = N(tanh(W_l h_{n-1}), sigma^2 I)  (fixed sigma)    p(s_n | h_{n-1}) = softmax(W_s h_{n-1})
 *   rho_n = retina(X, l_n, s_n)                       k patches of g x g, patch i of side g 2^(i + s_n) ({@link Glimpses})
 *   g_n   = relu(W_g2 relu(W_g1 rho_n) + W_w2 relu(W_w1 [l_n, s_n]))          the glimpse network (Mnih et al., sec. 4)
 *   h_n   = LSTM(h_{n-1}, g_n)                        the core, h_0 = 0 (so p(a_1) is learned but sees nothing yet)
 *   p(y | a, X) = softmax(W_c h_N)                    the classifier, after the last glimpse
 * </pre>
 * With {@code locationGrid} G &gt; 0 the location is instead a categorical over the centres of a G x G grid of cells
 * (softmax(W_l h_{n-1}) over G^2): few discrete actions, where sums over a can be enumerated exactly (the estimators'
 * tests do so).
 *
 * <p>Learning needs two more networks reading the core without training it (their inputs are stop-gradient copies):
 * a baseline b_n = W_b h_{n-1} for REINFORCE (Mnih et al.'s hybrid loss) and, for the wake-sleep rule, an inference
 * network q(a | y, X) = prod_n q(a_n | y, X, a_{1..n-1}) that sees the label: one rectifier layer
 * u_n = relu(W_u [h_{n-1}, onehot(y), coarse(X)] ) over the core's state, the label and a coarse view of the whole
 * image (area-sampled to c x c), then the same heads as p: N(tanh(W_ql u_n), sigma^2 I) (or a softmax over the grid)
 * and softmax(W_qs u_n). The estimators are {@link AttentionGradients}'.
 *
 * <p>Parameters (weights [in, out], y = x W + b): {@code glimpse.patch.*} [k g^2, H_g], {@code glimpse.where.*}
 * [2 + S, H_l], {@code glimpse.what_out.weight} [H_g, G_n], {@code glimpse.where_out.weight} [H_l, G_n],
 * {@code glimpse.out.bias} [G_n], {@code core.*} ({@link Lstm}), {@code policy.location.*} [H, 2 or G^2],
 * {@code policy.scale.*} [H, S] (S &gt; 1), {@code classifier.*} [H, C], {@code baseline.*} [H, 1], and with the
 * inference network {@code inference.hidden.*} [H + C + c^2, H_q], {@code inference.location.*},
 * {@code inference.scale.*}.
 */
public final class RecurrentAttention {
    public static final String KIND = "ram";

    /**
     * The model's shape: images of {@code height} x {@code width} in {@code classes} classes, N = {@code glimpses},
     * a retina of {@code patches} (k) patches of {@code glimpseSize} (g) pixels, {@code scales} (S) scale actions,
     * locations Gaussian with std {@code locationStd} ({@code locationGrid} 0) or on a G x G grid, a glimpse network
     * of {@code glimpseHidden} / {@code locationHidden} / {@code glimpseFeatures} units, an LSTM core of
     * {@code coreSize} units, and (if {@code inference}) an inference network of {@code inferenceHidden} units with a
     * {@code contextSize} x {@code contextSize} view of the image.
     */
    public record Architecture(int height, int width, int classes, int glimpses, int glimpseSize, int patches, int scales,
                               int locationGrid, double locationStd, int glimpseHidden, int locationHidden,
                               int glimpseFeatures, int coreSize, boolean inference, int inferenceHidden, int contextSize) {
        public Architecture {
            if (height < 1 || width < 1) throw new InputException("images must be at least 1x1, got " + height + "x" + width);
            if (classes < 2) throw new InputException("a classifier needs at least 2 classes, got " + classes);
            if (glimpses < 1) throw new InputException("the number of glimpses N must be at least 1, got " + glimpses);
            if (glimpseSize < 1) throw new InputException("glimpse patches must be at least 1x1 pixels, got " + glimpseSize);
            if (patches < 1 || patches > 8) throw new InputException("the retina takes 1 to 8 patches, got " + patches);
            if (scales < 1 || scales > 4) throw new InputException("the scale action has 1 to 4 choices, got " + scales);
            if (locationGrid < 0 || locationGrid == 1 || locationGrid > 32) {
                throw new InputException("the location grid must be 0 (Gaussian locations) or 2 to 32 cells a side, got " + locationGrid);
            }
            if (locationGrid == 0 && !(locationStd > 0 && locationStd < 10)) {
                throw new InputException("the location policy's standard deviation must be in (0, 10), got " + locationStd);
            }
            if (locationGrid > 0) locationStd = 0;
            if (glimpseHidden < 1 || locationHidden < 1 || glimpseFeatures < 1 || coreSize < 1) {
                throw new InputException("layer sizes must be positive, got " + glimpseHidden + ", " + locationHidden + ", " + glimpseFeatures + ", " + coreSize);
            }
            if (inference && (inferenceHidden < 1 || contextSize < 1)) {
                throw new InputException("the inference network needs positive sizes, got " + inferenceHidden + " units and a " + contextSize + "x" + contextSize + " view");
            }
            if (!inference) {
                inferenceHidden = 0;
                contextSize = 0;
            }
        }

        /**
         * Mnih et al.'s sizes (sec. 4: H_g = H_l = 128, G_n = 256, a 256-unit core) with a retina of 8 x 8, one patch,
         * on images up to 28 pixels, and of 12 x 12, three patches, on larger canvases (their translated MNIST); three
         * scales, Gaussian locations with std {@code locationStd}; the inference network (if asked) of 256 units with a
         * 12 x 12 view.
         */
        public static Architecture standard(int height, int width, int classes, int glimpses, double locationStd, boolean inference) {
            boolean large = Math.max(height, width) > 28;
            return new Architecture(height, width, classes, glimpses, large ? 12 : 8, large ? 3 : 1, 3, 0, locationStd,
                    128, 128, 256, 256, inference, 256, 12);
        }

        public int pixels() { return height * width; }

        /** Width of the retina's output, k g^2. */
        public int retinaSize() { return patches * glimpseSize * glimpseSize; }

        /** Columns of the location head: 2 (a Gaussian mean) or G^2 (grid logits). */
        public int locationOutputs() { return locationGrid == 0 ? 2 : locationGrid * locationGrid; }

        /** The same model with or without the inference network (same sizes otherwise). */
        public Architecture withInference(boolean on, int hidden, int context) {
            return new Architecture(height, width, classes, glimpses, glimpseSize, patches, scales, locationGrid, locationStd,
                    glimpseHidden, locationHidden, glimpseFeatures, coreSize, on, hidden, context);
        }

        /** Refuses images of another shape than the model's (height 0: not images, then only the width is checked). */
        public void requireImages(int imageHeight, int imageWidth, int pixels, String what) {
            if (imageHeight > 0 && (imageHeight != height || imageWidth != width)) {
                throw new InputException(what + ": " + imageHeight + "x" + imageWidth + " images, but the model looks at " + height + "x" + width);
            }
            if (pixels != pixels()) {
                throw new InputException(what + ": " + pixels + " values per example, but the model looks at " + height + "x" + width + " images");
            }
        }

        @Override
        public String toString() {
            return height + "x" + width + ", " + classes + " classes, N = " + glimpses + " glimpses of " + patches + " x "
                    + glimpseSize + "x" + glimpseSize + ", " + scales + " scales, " + (locationGrid == 0 ? "Gaussian locations (std " + locationStd + ")"
                    : locationGrid + "x" + locationGrid + " location grid") + ", LSTM " + coreSize
                    + (inference ? ", inference network " + inferenceHidden + " (view " + contextSize + "x" + contextSize + ")" : "");
        }
    }

    /** Which distribution the actions are drawn from when a graph is recorded. */
    public enum Sampling {
        /** a ~ p(a | X): REINFORCE, the variational bound with q = prior, classification. */
        PRIOR,
        /** a ~ q(a | y, X): the wake-sleep rule (needs the inference network). */
        PROPOSAL
    }

    private final Architecture architecture;
    private final Parameter patchWeight, patchBias, whereWeight, whereBias, whatOut, whereOut, glimpseBias;
    private final Lstm core;
    private final Parameter locationWeight, locationBias, scaleWeight, scaleBias, classifierWeight, classifierBias;
    private final Parameter baselineWeight, baselineBias;
    private final Parameter inferenceWeight, inferenceBias, inferenceLocationWeight, inferenceLocationBias;
    private final Parameter inferenceScaleWeight, inferenceScaleBias;

    /** A model with zero parameters, to be read from a file ({@link RamFiles}); {@link #initialize} makes a new one. */
    public RecurrentAttention(Architecture a) {
        this.architecture = a;
        int s = a.scales(), h = a.coreSize();
        patchWeight = zeros("glimpse.patch.weight", a.retinaSize(), a.glimpseHidden());
        patchBias = zeros("glimpse.patch.bias", 1, a.glimpseHidden());
        whereWeight = zeros("glimpse.where.weight", 2 + s, a.locationHidden());
        whereBias = zeros("glimpse.where.bias", 1, a.locationHidden());
        whatOut = zeros("glimpse.what_out.weight", a.glimpseHidden(), a.glimpseFeatures());
        whereOut = zeros("glimpse.where_out.weight", a.locationHidden(), a.glimpseFeatures());
        glimpseBias = zeros("glimpse.out.bias", 1, a.glimpseFeatures());
        core = new Lstm("core", a.glimpseFeatures(), h);
        locationWeight = zeros("policy.location.weight", h, a.locationOutputs());
        locationBias = zeros("policy.location.bias", 1, a.locationOutputs());
        scaleWeight = s > 1 ? zeros("policy.scale.weight", h, s) : null;
        scaleBias = s > 1 ? zeros("policy.scale.bias", 1, s) : null;
        classifierWeight = zeros("classifier.weight", h, a.classes());
        classifierBias = zeros("classifier.bias", 1, a.classes());
        baselineWeight = zeros("baseline.weight", h, 1);
        baselineBias = zeros("baseline.bias", 1, 1);
        boolean q = a.inference();
        int c = a.contextSize();
        inferenceWeight = q ? zeros("inference.hidden.weight", h + a.classes() + c * c, a.inferenceHidden()) : null;
        inferenceBias = q ? zeros("inference.hidden.bias", 1, a.inferenceHidden()) : null;
        inferenceLocationWeight = q ? zeros("inference.location.weight", a.inferenceHidden(), a.locationOutputs()) : null;
        inferenceLocationBias = q ? zeros("inference.location.bias", 1, a.locationOutputs()) : null;
        inferenceScaleWeight = q && s > 1 ? zeros("inference.scale.weight", a.inferenceHidden(), s) : null;
        inferenceScaleBias = q && s > 1 ? zeros("inference.scale.bias", 1, s) : null;
    }

    private static Parameter zeros(String name, int rows, int cols) {
        return new Parameter(name, Matrix.zeros(rows, cols));
    }

    /** A new model: Glorot-uniform weights, zero biases (the core's forget gates at 1, {@link Lstm#initializeParameters}). */
    public static RecurrentAttention initialize(Architecture a, RandomStream random) {
        RecurrentAttention m = new RecurrentAttention(a);
        m.core.initializeParameters(random);
        for (Parameter p : m.parameters()) {
            if (p.value().rows() > 1 && !p.name().startsWith("core.")) Parameter.glorotUniform(p.value(), random);
        }
        return m;
    }

    public Architecture architecture() { return architecture; }

    /** Every parameter: the attention model p (glimpse network, core, policy, classifier), the baseline, then q's. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(modelParameters());
        all.addAll(baselineParameters());
        all.addAll(inferenceParameters());
        return all;
    }

    /** The attention model's own parameters W: glimpse network, core, location and scale policy, classifier. */
    public List<Parameter> modelParameters() {
        List<Parameter> all = new ArrayList<>(List.of(patchWeight, patchBias, whereWeight, whereBias, whatOut, whereOut, glimpseBias));
        all.addAll(core.parameters());
        all.addAll(policyParameters());
        all.addAll(List.of(classifierWeight, classifierBias));
        return all;
    }

    /** The location and scale policy's parameters (the heads of p(a_n | h_{n-1})). */
    public List<Parameter> policyParameters() {
        List<Parameter> all = new ArrayList<>(List.of(locationWeight, locationBias));
        if (scaleWeight != null) all.addAll(List.of(scaleWeight, scaleBias));
        return all;
    }

    /** REINFORCE's baseline b_n = W_b h_{n-1} + b. */
    public List<Parameter> baselineParameters() { return List.of(baselineWeight, baselineBias); }

    /** The inference network q(a | y, X)'s parameters (empty without it). */
    public List<Parameter> inferenceParameters() {
        if (inferenceWeight == null) return List.of();
        List<Parameter> all = new ArrayList<>(List.of(inferenceWeight, inferenceBias, inferenceLocationWeight, inferenceLocationBias));
        if (inferenceScaleWeight != null) all.addAll(List.of(inferenceScaleWeight, inferenceScaleBias));
        return all;
    }

    // ---------------------------------------------------------------- the unrolled network

    /**
     * One glimpse's action as drawn on the last forward pass: {@code location} (rows x 2, l_n before clamping; the
     * glimpse is taken at the clamped value), {@code scale} s_n per row, and for a location grid the cell index per row.
     * {@link #force} replaces the draws by given actions (to enumerate action sequences, or to check gradients).
     */
    public static final class Action {
        private final Node location;
        final int[] scale;
        final int[] cell;
        int[] forcedCell, forcedScale;
        Matrix forcedLocation;
        final Matrix locationNoise, cellUniforms, scaleUniforms;

        Action(Node location, int rows, boolean grid) {
            this.location = location;
            this.scale = new int[rows];
            this.cell = grid ? new int[rows] : null;
            this.locationNoise = grid ? null : Matrix.zeros(rows, 2);
            this.cellUniforms = grid ? Matrix.zeros(rows, 1) : null;
            this.scaleUniforms = Matrix.zeros(rows, 1);
        }

        /** l_n per row (rows x 2), as drawn (not clamped). */
        public Node location() { return location; }

        /** s_n of row r. */
        public int scale(int r) { return scale[r]; }

        /** The grid cell of row r (a location grid only). */
        public int cell(int r) { return cell[r]; }

        /**
         * Forces the next forward passes' actions, per row: grid cells (a location grid) or locations (rows x 2,
         * Gaussian locations), and scales; null leaves that part drawn.
         */
        public void force(int[] cells, Matrix locations, int[] scales) {
            this.forcedCell = cells;
            this.forcedLocation = locations;
            this.forcedScale = scales;
        }

        void fill(RandomStream random) {
            if (locationNoise != null) random.gaussian(locationNoise);
            if (cellUniforms != null) random.uniforms(cellUniforms);
            random.uniforms(scaleUniforms);
        }
    }

    /**
     * The network over N glimpses for {@code rows} = images x samples rows, recorded in a graph.
     *
     * @param images        the images (images x H W), filled by the caller; row r of the network looks at image r / samples
     * @param labels        one-hot labels per row (rows x C), filled by the caller ({@link #fillLabels})
     * @param actions       the N actions
     * @param logLikelihood log p(y | a, X) per row (rows x 1)
     * @param classLogits   W_c h_N per row (rows x C)
     * @param logPrior      log p(a_n | h_{n-1}) per row and glimpse (rows x N)
     * @param logProposal   log q(a_n | y, X, a_{&lt;n}) per row and glimpse (rows x N; recorded only when drawing from q)
     * @param baseline      b_n per row and glimpse (rows x N; null unless asked)
     */
    public record Unrolled(Node images, Node labels, List<Action> actions, Node logLikelihood, Node classLogits, Node logPrior,
                           Node logProposal, Node baseline, int rows, int samples, Sampling sampling) {
        /** Draws the noise every action is computed from (Gaussian location noise, uniforms for categorical draws). */
        public void fillNoise(RandomStream random) {
            for (Action a : actions) a.fill(random);
        }

        /** Sets the one-hot label rows: example i's label for its {@code samples} rows. */
        public void fillLabels(int[] y) {
            if (y.length * samples != rows) throw new IllegalArgumentException(y.length + " labels for " + rows + " rows of " + samples + " samples");
            Matrix m = labels.value();
            m.fill(0f);
            for (int r = 0; r < rows; r++) {
                int c = y[r / samples];
                if (c < 0 || c >= m.cols()) throw new InputException("label " + c + " outside the model's " + m.cols() + " classes");
                m.set(r, c, 1f);
            }
        }
    }

    /**
     * Records the N glimpses for {@code images} x {@code samples} rows, drawing actions by {@code sampling}; the
     * inference network is recorded when actions are drawn from it, the baseline when asked.
     */
    public Unrolled unroll(Graph g, int images, int samples, Sampling sampling, boolean withBaseline) {
        if (images < 1 || samples < 1) throw new IllegalArgumentException("need at least one image and one sample, got " + images + " x " + samples);
        Architecture a = architecture;
        boolean q = sampling == Sampling.PROPOSAL;
        if (q && !a.inference()) throw new IllegalStateException("drawing from q(a | y, X) needs the inference network");
        int rows = images * samples, s = a.scales();
        boolean grid = a.locationGrid() > 0;
        Node x = g.input(images, a.pixels());
        Node labels = g.input(rows, a.classes());
        Node logSigma = grid ? null : g.constant(Matrix.zeros(rows, 2).fill((float) Math.log(a.locationStd())));
        Node context = q ? wholeImage(g, x, rows, a.contextSize()) : null;   // coarse(X), q's view of the whole image
        Glimpses retina = new Glimpses(a.height(), a.width(), a.glimpseSize(), (double) a.glimpseSize() * (1 << (a.patches() + s - 2)));
        Lstm.State state = core.zeroState(g, rows);
        List<Action> actions = new ArrayList<>();
        List<Node> logPrior = new ArrayList<>(), logProposal = new ArrayList<>(), baseline = new ArrayList<>();
        for (int n = 0; n < a.glimpses(); n++) {
            Node h = state.h();
            Node hStopped = g.stopGradient(h);
            // the policy p(a_n | h_{n-1})
            Node locationP = g.affine(h, g.parameter(locationWeight), g.parameter(locationBias));
            if (!grid) locationP = g.tanh(locationP);                                        // the mean of l_n
            Node scaleP = s > 1 ? g.affine(h, g.parameter(scaleWeight), g.parameter(scaleBias)) : null;
            // the proposal q(a_n | y, X, a_{<n})
            Node locationQ = null, scaleQ = null;
            if (q) {
                Node u = g.relu(g.affine(g.concatColumns(hStopped, labels, context), g.parameter(inferenceWeight), g.parameter(inferenceBias)));
                locationQ = g.affine(u, g.parameter(inferenceLocationWeight), g.parameter(inferenceLocationBias));
                if (!grid) locationQ = g.tanh(locationQ);
                scaleQ = s > 1 ? g.affine(u, g.parameter(inferenceScaleWeight), g.parameter(inferenceScaleBias)) : null;
            }
            Action act = draw(g, rows, grid, q ? locationQ : locationP, q ? scaleQ : scaleP);   // a_n ~ q or p
            actions.add(act);
            Node cellOneHot = grid ? oneHot(g, rows, a.locationOutputs(), act.cell) : null;
            Node scaleOneHot = oneHot(g, rows, s, act.scale);
            logPrior.add(logActionProbability(g, grid, act, locationP, scaleP, logSigma, cellOneHot, scaleOneHot));
            if (q) logProposal.add(logActionProbability(g, grid, act, locationQ, scaleQ, logSigma, cellOneHot, scaleOneHot));
            if (withBaseline) baseline.add(g.affine(hStopped, g.parameter(baselineWeight), g.parameter(baselineBias)));
            // the glimpse at a_n, and the core's step
            Node rho = g.nonDifferentiable(rows, a.retinaSize(), out -> retina.retina(x.value(), act.location.value(), act.scale,
                    a.patches(), out));
            Node where = g.nonDifferentiable(rows, 2 + s, out -> whereInput(act, out));
            Node what = g.relu(g.affine(rho, g.parameter(patchWeight), g.parameter(patchBias)));
            Node whereHidden = g.relu(g.affine(where, g.parameter(whereWeight), g.parameter(whereBias)));
            Node glimpse = g.relu(g.add(g.affine(what, g.parameter(whatOut), g.parameter(glimpseBias)),
                    g.matmul(whereHidden, false, g.parameter(whereOut), false)));
            state = core.step(g, state, glimpse);
        }
        Node logits = g.affine(state.h(), g.parameter(classifierWeight), g.parameter(classifierBias));
        Node logLikelihood = g.logSoftmaxLikelihood(logits, labels);
        return new Unrolled(x, labels, actions, logLikelihood, logits, g.concatColumns(logPrior.toArray(new Node[0])),
                q ? g.concatColumns(logProposal.toArray(new Node[0])) : null,
                withBaseline ? g.concatColumns(baseline.toArray(new Node[0])) : null, rows, samples, sampling);
    }

    /** The whole image, area-sampled to c x c (a square view centred on the image, of its larger side), per row. */
    private Node wholeImage(Graph g, Node x, int rows, int c) {
        Architecture a = architecture;
        double side = Math.max(a.height(), a.width());
        float[] patch = new float[c * c];
        Glimpses view = new Glimpses(a.height(), a.width(), c, side);
        return g.nonDifferentiable(rows, c * c, out -> {
            int perImage = rows / x.value().rows();
            for (int i = 0; i < x.value().rows(); i++) {                 // one view per image, copied to its samples' rows
                view.patch(x.value(), i, a.width() / 2.0, a.height() / 2.0, side, patch, 0);
                for (int r = i * perImage; r < (i + 1) * perImage; r++) out.setRow(r, patch);
            }
        });
    }

    /** The action node: l_n = mu + sigma eps (or a grid cell's centre) and s_n, drawn from the given heads' values. */
    private Action draw(Graph g, int rows, boolean grid, Node locationHead, Node scaleHead) {
        Architecture a = architecture;
        Action[] made = new Action[1];
        Node location = g.nonDifferentiable(rows, 2, out -> {
            Action act = made[0];
            if (act == null) return;                   // recording: filled below once the action exists
            if (grid) {
                int[] cells = act.forcedCell != null ? act.forcedCell : Elementwise.sampleCategoricalRows(locationHead.value(), act.cellUniforms, act.cell);
                if (cells != act.cell) System.arraycopy(cells, 0, act.cell, 0, rows);
                int side = a.locationGrid();                  // cell c's centre: column c % G, row c / G
                for (int r = 0; r < rows; r++) {
                    out.set(r, 0, (float) (-1 + (2 * (act.cell[r] % side) + 1) / (double) side));
                    out.set(r, 1, (float) (-1 + (2 * (act.cell[r] / side) + 1) / (double) side));
                }
            } else if (act.forcedLocation != null) {
                out.copyFrom(act.forcedLocation);
            } else {
                Elementwise.axpby(1f, locationHead.value(), (float) a.locationStd(), act.locationNoise, out);   // l = mu + sigma eps
            }
            if (act.forcedScale != null) System.arraycopy(act.forcedScale, 0, act.scale, 0, rows);
            else if (scaleHead != null) Elementwise.sampleCategoricalRows(scaleHead.value(), act.scaleUniforms, act.scale);
        });
        made[0] = new Action(location, rows, grid);
        return made[0];
    }

    /** The one-hot rows of an action's indices (a node refilled on every pass). */
    private static Node oneHot(Graph g, int rows, int cols, int[] index) {
        return g.nonDifferentiable(rows, cols, out -> {
            out.fill(0f);
            for (int r = 0; r < rows; r++) out.set(r, index[r], 1f);
        });
    }

    /** log p(a_n) under one head: the location's (Gaussian density or grid softmax) plus the scale's softmax. */
    private static Node logActionProbability(Graph g, boolean grid, Action act, Node locationHead, Node scaleHead, Node logSigma,
                                             Node cellOneHot, Node scaleOneHot) {
        Node location = grid ? g.logSoftmaxLikelihood(locationHead, cellOneHot) : g.gaussianLogDensity(act.location, locationHead, logSigma);
        return scaleHead == null ? location : g.add(location, g.logSoftmaxLikelihood(scaleHead, scaleOneHot));
    }

    /** [clamp(l_n), onehot(s_n)]: the glimpse network's "where" input. */
    private static void whereInput(Action act, Matrix out) {
        Matrix l = act.location.value();
        out.fill(0f);
        for (int r = 0; r < out.rows(); r++) {
            out.set(r, 0, Math.max(-1f, Math.min(1f, l.get(r, 0))));
            out.set(r, 1, Math.max(-1f, Math.min(1f, l.get(r, 1))));
            out.set(r, 2 + act.scale[r], 1f);
        }
    }
}
