package dgm4j.math;

import java.util.Locale;
import java.util.concurrent.ForkJoinPool;

/**
 * The numeric configuration of the process: which matrix-product backend and which elementwise kernels are used, and
 * how many threads they may use.
 *
 * <p>Chosen once, at first use: system property {@code dgm4j.blas} = {@code auto} (default), {@code native},
 * {@code vector} or {@code scalar}; in {@code auto} the bundled OpenBLAS is used when it loads, otherwise the Vector API
 * kernel when the {@code jdk.incubator.vector} module is present, otherwise plain Java. Elementwise kernels use the Vector
 * API when it is present unless {@code dgm4j.vector=false}. Threads: {@code dgm4j.threads} (default: all cores).
 *
 * <p>The configuration is process-wide. A change can be confined to a block with {@link #scope()}:
 * {@code try (Numerics.Scope s = Numerics.scope()) { Numerics.setThreads(1); ... }} restores the previous backend,
 * kernels and threads when the block ends (the CLI scopes each command's {@code --threads} and {@code --blas} so).
 */
public final class Numerics {
    private static volatile Blas blas;
    private static volatile Kernels kernels;
    private static volatile int threads = defaultThreads();
    private static volatile ForkJoinPool pool;
    private static volatile String fallbackReason = "";

    private Numerics() {}

    /** The matrix-product backend in use. */
    public static Blas blas() {
        Blas b = blas;
        if (b == null) {
            synchronized (Numerics.class) {
                if (blas == null) {
                    blas = choose(System.getProperty("dgm4j.blas", "auto"));
                    blas.setThreads(threads);
                }
                b = blas;
            }
        }
        return b;
    }

    /** Replaces the backend by name ("native", "vector", "scalar" or "auto"). */
    public static synchronized Blas useBlas(String name) {
        blas = choose(name);
        blas.setThreads(threads);
        return blas;
    }

    /** Elementwise kernels in use. */
    static Kernels kernels() {
        Kernels k = kernels;
        if (k == null) {
            synchronized (Numerics.class) {
                if (kernels == null) {
                    boolean wanted = !"false".equalsIgnoreCase(System.getProperty("dgm4j.vector", "true"));
                    kernels = wanted && vectorApiAvailable() ? new VectorKernels() : new ScalarKernels();
                }
                k = kernels;
            }
        }
        return k;
    }

    /** Uses the Vector API kernels (if available and {@code vector}) or the scalar ones. */
    public static synchronized String useVectorKernels(boolean vector) {
        if (vector && !vectorApiAvailable()) {
            throw new IllegalStateException("the Vector API is not available: run the JVM with --add-modules jdk.incubator.vector");
        }
        kernels = vector ? new VectorKernels() : new ScalarKernels();
        return kernels.name();
    }

    /** Name of the elementwise kernels in use ("vector" or "scalar"). */
    public static String kernelsName() { return kernels().name(); }

    /** Threads used by products (and by the Java fallbacks). */
    public static int threads() { return threads; }

    /** Sets the thread count (1 = single-thread mode, for benchmarks and reproducibility across machines). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("thread count must be at least 1, got " + n);
        threads = n;
        if (blas != null) blas.setThreads(n);
        pool = null;
    }

    /**
     * Remembers the configuration as it is now; closing the scope restores it. Scopes nest (close them in reverse
     * order, as try-with-resources does). Inside one the configuration is still the process's, not the thread's:
     * products fork onto a shared pool whose workers must use the same backend and kernels as the caller.
     */
    public static synchronized Scope scope() {
        return new Scope(blas, kernels, threads);
    }

    /** A saved configuration, restored by {@link #close()}; see {@link Numerics#scope()}. */
    public static final class Scope implements AutoCloseable {
        private final Blas savedBlas;
        private final Kernels savedKernels;
        private final int savedThreads;

        private Scope(Blas blas, Kernels kernels, int threads) {
            savedBlas = blas;
            savedKernels = kernels;
            savedThreads = threads;
        }

        /** Restores the backend, kernels and thread count saved (unchosen ones are chosen again at first use). */
        @Override
        public void close() {
            synchronized (Numerics.class) {
                blas = savedBlas;
                kernels = savedKernels;
                if (threads != savedThreads) {
                    threads = savedThreads;
                    pool = null;
                }
                if (blas != null) blas.setThreads(threads);   // OpenBLAS's thread count is the library's
            }
        }
    }

    /** A one-line description of the configuration, for logs and --version. */
    public static String describe() {
        return "blas=" + blas().name() + " kernels=" + kernels().name() + " threads=" + threads
                + (fallbackReason.isEmpty() ? "" : " (native unavailable: " + fallbackReason + ")");
    }

    static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Numerics.class) {
                if (pool == null) pool = new ForkJoinPool(threads);
                p = pool;
            }
        }
        return p;
    }

    /** True if jdk.incubator.vector is resolvable in this JVM. */
    public static boolean vectorApiAvailable() {
        try {
            Class.forName("jdk.incubator.vector.FloatVector");
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    private static Blas choose(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "native":
                return NativeBlas.load();
            case "vector":
                if (!vectorApiAvailable()) {
                    throw new IllegalStateException("dgm4j.blas=vector needs the JVM flag --add-modules jdk.incubator.vector");
                }
                return new VectorBlas();
            case "scalar":
                return new ScalarBlas();
            case "auto":
                try {
                    return NativeBlas.load();
                } catch (Throwable t) {
                    fallbackReason = t.getClass().getSimpleName() + ": " + t.getMessage();
                    return vectorApiAvailable() ? new VectorBlas() : new ScalarBlas();
                }
            default:
                throw new IllegalArgumentException("unknown BLAS backend '" + name + "' (expected auto, native, vector or scalar)");
        }
    }

    private static int defaultThreads() {
        String p = System.getProperty("dgm4j.threads");
        if (p != null) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
            throw new IllegalArgumentException("dgm4j.threads must be a positive integer, got '" + p + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }
}
