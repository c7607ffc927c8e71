/**
 * Restricted Boltzmann machines, one kind per file over the {@link dgm4j.rbm.Rbm} interface: binary
 * {@link dgm4j.rbm.BernoulliRbm}, real-valued {@link dgm4j.rbm.GaussianRbm}, word-count
 * {@link dgm4j.rbm.ReplicatedSoftmaxRbm} ({@link dgm4j.rbm.RbmParameters} holds what they share). One trainer for all:
 * CD-k and persistent CD with momentum and weight decay (a {@link dgm4j.optim.Sgd} step), learning-rate decay,
 * sparsity and centering ({@link dgm4j.rbm.RbmTrainer}), run epoch by epoch with checkpoints through
 * {@link dgm4j.rbm.RbmTrainingTask}, new or resumed in a {@link dgm4j.train.TrainingSession} ({@link dgm4j.rbm.RbmFamily});
 * model files ({@link dgm4j.rbm.RbmFiles}); samples, reconstructions and pattern
 * completion ({@link dgm4j.rbm.RbmSampler}). Depends on dgm4j, dgm4j.math, dgm4j.autodiff, dgm4j.optim, dgm4j.data,
 * dgm4j.io and dgm4j.train.
 */
package dgm4j.rbm;
