/**
 * DRAW, the Deep Recurrent Attentive Writer (Gregor, Danihelka, Graves, Rezende &amp; Wierstra, ICML 2015): a sequence of
 * variational autoencoders whose recognition model is a recurrent encoder and whose generative model a recurrent
 * decoder that draws an image step by step on a canvas, reading and writing small windows through differentiable
 * Gaussian attention. Built on the {@link dgm4j.autodiff} tape (LSTMs unrolled over the T steps).
 *
 * <p>{@link dgm4j.draw.Draw} is the model in the paper's notation (eqs. 1-16), recording its T steps on a graph;
 * {@link dgm4j.draw.Attention} the read and write operations (sec. 3: Gaussian filterbanks, or none);
 * {@link dgm4j.draw.DrawEstimator} the test bound (closed-form KL, as the paper reports it) and the k-sample
 * importance estimate; {@link dgm4j.draw.DrawTrainingTask} trains with Adam and gradient clipping under
 * {@link dgm4j.train.TrainingRun}, and {@link dgm4j.draw.DrawFamily} is its part of a
 * {@link dgm4j.train.TrainingSession} (new runs, resume); {@link dgm4j.draw.DrawFiles} reads and writes model files
 * (kind "draw"). Depends on dgm4j.math, autodiff, optim, data, io, train.
 */
package dgm4j.draw;
