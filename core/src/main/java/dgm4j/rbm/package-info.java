/**
 * Restricted Boltzmann machines ({@link dgm4j.rbm.Rbm}: binary {@link dgm4j.rbm.BernoulliRbm}, real-valued
 * {@link dgm4j.rbm.GaussianRbm}) and their training by CD-k and persistent CD ({@link dgm4j.rbm.RbmTrainer}). Depends on dgm4j and dgm4j.math.
 */
package dgm4j.rbm;
