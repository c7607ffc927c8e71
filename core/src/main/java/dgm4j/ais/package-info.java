/**
 * Partition functions, so that every undirected model's log-likelihood can be measured: annealed importance sampling
 * with one annealing loop ({@link dgm4j.ais.RbmAnnealing}) for the binary ({@link dgm4j.ais.RbmAis}), Gaussian
 * ({@link dgm4j.ais.GaussianRbmAis}) and replicated-softmax ({@link dgm4j.ais.ReplicatedSoftmaxAis}, one ln Z per
 * document length) RBMs from a base-rate model, forward and reverse, and for deep Boltzmann machines
 * ({@link dgm4j.ais.DbmAis}: odd layers sampled, even layers summed out, a base model fitted to every layer, the
 * mean-field lower bound on log p(v)), on the published schedule ({@link dgm4j.ais.AnnealingSchedule}); estimates with
 * their bracket and ln Z_beta along the path ({@link dgm4j.ais.AisEstimate}); exact ln Z by
 * enumeration for small RBMs and DBMs ({@link dgm4j.ais.ExactPartition}). Depends on dgm4j, dgm4j.math, dgm4j.rbm
 * and dgm4j.dbm.
 */
package dgm4j.ais;
