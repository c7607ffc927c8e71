/**
 * Stochastic hard attention (the lecture's last model family): a recurrent network that classifies an image from a few
 * glimpses whose locations and scales are latent actions, log p(y | X) = log sum_a p(a | X) p(y | a, X).
 *
 * <p>{@link dgm4j.attention.RecurrentAttention} is the model (Mnih et al. 2014; Ba et al. 2015) in the papers' notation:
 * the retina ({@link dgm4j.math.Glimpses}), glimpse network, LSTM core, Gaussian location and softmax scale policy,
 * classifier, REINFORCE's baseline and the wake-sleep inference network q(a | y, X), unrolled on the
 * {@link dgm4j.autodiff} tape; {@link dgm4j.attention.AttentionGradients} the three learning rules' gradient estimators
 * (REINFORCE with a baseline, WS-RAM with M importance-weighted samples and control variates, the variational bound
 * with q = prior); {@link dgm4j.attention.RamTrainingTask} trains with Adam and gradient clipping under
 * {@link dgm4j.train.TrainingRun} (error and gradient-variance monitors), {@link dgm4j.attention.RamFamily} is its part
 * of a {@link dgm4j.train.TrainingSession} (new runs, resume); {@link dgm4j.attention.RamEvaluation} classifies with
 * glimpses from the policy and draws glimpse trajectories; {@link dgm4j.attention.RamFiles} reads and writes model files
 * (kind "ram"). Depends on dgm4j.math, autodiff, optim, data, io, train.
 */
package dgm4j.attention;
