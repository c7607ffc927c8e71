/**
 * The training loop shared by every model: steps and epochs, divergence guard, CSV log, crash-safe checkpoints
 * ({@link dgm4j.train.TrainingRun}, {@link dgm4j.train.TrainingTask}), resume written once for every family
 * ({@link dgm4j.train.TrainingSession} over a family's {@link dgm4j.train.TrainingSession.Family}), the data every
 * task takes ({@link dgm4j.train.TrainingData}), the minibatch loop, monitors and checkpoint entries every family's
 * task shares ({@link dgm4j.train.MinibatchTrainingTask}), and the momentum-SGD ascent of the RBM and DBM trainers
 * ({@link dgm4j.train.MomentumTrainer}). Depends on dgm4j, dgm4j.math, dgm4j.data, dgm4j.autodiff, dgm4j.optim and
 * dgm4j.io.
 */
package dgm4j.train;
