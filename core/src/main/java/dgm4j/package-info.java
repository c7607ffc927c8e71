/**
 * dgm4j: deep generative models on the JVM. Sub-packages, dependencies pointing one way (math &lt;- everything):
 * {@code math} (matrices, products, kernels, random streams), {@code data} (datasets, readers, minibatches),
 * {@code io} (model files), then the models; {@code fetch} (downloading datasets) sits apart, on top of {@code data}.
 * This package holds the few types every package shares: {@link dgm4j.InputException} for bad user input and
 * {@link dgm4j.Progress} for reporting long work.
 */
package dgm4j;
