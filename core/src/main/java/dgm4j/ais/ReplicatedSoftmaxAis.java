package dgm4j.ais;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.rbm.ReplicatedSoftmaxRbm;

/**
 * Annealed importance sampling for the replicated softmax model, whose partition function Z_D depends on the document
 * length D (Salakhutdinov and Hinton 2009, section 3): one AIS per distinct length. The base model A has W = 0, a = 0
 * and visible biases b_A (log smoothed unigram frequencies), so it is a unigram model with exactly
 *
 * <pre>
 *   ln Z_A(D) = D ln sum_k exp(b_A,k) + F ln 2
 *   p*_beta(v) = exp((1 - beta) b_A^T v + beta b^T v) prod_j (1 + exp(beta (D a_j + v^T W_j)))
 * </pre>
 *
 * (hidden units summed out; all probabilities are of ordered word sequences, see {@link ReplicatedSoftmaxRbm}). The
 * transition at beta is one Gibbs sweep h ~ sigmoid(beta (D a + W^T v)), v ~ Multinomial(D, softmax((1 - beta) b_A
 * + beta (b + W h))), which keeps every chain's length. All lengths are annealed together: the chains of every length
 * are rows of one matrix (in blocks of at most {@value #MAX_ROWS} rows). Log-weights are accumulated in double.
 */
public final class ReplicatedSoftmaxAis extends RbmAnnealing {
    /** Most chains annealed at once (bounds memory: rows x K floats, several times). */
    public static final int MAX_ROWS = 4096;

    private final Matrix baseVisibleBias; // b_A
    private final double baseLogSumExp;   // ln sum_k exp(b_A,k)
    private final Matrix biasDifference;  // b - b_A
    private final Matrix bias;
    private Matrix visibleInput;
    private double[] rowLengths;          // D of each chain during annealing

    /**
     * @param baseVisibleBias b_A (1 x K), e.g. from {@link ReplicatedSoftmaxRbm#unigramBias(Matrix)}
     */
    public ReplicatedSoftmaxAis(ReplicatedSoftmaxRbm rbm, Matrix baseVisibleBias) {
        super(rbm);
        if (baseVisibleBias.rows() != 1 || baseVisibleBias.cols() != rbm.visibleUnits()) {
            throw new InputException("base-rate biases are " + baseVisibleBias.shape() + ", expected 1x" + rbm.visibleUnits());
        }
        if (baseVisibleBias.hasNonFinite()) throw new InputException("base-rate biases must be finite");
        this.baseVisibleBias = baseVisibleBias;
        this.baseLogSumExp = Elementwise.logSumExpRows(baseVisibleBias)[0];
        this.biasDifference = Elementwise.subtract(rbm.visibleBias(), baseVisibleBias, Matrix.zeros(1, rbm.visibleUnits()));
        this.bias = Matrix.zeros(1, rbm.visibleUnits());
    }

    /** ln Z_A(D) of the base model. */
    public double logZBase(int length) {
        return length * baseLogSumExp + rbm.hiddenUnits() * Math.log(2);
    }

    /**
     * Log-probabilities of the documents (rows of counts) under the base model alone, a unigram model:
     * ln p_A(v) = b_A^T v - D ln sum_k exp(b_A,k) (of the word sequence). With {@link ReplicatedSoftmaxRbm#unigramBias} this is the
     * unigram baseline.
     */
    public double[] baseLogProbabilities(Matrix docs) {
        double[] lin = Elementwise.rowDot(docs, baseVisibleBias);
        double[] d = Elementwise.rowSums(docs);
        double[] out = new double[lin.length];
        for (int n = 0; n < out.length; n++) out[n] = lin[n] - d[n] * baseLogSumExp;
        return out;
    }

    /** The distinct document lengths of the rows, increasing. */
    public static int[] distinctLengths(Matrix docs) {
        return Arrays.stream(Elementwise.rowSums(docs)).mapToInt(x -> (int) Math.round(x)).distinct().sorted().toArray();
    }

    /**
     * Forward AIS for every length in {@code lengths} (duplicates ignored): {@code runs} chains per length started from
     * exact samples of the base model, annealed through {@code schedule}. Returns ln Z_D estimates by length.
     */
    public SortedMap<Integer, AisEstimate> forward(int[] lengths, AnnealingSchedule schedule, int runs, RandomStream random,
                                                   Progress progress) {
        if (runs < 1) throw new InputException("AIS needs at least one run, got " + runs);
        int[] distinct = Arrays.stream(lengths).distinct().sorted().toArray();
        for (int d : distinct) if (d < 1) throw new InputException("document lengths must be at least 1, got " + d);
        Progress p = progress == null ? Progress.NONE : progress;
        SortedMap<Integer, AisEstimate> out = new TreeMap<>();
        int perBlock = Math.max(1, MAX_ROWS / runs);
        for (int from = 0; from < distinct.length; from += perBlock) {
            int to = Math.min(distinct.length, from + perBlock);
            int m = (to - from) * runs;
            double[] rowLengths = new double[m];
            for (int i = from; i < to; i++) Arrays.fill(rowLengths, (i - from) * runs, (i - from + 1) * runs, distinct[i]);
            // exact samples of the base model: v ~ Multinomial(D, softmax(b_A))
            Matrix prob = Matrix.zeros(m, rbm.visibleUnits());
            Elementwise.broadcastRow(baseVisibleBias, prob);
            Elementwise.softmaxRows(prob, prob);
            Matrix v = Matrix.zeros(m, rbm.visibleUnits());
            random.multinomialRows(prob, rowLengths, v);
            String task = "forward AIS, lengths " + distinct[from] + ".." + distinct[to - 1] + " (" + (to - from) + " of " + distinct.length + ")";
            this.rowLengths = rowLengths;
            this.visibleInput = Matrix.zeros(m, rbm.visibleUnits());
            double[] logW = anneal(v, schedule.betas(), random, p, task, null);
            for (int i = from; i < to; i++) {
                double[] w = Arrays.copyOfRange(logW, (i - from) * runs, (i - from + 1) * runs);
                out.put(distinct[i], new AisEstimate(logZBase(distinct[i]), w, schedule.size(), false));
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * Reverse AIS for every document length among the rows of {@code starts}: {@code runs} chains per length start at
     * those documents (repeated), are brought towards the model by {@code gibbsSteps} Gibbs steps at beta = 1 (lengths
     * kept), then annealed from beta = 1 to 0; E[w] = Z_A(D) / Z_D. Beside the forward estimate it brackets ln Z_D when
     * the chains reached the model.
     */
    public SortedMap<Integer, AisEstimate> reverse(Matrix starts, AnnealingSchedule schedule, int runs, int gibbsSteps,
                                                   RandomStream random, Progress progress) {
        if (runs < 1) throw new InputException("AIS needs at least one run, got " + runs);
        if (gibbsSteps < 0) throw new InputException("Gibbs steps must be non-negative, got " + gibbsSteps);
        rbm.requireVisible(starts);
        double[] startLengths = Elementwise.rowSums(starts);
        int[] distinct = distinctLengths(starts);
        double[] up = schedule.betas();
        double[] down = new double[up.length];
        for (int k = 0; k < up.length; k++) down[k] = up[up.length - 1 - k];
        Progress p = progress == null ? Progress.NONE : progress;
        SortedMap<Integer, AisEstimate> out = new TreeMap<>();
        int perBlock = Math.max(1, MAX_ROWS / runs);
        float[] row = new float[rbm.visibleUnits()];
        for (int from = 0; from < distinct.length; from += perBlock) {
            int to = Math.min(distinct.length, from + perBlock);
            int m = (to - from) * runs;
            double[] rowLengths = new double[m];
            Matrix v = Matrix.zeros(m, rbm.visibleUnits());
            for (int i = from; i < to; i++) {
                // the documents of this length, used in turn as chain starts
                List<Integer> docs = new ArrayList<>();
                for (int n = 0; n < startLengths.length; n++) if (Math.round(startLengths[n]) == distinct[i]) docs.add(n);
                for (int c = 0; c < runs; c++) {
                    starts.getRow(docs.get(c % docs.size()), row);
                    v.setRow((i - from) * runs + c, row);
                    rowLengths[(i - from) * runs + c] = distinct[i];
                }
            }
            Matrix h = Matrix.zeros(m, rbm.hiddenUnits());
            for (int t = 0; t < gibbsSteps; t++) {
                rbm.sampleHidden(v, null, h, random);
                rbm.sampleVisible(h, null, v, random);
            }
            String task = "reverse AIS, lengths " + distinct[from] + ".." + distinct[to - 1] + " (" + (to - from) + " of " + distinct.length + ")";
            this.rowLengths = rowLengths;
            this.visibleInput = Matrix.zeros(m, rbm.visibleUnits());
            double[] logW = anneal(v, down, random, p, task, null);
            for (int i = from; i < to; i++) {
                double[] w = Arrays.copyOfRange(logW, (i - from) * runs, (i - from + 1) * runs);
                out.put(distinct[i], new AisEstimate(logZBase(distinct[i]), w, schedule.size(), true));
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** ln f_B(v) - ln f_A(v) = (b - b_A)^T v. */
    @Override
    protected double[] visibleLogRatio(Matrix v) {
        return Elementwise.rowDot(v, biasDifference);
    }

    /** v ~ Multinomial(D, softmax((1 - beta) b_A + beta b + beta W h)), each row keeping its length D. */
    @Override
    protected void sampleVisible(Matrix h, float beta, Matrix v, RandomStream random) {
        Elementwise.axpby(1f - beta, baseVisibleBias, beta, rbm.visibleBias(), bias);
        Elementwise.broadcastRow(bias, visibleInput);
        Numerics.blas().gemm(false, true, beta, h, rbm.weights(), 1f, visibleInput);
        Elementwise.softmaxRows(visibleInput, visibleInput);
        random.multinomialRows(visibleInput, rowLengths, v);
    }

    /**
     * ln p(v_n) = -F(v_n) - ln Z_{D_n} for each document (row of counts), with ln Z_D from {@code partitions} (which
     * must hold every length of the documents): the log-probability of the document's word sequence.
     */
    public double[] logProbabilities(Matrix docs, SortedMap<Integer, AisEstimate> partitions) {
        rbm.requireVisible(docs);
        double[] free = rbm.freeEnergy(docs, null);
        double[] d = Elementwise.rowSums(docs);
        double[] out = new double[free.length];
        for (int n = 0; n < out.length; n++) {
            AisEstimate z = partitions.get((int) Math.round(d[n]));
            if (z == null) throw new InputException("no partition function estimate for document length " + (int) Math.round(d[n]) + " (row " + n + ")");
            out[n] = -free[n] - z.logZ();
        }
        return out;
    }

    /** Held-out evaluation: per-document log-probabilities, their lengths and the ln Z_D estimates used. */
    public record HeldOut(double[] logProbabilities, double[] lengths, SortedMap<Integer, AisEstimate> partitions) {
        public double perplexity() { return ReplicatedSoftmaxAis.perplexity(logProbabilities, lengths); }
    }

    /** Runs forward AIS for every length of {@code docs} and scores them (see {@link #logProbabilities}). */
    public HeldOut evaluate(Matrix docs, AnnealingSchedule schedule, int runs, RandomStream random, Progress progress) {
        rbm.requireVisible(docs);
        SortedMap<Integer, AisEstimate> z = forward(distinctLengths(docs), schedule, runs, random, progress);
        return new HeldOut(logProbabilities(docs, z), Elementwise.rowSums(docs), z);
    }

    /** Perplexity exp(-sum_n ln p(v_n) / sum_n D_n): per word, from sequence log-probabilities. */
    public static double perplexity(double[] logProbabilities, double[] lengths) {
        if (logProbabilities.length != lengths.length || lengths.length == 0) {
            throw new InputException("perplexity needs one length per log-probability and at least one document");
        }
        double lp = 0, words = 0;
        for (int n = 0; n < lengths.length; n++) {
            lp += logProbabilities[n];
            words += lengths[n];
        }
        return Math.exp(-lp / words);
    }
}
