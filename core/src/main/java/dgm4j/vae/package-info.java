/**
 * Variational autoencoders (Kingma &amp; Welling 2014) and importance weighted autoencoders (Burda, Grosse &amp;
 * Salakhutdinov, ICLR 2016), built on the {@link dgm4j.autodiff} tape.
 *
 * <p>{@link dgm4j.vae.StochasticLayer} is one conditional distribution (diagonal Gaussian or Bernoulli) computed by a
 * tanh network; {@link dgm4j.vae.VariationalAutoencoder} stacks them into a recognition model q(h|x) and a generative
 * model p(x, h) and records the log importance weights log w = log p(x, h) - log q(h|x) of k samples per example, from
 * which both objectives follow: the VAE bound E[log w] and the IWAE bound L_k = E[log (1/k) sum_i w_i].
 * {@link dgm4j.vae.VaeEstimator} estimates log p(x) (k = 5000), bounds for any k and active units;
 * {@link dgm4j.vae.VaeTrainingTask} trains with Adam under {@link dgm4j.train.TrainingRun}, new or resumed in a
 * {@link dgm4j.train.TrainingSession} ({@link dgm4j.vae.VaeFamily}); {@link dgm4j.vae.VaeFiles}
 * reads and writes model files (kind "vae"). Depends on dgm4j.math, autodiff, optim, data, io, train.
 */
package dgm4j.vae;
