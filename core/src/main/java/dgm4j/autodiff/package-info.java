/**
 * Reverse-mode automatic differentiation over matrices, for the directed models (VAE, IWAE, and later Helmholtz
 * machines, attention, DRAW).
 *
 * <p>A {@link dgm4j.autodiff.Graph} is recorded once for fixed shapes (batch size, number of samples k) and replayed every
 * step: {@code forward()} runs the operations in order, {@code backward(loss)} runs their gradients in reverse. Every
 * value and gradient buffer is allocated when the graph is recorded, so a training step allocates nothing.
 * Recurrent networks are unrolled on the tape: {@link dgm4j.autodiff.Lstm} records one step per time step (one fused
 * gate product, one fused cell op with two outputs), and the backward pass is backpropagation through time.
 * {@link dgm4j.autodiff.Parameter}s (value + gradient) belong to the model and may be used by several graphs (a training
 * graph and an evaluation graph of another shape). {@link dgm4j.autodiff.GradientCheck} compares every gradient with
 * central finite differences. Values the tape must not differentiate (sampled actions, glimpses at them, stop-gradient
 * copies) are recorded as {@link dgm4j.autodiff.Graph#nonDifferentiable} nodes. Depends on dgm4j.math only.
 */
package dgm4j.autodiff;
