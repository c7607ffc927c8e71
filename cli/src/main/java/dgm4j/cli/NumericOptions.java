package dgm4j.cli;

import picocli.CommandLine.Option;

import dgm4j.InputException;
import dgm4j.math.Numerics;

/** Options every compute command takes: thread count and matrix-product backend. */
final class NumericOptions {
    @Option(names = "--threads", paramLabel = "N",
            description = "threads for matrix products (default: all cores; 1 = single-thread, reproducible across machines)")
    Integer threads;

    @Option(names = "--blas", paramLabel = "BACKEND", defaultValue = "auto",
            description = "matrix-product backend: auto (bundled OpenBLAS if it loads), native, vector, scalar (default: ${DEFAULT-VALUE})")
    String blas;

    /** Applies the options to the numeric configuration, for the rest of the command ({@link Main#execute} scopes it). */
    void apply() {
        if (threads != null) {
            if (threads < 1) throw new InputException("--threads must be at least 1, got " + threads);
            Numerics.setThreads(threads);
        }
        try {
            if (!"auto".equals(blas)) Numerics.useBlas(blas);
        } catch (IllegalArgumentException e) {
            throw new InputException("--blas: " + e.getMessage());
        } catch (Throwable t) {
            throw new InputException("--blas " + blas + " is not available here: " + t.getMessage());
        }
    }
}
