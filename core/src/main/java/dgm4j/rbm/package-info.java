/**
 * Restricted Boltzmann machines ({@link dgm4j.rbm.Rbm}) and their training by CD-k and persistent CD
 * ({@link dgm4j.rbm.RbmTrainer}). Depends on dgm4j and dgm4j.math.
 */
package dgm4j.rbm;
