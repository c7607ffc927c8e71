/**
 * The training loop shared by every model: steps and epochs, divergence guard, CSV log, crash-safe checkpoints
 * ({@link dgm4j.train.TrainingRun}, {@link dgm4j.train.TrainingTask}), and resume written once for every family
 * ({@link dgm4j.train.TrainingSession}). Depends on dgm4j and dgm4j.io.
 */
package dgm4j.train;
