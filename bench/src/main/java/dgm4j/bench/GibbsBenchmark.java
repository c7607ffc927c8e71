package dgm4j.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;

/**
 * Elementwise work of one Gibbs half-step on a 100x500 batch (batch 100, 500 hidden units), single thread.
 * Scores are in ns per element ({@code @OperationsPerInvocation} = 50 000).
 * <ul>
 *   <li>{@code halfStep}: {@code RandomStream.sigmoidBernoulli(x, prob, sample)}, the fused step: prob = sigmoid(x)
 *       is written, and sample ~ Bernoulli(prob) as 0/1 floats (what the RBM code calls)</li>
 *   <li>{@code sigmoid}: {@code Elementwise.sigmoid(x, prob)} alone</li>
 *   <li>{@code bernoulli}: {@code RandomStream.bernoulli(p, sample)} alone (uniforms + compare), for the breakdown</li>
 * </ul>
 * {@code kernels} selects the Vector API (default) or the scalar elementwise kernels.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class GibbsBenchmark {
    public static final int ROWS = 100;
    public static final int COLS = 500;
    public static final int ELEMENTS = ROWS * COLS;

    @Param({"vector"})
    public String kernels;

    private Matrix x;
    private Matrix p;
    private Matrix prob;
    private Matrix sample;
    private RandomStream random;

    @Setup(Level.Trial)
    public void setUp() {
        Numerics.setThreads(1);
        String got = Numerics.useVectorKernels("vector".equals(kernels));
        if (!got.equals(kernels)) throw new IllegalStateException("asked for kernels " + kernels + ", got " + got);
        Random rnd = new Random(42);
        float[] pre = new float[ELEMENTS];
        float[] pr = new float[ELEMENTS];
        for (int i = 0; i < ELEMENTS; i++) {
            pre[i] = (float) (2.0 * rnd.nextGaussian()); // typical pre-activations
            pr[i] = rnd.nextFloat();
        }
        x = Matrix.of(ROWS, COLS, pre);
        p = Matrix.of(ROWS, COLS, pr);
        prob = Matrix.zeros(ROWS, COLS);
        sample = Matrix.zeros(ROWS, COLS);
        random = new RandomStream(1234);
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public Matrix halfStep() {
        random.sigmoidBernoulli(x, prob, sample);
        return sample;
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public Matrix sigmoid() {
        return Elementwise.sigmoid(x, prob);
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public Matrix bernoulli() {
        random.bernoulli(p, sample);
        return sample;
    }
}
