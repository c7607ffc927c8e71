package dgm4j.attention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dgm4j.InputException;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * The gradient estimators of the lecture's stochastic attention section, on one {@link RecurrentAttention}: for a
 * minibatch of B images with labels y and M action sequences a_m per image, each fills the parameters' gradients with
 * an estimate of minus the gradient of its objective (so an optimizer's descent step ascends it), averaged over the
 * images:
 * <ul>
 * <li>{@link Rule#REINFORCE} (Williams 1992; Mnih et al. 2014's hybrid loss): a_m ~ p(a | X), reward R_m = 1 if
 *     argmax_c p(c | a_m, X) = y else 0, and per glimpse a learned baseline b_n:
 *     (1/M) sum_m [ d log p(y | a_m, X) + sum_n (R_m - b_n) d log p(a_{m,n} | h_{n-1}) ] for W, and the regression of
 *     b_n on R_m (loss (R_m - b_n)^2 / 2) for the baseline.</li>
 * <li>{@link Rule#PRIOR}: the variational bound with q = prior, F = sum_a p(a | X) log p(y | a, X), whose gradient
 *     sum_a p(a | X) [ d log p(y | a, X) + log p(y | a, X) d log p(a | X) ] carries the unbounded log p(y | a, X) as
 *     its reward; estimated as REINFORCE with R_m = log p(y | a_m, X) (and the same baseline, unless turned off).</li>
 * <li>{@link Rule#WAKE_SLEEP} (WS-RAM, Ba et al. 2015): a_m ~ q(a | y, X), importance weights
 *     w_m = p(a_m | X) p(y | a_m, X) / q(a_m | y, X), normalised w~_m = w_m / sum_j w_j. The attention model ascends
 *     L_M = log (1/M) sum_m w_m, whose gradient is sum_m w~_m [ d log p(y | a_m, X) + d log p(a_m | X) ] (an
 *     importance-sampling estimate of d log p(y | X), the expectation under the posterior p(a | y, X)); q takes the
 *     wake update sum_m w~_m d log q(a_m | y, X), the same weights estimating minus the gradient of
 *     KL(p(a | y, X) || q(a | y, X)). Control variates: E_q[(p(a | X) / q(a | y, X)) d log p(a | X)] = 0 and
 *     E_q[d log q(a | y, X)] = 0, so with v~_m = r_m / sum_j r_j, r_m = p(a_m | X) / q(a_m | y, X), the prior term
 *     becomes sum_m (w~_m - v~_m) d log p(a_m | X) and q's sum_m (w~_m - 1/M) d log q(a_m | y, X): each subtracts an
 *     estimate of zero that is correlated with the term (the paper's control variates as recalled, not checked
 *     against its text).</li>
 * </ul>
 * The estimators are computed on one recorded graph: after the forward pass the per-row coefficients (1/M, R - b,
 * w~, ...) are filled into inputs, and the backward pass of the surrogate sum_r [c^y_r log p(y | a_r, X)
 * + sum_n c^p_{rn} log p(a_{rn}) + c^q_{rn} log q(a_{rn}) + c^b_{rn} b_{rn}] gives the estimate (the coefficients
 * are constants: no gradient flows through a weight or a reward).
 */
public final class AttentionGradients {
    /** The learning rule. */
    public enum Rule {
        REINFORCE("reinforce"), WAKE_SLEEP("ws"), PRIOR("prior");

        private final String text;

        Rule(String text) { this.text = text; }

        public String text() { return text; }

        /** reinforce | ws | prior. */
        public static Rule parse(String s) {
            for (Rule r : values()) if (r.text.equals(s.trim().toLowerCase(Locale.ROOT))) return r;
            throw new InputException("unknown learning rule \"" + s + "\": expected reinforce, ws or prior");
        }

        @Override
        public String toString() { return text; }
    }

    /**
     * @param samples         M action sequences per image
     * @param baseline        REINFORCE and prior: subtract the learned baseline b_n from the reward
     * @param controlVariates wake-sleep: the two control variates above
     */
    public record Settings(Rule rule, int samples, boolean baseline, boolean controlVariates) {
        public Settings {
            if (rule == null) throw new InputException("a learning rule is needed");
            if (samples < 1) throw new InputException("the number of samples M must be at least 1, got " + samples);
        }
    }

    /**
     * What an estimate saw, means over the batch's images: the rule's objective (REINFORCE: the reward; prior: the mean
     * log p(y | a_m, X); wake-sleep: L_M = log (1/M) sum_m w_m), the classification error of the sampled glimpses
     * (prior samples only, NaN for wake-sleep, whose samples saw the label), mean log p(y | a_m, X), and the effective
     * sample size 1 / sum_m w~_m^2 (wake-sleep; M for the others).
     */
    public record Estimate(double objective, double errorRate, double logLikelihood, double effectiveSamples) {}

    /**
     * Repeated estimates on one minibatch: the total variance sum_j Var(g_j) over the parameters asked, |mean g|^2, and
     * the total variance of each parameter by name.
     */
    public record Variance(double total, double meanSquaredNorm, int repeats, Map<String, Double> byParameter) {
        /** The total variance of the named parameters. */
        public double of(List<Parameter> parameters) {
            double s = 0;
            for (Parameter p : parameters) {
                Double v = byParameter.get(p.name());
                if (v == null) throw new IllegalArgumentException(p.name() + " was not measured");
                s += v;
            }
            return s;
        }
    }

    private final RecurrentAttention model;
    private final Settings settings;
    private final int images;
    private final Graph graph = new Graph();
    private final RecurrentAttention.Unrolled unrolled;
    private final Node classCoefficient, priorCoefficient, proposalCoefficient, baselineCoefficient;
    private final Node loss;
    private final int rows, glimpses;
    private final double[] logW, logR;

    /** Records the estimator's graph for minibatches of {@code images} images (B), M = settings.samples() rows each. */
    public AttentionGradients(RecurrentAttention model, Settings settings, int images) {
        if (settings.rule() == Rule.WAKE_SLEEP && !model.architecture().inference()) {
            throw new InputException("the wake-sleep rule needs a model with an inference network q(a | y, X)");
        }
        this.model = model;
        this.settings = settings;
        this.images = images;
        boolean ws = settings.rule() == Rule.WAKE_SLEEP, baseline = !ws && settings.baseline();
        unrolled = model.unroll(graph, images, settings.samples(),
                ws ? RecurrentAttention.Sampling.PROPOSAL : RecurrentAttention.Sampling.PRIOR, baseline);
        rows = unrolled.rows();
        glimpses = model.architecture().glimpses();
        classCoefficient = graph.input(rows, 1);
        priorCoefficient = graph.input(rows, glimpses);
        proposalCoefficient = ws ? graph.input(rows, glimpses) : null;
        baselineCoefficient = baseline ? graph.input(rows, glimpses) : null;
        // the surrogate whose gradient is the estimate; its value is meaningless (coefficients come after the forward pass)
        Node s = graph.add(graph.sum(graph.multiply(unrolled.logLikelihood(), classCoefficient)),
                graph.sum(graph.multiply(unrolled.logPrior(), priorCoefficient)));
        if (ws) s = graph.add(s, graph.sum(graph.multiply(unrolled.logProposal(), proposalCoefficient)));
        if (baseline) s = graph.add(s, graph.sum(graph.multiply(unrolled.baseline(), baselineCoefficient)));
        loss = graph.scale(s, -1f);
        logW = new double[rows];
        logR = new double[rows];
    }

    public Settings settings() { return settings; }

    /** B, the images per minibatch. */
    public int images() { return images; }

    /** The recorded network (its actions hold the last pass's glimpses). */
    public RecurrentAttention.Unrolled unrolled() { return unrolled; }

    /**
     * One estimate on a minibatch of B images (B x H W) with their labels: draws the actions with {@code random},
     * and leaves minus the estimated gradient in every parameter's gradient buffer (zero for parameters the rule does
     * not train: q under REINFORCE, the baseline under wake-sleep).
     */
    public Estimate estimate(Matrix batchImages, int[] labels, RandomStream random) {
        if (batchImages.rows() != images || labels.length != images) {
            throw new IllegalArgumentException("a minibatch of " + images + " images, got " + batchImages.rows() + " and " + labels.length + " labels");
        }
        unrolled.images().value().copyFrom(batchImages);
        unrolled.fillLabels(labels);
        unrolled.fillNoise(random);
        graph.forward();
        Estimate e = settings.rule() == Rule.WAKE_SLEEP ? wakeSleepCoefficients() : reinforceCoefficients(labels);
        graph.backward(loss);
        return e;
    }

    /** REINFORCE and the prior rule: c^y = 1/(BM), c^p_n = (R - b_n)/(BM), c^b_n = (R - b_n)/(BM). */
    private Estimate reinforceCoefficients(int[] labels) {
        int m = settings.samples();
        double scale = 1.0 / rows, rewardSum = 0, logLikelihoodSum = 0;
        int errors = 0;
        Matrix logits = unrolled.classLogits().value(), logPy = unrolled.logLikelihood().value();
        Matrix b = unrolled.baseline() == null ? null : unrolled.baseline().value();
        for (int r = 0; r < rows; r++) {
            boolean correct = argmax(logits, r) == labels[r / m];
            if (!correct) errors++;
            double ll = logPy.get(r, 0);
            double reward = settings.rule() == Rule.REINFORCE ? (correct ? 1 : 0) : ll;
            rewardSum += reward;
            logLikelihoodSum += ll;
            classCoefficient.value().set(r, 0, (float) scale);
            for (int n = 0; n < glimpses; n++) {
                double advantage = reward - (b == null ? 0 : b.get(r, n));
                priorCoefficient.value().set(r, n, (float) (advantage * scale));
                if (b != null) baselineCoefficient.value().set(r, n, (float) (advantage * scale));
            }
        }
        return new Estimate(rewardSum / rows, errors / (double) rows, logLikelihoodSum / rows, m);
    }

    /** Wake-sleep: c^y = w~/B, c^p_n = (w~ - v~)/B, c^q_n = (w~ - 1/M)/B (without control variates: w~/B each). */
    private Estimate wakeSleepCoefficients() {
        int m = settings.samples();
        boolean cv = settings.controlVariates();
        Matrix logP = unrolled.logPrior().value(), logQ = unrolled.logProposal().value(), logPy = unrolled.logLikelihood().value();
        double objective = 0, ess = 0, logLikelihoodSum = 0;
        for (int r = 0; r < rows; r++) {
            double lp = 0, lq = 0;
            for (int n = 0; n < glimpses; n++) {
                lp += logP.get(r, n);
                lq += logQ.get(r, n);
            }
            logR[r] = lp - lq;                                   // log p(a_m | X) / q(a_m | y, X)
            logW[r] = logR[r] + logPy.get(r, 0);                 // log w_m
            logLikelihoodSum += logPy.get(r, 0);
        }
        double scale = 1.0 / images;
        for (int i = 0; i < images; i++) {
            int from = i * m;
            double maxW = Double.NEGATIVE_INFINITY, maxR = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                maxW = Math.max(maxW, logW[from + j]);
                maxR = Math.max(maxR, logR[from + j]);
            }
            double sumW = 0, sumR = 0;
            for (int j = 0; j < m; j++) {
                sumW += Math.exp(logW[from + j] - maxW);
                sumR += Math.exp(logR[from + j] - maxR);
            }
            objective += maxW + Math.log(sumW) - Math.log(m);   // L_M = log (1/M) sum_m w_m
            double sumSquares = 0;
            for (int j = 0; j < m; j++) {
                int r = from + j;
                double w = Math.exp(logW[r] - maxW) / sumW, v = Math.exp(logR[r] - maxR) / sumR;
                sumSquares += w * w;
                classCoefficient.value().set(r, 0, (float) (w * scale));
                float prior = (float) ((cv ? w - v : w) * scale), proposal = (float) ((cv ? w - 1.0 / m : w) * scale);
                for (int n = 0; n < glimpses; n++) {
                    priorCoefficient.value().set(r, n, prior);
                    proposalCoefficient.value().set(r, n, proposal);
                }
            }
            ess += 1 / sumSquares;
        }
        return new Estimate(objective / images, Double.NaN, logLikelihoodSum / rows, ess / images);
    }

    private static int argmax(Matrix m, int r) {
        int best = 0;
        for (int c = 1; c < m.cols(); c++) if (m.get(r, c) > m.get(r, best)) best = c;
        return best;
    }

    /**
     * The spread of the estimator on one minibatch: {@code repeats} estimates with fresh actions from {@code random},
     * and over the elements of {@code parameters} the total sample variance sum_j Var(g_j) (Welford, in double) and
     * the squared norm of the mean. Leaves the last estimate in the gradient buffers; changes no parameter.
     */
    public Variance variance(Matrix batchImages, int[] labels, int repeats, RandomStream random, List<Parameter> parameters) {
        if (repeats < 2) throw new IllegalArgumentException("a variance needs at least 2 estimates, got " + repeats);
        double[][] mean = new double[parameters.size()][], m2 = new double[parameters.size()][];
        for (int p = 0; p < parameters.size(); p++) {
            mean[p] = new double[parameters.get(p).gradient().size()];
            m2[p] = new double[mean[p].length];
        }
        for (int k = 1; k <= repeats; k++) {
            estimate(batchImages, labels, random);
            for (int p = 0; p < parameters.size(); p++) {
                Matrix g = parameters.get(p).gradient();
                double[] mu = mean[p], s = m2[p];
                for (int j = 0; j < mu.length; j++) {
                    double x = g.getFlat(j), d = x - mu[j];
                    mu[j] += d / k;
                    s[j] += d * (x - mu[j]);
                }
            }
        }
        double total = 0, norm = 0;
        Map<String, Double> byParameter = new LinkedHashMap<>();
        for (int p = 0; p < parameters.size(); p++) {
            double v = 0;
            for (int j = 0; j < mean[p].length; j++) {
                v += m2[p][j] / (repeats - 1);
                norm += mean[p][j] * mean[p][j];
            }
            byParameter.put(parameters.get(p).name(), v);
            total += v;
        }
        return new Variance(total, norm, repeats, byParameter);
    }

    public RecurrentAttention model() { return model; }
}
