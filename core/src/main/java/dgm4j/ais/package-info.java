/**
 * Partition functions, so that every undirected model's log-likelihood can be measured: annealed importance sampling
 * (forward and reverse, with a base-rate start) and exact enumeration for small models. Depends on dgm4j.math and the
 * model packages.
 */
package dgm4j.ais;
