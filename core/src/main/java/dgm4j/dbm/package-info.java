/**
 * Deep Boltzmann machines (Salakhutdinov and Hinton, AISTATS 2009): the model in one file ({@link dgm4j.dbm.Dbm}:
 * energy, each layer's conditional given its neighbours, Gibbs sweeps, the mean-field posterior and its bound), greedy
 * pretraining from a stack of RBMs with the DBM corrections ({@link dgm4j.dbm.DbmPretraining}, reusing
 * {@link dgm4j.rbm.RbmTrainer}), joint training by stochastic approximation ({@link dgm4j.dbm.DbmTrainer}) over
 * persistent chains that Gibbs sampling or parallel tempering advances ({@link dgm4j.dbm.DbmChains}), run epoch by
 * epoch with checkpoints through {@link dgm4j.dbm.DbmTrainingTask}, new or resumed in a
 * {@link dgm4j.train.TrainingSession} ({@link dgm4j.dbm.DbmFamily}); model files ({@link dgm4j.dbm.DbmFiles}); samples
 * and pattern completion ({@link dgm4j.dbm.DbmSampler}); discriminative fine-tuning of the network the DBM
 * initialises, with q(h2) as extra input ({@link dgm4j.dbm.DbmFineTuning}, trained as a
 * {@link dgm4j.classify.SigmoidClassifier}). Its partition function and likelihood bound are in
 * {@link dgm4j.ais.DbmAis}. Depends on dgm4j, dgm4j.math, dgm4j.autodiff, dgm4j.optim, dgm4j.data, dgm4j.io,
 * dgm4j.train, dgm4j.rbm and dgm4j.classify.
 */
package dgm4j.dbm;
