/**
 * Datasets and everything between a file and a minibatch: the in-memory {@link dgm4j.data.Dataset}, readers for idx
 * ({@link dgm4j.data.IdxReader}) and numeric CSV ({@link dgm4j.data.CsvReader}) files, the catalog of real datasets
 * obtainable from package registries with checksum-verified fetching ({@link dgm4j.data.DataCatalog}), standard splits
 * ({@link dgm4j.data.Datasets#load}), binarization ({@link dgm4j.data.Binarization}), per-column standardisation for
 * real-valued models ({@link dgm4j.data.Standardization}) and shuffled minibatches
 * ({@link dgm4j.data.Minibatches}).
 *
 * <p>Bad input (corrupt or truncated files, out-of-range values, a dataset not yet fetched) raises
 * {@link dgm4j.data.DataException}; failed downloads raise {@link dgm4j.data.FetchException}. Both are
 * {@link dgm4j.InputException}s whose message names the file and the problem.
 *
 * <p>Depends only on {@code dgm4j} and {@code dgm4j.math}.
 */
package dgm4j.data;
