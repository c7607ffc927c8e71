package dgm4j.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dgm4j.math.Matrix;
import dgm4j.math.Numerics;

/**
 * The float32 matrix products the models spend their time in, through {@code Numerics.blas().gemm}, at the shapes the
 * models use:
 * <ul>
 *   <li>S1: C[100x500] = A[100x784] * B[784x500] (RBM visible-to-hidden, batch 100)</li>
 *   <li>S2: C[500x784] = A[100x500]^T * B[100x784] (weight gradient, transA)</li>
 *   <li>S3: C[100x1000] = A[100x500] * B[500x1000] (second layer)</li>
 *   <li>S4: C[5000x200] = A[5000x784] * B[784x200] (large-batch evaluation)</li>
 * </ul>
 * JMH reports time per product; GFLOP/s = 2*m*n*k / time (bench/scripts/report.py does the conversion).
 *
 * <p>Each JMH fork is a fresh JVM, so the process-wide backend and thread count are set once per trial. Run the
 * single-thread and the 2-thread configurations as separate JMH invocations ({@code -p threads=1}, then
 * {@code -p threads=2}); see bench/run-gemm.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class GemmBenchmark {

    @Param({"S1", "S2", "S3", "S4"})
    public String size;

    @Param({"native", "vector"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    private boolean transA;
    private Matrix a;
    private Matrix b;
    private Matrix c;

    /** Shape of one product: op(A) is m x k, op(B) is k x n. */
    public static final class Shape {
        public final int m, n, k;
        public final boolean transA;

        Shape(int m, int n, int k, boolean transA) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.transA = transA;
        }

        public double flops() { return 2.0 * m * n * k; }
    }

    public static Shape shape(String size) {
        switch (size) {
            case "S1": return new Shape(100, 500, 784, false);
            case "S2": return new Shape(500, 784, 100, true);
            case "S3": return new Shape(100, 1000, 500, false);
            case "S4": return new Shape(5000, 200, 784, false);
            default: throw new IllegalArgumentException("unknown size " + size + " (expected S1..S4)");
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Numerics.setThreads(threads);
        Numerics.useBlas(backend);
        if (!Numerics.blas().name().equals(backend)) {
            throw new IllegalStateException("asked for backend " + backend + ", got " + Numerics.blas().name());
        }
        Shape s = shape(size);
        transA = s.transA;
        Random rnd = new Random(42);
        a = transA ? random(s.k, s.m, rnd) : random(s.m, s.k, rnd);
        b = random(s.k, s.n, rnd);
        c = Matrix.zeros(s.m, s.n);
        check(s);
    }

    @Benchmark
    public Matrix gemm() {
        Numerics.blas().gemm(transA, false, 1f, a, b, 0f, c);
        return c;
    }

    private static Matrix random(int rows, int cols, Random rnd) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextFloat() * 2f - 1f;
        return Matrix.of(rows, cols, v);
    }

    /** One product, a few entries checked against a double-precision dot product: we must time the right product. */
    private void check(Shape s) {
        gemm();
        Random rnd = new Random(7);
        for (int t = 0; t < 16; t++) {
            int i = rnd.nextInt(s.m);
            int j = rnd.nextInt(s.n);
            double want = 0;
            double mag = 0;
            for (int p = 0; p < s.k; p++) {
                double x = (transA ? a.get(p, i) : a.get(i, p)) * (double) b.get(p, j);
                want += x;
                mag += Math.abs(x);
            }
            double got = c.get(i, j);
            if (Math.abs(got - want) > 1e-5 * mag + 1e-6) {
                throw new IllegalStateException(size + "/" + backend + ": C(" + i + "," + j + ") = " + got + ", expected " + want);
            }
        }
        c.fill(0f);
    }
}
