package dgm4j.ais;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Consumer;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.dbm.Dbm;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.GaussianRbm;
import dgm4j.rbm.Rbm;
import dgm4j.rbm.RbmSampler;
import dgm4j.rbm.ReplicatedSoftmaxRbm;

/**
 * The test log-likelihood of an undirected model, measured by AIS with a verdict (issue 13): ln p(v) = ln p*(v) - ln Z
 * with ln p*(v) = -F(v) for an RBM and the mean-field lower bound for a DBM, and ln Z by forward and reverse AIS,
 * repeated with twice the betas until they agree ({@link AisAgreement}).
 *
 * <p>The base model is fitted to the model itself by default ({@link Base#MODEL}): the visible (and, for a DBM,
 * hidden) marginals along Gibbs chains of the model, started from the checkpoint's persistent chains when it has them,
 * else from training examples. Measured on small MNIST RBMs with exact ln Z, a base fitted to the binarized data's
 * marginals (Laplace-smoothed: background pixels at logit -11) left forward AIS 10 nats low and reverse 8 high with
 * 4,351 betas, the heavily smoothed marginals of {@code base_rate.m} 0.1-0.15 nats off, and the model's own marginals
 * within 0.01 nat with 98 of 100 effective runs. The chains' final states are the reverse runs' starting states.
 */
public final class AisEvaluation {
    /** How the AIS base model is fitted. */
    public enum Base {
        /** Marginals of the model's own Gibbs chains (the default). */
        MODEL,
        /**
         * Marginals of the training data, smoothed as in Salakhutdinov's base_rate.m (5 pseudo-counts per 100
         * examples); for a DBM the hidden layers' from the mean-field posterior's average activations.
         */
        DATA,
        /** The papers' base-rate model: as DATA for RBMs; for a DBM the hidden layers uniform. */
        PAPER
    }

    /** Where reverse AIS starts for binary and Gaussian RBMs. */
    public enum Start {
        /**
         * The ends of the Gibbs chains that fit the base (half from the data, half from noise); burned in again to 16 x
         * when reverse AIS falls below forward.
         */
        GIBBS,
        /** Parallel tempering along the AIS path ({@link RbmTempering}), seeded from those chains. */
        TEMPERED,
        /**
         * GIBBS while the Gibbs chains can be trusted; TEMPERED when they cannot: the chains from the two kinds of start
         * have not mixed after 16 x the burn-in, or reverse AIS still falls below forward after the second burn-in (the
         * default: tempering costs about one more round of AIS, and only models that need it pay it).
         */
        AUTO
    }

    /**
     * @param runs          AIS runs per direction
     * @param scale         the first round's schedule: the standard 14,501 betas' step counts times this
     * @param tolerance     agreement tolerance in nats
     * @param reverse       run reverse AIS too (without it nothing checks the forward estimate)
     * @param rounds        rounds of doubling betas at most (1: a single round)
     * @param budgetSeconds stop doubling when the next round would pass this (<= 0: no budget)
     * @param burnIn        Gibbs steps of the chains that fit the base and start reverse AIS, doubled (up to 16 x) while the
     *                      chains from the data and from noise disagree
     * @param base          how the base is fitted
     * @param start         where the reverse runs of binary and Gaussian RBMs start (DBMs: Gibbs chains)
     */
    public record Settings(int runs, double scale, double tolerance, boolean reverse, int rounds, double budgetSeconds,
                           int burnIn, Base base, Start start) {
        public Settings(int runs, double scale, double tolerance, boolean reverse, int rounds, double budgetSeconds, int burnIn, Base base) {
            this(runs, scale, tolerance, reverse, rounds, budgetSeconds, burnIn, base, Start.AUTO);
        }

        public Settings {
            if (runs < 2) throw new InputException("AIS needs at least 2 runs (the bracket needs a variance), got " + runs);
            if (!(scale > 0)) throw new InputException("the schedule scale must be positive, got " + scale);
            if (!(tolerance > 0)) throw new InputException("the agreement tolerance must be positive, got " + tolerance);
            if (rounds < 1) throw new InputException("need at least one round, got " + rounds);
            if (burnIn < 2) throw new InputException("the base's Gibbs chains need at least 2 steps, got " + burnIn);
            if (rounds > 1 && !reverse) throw new InputException("annealing until agreement needs reverse AIS");
            if (start == null) throw new InputException("say where the reverse runs start");
        }

        /**
         * 100 runs, the standard schedule, forward and reverse once, tolerance 0.1 nat, 1,000 Gibbs steps, the model base,
         * tempering when the Gibbs chains cannot be trusted.
         */
        public static Settings standard() {
            return new Settings(100, 1, AisVerdict.DEFAULT_TOLERANCE, true, 1, 0, 1000, Base.MODEL);
        }

        public Settings withRounds(int r, double budget) { return new Settings(runs, scale, tolerance, reverse, r, budget, burnIn, base, start); }

        public Settings withScale(double s) { return new Settings(runs, s, tolerance, reverse, rounds, budgetSeconds, burnIn, base, start); }

        public Settings withRuns(int m) { return new Settings(m, scale, tolerance, reverse, rounds, budgetSeconds, burnIn, base, start); }

        public Settings withTolerance(double t) { return new Settings(runs, scale, t, reverse, rounds, budgetSeconds, burnIn, base, start); }

        public Settings forwardOnly() { return new Settings(runs, scale, tolerance, false, 1, budgetSeconds, burnIn, base, start); }

        public Settings withStart(Start s) { return new Settings(runs, scale, tolerance, reverse, rounds, budgetSeconds, burnIn, base, s); }

        public Settings withBase(Base b) { return new Settings(runs, scale, tolerance, reverse, rounds, budgetSeconds, burnIn, b, start); }
    }

    /**
     * The measurement: the rounds of AIS and their verdict, the mean ln p*(v) of the scored rows, and how the base and
     * the reverse runs' starting states were obtained.
     */
    public record Result(AisAgreement.Outcome outcome, double meanLogUnnormalized, int examples, double logZBase,
                         String baseDescription, String reverseStart, String boundKind) {
        public AisVerdict verdict() { return outcome.verdict(); }

        /** Average log-probability (or its mean-field lower bound for a DBM) with the verdict's ln Z. */
        public double averageLogProbability() { return meanLogUnnormalized - verdict().logZ(); }

        /** By forward AIS (ln Z low in expectation: this is high). */
        public double averageLogProbabilityForward() { return meanLogUnnormalized - verdict().forward().logZ(); }

        /** By reverse AIS (NaN without it). */
        public double averageLogProbabilityReverse() {
            return verdict().reverse() == null ? Double.NaN : meanLogUnnormalized - verdict().reverse().logZ();
        }

        /** One line a user can act on. */
        public String summary() {
            AisVerdict v = verdict();
            if (v.determined()) {
                return String.format(Locale.ROOT, "forward and reverse AIS agree within %.2f nats: ln Z = %.3f; average %s of %d examples: %.2f nats",
                        Math.abs(v.gap()), v.logZ(), boundKind, examples, averageLogProbability());
            }
            return String.format(Locale.ROOT, "%s. Average %s of %d examples NOT DETERMINED: %.2f (forward) .. %s (reverse)",
                    v.summary(outcome.advice()), boundKind, examples, averageLogProbabilityForward(),
                    v.reverse() == null ? "?" : String.format(Locale.ROOT, "%.2f", averageLogProbabilityReverse()));
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("determined", verdict().determined());
            m.put("summary", summary());
            m.put("examples", examples);
            m.put("measure", boundKind);
            m.put("mean_log_unnormalized", meanLogUnnormalized);
            m.put("average_log_probability", averageLogProbability());
            m.put("average_log_probability_forward", averageLogProbabilityForward());
            m.put("average_log_probability_reverse", verdict().reverse() == null ? null : averageLogProbabilityReverse());
            m.put("log_z_base", logZBase);
            m.put("base", baseDescription);
            m.put("reverse_start", reverseStart);
            m.put("stopped_because", outcome.stoppedBecause());
            m.put("verdict", verdict().toJson());
            List<Object> rounds = new ArrayList<>();
            for (AisAgreement.Round r : outcome.rounds()) {
                Map<String, Object> e = r.verdict().toJson();
                e.put("seconds", r.seconds());
                rounds.add(e);
            }
            m.put("rounds", rounds);
            return m;
        }
    }

    private AisEvaluation() {}

    /**
     * A binary or Gaussian RBM on {@code scored} rows (in the model's space: binarized, or standardised for a Gaussian
     * RBM), with the base fitted as {@code settings.base()} says from {@code train} (same space) or from the model's
     * chains started at {@code persistentChains} (may be null: training rows are used as starts).
     */
    public static Result rbm(Rbm rbm, Matrix train, Matrix scored, Matrix persistentChains, Settings settings,
                             RandomStream random, Progress progress, Consumer<AisAgreement.Round> onRound) {
        rbm.requireVisible(scored);
        rbm.requireVisible(train);
        if (train.rows() == 0) throw new InputException("cannot fit an AIS base model to an empty training set");
        // half the chains from the data (or the persistent chains), half from noise far from the data (fair coins; N(0, 1)
        // for standardised real values), where a CD-trained RBM can hide modes that chains from the data never reach
        Matrix start = persistentChains != null ? persistentChains : train.rows(0, Math.min(train.rows(), settings.runs()));
        String startName = persistentChains != null ? "the checkpoint's persistent chains" : "training examples";
        int fromData = (settings.runs() + 1) / 2;
        Matrix starts = Matrix.zeros(settings.runs(), rbm.visibleUnits());
        for (int m = 0; m < fromData; m++) starts.rows(m, m + 1).copyFrom(start.rows(m % start.rows(), m % start.rows() + 1));
        Matrix noise = starts.rows(fromData, settings.runs());
        RandomStream noiseRandom = random.split(101);
        if (rbm instanceof GaussianRbm) noiseRandom.gaussian(noise);
        else {
            for (int i = 0; i < noise.rows(); i++) for (int j = 0; j < noise.cols(); j++) noise.set(i, j, 0.5f);
            noiseRandom.bernoulli(noise, noise);
        }
        // burn in; with plain Gibbs starts for reverse AIS, until the two halves agree: burnIn steps, then as many again,
        // doubling, up to 16 x burnIn in all; the base's marginals and the check use the second half of the last stretch
        String noiseName = rbm instanceof GaussianRbm ? "N(0, 1) noise" : "fair coins";
        int cap = 16 * settings.burnIn();
        RandomStream chainRandom = random.split(100);
        RbmSampler.Chains chains = RbmSampler.run(rbm, starts, settings.burnIn(), chainRandom);
        int steps = settings.burnIn();
        boolean temperedOnly = settings.reverse() && settings.start() == Start.TEMPERED;
        boolean mayTemper = settings.reverse() && settings.start() != Start.GIBBS;
        List<String> caveats = mixingCaveats(chains.chainLogUnnormalized(), fromData, startName, noiseName, cap);
        while (!temperedOnly && !caveats.isEmpty() && steps < cap) {
            chains = RbmSampler.run(rbm, chains.samples(), steps, chainRandom);
            steps *= 2;
            caveats = mixingCaveats(chains.chainLogUnnormalized(), fromData, startName, noiseName, cap);
        }
        double[] free = rbm.freeEnergy(scored, null);
        double mean = 0;
        for (double f : free) mean -= f / free.length;
        Measure measure = new Measure(rbm, train, settings, random, progress, onRound, mean, scored.rows(), startName, noiseName, fromData);
        if (temperedOnly) return measure.tempered(chains, null);
        if (mayTemper && !caveats.isEmpty()) {
            return measure.tempered(chains, "the Gibbs chains had not mixed after " + steps + " steps");
        }
        Result result = measure.gibbs(chains, steps, false, caveats);
        if (reverseBelowForward(result.verdict()) && steps < cap) {
            // theory forbids it for exact model samples, so the chains had not mixed although the two halves agreed; burn
            // them in to the cap (16 x burnIn steps in all) and measure again, once
            chains = RbmSampler.run(rbm, chains.samples(), cap - steps, chainRandom);
            steps = cap;
            caveats = mixingCaveats(chains.chainLogUnnormalized(), fromData, startName, noiseName, steps);
            result = measure.gibbs(chains, steps, true, caveats);
        }
        if (mayTemper && (!caveats.isEmpty() || reverseBelowForward(result.verdict()))) {
            return measure.tempered(chains, "reverse AIS from " + steps + " Gibbs steps fell below forward");
        }
        return result;
    }

    /** Reverse ln Z below forward by more than the tolerance: the reverse runs did not start from model samples. */
    static boolean reverseBelowForward(AisVerdict v) {
        return v.reverse() != null && v.reverse().logZ() < v.forward().logZ() - v.tolerance();
    }

    /** The AIS rounds of a binary or Gaussian RBM from given chains, by the Gibbs or the tempered start. */
    private record Measure(Rbm rbm, Matrix train, Settings settings, RandomStream random, Progress progress,
                           Consumer<AisAgreement.Round> onRound, double mean, int examples, String startName, String noiseName,
                           int fromData) {
        Result gibbs(RbmSampler.Chains chains, int steps, boolean again, List<String> caveats) {
            String chainsName = fromData + " chains from " + startName + " and " + (settings.runs() - fromData) + " from " + noiseName
                    + ", " + steps + " Gibbs steps" + (again ? " (burned in again: reverse AIS had fallen below forward)" : "");
            PathFromBase path = path(rbm, chains.marginals(), train, settings.base(), chainsName);
            return finish(directions(path.forward(), path.reverse(), chains.samples(), settings.runs()), settings, random, progress,
                    onRound, mean, examples, path.logZBase(), path.baseName(), settings.reverse() ? chainsName : null,
                    "log-probability", caveats);
        }

        /**
         * Reverse AIS from parallel tempering seeded by the Gibbs chains (half the ladders from each kind of start); the
         * tempered samples check themselves, and the base is refitted to them (short Gibbs chains from the samples give
         * Rao-Blackwellised marginals). {@code why}: why the Gibbs start was given up (null: tempering was asked for).
         */
        Result tempered(RbmSampler.Chains chains, String why) {
            String seeds = fromData + " chains from " + startName + " and " + (settings.runs() - fromData) + " from " + noiseName;
            PathFromBase seedPath = path(rbm, chains.marginals(), train, settings.base(), seeds);
            RbmTempering.Result t = RbmTempering.sample(seedPath.annealing(), chains.samples(), startName, noiseName, settings.runs(),
                    settings.burnIn(), random.split(103), progress);
            RbmSampler.Chains after = RbmSampler.run(rbm, t.samples(), Math.max(2, settings.burnIn() / 10), random.split(104));
            String reverseStart = t.describe() + ", then " + after.steps() + " Gibbs steps" + (why == null ? "" : " (" + why + ")");
            PathFromBase path = path(rbm, after.marginals(), train, settings.base(), "the tempered samples");
            return finish(directions(path.forward(), path.reverse(), after.samples(), settings.runs()), settings, random, progress,
                    onRound, mean, examples, path.logZBase(), path.baseName(), reverseStart, "log-probability", t.caveats());
        }
    }

    /**
     * A DBM on binary {@code scored} rows: the mean-field lower bound on ln p(v) ({@code meanFieldIterations} sweeps)
     * minus ln Z. The base is fitted to the DBM's Gibbs chains (every layer) started from {@code persistentChains}
     * (may be null: v ~ sigmoid(b_0)), or with {@link Base#DATA} to the data's pixel marginals and the mean-field
     * posterior's average activations ({@link DbmAis#baseRates}).
     */
    public static Result dbm(Dbm dbm, Matrix trainBits, Matrix scored, List<Matrix> persistentChains, int meanFieldIterations,
                             Settings settings, RandomStream random, Progress progress, Consumer<AisAgreement.Round> onRound) {
        dbm.requireVisible(scored);
        dbm.requireVisible(trainBits);
        if (trainBits.rows() == 0) throw new InputException("cannot fit an AIS base model to an empty training set");
        DbmAis.ModelFit fitted = DbmAis.fitToModel(dbm, persistentChains, settings.runs(), settings.burnIn(), random.split(100));
        String startName = persistentChains != null ? "the checkpoint's persistent chains" : "v ~ sigmoid(b_0)";
        // as for RBMs: more sweeps, doubling up to 16 x burnIn, while the two halves disagree
        int sweeps = settings.burnIn(), cap = 16 * settings.burnIn();
        RandomStream more = random.split(102);
        List<String> caveats = mixingCaveats(fitted.chainNegativeEnergy(), fitted.fromStart(), startName, "fair coins", cap);
        while (!caveats.isEmpty() && sweeps < cap) {
            fitted = DbmAis.continueFit(dbm, fitted, sweeps, more);
            sweeps *= 2;
            caveats = mixingCaveats(fitted.chainNegativeEnergy(), fitted.fromStart(), startName, "fair coins", cap);
        }
        double[] bound = dbm.logProbabilityLowerBound(scored, 0, meanFieldIterations, 1e-6);
        double mean = 0;
        for (double v : bound) mean += v / bound.length;
        Result result = dbmRound(dbm, trainBits, fitted, sweeps, false, startName, meanFieldIterations, settings, random, progress,
                onRound, mean, scored.rows(), caveats);
        if (reverseBelowForward(result.verdict()) && sweeps < cap) {
            // as for RBMs: reverse below forward says the chains had not reached the model; sweep them to the cap, measure again once
            fitted = DbmAis.continueFit(dbm, fitted, cap - sweeps, more);
            sweeps = cap;
            caveats = mixingCaveats(fitted.chainNegativeEnergy(), fitted.fromStart(), startName, "fair coins", cap);
            result = dbmRound(dbm, trainBits, fitted, sweeps, true, startName, meanFieldIterations, settings, random, progress,
                    onRound, mean, scored.rows(), caveats);
        }
        return result;
    }

    private static Result dbmRound(Dbm dbm, Matrix trainBits, DbmAis.ModelFit fit, int sweeps, boolean again, String startName,
                                   int meanFieldIterations, Settings settings, RandomStream random, Progress progress,
                                   Consumer<AisAgreement.Round> onRound, double mean, int examples, List<String> caveats) {
        String reverseStart = fit.fromStart() + " chains from " + startName + " and " + (settings.runs() - fit.fromStart())
                + " from fair coins on every layer, " + sweeps + " Gibbs sweeps"
                + (again ? " (swept again: reverse AIS had fallen below forward)" : "");
        DbmAis ais;
        String baseName;
        if (settings.base() == Base.MODEL) {
            ais = new DbmAis(dbm, fit.baseBiases());
            baseName = "every layer's marginals along the model's Gibbs chains (" + reverseStart + ")";
        } else if (settings.base() == Base.DATA) {
            Matrix rows = trainBits.rows(0, Math.min(trainBits.rows(), 5000));
            List<Matrix> b = new ArrayList<>(DbmAis.baseRates(dbm, rows, meanFieldIterations));
            b.set(0, RbmAis.smoothedBaseRateBias(trainBits, 0.05));
            ais = new DbmAis(dbm, b);
            baseName = "the data's pixel marginals (base_rate.m) and the mean-field posterior's average activations";
        } else {
            ais = new DbmAis(dbm, RbmAis.smoothedBaseRateBias(trainBits, 0.05));
            baseName = "the data's pixel marginals (base_rate.m), uniform hidden units (the paper's base)";
        }
        AisAgreement.Directions directions = new AisAgreement.Directions() {
            @Override public AisEstimate forward(AnnealingSchedule s, RandomStream r, Progress p) { return ais.forward(s, settings.runs(), r, p); }

            @Override public AisEstimate reverse(AnnealingSchedule s, RandomStream r, Progress p) { return ais.reverse(fit.samples(), s, r, p); }
        };
        return finish(directions, settings, random, progress, onRound, mean, examples, ais.logZBase(), baseName,
                settings.reverse() ? reverseStart : null, "log-probability lower bound (mean field)", caveats);
    }

    /**
     * Word counts: one ln Z_D per document length D, by forward AIS and (unless forward-only) reverse AIS from chains
     * started at the scored documents of each length ({@code settings.burnIn()} Gibbs steps), scored per document.
     * Determined when, averaged over the documents, |ln Z_D by reverse - by forward| is within the tolerance and at
     * most 5% of the documents rest on an estimate with fewer effective runs than a tenth of the runs.
     *
     * @param forward      ln Z_D by forward AIS
     * @param reverse      by reverse AIS (null: forward only)
     * @param logPForward  each document's ln p(v) with the forward ln Z_D
     * @param logPReverse  with the reverse ln Z_D (null: forward only)
     */
    public record TextResult(SortedMap<Integer, AisEstimate> forward, SortedMap<Integer, AisEstimate> reverse,
                             double[] logPForward, double[] logPReverse, double[] lengths, double unigramPerplexity,
                             double tolerance) {
        public double perplexityForward() { return ReplicatedSoftmaxAis.perplexity(logPForward, lengths); }

        public double perplexityReverse() { return logPReverse == null ? Double.NaN : ReplicatedSoftmaxAis.perplexity(logPReverse, lengths); }

        /** Mean over documents of ln Z_D (reverse) - ln Z_D (forward) = ln p (forward) - ln p (reverse). */
        public double meanGap() {
            if (logPReverse == null) return Double.NaN;
            double g = 0;
            for (int n = 0; n < lengths.length; n++) g += (logPForward[n] - logPReverse[n]) / lengths.length;
            return g;
        }

        public List<String> problems() {
            List<String> p = new ArrayList<>();
            if (reverse == null) p.add("only forward AIS ran: nothing checks it");
            int few = 0;
            for (double d : lengths) {
                int len = (int) Math.round(d);
                AisEstimate f = forward.get(len), r = reverse == null ? null : reverse.get(len);
                if (!AisVerdict.enoughEffectiveRuns(f) || (r != null && !AisVerdict.enoughEffectiveRuns(r))) few++;
            }
            if (few > 0.05 * lengths.length) {
                p.add(String.format(Locale.ROOT, "%d of %d documents rest on an AIS estimate with fewer than a tenth of its runs effective", few, lengths.length));
            }
            if (reverse != null && Math.abs(meanGap()) > tolerance) {
                p.add(meanGap() < 0
                        ? String.format(Locale.ROOT, "reverse AIS is %.2f nats per document BELOW forward: the reverse chains have not reached the model", -meanGap())
                        : String.format(Locale.ROOT, "forward and reverse disagree by %.2f nats per document (tolerance %.2f)", meanGap(), tolerance));
            }
            return p;
        }

        public boolean determined() { return problems().isEmpty(); }

        public String summary() {
            if (determined()) {
                return String.format(Locale.ROOT, "forward and reverse AIS agree within %.3f nats per document: held-out perplexity %.1f "
                        + "(forward %.1f, reverse %.1f; unigram model %.1f)", Math.abs(meanGap()), perplexityForward(), perplexityForward(),
                        perplexityReverse(), unigramPerplexity);
            }
            return String.format(Locale.ROOT, "held-out perplexity NOT DETERMINED: %.1f (forward) .. %s (reverse); unigram model %.1f (%s)",
                    perplexityForward(), reverse == null ? "?" : String.format(Locale.ROOT, "%.1f", perplexityReverse()), unigramPerplexity,
                    String.join("; ", problems()));
        }
    }

    /** See {@link TextResult}; the base is the smoothed unigram model of {@code trainCounts}. */
    public static TextResult text(ReplicatedSoftmaxRbm rbm, Matrix trainCounts, Matrix docs, Settings settings,
                                  RandomStream random, Progress progress) {
        rbm.requireVisible(docs);
        if (docs.rows() == 0) throw new InputException("no documents to score");
        ReplicatedSoftmaxAis ais = new ReplicatedSoftmaxAis(rbm, ReplicatedSoftmaxRbm.unigramBias(trainCounts));
        AnnealingSchedule schedule = AnnealingSchedule.standardScaled(settings.scale());
        ReplicatedSoftmaxAis.HeldOut held = ais.evaluate(docs, schedule, settings.runs(), random.split(0), progress);
        SortedMap<Integer, AisEstimate> back = null;
        double[] logPReverse = null;
        if (settings.reverse()) {
            back = ais.reverse(docs, schedule, settings.runs(), settings.burnIn(), random.split(1), progress);
            logPReverse = ais.logProbabilities(docs, back);
        }
        return new TextResult(held.partitions(), back, held.logProbabilities(), logPReverse, held.lengths(),
                ReplicatedSoftmaxAis.perplexity(ais.baseLogProbabilities(docs), held.lengths()), settings.tolerance());
    }

    /** The annealing path from a base fitted to {@code marginals} (or, for {@link Base#DATA}, to the data) to a binary or Gaussian RBM. */
    private record PathFromBase(RbmAnnealing annealing, Forward forward, Reverse reverse, double logZBase, String baseName) {}

    private static PathFromBase path(Rbm rbm, Matrix marginals, Matrix train, Base base, String chainsName) {
        if (rbm instanceof BernoulliRbm b) {
            RbmAis ais = new RbmAis(b, base == Base.MODEL ? RbmAis.marginalBias(marginals) : RbmAis.smoothedBaseRateBias(train, 0.05));
            return new PathFromBase(ais, ais::forward, ais::reverse, ais.logZBase(), base == Base.MODEL
                    ? "visible marginals of the model's Gibbs chains (" + chainsName + ")" : "the training data's pixel marginals, smoothed as base_rate.m");
        }
        if (rbm instanceof GaussianRbm g) {
            GaussianRbmAis ais = new GaussianRbmAis(g, base == Base.MODEL ? marginals : GaussianRbmAis.baseMean(train));
            return new PathFromBase(ais, ais::forward, ais::reverse, ais.logZBase(), base == Base.MODEL
                    ? "means of the model's Gibbs chains (" + chainsName + "), the model's variances" : "the training data's means, the model's variances");
        }
        throw new InputException("AIS with a verdict is not implemented for " + rbm.visibleType() + " RBMs");
    }

    interface Forward { AisEstimate run(AnnealingSchedule s, int runs, RandomStream r, Progress p); }

    interface Reverse { AisEstimate run(Matrix samples, AnnealingSchedule s, RandomStream r, Progress p); }

    private static AisAgreement.Directions directions(Forward forward, Reverse reverse, Matrix samples, int runs) {
        return new AisAgreement.Directions() {
            @Override public AisEstimate forward(AnnealingSchedule s, RandomStream r, Progress p) { return forward.run(s, runs, r, p); }

            @Override public AisEstimate reverse(AnnealingSchedule s, RandomStream r, Progress p) { return reverse.run(samples, s, r, p); }
        };
    }

    private static Result finish(AisAgreement.Directions directions, Settings settings, RandomStream random, Progress progress,
                                 Consumer<AisAgreement.Round> onRound, double mean, int examples, double logZBase,
                                 String baseName, String reverseStart, String boundKind, List<String> caveats) {
        AisAgreement.Outcome outcome;
        if (settings.reverse()) {
            outcome = AisAgreement.untilAgree(directions, settings.scale(), settings.tolerance(), settings.rounds(),
                    settings.budgetSeconds(), caveats, random, progress, onRound);
        } else {
            long t0 = System.nanoTime();
            AisEstimate f = directions.forward(AnnealingSchedule.standardScaled(settings.scale()), random.split(0), progress);
            AisAgreement.Round round = new AisAgreement.Round(settings.scale(), new AisVerdict(f, null, settings.tolerance(), caveats),
                    (System.nanoTime() - t0) / 1e9);
            if (onRound != null) onRound.accept(round);
            outcome = new AisAgreement.Outcome(List.of(round), "forward AIS only");
        }
        return new Result(outcome, mean, examples, logZBase, baseName, reverseStart, boundKind);
    }

    /**
     * Chains that mixed agree on the average ln p*(v) of their states whatever their start. The first {@code split}
     * per-chain averages come from one kind of start, the rest from another: a caveat when the two groups' means
     * differ by more than 4 standard errors (the chains are independent, so the spread across chains gives them).
     * (For a DBM the averages are of -E(x) over all layers.)
     */
    static List<String> mixingCaveats(double[] perChain, int split, String first, String second, int burnIn) {
        int n1 = split, n2 = perChain.length - split;
        if (n1 < 2 || n2 < 2) return List.of();
        double m1 = 0, m2 = 0, v1 = 0, v2 = 0;
        for (int c = 0; c < n1; c++) m1 += perChain[c] / n1;
        for (int c = n1; c < perChain.length; c++) m2 += perChain[c] / n2;
        for (int c = 0; c < n1; c++) v1 += (perChain[c] - m1) * (perChain[c] - m1) / (n1 - 1);
        for (int c = n1; c < perChain.length; c++) v2 += (perChain[c] - m2) * (perChain[c] - m2) / (n2 - 1);
        double se = Math.sqrt(v1 / n1 + v2 / n2);
        if (Math.abs(m1 - m2) <= 4 * se) return List.of();
        return List.of(String.format(Locale.ROOT, "Gibbs chains from %s and from %s have not mixed (the average unnormalised log-probability of their states: "
                + "%.2f vs %.2f, %.1f standard errors apart), so the reverse runs do not start from model samples and modes "
                + "may be missed by both directions (even after %d Gibbs steps)", first, second, m1, m2, Math.abs(m1 - m2) / se, burnIn));
    }

    /** Sum of ln of the std over columns: added to a Gaussian RBM's log-probability in standardised units, it gives nats in data units. */
    public static double logJacobian(Matrix std) {
        double s = 0;
        for (int i = 0; i < std.cols(); i++) s -= Math.log(std.get(0, i));
        return s;
    }
}
