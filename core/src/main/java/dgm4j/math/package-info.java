/**
 * The numeric core: float32 matrices stored off-heap ({@link dgm4j.math.Matrix}), matrix products through a bundled
 * native BLAS or Java fallbacks ({@link dgm4j.math.Blas}, chosen by {@link dgm4j.math.Numerics}), fused elementwise
 * kernels with Vector API paths ({@link dgm4j.math.Elementwise}), seeded splittable random streams
 * ({@link dgm4j.math.RandomStream}), log-space helpers in double ({@link dgm4j.math.LogMath}), and the image kernels of
 * the attention models: DRAW's Gaussian filterbanks ({@link dgm4j.math.GaussianFilterbank}) and the area-sampled
 * glimpse retina ({@link dgm4j.math.Glimpses}).
 *
 * <p>Depends on nothing else in dgm4j; everything else depends on it. Models never loop over matrix elements
 * themselves: speed lives here.
 */
package dgm4j.math;
