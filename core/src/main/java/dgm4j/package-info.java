/**
 * dgm4j: deep generative models on the JVM. Sub-packages, dependencies pointing one way (math &lt;- everything):
 * {@code math} (matrices, products, kernels, random streams), {@code data} (datasets, readers, fetching, minibatches),
 * {@code io} (model files), then the models. This package holds the few types every package shares:
 * {@link dgm4j.InputException} for bad user input and {@link dgm4j.Progress} for reporting long work.
 */
package dgm4j;
