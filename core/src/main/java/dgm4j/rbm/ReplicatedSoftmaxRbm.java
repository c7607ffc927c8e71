package dgm4j.rbm;

import java.util.List;

import dgm4j.InputException;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;

/**
 * The replicated softmax model (Salakhutdinov and Hinton, NIPS 2009), an undirected topic model: a document of D words
 * from a vocabulary of K is the count vector v in N^K, D = sum_k v_k; hidden h in {0,1}^F. It is an RBM with D softmax
 * visible units that share their weights, so only the counts matter, and hidden biases scaled by D:
 *
 * <pre>
 *   E(v, h) = -sum_kj W_kj v_k h_j - sum_k b_k v_k - D sum_j a_j h_j
 *   p(h_j = 1 | v) = sigmoid(D a_j + sum_k W_kj v_k)
 *   p(v | h) = Multinomial(D, softmax(b + W h))         (D independent draws from one softmax)
 *   F(v) = -b^T v - sum_j softplus(D a_j + sum_k W_kj v_k)
 *   E_{h|v}[-dE/dW] = v p(h|v)^T,  E_{h|v}[-dE/db] = v,  E_{h|v}[-dE/da] = D p(h|v)
 * </pre>
 *
 * <p>Probabilities are of the ordered word sequence, as in the paper (its V is the K x D matrix of one-hot words):
 * p(v) = exp(-F(v)) / Z_D with Z_D = sum over all K^D sequences of length D of sum_h exp(-E), i.e.
 * Z_D = sum_h exp(D a^T h) (sum_k exp(b_k + (W h)_k))^D. The probability of the count vector itself would carry the
 * extra multinomial coefficient D! / prod_k v_k!; perplexities use the sequence probability. Z depends on D, so there
 * is one partition function per document length ({@link dgm4j.ais.ReplicatedSoftmaxAis}).
 *
 * <p>{@link #sampleVisible} keeps each row's document length: it reads D from the row sums of {@code sample} (the
 * chain's current state, which the trainer fills with the data before the first Gibbs step) and overwrites the row
 * with D new draws. Training: CD-k is the method of the paper and works as is. With PCD the persistent chains keep the
 * lengths of the rows they were started from (the first minibatch, repeated), while Z_D and the model statistics
 * depend on D: when those lengths do not represent the data's (few chains, a small first batch), the D-scaled hidden
 * biases receive a systematic gradient and drift (seen in tests: a grows without bound). Prefer CD for this model.
 */
public final class ReplicatedSoftmaxRbm extends RbmParameters {
    /** W (K x F), b (1 x K), a (1 x F, multiplied by D in the energy). */
    public ReplicatedSoftmaxRbm(Matrix weights, Matrix visibleBias, Matrix hiddenBias) {
        super("replicated softmax", weights, visibleBias, hiddenBias);
    }

    /** A new model with W ~ N(0, 0.01^2) and zero biases (the visible biases are best set to log unigram frequencies). */
    public static ReplicatedSoftmaxRbm initialize(int words, int hidden, RandomStream random) {
        return new ReplicatedSoftmaxRbm(smallRandomWeights(words, hidden, random), Matrix.zeros(1, words), Matrix.zeros(1, hidden));
    }

    @Override public String visibleType() { return "softmax"; }

    @Override public boolean countsWords() { return true; }

    /** Document lengths D (row sums of the counts), as a B x 1 column. */
    public static Matrix lengths(Matrix v) {
        double[] d = Elementwise.rowSums(v);
        Matrix out = Matrix.zeros(v.rows(), 1);
        for (int n = 0; n < d.length; n++) out.set(n, 0, (float) d[n]);
        return out;
    }

    /** out = D a + v W (B x F). */
    @Override
    public Matrix hiddenInput(Matrix v, Matrix out) {
        if (v.cols() != visibleUnits()) {
            throw new InputException("data have " + v.cols() + " columns but the model has " + visibleUnits() + " words");
        }
        Numerics.blas().gemm(false, false, 1f, lengths(v), hiddenBias, 0f, out);   // D a (outer product)
        Numerics.blas().gemm(false, false, 1f, v, weights, 1f, out);
        return out;
    }

    /**
     * mean = E[v | h] = D softmax(b + W h) (may be null); sample ~ Multinomial(D, softmax(b + W h)), where D is each row's
     * current total in {@code sample} (the chain state it overwrites), so documents keep their lengths.
     */
    @Override
    public void sampleVisible(Matrix h, Matrix mean, Matrix sample, RandomStream random) {
        double[] d = Elementwise.rowSums(sample);
        Matrix p = mean != null ? mean : Matrix.zeros(sample.rows(), sample.cols());
        Elementwise.softmaxRows(visibleInput(h, p), p);
        random.multinomialRows(p, d, sample);
        if (mean != null) Elementwise.scaleRows(mean, d, mean);
    }

    @Override
    public double[] freeEnergy(Matrix v, Matrix scratch) {
        Matrix x = hiddenInput(v, hiddenScratch(v, scratch));
        return freeEnergyFromSoftplusSums(v, Elementwise.rowSums(Elementwise.softplus(x, x)));   // softplus in float, summed in double
    }

    @Override
    public void addStatistics(Matrix v, Matrix hiddenProb, float scale, List<Matrix> gradients) {
        Numerics.blas().gemm(true, false, scale, v, hiddenProb, 1f, gradients.get(0));            // v p(h|v)^T
        Elementwise.columnSums(v, scale, 1f, gradients.get(1));                                    // v
        Numerics.blas().gemm(true, false, scale, lengths(v), hiddenProb, 1f, gradients.get(2));   // D p(h|v)
    }

    /** Width K, every count a finite non-negative integer, every document at least one word. */
    @Override
    public void requireVisible(Matrix v) {
        if (v.cols() != visibleUnits()) {
            throw new InputException("data have " + v.cols() + " columns but the model has " + visibleUnits() + " words");
        }
        int c = v.cols();
        for (int n = 0; n < v.rows(); n++) {
            double d = 0;
            for (int k = 0; k < c; k++) {
                float x = v.get(n, k);
                if (!(x >= 0) || x != Math.rint(x) || Float.isInfinite(x)) {
                    throw new InputException("a replicated softmax model needs word counts (non-negative integers); found "
                            + x + " at row " + n + ", column " + k);
                }
                d += x;
            }
            if (d < 1) throw new InputException("document at row " + n + " is empty (no word counts); drop empty documents first");
        }
    }

    @Override
    public ReplicatedSoftmaxRbm copy() {
        return new ReplicatedSoftmaxRbm(weights.copy(), visibleBias.copy(), hiddenBias.copy());
    }

    /**
     * Visible biases of the unigram model (W = 0): log smoothed frequencies of the training counts, b_k =
     * ln((c_k + 1) / (C + K)), c_k the total count of word k, C the number of words (add-one smoothing). The AIS base
     * and a good starting point for training.
     */
    public static Matrix unigramBias(Matrix counts) {
        if (counts.rows() == 0) throw new InputException("cannot fit a unigram model to an empty corpus");
        Matrix c = Elementwise.columnSums(counts, 1f, 0f, Matrix.zeros(1, counts.cols()));
        double total = Elementwise.sum(counts) + counts.cols();
        Matrix b = Matrix.zeros(1, counts.cols());
        for (int k = 0; k < counts.cols(); k++) b.set(0, k, (float) Math.log((c.get(0, k) + 1.0) / total));
        return b;
    }
}
