package dgm4j.ais;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SortedMap;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.RbmTrainer;
import dgm4j.rbm.ReplicatedSoftmaxRbm;
import dgm4j.rbm.ReplicatedSoftmaxTest;

/** AIS for the replicated softmax model against exact ln Z_D (enumeration over h) on a small trained model. */
class ReplicatedSoftmaxAisTest {

    static Matrix topicDocs(int n, long seed) {
        return ReplicatedSoftmaxTest.topicDocs(n, seed);
    }

    @Test
    void baseModelAloneIsExact() {
        Matrix docs = topicDocs(200, 1);
        Matrix bA = ReplicatedSoftmaxRbm.unigramBias(docs);
        ReplicatedSoftmaxRbm rbm = new ReplicatedSoftmaxRbm(Matrix.zeros(24, 4), bA.copy(), Matrix.zeros(1, 4));
        ReplicatedSoftmaxAis ais = new ReplicatedSoftmaxAis(rbm, bA);
        SortedMap<Integer, AisEstimate> z = ais.forward(new int[] {7, 3, 7}, AnnealingSchedule.linear(20), 10, new RandomStream(2), Progress.NONE);
        assertEquals(2, z.size());
        double[] exact = ExactPartition.logZ(rbm, new int[] {3, 7});
        assertEquals(exact[0], z.get(3).logZ(), 1e-4);
        assertEquals(exact[1], z.get(7).logZ(), 1e-4);
        assertEquals(exact[1], ais.logZBase(7), 1e-4);
    }

    @Test
    void forwardAisIsWithinATenthOfANatOfExactOnATrainedModel() {
        Matrix train = topicDocs(600, 3);
        ReplicatedSoftmaxRbm rbm = ReplicatedSoftmaxRbm.initialize(24, 10, new RandomStream(4));
        Matrix bA = ReplicatedSoftmaxRbm.unigramBias(train);
        rbm.visibleBias().copyFrom(bA);
        RbmTrainer.Config c = RbmTrainer.Config.defaults().withLearningRate(0.005f).withWeightDecay(1e-4f);
        RbmTrainer t = new RbmTrainer(rbm, c, new RandomStream(5));
        for (int epoch = 0; epoch < 20; epoch++) {
            for (int from = 0; from < train.rows(); from += 50) t.update(train.rows(from, from + 50), epoch);
        }
        int[] lengths = {5, 20, 40};
        double[] exact = ExactPartition.logZ(rbm, lengths);
        ReplicatedSoftmaxAis ais = new ReplicatedSoftmaxAis(rbm, bA);
        SortedMap<Integer, AisEstimate> z = ais.forward(lengths, AnnealingSchedule.standard(), 100, new RandomStream(6), Progress.NONE);
        assertTrue(exact[2] - ais.logZBase(40) > 5, "annealing has work to do: the trained model is far from the base model");
        for (int i = 0; i < lengths.length; i++) {
            AisEstimate e = z.get(lengths[i]);
            assertEquals(exact[i], e.logZ(), 0.1, "ln Z_" + lengths[i] + ": " + e);
        }
        // reverse AIS from chains started at training documents of each length, run 500 Gibbs steps towards the model
        Matrix starts = Matrix.zeros(lengths.length, 24);
        for (int i = 0; i < lengths.length; i++) {
            for (int n = 0; n < train.rows(); n++) {
                double d = 0;
                for (int k = 0; k < 24; k++) d += train.get(n, k);
                if (Math.round(d) == lengths[i]) {
                    float[] row = new float[24];
                    train.getRow(n, row);
                    starts.setRow(i, row);
                    break;
                }
            }
        }
        SortedMap<Integer, AisEstimate> back = ais.reverse(starts, AnnealingSchedule.standard(), 100, 500, new RandomStream(7), Progress.NONE);
        assertEquals(lengths.length, back.size());
        for (int i = 0; i < lengths.length; i++) {
            AisEstimate e = back.get(lengths[i]);
            assertTrue(e.reverse());
            assertEquals(exact[i], e.logZ(), 0.1, "reverse ln Z_" + lengths[i] + ": " + e);
        }
    }

    @Test
    void heldOutEvaluationScoresSequencesAndPerplexityIsPerWord() {
        Matrix docs = topicDocs(40, 7);
        Matrix bA = ReplicatedSoftmaxRbm.unigramBias(docs);
        ReplicatedSoftmaxRbm rbm = new ReplicatedSoftmaxRbm(Matrix.zeros(24, 3), bA.copy(), Matrix.zeros(1, 3));
        ReplicatedSoftmaxAis ais = new ReplicatedSoftmaxAis(rbm, bA);
        ReplicatedSoftmaxAis.HeldOut h = ais.evaluate(docs, AnnealingSchedule.linear(5), 3, new RandomStream(8), Progress.NONE);
        double[] base = ais.baseLogProbabilities(docs);
        double lp = 0, words = 0;
        for (int n = 0; n < docs.rows(); n++) {
            assertEquals(base[n], h.logProbabilities()[n], 1e-3, "the base model itself: AIS exact, log p = unigram log p");
            lp += base[n];
            words += h.lengths()[n];
        }
        assertEquals(Math.exp(-lp / words), h.perplexity(), 1e-3 * h.perplexity());
        // a uniform unigram model over K words has perplexity K
        assertEquals(24, ReplicatedSoftmaxAis.perplexity(new double[] {-3 * Math.log(24), -Math.log(24)}, new double[] {3, 1}), 1e-9);
        assertThrows(InputException.class, () -> ais.evaluate(Matrix.zeros(1, 24), AnnealingSchedule.linear(2), 2, new RandomStream(1), Progress.NONE));
    }
}
