/**
 * Datasets and everything between a file and a minibatch: the in-memory {@link dgm4j.data.Dataset}, readers for idx
 * ({@link dgm4j.data.IdxReader}), numeric CSV ({@link dgm4j.data.CsvReader}) and ARFF files, text corpora
 * ({@link dgm4j.data.TextCorpus}), the data directory that fetched datasets live in ({@link dgm4j.data.DataDirectory}),
 * standard splits ({@link dgm4j.data.Datasets#load}), binarization ({@link dgm4j.data.Binarization}), per-column
 * standardisation for real-valued models ({@link dgm4j.data.Standardization}) and shuffled minibatches
 * ({@link dgm4j.data.Minibatches}).
 *
 * <p>Bad input (corrupt or truncated files, out-of-range values, a dataset not yet fetched) raises
 * {@link dgm4j.data.DataException}, an {@link dgm4j.InputException} whose message names the file and the problem.
 *
 * <p>Depends only on {@code dgm4j} and {@code dgm4j.math}; reads files, never runs a process or opens a connection
 * (fetching is {@code dgm4j.fetch}'s, which nothing in the numeric core imports).
 */
package dgm4j.data;
