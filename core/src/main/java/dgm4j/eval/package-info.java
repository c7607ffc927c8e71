/**
 * A model's log-likelihood on a dataset in one call, whatever the model ({@link dgm4j.eval.Evaluation#of}): AIS with
 * its verdict for RBMs and DBMs (the DBM's mean-field bound), held-out perplexity for replicated softmax, k-sample
 * importance estimates for VAEs, IWAEs, Helmholtz machines and DRAW; each as a {@link dgm4j.eval.LikelihoodReport} with its
 * uncertainty, whether the tool stands behind it, the lines to show and JSON. Depends on dgm4j.ais, dgm4j.data,
 * dgm4j.io and the model packages.
 */
package dgm4j.eval;
