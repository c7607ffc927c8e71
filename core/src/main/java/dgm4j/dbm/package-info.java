/**
 * Deep Boltzmann machines (Salakhutdinov and Hinton, AISTATS 2009): the model in one file ({@link dgm4j.dbm.Dbm}:
 * energy, each layer's conditional given its neighbours, Gibbs sweeps, the mean-field posterior and its bound), greedy
 * pretraining from a stack of RBMs with the DBM corrections ({@link dgm4j.dbm.DbmPretraining}, reusing
 * {@link dgm4j.rbm.RbmTrainer}), joint training by stochastic approximation ({@link dgm4j.dbm.DbmTrainer}) over
 * persistent chains that Gibbs sampling or parallel tempering advances ({@link dgm4j.dbm.DbmChains}), run epoch by
 * epoch with checkpoints through {@link dgm4j.dbm.DbmTrainingTask}; model files ({@link dgm4j.dbm.DbmFiles}); samples
 * and pattern completion ({@link dgm4j.dbm.DbmSampler}); the starting point of discriminative fine-tuning
 * ({@link dgm4j.dbm.DbmFineTuning}: [v, q(h2)] as input, weights from the DBM; the training itself is not here
 * yet). Its partition function and likelihood bound are in {@link dgm4j.ais.DbmAis}. Depends on dgm4j, dgm4j.math, dgm4j.data, dgm4j.io, dgm4j.train and dgm4j.rbm.
 */
package dgm4j.dbm;
