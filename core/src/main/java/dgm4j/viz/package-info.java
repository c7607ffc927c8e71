/**
 * Pictures of what models learned: grids of examples, samples, filters and reconstructions as PNG files.
 * Depends on dgm4j.math only.
 */
package dgm4j.viz;
