package dgm4j.helmholtz;

import dgm4j.InputException;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.Optimizer;

/**
 * One minibatch update of a {@link HelmholtzMachine}:
 * <ul>
 *   <li>WS, wake-sleep (Hinton, Dayan, Frey &amp; Neal 1995): wake phase h ~ q(h | x), p updated by the delta rule on
 *       (x, h), i.e. along grad log p(x, h); sleep phase (h, x) ~ p, q updated along grad log q(h | x) to predict the
 *       h that generated x. One sample per example (k = 1).</li>
 *   <li>RWS, reweighted wake-sleep (Bornschein &amp; Bengio, ICLR 2015): k samples h_i ~ q(h | x), normalised weights
 *       w~_i = w_i / sum_j w_j with w_i = p(x, h_i) / q(h_i | x); p along sum_i w~_i grad log p(x, h_i) (eq. 5, an
 *       estimate of grad log p(x)); q's wake update along sum_i w~_i grad log q(h_i | x) (eq. 7), its sleep update as in
 *       wake-sleep; the paper's default uses both (their gradients are added).</li>
 * </ul>
 * Gradients are averaged over the minibatch and handed, negated, to a minimising {@link Optimizer} over
 * {@link HelmholtzMachine#parameters()}.
 */
public final class WakeSleep {
    /** The training algorithm. */
    public enum Algorithm { WS, RWS }

    /** Which q-updates RWS makes (WS: always SLEEP). */
    public enum QUpdate { WAKE, SLEEP, BOTH }

    private final HelmholtzMachine model;
    private final int k;
    private final int batch;
    private final QUpdate qUpdate;
    private final HelmholtzMachine.Samples wake, sleep;
    private final double[] logW, weight;
    private final Matrix x;

    /** WS is RWS with k = 1 and only the sleep q-update; use {@link #wakeSleep} for it. */
    public WakeSleep(HelmholtzMachine model, int k, int batch, QUpdate qUpdate) {
        if (k < 1) throw new InputException("the number of samples k must be at least 1, got " + k);
        if (batch < 1) throw new InputException("the batch size must be at least 1, got " + batch);
        this.model = model;
        this.k = k;
        this.batch = batch;
        this.qUpdate = qUpdate;
        this.wake = model.new Samples(batch * k);
        this.sleep = qUpdate == QUpdate.WAKE ? null : model.new Samples(batch);
        this.logW = new double[batch * k];
        this.weight = new double[batch * k];
        this.x = Matrix.zeros(batch, model.dataDim());
    }

    /** Wake-sleep (k = 1, sleep q-update). */
    public static WakeSleep wakeSleep(HelmholtzMachine model, int batch) {
        return new WakeSleep(model, 1, batch, QUpdate.SLEEP);
    }

    /** The trainer for an algorithm: WS ignores k and qUpdate. */
    public static WakeSleep of(Algorithm algorithm, HelmholtzMachine model, int k, int batch, QUpdate qUpdate) {
        return algorithm == Algorithm.WS ? wakeSleep(model, batch) : new WakeSleep(model, k, batch, qUpdate);
    }

    public int k() { return k; }

    public QUpdate qUpdate() { return qUpdate; }

    /**
     * Computes the update's gradients for a minibatch of binary rows (as many as the batch size) into the parameters'
     * gradient buffers, as the gradient of a loss to minimise (the negated ascent direction, averaged over the batch).
     * Returns the batch's mean L_k = log (1/k) sum_i w_i (for k = 1 a one-sample ELBO estimate).
     */
    public double gradients(Matrix data, RandomStream random) {
        if (data.rows() != batch) throw new IllegalArgumentException("expected a batch of " + batch + " rows, got " + data.rows());
        model.zeroGradients();
        x.copyFrom(data);
        wake.setData(x, k);
        model.logWeights(wake, random, logW);
        double bound = 0;
        for (int i = 0; i < batch; i++) {              // w~ = softmax of log w within each example's k samples
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) max = Math.max(max, logW[i * k + j]);
            double sum = 0;
            for (int j = 0; j < k; j++) sum += weight[i * k + j] = Math.exp(logW[i * k + j] - max);
            for (int j = 0; j < k; j++) weight[i * k + j] /= sum;
            bound += max + Math.log(sum / k);
        }
        float scale = -1f / batch;
        model.addGenerativeGradient(wake, weight, scale);                     // wake phase: p
        if (qUpdate != QUpdate.SLEEP) model.addRecognitionGradient(wake, weight, scale);   // q wake update
        if (qUpdate != QUpdate.WAKE) {                                        // sleep phase: a dream (h, x) ~ p
            model.generate(sleep, random);
            model.recognize(sleep, null);
            model.addRecognitionGradient(sleep, null, scale);
        }
        return bound / batch;
    }

    /** {@link #gradients} then one optimizer step; returns the batch's mean L_k. */
    public double update(Matrix data, RandomStream random, Optimizer optimizer, double learningRate) {
        double bound = gradients(data, random);
        optimizer.step(learningRate);
        return bound;
    }
}
