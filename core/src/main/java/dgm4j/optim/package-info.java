/**
 * Optimizers over {@link dgm4j.autodiff.Parameter}s (Adam, SGD with momentum), each a single fused pass per parameter,
 * gradient clipping by global norm, and learning-rate schedules by epoch (constant, exponential decay, and the IWAE paper's 3^i-epoch stages).
 * Depends on dgm4j.math and dgm4j.autodiff.
 */
package dgm4j.optim;
