package dgm4j.draw;

import java.util.ArrayList;
import java.util.List;

import dgm4j.InputException;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Lstm;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * DRAW (Gregor et al. 2015, sec. 2): a recurrent encoder reads the image, a recurrent decoder draws it on a canvas in T
 * steps, and a latent z_t passes between them at every step. For an image x (binary pixels) and t = 1..T:
 * <pre>
 *   x^_t    = x - sigmoid(c_{t-1})                                  (eq. 3: the error image)
 *   r_t     = read(x, x^_t, h^dec_{t-1})                            (eq. 4, {@link Attention})
 *   h^enc_t = RNN^enc(h^enc_{t-1}, [r_t, h^dec_{t-1}])              (eq. 5, an {@link Lstm})
 *   z_t     ~ Q(Z_t | h^enc_t) = N(mu_t, sigma_t),  mu_t = W(h^enc_t), sigma_t = exp(W(h^enc_t))   (eqs. 1-2, 6)
 *   h^dec_t = RNN^dec(h^dec_{t-1}, z_t)                             (eq. 7)
 *   c_t     = c_{t-1} + write(h^dec_t)                              (eq. 8: the canvas)
 * </pre>
 * p(x | z_1..T) = D(x | c_T) is Bernoulli with means sigmoid(c_T); the prior P(Z_t) = N(0, I) at every step. The loss
 * (eqs. 9-12) is the negative variational bound, L = L^x + L^z with L^x = -log D(x | c_T) and
 * L^z = sum_t KL(Q(Z_t | h^enc_t) || P(Z_t)) = sum_t (mu_t^2 + sigma_t^2 - log sigma_t^2 - 1) / 2 in closed form.
 * Generation (eqs. 13-16) runs the decoder alone with z_t ~ N(0, I). z_t is drawn by reparameterisation,
 * z_t = mu_t + sigma_t eps_t, so the whole unrolled graph is differentiable (backpropagation through time).
 *
 * <p>The initial states h^enc_0, h^dec_0 and the canvas c_0 are learned biases (broadcast over the batch); the cell
 * states start at 0. Parameters: {@code encoder.*} and {@code decoder.*} ({@link Lstm}), {@code q.mean.*},
 * {@code q.log_sigma.*} [H_enc, Z], the attention's ({@link Attention}), {@code encoder.h0} [H_enc],
 * {@code decoder.h0} [H_dec] and {@code canvas0} [B A].
 */
public final class Draw {
    public static final String KIND = "draw";

    /**
     * The model's shape: images of {@code height} x {@code width} pixels drawn in {@code steps} (T) steps, LSTMs of
     * {@code encoderSize} and {@code decoderSize} units, z_t of {@code latent} dimensions, and with attention N x N read
     * and write grids.
     */
    public record Architecture(int height, int width, int steps, int encoderSize, int decoderSize, int latent, boolean attention,
                               int readN, int writeN) {
        public Architecture {
            if (height < 1 || width < 1) throw new InputException("DRAW draws images: height and width must be positive, got " + height + "x" + width);
            if (steps < 1) throw new InputException("the number of steps T must be at least 1, got " + steps);
            if (encoderSize < 1 || decoderSize < 1) throw new InputException("the LSTMs need at least 1 unit, got " + encoderSize + " and " + decoderSize);
            if (latent < 1) throw new InputException("z_t needs at least 1 dimension, got " + latent);
            if (!attention) {
                readN = 0;
                writeN = 0;
            }
        }

        /** The paper's MNIST model: 28 x 28, T = 64, 256 LSTM units, z of 100, 2 x 2 read and 5 x 5 write (sec. 4.2). */
        public static Architecture paperMnist(boolean attention) {
            return new Architecture(28, 28, 64, 256, 256, 100, attention, 2, 5);
        }

        public int dataDim() { return height * width; }

        /** Refuses images of another size than the model's (height 0: not images, then only the width is checked). */
        public void requireImages(int imageHeight, int imageWidth, int pixels, String what) {
            if (imageHeight > 0 && (imageHeight != height || imageWidth != width)) {
                throw new InputException(what + ": " + imageHeight + "x" + imageWidth + " images, but the model draws " + height + "x" + width);
            }
            if (pixels != dataDim()) {
                throw new InputException(what + ": " + pixels + " pixels per image, but the model draws " + height + "x" + width + " = " + dataDim());
            }
        }

        @Override
        public String toString() {
            return height + "x" + width + ", T = " + steps + ", LSTMs " + encoderSize + "/" + decoderSize + ", z " + latent + ", "
                    + (attention ? "read " + readN + "x" + readN + ", write " + writeN + "x" + writeN : "no attention");
        }
    }

    private final Architecture architecture;
    private final Attention attention;
    private final Lstm encoder;
    private final Lstm decoder;
    private final Parameter qMeanWeight, qMeanBias, qLogSigmaWeight, qLogSigmaBias;
    private final Parameter encoderH0, decoderH0, canvas0;

    /** A model with zero parameters, to be read from a file ({@link DrawFiles}); {@link #initialize} makes a new one. */
    public Draw(Architecture a) {
        this.architecture = a;
        this.attention = a.attention() ? Attention.gaussian(a.height(), a.width(), a.readN(), a.writeN(), a.decoderSize())
                : Attention.none(a.height(), a.width(), a.decoderSize());
        this.encoder = new Lstm("encoder", attention.readSize() + a.decoderSize(), a.encoderSize());
        this.decoder = new Lstm("decoder", a.latent(), a.decoderSize());
        this.qMeanWeight = new Parameter("q.mean.weight", Matrix.zeros(a.encoderSize(), a.latent()));
        this.qMeanBias = new Parameter("q.mean.bias", Matrix.zeros(1, a.latent()));
        this.qLogSigmaWeight = new Parameter("q.log_sigma.weight", Matrix.zeros(a.encoderSize(), a.latent()));
        this.qLogSigmaBias = new Parameter("q.log_sigma.bias", Matrix.zeros(1, a.latent()));
        this.encoderH0 = new Parameter("encoder.h0", Matrix.zeros(1, a.encoderSize()));
        this.decoderH0 = new Parameter("decoder.h0", Matrix.zeros(1, a.decoderSize()));
        this.canvas0 = new Parameter("canvas0", Matrix.zeros(1, a.dataDim()));
    }

    /**
     * A new model: Glorot-uniform weights, zero biases (the LSTMs' forget gates at 1), zero initial states, and the canvas
     * c_0 at the logit of the training mean (clipped to [1e-4, 1 - 1e-4]; null: 0), so that sigmoid(c_0) starts at the
     * data's pixel marginals.
     */
    public static Draw initialize(Architecture a, RandomStream random, Matrix trainingMean) {
        Draw d = new Draw(a);
        d.encoder.initializeParameters(random);
        d.decoder.initializeParameters(random);
        for (Parameter p : List.of(d.qMeanWeight, d.qLogSigmaWeight)) Parameter.glorotUniform(p.value(), random);
        d.attention.initializeParameters(random);
        if (trainingMean != null) {
            if (trainingMean.cols() != a.dataDim()) throw new IllegalArgumentException("training mean " + trainingMean.shape() + " for " + a.dataDim() + " pixels");
            for (int j = 0; j < a.dataDim(); j++) {
                double m = Math.min(Math.max(trainingMean.get(0, j), 1e-4), 1 - 1e-4);
                d.canvas0.value().set(0, j, (float) Math.log(m / (1 - m)));
            }
        }
        return d;
    }

    public Architecture architecture() { return architecture; }

    public Attention attention() { return attention; }

    /** Every parameter: encoder, Q, decoder, attention, initial states. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(encoder.parameters());
        all.addAll(List.of(qMeanWeight, qMeanBias, qLogSigmaWeight, qLogSigmaBias));
        all.addAll(decoder.parameters());
        all.addAll(attention.parameters());
        all.addAll(List.of(encoderH0, decoderH0, canvas0));
        return all;
    }

    /**
     * The network unrolled over T steps for {@code batch} images, recorded in a graph.
     *
     * @param x              the images (batch x B A), filled by the caller
     * @param noise          eps_t ~ N(0, I) for each step (batch x Z), filled by {@link #fillNoise}
     * @param logLikelihood  log D(x | c_T) per image (batch x 1): minus the reconstruction loss L^x
     * @param kl             sum_t KL(Q(Z_t | h^enc_t) || N(0, I)) per image (batch x 1): the latent loss L^z
     * @param logWeights     log p(x, z) - log q(z | x) per image for the sampled z_1..T (batch x 1; null unless asked):
     *                       the importance weight of the sample, whose mean over samples is a bound like the ELBO
     * @param canvases       c_1 .. c_T (batch x B A each; logits)
     */
    public record Unrolled(Node x, List<Node> noise, Node logLikelihood, Node kl, Node logWeights, List<Node> canvases, int batch) {
        /** Fills the noise inputs with fresh N(0, I) draws. */
        public void fillNoise(RandomStream random) {
            for (Node n : noise) random.gaussian(n.value());
        }
    }

    /** Records the T steps for {@code batch} images; with {@code importanceWeights} also log p(x, z) - log q(z | x). */
    public Unrolled unroll(Graph g, int batch, boolean importanceWeights) {
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        Architecture a = architecture;
        Node x = g.input(batch, a.dataDim());
        Lstm.State enc = new Lstm.State(g.repeatRows(g.parameter(encoderH0), batch), g.constant(Matrix.zeros(batch, a.encoderSize())));
        Lstm.State dec = new Lstm.State(g.repeatRows(g.parameter(decoderH0), batch), g.constant(Matrix.zeros(batch, a.decoderSize())));
        Node canvas = g.repeatRows(g.parameter(canvas0), batch);
        List<Node> noise = new ArrayList<>(), canvases = new ArrayList<>();
        Node kl = null, logPriorOverQ = null;
        for (int t = 0; t < a.steps(); t++) {
            Node xHat = g.subtract(x, g.sigmoid(canvas));                                     // eq. 3
            Node r = attention.read(g, x, xHat, dec.h());                                     // eq. 4
            enc = encoder.step(g, enc, r, dec.h());                                           // eq. 5
            Node mu = g.affine(enc.h(), g.parameter(qMeanWeight), g.parameter(qMeanBias));    // eq. 1
            Node logSigma = g.affine(enc.h(), g.parameter(qLogSigmaWeight), g.parameter(qLogSigmaBias));   // eq. 2
            Node eps = g.input(batch, a.latent());
            noise.add(eps);
            Node z = g.add(mu, g.multiply(g.exp(logSigma), eps));                            // eq. 6, reparameterised
            Node klT = g.gaussianKlToStandard(mu, logSigma);                                  // eq. 11, step t
            kl = kl == null ? klT : g.add(kl, klT);
            if (importanceWeights) {                                                          // log P(z_t) - log Q(z_t | h^enc_t)
                Node term = g.subtract(g.standardNormalLogDensity(z), g.gaussianLogDensity(z, mu, logSigma));
                logPriorOverQ = logPriorOverQ == null ? term : g.add(logPriorOverQ, term);
            }
            dec = decoder.step(g, dec, z);                                                    // eq. 7
            canvas = g.add(canvas, attention.write(g, dec.h()));                              // eq. 8
            canvases.add(canvas);
        }
        Node logLikelihood = g.bernoulliLogLikelihood(canvas, x);                             // eq. 9: -L^x
        Node logWeights = importanceWeights ? g.add(logLikelihood, logPriorOverQ) : null;
        return new Unrolled(x, noise, logLikelihood, kl, logWeights, canvases, batch);
    }

    /** The loss L = L^x + L^z averaged over the batch (eq. 12), 1 x 1: the negative variational bound, in nats. */
    public static Node loss(Graph g, Unrolled u) {
        return g.mean(g.subtract(u.kl(), u.logLikelihood()));
    }

    // ---------------------------------------------------------------- generation (evaluation graphs, not hot paths)

    /**
     * Draws {@code n} images from the model (eqs. 13-16): z_t ~ N(0, I), the decoder alone, the canvas accumulated.
     * Returns sigmoid(c_t) for t = 0..T (T + 1 matrices of n x B A): the canvas step by step, the last the means of
     * D(X | c_T).
     */
    public List<Matrix> generate(int n, RandomStream random) {
        if (n < 1) throw new InputException("the number of samples must be at least 1, got " + n);
        Architecture a = architecture;
        Graph g = new Graph(false);
        Lstm.State dec = new Lstm.State(g.repeatRows(g.parameter(decoderH0), n), g.constant(Matrix.zeros(n, a.decoderSize())));
        Node canvas = g.repeatRows(g.parameter(canvas0), n);
        List<Node> noise = new ArrayList<>(), canvases = new ArrayList<>(List.of(canvas));
        for (int t = 0; t < a.steps(); t++) {
            Node z = g.input(n, a.latent());                                                  // eq. 13
            noise.add(z);
            dec = decoder.step(g, dec, z);                                                    // eq. 14
            canvas = g.add(canvas, attention.write(g, dec.h()));                              // eq. 15
            canvases.add(canvas);
        }
        for (Node z : noise) random.gaussian(z.value());
        g.forward();
        List<Matrix> out = new ArrayList<>();
        for (Node c : canvases) out.add(Elementwise.sigmoid(c.value(), Matrix.zeros(n, a.dataDim())));
        return out;
    }

    // ---------------------------------------------------------------- bad input

    /** Refuses data of another width than the model's pixels, naming both. */
    public void requireWidth(Matrix data, String what) {
        architecture.requireImages(0, 0, data.cols(), what);
    }

    /** Column means (1 x D) of data, e.g. to start the canvas at the data's marginals. */
    public static Matrix columnMeans(Matrix data) {
        return Elementwise.columnSums(data, 1f / data.rows(), 0f, Matrix.zeros(1, data.cols()));
    }
}
