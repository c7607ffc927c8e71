package dgm4j.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Adam;

/**
 * The estimators on a problem small enough to enumerate: 2 glimpses, each a cell of a 2 x 2 location grid and one of
 * 2 scales, so 8^2 = 64 action sequences, and log p(y | X), its gradient, the bound F and the posterior are sums over
 * them. Each estimator is checked statistically against the exact value, with fixed seeds.
 */
class AttentionGradientsTest {
    static final int ACTIONS = 8, SEQUENCES = 64;

    /**
     * The tiny model, its weights made larger than Glorot's so that p(y | a, X) and p(a | X) vary strongly with a, and
     * q's smaller, so that an untrained q is a broad proposal.
     */
    static RecurrentAttention tinyModel(long seed) {
        RecurrentAttention.Architecture a = new RecurrentAttention.Architecture(8, 8, 3, 2, 2, 2, 2, 2, 0, 5, 4, 6, 7, true, 6, 2);
        RecurrentAttention m = RecurrentAttention.initialize(a, new RandomStream(seed));
        for (Parameter p : m.parameters()) {
            float f = p.name().startsWith("classifier") || p.name().startsWith("policy") ? 4f : p.name().startsWith("inference") ? 0.25f : 1.5f;
            for (int k = 0; k < p.value().size(); k++) p.value().setFlat(k, f * p.value().getFlat(k));
        }
        return m;
    }

    static Matrix image(long seed) {
        Matrix x = Matrix.zeros(1, 64);
        new RandomStream(seed).uniforms(x);
        return x;
    }

    /** Every action sequence of one image, forced row by row: row r takes action r / 8 then r % 8 (action k = cell k / 2, scale k % 2). */
    static final class Exact {
        final RecurrentAttention model;
        final Graph graph = new Graph();
        final RecurrentAttention.Unrolled u;
        final Node cy, cp, cq, loss;
        final double[] logPa = new double[SEQUENCES], logPy = new double[SEQUENCES], logQa = new double[SEQUENCES];
        final boolean[] correct = new boolean[SEQUENCES];
        final int label;

        Exact(RecurrentAttention model, Matrix image, int label) {
            this.model = model;
            this.label = label;
            u = model.unroll(graph, 1, SEQUENCES, RecurrentAttention.Sampling.PROPOSAL, false);
            for (int n = 0; n < 2; n++) {
                int[] cells = new int[SEQUENCES], scales = new int[SEQUENCES];
                for (int r = 0; r < SEQUENCES; r++) {
                    int k = n == 0 ? r / ACTIONS : r % ACTIONS;
                    cells[r] = k / 2;
                    scales[r] = k % 2;
                }
                u.actions().get(n).force(cells, null, scales);
            }
            cy = graph.input(SEQUENCES, 1);
            cp = graph.input(SEQUENCES, 2);
            cq = graph.input(SEQUENCES, 2);
            loss = graph.scale(graph.add(graph.add(graph.sum(graph.multiply(u.logLikelihood(), cy)),
                    graph.sum(graph.multiply(u.logPrior(), cp))), graph.sum(graph.multiply(u.logProposal(), cq))), -1f);
            u.images().value().copyFrom(image);
            u.fillLabels(new int[] {label});
            refresh();
        }

        /** Re-reads the 64 sequences' log-probabilities (after the parameters changed). */
        void refresh() {
            graph.forward();
            for (int r = 0; r < SEQUENCES; r++) {
                logPa[r] = u.logPrior().value().get(r, 0) + u.logPrior().value().get(r, 1);
                logQa[r] = u.logProposal().value().get(r, 0) + u.logProposal().value().get(r, 1);
                logPy[r] = u.logLikelihood().value().get(r, 0);
                int best = 0;
                for (int c = 1; c < 3; c++) if (u.classLogits().value().get(r, c) > u.classLogits().value().get(r, best)) best = c;
                correct[r] = best == label;
            }
        }

        /** log p(y | X) = log sum_a p(a | X) p(y | a, X). */
        double logLikelihood() {
            double[] joint = new double[SEQUENCES];
            for (int r = 0; r < SEQUENCES; r++) joint[r] = logPa[r] + logPy[r];
            return logSumExp(joint);
        }

        /** p(a | X). */
        double[] prior() {
            double[] p = new double[SEQUENCES];
            for (int r = 0; r < SEQUENCES; r++) p[r] = Math.exp(logPa[r]);
            return p;
        }

        /** The posterior p(a | y, X). */
        double[] posterior() {
            double l = logLikelihood();
            double[] p = new double[SEQUENCES];
            for (int r = 0; r < SEQUENCES; r++) p[r] = Math.exp(logPa[r] + logPy[r] - l);
            return p;
        }

        /** KL(p(a | y, X) || q(a | y, X)). */
        double klPosteriorToProposal() {
            double[] post = posterior();
            double kl = 0;
            for (int r = 0; r < SEQUENCES; r++) if (post[r] > 0) kl += post[r] * (Math.log(post[r]) - logQa[r]);
            return kl;
        }

        /** Minus the gradient of sum_a [cy(a) log p(y | a) + cp(a) log p(a) + cq(a) log q(a)], per parameter (flattened). */
        double[][] gradient(List<Parameter> which, double[] y, double[] p, double[] q) {
            for (int r = 0; r < SEQUENCES; r++) {
                cy.value().set(r, 0, (float) y[r]);
                for (int n = 0; n < 2; n++) {
                    cp.value().set(r, n, (float) p[r]);
                    cq.value().set(r, n, (float) (q == null ? 0 : q[r]));
                }
            }
            graph.backward(loss);
            double[][] g = new double[which.size()][];
            for (int i = 0; i < which.size(); i++) {
                Matrix m = which.get(i).gradient();
                g[i] = new double[m.size()];
                for (int k = 0; k < m.size(); k++) g[i][k] = m.getFlat(k);
            }
            return g;
        }

        /** Minus d log p(y | X) / dW: the posterior expectation of d [log p(y | a) + log p(a)]. */
        double[][] logLikelihoodGradient() {
            double[] post = posterior();
            return gradient(model.modelParameters(), post, post, null);
        }

        /** Minus dF / dW, F = sum_a p(a) log p(y | a): the variational bound with q = prior. */
        double[][] boundGradient() {
            double[] prior = prior(), weighted = new double[SEQUENCES];
            for (int r = 0; r < SEQUENCES; r++) weighted[r] = prior[r] * logPy[r];
            return gradient(model.modelParameters(), prior, weighted, null);
        }

        /** Minus the expectation of REINFORCE's update: sum_a p(a) [d log p(y | a) + R(a) d log p(a)]. */
        double[][] reinforceExpectation() {
            double[] prior = prior(), rewarded = new double[SEQUENCES];
            for (int r = 0; r < SEQUENCES; r++) rewarded[r] = correct[r] ? prior[r] : 0;
            return gradient(model.modelParameters(), prior, rewarded, null);
        }

        /** Minus the wake update's target for q: sum_a p(a | y, X) d log q(a | y, X) = -d KL(p(a | y, X) || q) / d eta. */
        double[][] wakeGradient() {
            return gradient(model.inferenceParameters(), new double[SEQUENCES], new double[SEQUENCES], posterior());
        }
    }

    /**
     * A model, image and label where the classification depends on the glimpses: the first (model seed, label) whose
     * argmax is right for 16 to 48 of the 64 sequences (a deterministic search).
     */
    record Problem(RecurrentAttention model, Matrix image, int label, Exact exact) {}

    static Problem contested() {
        for (long seed = 1; seed < 200; seed++) {
            RecurrentAttention model = tinyModel(seed);
            Matrix x = image(seed + 1000);
            for (int y = 0; y < 3; y++) {
                Exact e = new Exact(model, x, y);
                int right = 0;
                for (boolean c : e.correct) if (c) right++;
                if (right >= 16 && right <= 48) return new Problem(model, x, y, e);
            }
        }
        throw new IllegalStateException("no contested problem among 200 models");
    }

    static double logSumExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY, s = 0;
        for (double x : v) max = Math.max(max, x);
        for (double x : v) s += Math.exp(x - max);
        return max + Math.log(s);
    }

    /** Mean and standard error per element of K estimates of minus the gradient of the given parameters. */
    static final class Moments {
        final double[][] sum, sumSquares;
        int count;

        Moments(List<Parameter> which) {
            sum = new double[which.size()][];
            sumSquares = new double[which.size()][];
            for (int i = 0; i < which.size(); i++) {
                sum[i] = new double[which.get(i).gradient().size()];
                sumSquares[i] = new double[sum[i].length];
            }
        }

        private Moments(double[][] sum, double[][] sumSquares, int count) {
            this.sum = sum;
            this.sumSquares = sumSquares;
            this.count = count;
        }

        /** The moments of parameters [from, to) only. */
        Moments slice(int from, int to) {
            return new Moments(Arrays.copyOfRange(sum, from, to), Arrays.copyOfRange(sumSquares, from, to), count);
        }

        void add(List<Parameter> which) {
            for (int i = 0; i < which.size(); i++) {
                Matrix g = which.get(i).gradient();
                for (int k = 0; k < sum[i].length; k++) {
                    double x = g.getFlat(k);
                    sum[i][k] += x;
                    sumSquares[i][k] += x * x;
                }
            }
            count++;
        }

        double mean(int i, int k) { return sum[i][k] / count; }

        double standardError(int i, int k) {
            double m = mean(i, k), var = Math.max(0, sumSquares[i][k] / count - m * m) * count / (count - 1.0);
            return Math.sqrt(var / count);
        }

        /** The largest |mean - exact| / (standard error + floor) over every element. */
        double worstZ(double[][] exact, double floor) {
            double worst = 0;
            for (int i = 0; i < exact.length; i++) {
                for (int k = 0; k < exact[i].length; k++) {
                    worst = Math.max(worst, Math.abs(mean(i, k) - exact[i][k]) / (standardError(i, k) + floor));
                }
            }
            return worst;
        }

        /** ||mean - exact|| / ||exact||. */
        double relativeError(double[][] exact) {
            double d = 0, n = 0;
            for (int i = 0; i < exact.length; i++) {
                for (int k = 0; k < exact[i].length; k++) {
                    double e = mean(i, k) - exact[i][k];
                    d += e * e;
                    n += exact[i][k] * exact[i][k];
                }
            }
            return Math.sqrt(d / n);
        }
    }

    private static Moments run(RecurrentAttention model, AttentionGradients.Settings s, Matrix image, int label, int repeats,
                               long seed, List<Parameter> which) {
        AttentionGradients estimator = new AttentionGradients(model, s, 1);
        RandomStream random = new RandomStream(seed);
        Moments m = new Moments(which);
        for (int k = 0; k < repeats; k++) {
            estimator.estimate(image, new int[] {label}, random);
            m.add(which);
        }
        return m;
    }

    @Test
    void theExactSumsAreConsistent() {
        Problem problem = contested();
        Exact e = problem.exact();
        double total = 0;
        for (double p : e.prior()) total += p;
        assertEquals(1.0, total, 1e-5, "p(a | X) sums to 1 over the 64 sequences");
        double q = 0;
        for (double l : e.logQa) q += Math.exp(l);
        assertEquals(1.0, q, 1e-5, "q(a | y, X) sums to 1");
        double post = 0;
        for (double p : e.posterior()) post += p;
        assertEquals(1.0, post, 1e-9);
        assertTrue(e.logLikelihood() < 0);
        // the problem is not trivial: the reward and log p(y | a) vary across sequences
        int right = 0;
        double min = 0, max = -1e9;
        for (int r = 0; r < SEQUENCES; r++) {
            if (e.correct[r]) right++;
            min = Math.min(min, e.logPy[r]);
            max = Math.max(max, e.logPy[r]);
        }
        assertTrue(right > 5 && right < 59, right + " of 64 sequences classify correctly");
        assertTrue(max - min > 0.5, "log p(y | a) from " + min + " to " + max);
    }

    @Test
    void reinforceIsUnbiasedForItsExpectedUpdate() {
        Problem problem = contested();
        RecurrentAttention model = problem.model();
        Matrix x = problem.image();
        int y = problem.label();
        Exact e = problem.exact();
        // a baseline far from the mean reward: it changes the variance, not the expectation
        for (Parameter p : model.baselineParameters()) for (int k = 0; k < p.value().size(); k++) p.value().setFlat(k, 0.3f + 0.1f * k);
        double[][] exact = e.reinforceExpectation();
        Moments m = run(model, new AttentionGradients.Settings(AttentionGradients.Rule.REINFORCE, 1, true, false), x, 1, 20_000, 3,
                model.modelParameters());
        double z = m.worstZ(exact, 1e-6);
        assertTrue(z < 4.5, "worst |mean - exact| / standard error over every element of W: " + z);
        assertTrue(m.relativeError(exact) < 0.1, "relative error " + m.relativeError(exact));
    }

    @Test
    void thePriorRuleIsUnbiasedForTheBoundsGradient() {
        RecurrentAttention model = tinyModel(4);
        Matrix x = image(5);
        Exact e = new Exact(model, x, 2);
        double[][] exact = e.boundGradient();
        Moments m = run(model, new AttentionGradients.Settings(AttentionGradients.Rule.PRIOR, 2, true, false), x, 2, 10_000, 6,
                model.modelParameters());
        double z = m.worstZ(exact, 1e-6);
        assertTrue(z < 4.5, "worst |mean - exact| / standard error: " + z);
        // and without the baseline, still unbiased
        Moments plain = run(model, new AttentionGradients.Settings(AttentionGradients.Rule.PRIOR, 2, false, false), x, 2, 10_000, 7,
                model.modelParameters());
        assertTrue(plain.worstZ(exact, 1e-6) < 4.5, "no baseline: " + plain.worstZ(exact, 1e-6));
    }

    @Test
    void theWakeSleepObjectiveRisesToTheLogLikelihoodAsMGrows() {
        Problem problem = contested();
        RecurrentAttention model = problem.model();
        Matrix x = problem.image();
        int y = problem.label();
        Exact e = problem.exact();
        double exact = e.logLikelihood(), previous = Double.NEGATIVE_INFINITY, previousError = 0;
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "log p(y | X) = %.4f;", exact));
        for (int samples : new int[] {1, 2, 5, 20, 100}) {
            AttentionGradients estimator = new AttentionGradients(model,
                    new AttentionGradients.Settings(AttentionGradients.Rule.WAKE_SLEEP, samples, false, true), 1);
            RandomStream random = new RandomStream(10 + samples);
            int repeats = 40_000 / samples;
            double sum = 0, sumSquares = 0;
            for (int k = 0; k < repeats; k++) {
                double l = estimator.estimate(x, new int[] {y}, random).objective();
                sum += l;
                sumSquares += l * l;
            }
            double mean = sum / repeats, error = Math.sqrt((sumSquares / repeats - mean * mean) / repeats);
            report.append(String.format(Locale.ROOT, " E[L_%d] = %.4f +- %.4f;", samples, mean, error));
            assertTrue(mean <= exact + 4 * error, report.toString());
            assertTrue(mean >= previous - 4 * Math.hypot(error, previousError), "E[L_M] does not fall as M grows: " + report);
            previous = mean;
            previousError = error;
        }
        assertEquals(exact, previous, 0.02, report.toString());
        System.out.println("WS-RAM bound on the 64-sequence problem: " + report);
    }

    @Test
    void theWakeSleepGradientsApproachTheExactOnesAsMGrows() {
        Problem problem = contested();
        RecurrentAttention model = problem.model();
        Matrix x = problem.image();
        int y = problem.label();
        Exact e = problem.exact();
        double[][] exactW = e.logLikelihoodGradient(), exactEta = e.wakeGradient();
        for (boolean cv : new boolean[] {true, false}) {
            double[] errorW = new double[2], errorEta = new double[2];
            int[] ms = {3, 100};
            for (int i = 0; i < 2; i++) {
                List<Parameter> all = new ArrayList<>(model.modelParameters());
                all.addAll(model.inferenceParameters());
                Moments m = run(model, new AttentionGradients.Settings(AttentionGradients.Rule.WAKE_SLEEP, ms[i], false, cv), x, y,
                        60_000 / ms[i], 20 + i, all);
                int nw = model.modelParameters().size();
                Moments w = m.slice(0, nw), eta = m.slice(nw, all.size());
                errorW[i] = w.relativeError(exactW);
                errorEta[i] = eta.relativeError(exactEta);
            }
            String what = (cv ? "with" : "without") + " control variates: d log p(y | X) relative error " + errorW[0] + " (M = 3) -> "
                    + errorW[1] + " (M = 100); q's wake update " + errorEta[0] + " -> " + errorEta[1];
            System.out.println("WS-RAM gradients, " + what);
            double tolerance = cv ? 0.05 : 0.1;                  // bias and noise of 600 estimates; noisier without the control variates
            assertTrue(errorW[1] < tolerance && errorEta[1] < tolerance, what);
            assertTrue(errorW[1] < errorW[0] && errorEta[1] < errorEta[0], what);
        }
    }

    @Test
    void theWakeUpdateMovesQTowardThePosterior() {
        Problem problem = contested();
        RecurrentAttention model = problem.model();
        Matrix x = problem.image();
        int y = problem.label();
        Exact e = problem.exact();
        double before = e.klPosteriorToProposal();
        AttentionGradients estimator = new AttentionGradients(model,
                new AttentionGradients.Settings(AttentionGradients.Rule.WAKE_SLEEP, 5, false, true), 1);
        Adam adam = new Adam(model.inferenceParameters(), 0.9, 0.999, 1e-8);   // q alone: p, and so the posterior, stay fixed
        RandomStream random = new RandomStream(30);
        for (int step = 0; step < 300; step++) {
            estimator.estimate(x, new int[] {y}, random);
            adam.step(0.01);
        }
        e.refresh();
        double after = e.klPosteriorToProposal();
        assertTrue(after < 0.3 * before, "KL(p(a | y, X) || q) " + before + " -> " + after);
    }

    @Test
    void wakeSleepHasLowerVarianceThanReinforceHere() {
        Problem problem = contested();
        RecurrentAttention model = problem.model();
        Matrix x = problem.image();
        int y = problem.label();
        Exact e = problem.exact();
        // REINFORCE with the best constant baseline, the expected reward; WS-RAM with q trained toward the posterior
        double expectedReward = 0;
        double[] prior = e.prior();
        for (int r = 0; r < SEQUENCES; r++) if (e.correct[r]) expectedReward += prior[r];
        Parameter weight = model.baselineParameters().get(0), bias = model.baselineParameters().get(1);
        weight.value().fill(0f);
        bias.value().fill((float) expectedReward);
        AttentionGradients ws = new AttentionGradients(model, new AttentionGradients.Settings(AttentionGradients.Rule.WAKE_SLEEP, 5, false, true), 1);
        Adam adam = new Adam(model.inferenceParameters(), 0.9, 0.999, 1e-8);
        RandomStream random = new RandomStream(40);
        for (int step = 0; step < 300; step++) {
            ws.estimate(x, new int[] {y}, random);
            adam.step(0.01);
        }
        AttentionGradients reinforce = new AttentionGradients(model, new AttentionGradients.Settings(AttentionGradients.Rule.REINFORCE, 5, true, false), 1);
        AttentionGradients bound = new AttentionGradients(model, new AttentionGradients.Settings(AttentionGradients.Rule.PRIOR, 5, true, false), 1);
        AttentionGradients wsPlain = new AttentionGradients(model, new AttentionGradients.Settings(AttentionGradients.Rule.WAKE_SLEEP, 5, false, false), 1);
        List<Parameter> w = model.modelParameters();
        AttentionGradients.Variance vWs = ws.variance(x, new int[] {y}, 4000, new RandomStream(41), w);
        AttentionGradients.Variance vWsPlain = wsPlain.variance(x, new int[] {y}, 4000, new RandomStream(42), w);
        AttentionGradients.Variance vReinforce = reinforce.variance(x, new int[] {y}, 4000, new RandomStream(43), w);
        AttentionGradients.Variance vBound = bound.variance(x, new int[] {y}, 4000, new RandomStream(44), w);
        String report = String.format(Locale.ROOT, "total variance of the estimated d/dW (M = 5): WS-RAM %.4g (without control variates %.4g), "
                + "REINFORCE %.4g, bound with q = prior %.4g", vWs.total(), vWsPlain.total(), vReinforce.total(), vBound.total());
        System.out.println(report);
        assertTrue(vWs.total() < vReinforce.total(), report);
        assertTrue(vWs.total() < vBound.total(), report);
    }

    @Test
    void refusesWakeSleepWithoutAnInferenceNetworkAndBadSettings() {
        RecurrentAttention noQ = new RecurrentAttention(RecurrentAttentionTest.tiny(2, false));
        assertThrows(InputException.class, () -> new AttentionGradients(noQ, new AttentionGradients.Settings(AttentionGradients.Rule.WAKE_SLEEP, 2, false, true), 1));
        assertThrows(InputException.class, () -> new AttentionGradients.Settings(AttentionGradients.Rule.REINFORCE, 0, true, false));
        assertThrows(InputException.class, () -> AttentionGradients.Rule.parse("vimco"));
        assertEquals(AttentionGradients.Rule.WAKE_SLEEP, AttentionGradients.Rule.parse("WS"));
    }
}
