/**
 * The training loop shared by every model: steps and epochs, divergence guard, CSV log, crash-safe checkpoints
 * ({@link dgm4j.train.TrainingRun}, {@link dgm4j.train.TrainingTask}), resume written once for every family
 * ({@link dgm4j.train.TrainingSession} over a family's {@link dgm4j.train.TrainingSession.Family}), and the data every
 * task takes ({@link dgm4j.train.TrainingData}). Depends on dgm4j, dgm4j.math, dgm4j.data, dgm4j.optim and dgm4j.io.
 */
package dgm4j.train;
