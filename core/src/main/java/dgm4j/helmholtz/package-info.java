/**
 * Helmholtz machines: sigmoid belief nets p(x, h) with a recognition net q(h | x), trained by wake-sleep (Hinton et al.
 * 1995) or reweighted wake-sleep (Bornschein &amp; Bengio, ICLR 2015), with closed-form gradients on the numeric core.
 *
 * <p>{@link dgm4j.helmholtz.HelmholtzMachine} holds both nets and their sampling / scoring passes;
 * {@link dgm4j.helmholtz.WakeSleep} is one minibatch update (WS, or RWS with k samples and wake, sleep or both
 * q-updates); {@link dgm4j.helmholtz.HelmholtzEstimator} estimates log p(x) by importance sampling with q (k = 5000)
 * and computes it exactly for small models; {@link dgm4j.helmholtz.HelmholtzTrainingTask} trains with Adam under
 * {@link dgm4j.train.TrainingRun}, new or resumed in a {@link dgm4j.train.TrainingSession}
 * ({@link dgm4j.helmholtz.HelmholtzFamily}); {@link dgm4j.helmholtz.HelmholtzFiles} reads and writes model files (kind
 * "helmholtz"). Depends on dgm4j.math, autodiff (parameters), optim, data, io, train and vae (its estimate summary).
 */
package dgm4j.helmholtz;
