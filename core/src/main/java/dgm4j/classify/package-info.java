/**
 * Discriminative use of generative models: a sigmoid feed-forward classifier trained by backpropagation on the
 * {@link dgm4j.autodiff} tape, whose layers can be initialised from a pretrained model (the DBM fine-tuning of
 * Salakhutdinov &amp; Hinton 2009). Depends on dgm4j.math, autodiff, optim, data.
 */
package dgm4j.classify;
