/**
 * DRAW, the Deep Recurrent Attentive Writer (Gregor, Danihelka, Graves, Rezende &amp; Wierstra, ICML 2015): a sequence of
 * variational autoencoders whose recognition model is a recurrent encoder and whose generative model a recurrent
 * decoder that draws an image step by step on a canvas, reading and writing small windows through differentiable
 * Gaussian attention. Built on the {@link dgm4j.autodiff} tape (LSTMs unrolled over the T steps).
 *
 * <p>{@link dgm4j.draw.Attention} is the read and write operations (sec. 3: Gaussian filterbanks, or none).
 * Depends on dgm4j.math, autodiff, optim, data, io, train.
 */
package dgm4j.draw;
