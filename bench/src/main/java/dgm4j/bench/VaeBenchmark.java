package dgm4j.bench;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.data.Minibatches;
import dgm4j.math.Blas;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.optim.Adam;
import dgm4j.optim.LearningRateSchedule;
import dgm4j.train.TrainingData;
import dgm4j.vae.StochasticLayer;
import dgm4j.vae.VaeTrainingTask;
import dgm4j.vae.VariationalAutoencoder;

/**
 * Training-step timings of the 1-stochastic-layer VAE / IWAE (Burda et al.'s 784-200-200-50 architecture, tanh,
 * Gaussian q, Bernoulli p(x|h)), single thread, on MNIST's 60,000 training images with dynamic binarization and Adam,
 * side by side with bench/scripts/vae_reference.py (PyTorch); see bench/run-vae.sh and bench/README.md.
 *
 * <p>Works (each one {@link VaeTrainingTask#step}: binarize, forward, backward, Adam):
 * {@code iwae50x20} (IWAE k = 50, batch 20), {@code iwae50x100} (IWAE k = 50, batch 100), {@code vae1x20} (VAE k = 1,
 * batch 20). A fixed number of steps is timed after a warm-up, in chunks; the epoch time is the median chunk's
 * seconds per step times the epoch's steps (60,000 / batch): extrapolated, not a whole epoch.
 *
 * <p>For each work also:
 * <ul>
 *   <li>{@code products}: every {@code Numerics.blas().gemm} call of a step, recorded through a counting wrapper put in
 *       place of the process's BLAS backend (by reflection on {@code Numerics.blas}; the wrapper forwards to the real
 *       backend): the layer products (m, n, k all &gt; 1: their FLOPs are the roofline's) and the rank-1 / vector
 *       calls dgm4j makes for bias broadcasts and column sums. Timed two ways: inside real steps (nanoTime around each
 *       call), and alone (the recorded calls replayed back to back on the same operands).</li>
 *   <li>{@code parts}: a replica of {@code VaeTrainingTask.step} (same graph, same calls) timed in its parts:
 *       minibatch (copy + dynamic binarization), noise, forward, backward, Adam.</li>
 * </ul>
 * {@code gemm}: single-thread GFLOP/s of the benchmark products S1..S4 ({@link GemmBenchmark#shape}), for the
 * roofline (the report divides each epoch's layer-product FLOPs by the fastest of these). Output: one JSON object per
 * line on stdout; progress on stderr.
 */
public final class VaeBenchmark {
    static final int D = 784;
    static final double LR = 1e-3;

    /** One benchmarked configuration. */
    record Work(String id, VariationalAutoencoder.Objective objective, int k, int batch, String label) {}

    static final Map<String, Work> WORKS = new LinkedHashMap<>();

    static {
        WORKS.put("iwae50x20", new Work("iwae50x20", VariationalAutoencoder.Objective.IWAE, 50, 20, "IWAE k=50, batch 20"));
        WORKS.put("iwae50x100", new Work("iwae50x100", VariationalAutoencoder.Objective.IWAE, 50, 100, "IWAE k=50, batch 100"));
        WORKS.put("vae1x20", new Work("vae1x20", VariationalAutoencoder.Objective.VAE, 1, 20, "VAE k=1, batch 20"));
    }

    private VaeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int stepsK = 300, stepsVae = 1500, chunks = 5;
        double warmupS = 8, gemmMs = 100;
        String works = String.join(",", WORKS.keySet());
        String only = "gemm,kernels,train,products,parts";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps-k50": stepsK = Integer.parseInt(args[++i]); break;
                case "--steps-vae": stepsVae = Integer.parseInt(args[++i]); break;
                case "--chunks": chunks = Integer.parseInt(args[++i]); break;
                case "--warmup-s": warmupS = Double.parseDouble(args[++i]); break;
                case "--gemm-ms": gemmMs = Double.parseDouble(args[++i]); break;
                case "--works": works = args[++i]; break;
                case "--only": only = args[++i]; break;
                default: throw new IllegalArgumentException("unknown option " + args[i] + " (--steps-k50 N --steps-vae N"
                        + " --chunks N --warmup-s S --gemm-ms MS --works " + String.join(",", WORKS.keySet())
                        + " --only gemm,kernels,train,products,parts)");
            }
        }
        Numerics.setThreads(1);
        List<String> parts = Arrays.asList(only.split(","));
        emit("{\"kind\": \"env\", \"impl\": \"dgm4j\", \"numerics\": " + str(Numerics.describe())
                + ", \"java\": " + str(System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
                + ", \"steps_k50\": " + stepsK + ", \"steps_vae\": " + stepsVae + ", \"chunks\": " + chunks
                + ", \"warmup_s\": " + warmupS + "}");
        if (parts.contains("gemm")) gemm(gemmMs);
        if (parts.contains("kernels")) kernels(gemmMs);

        long t0 = System.nanoTime();
        Dataset train = Datasets.load("mnist", "train+validation", null);
        log(String.format(Locale.ROOT, "MNIST train+validation: %d x %d loaded in %.1f s", train.size(), train.dim(), secs(t0)));
        Matrix mean = VariationalAutoencoder.columnMeans(train.features());
        for (String id : works.split(",")) {
            Work w = WORKS.get(id);
            if (w == null) throw new IllegalArgumentException("unknown work " + id + " (known: " + WORKS.keySet() + ")");
            int steps = w.k == 1 ? stepsVae : stepsK;
            if (parts.contains("train") || parts.contains("products")) {
                train(w, train, mean, steps, chunks, warmupS, parts.contains("train"), parts.contains("products"));
            }
            if (parts.contains("parts")) parts(w, train, mean, Math.max(1, steps / 2), warmupS / 2);
        }
    }

    static VariationalAutoencoder model(Matrix mean) {
        return VariationalAutoencoder.paperArchitecture(1, D, StochasticLayer.Kind.BERNOULLI, new RandomStream(42).split(2), mean);
    }

    // --------------------------------------------------------------------------------------------------------- gemm

    static void gemm(double sampleMs) {
        Random rnd = new Random(42);
        for (String size : new String[] {"S1", "S2", "S3", "S4"}) {
            GemmBenchmark.Shape s = GemmBenchmark.shape(size);
            Matrix a = s.transA ? random(s.k, s.m, rnd) : random(s.m, s.k, rnd);
            Matrix b = random(s.k, s.n, rnd), c = Matrix.zeros(s.m, s.n);
            double[] t = RbmBenchmark.measure(() -> Numerics.blas().gemm(s.transA, false, 1f, a, b, 0f, c), 0.3, sampleMs, 11);
            emit(String.format(Locale.ROOT, "{\"kind\": \"gemm\", \"impl\": \"dgm4j\", \"shape\": \"%s\", \"m\": %d, \"n\": %d, "
                    + "\"k\": %d, \"transA\": %b, \"s_median\": %.6e, \"s_min\": %.6e, \"gflops\": %.2f, \"gflops_best\": %.2f}",
                    size, s.m, s.n, s.k, s.transA, t[0], t[1], s.flops() / t[0] / 1e9, s.flops() / t[1] / 1e9));
        }
    }

    // ------------------------------------------------------------------------------------------------------ kernels

    /**
     * The step's main non-product kernels alone, at the IWAE k = 50, batch 20 shapes (1000 sample rows), microseconds
     * per call and ns per element; vae_reference.py times PyTorch's counterparts.
     */
    static void kernels(double sampleMs) {
        int rows = 1000;
        RandomStream r = new RandomStream(5);
        Matrix z = Matrix.zeros(rows, 50), mu = Matrix.zeros(rows, 50), ls = Matrix.zeros(rows, 50);
        Matrix u = Matrix.zeros(rows, 50), inv = Matrix.zeros(rows, 50), d1 = Matrix.zeros(rows, 50);
        Matrix d2 = Matrix.zeros(rows, 50), d3 = Matrix.zeros(rows, 50), noise = Matrix.zeros(rows, 50);
        r.gaussian(z);
        r.gaussian(mu);
        r.gaussian(ls);
        Elementwise.scale(ls, 0.1f);
        double[] ll = new double[rows], g = new double[rows];
        Arrays.fill(g, 1e-3);
        Matrix h = Matrix.zeros(rows, 200), th = Matrix.zeros(rows, 200), gh = Matrix.zeros(rows, 200);
        r.gaussian(h);
        Matrix logits = Matrix.zeros(rows, D), x = Matrix.zeros(rows, D), dl = Matrix.zeros(rows, D);
        r.gaussian(logits);
        r.bernoulli(Matrix.zeros(rows, D).fill(0.3f), x);
        VariationalAutoencoder model = model(Matrix.zeros(1, D).fill(0.3f));
        Adam adam = new Adam(model.parameters(), 0.9, 0.999, 1e-4);
        int params = model.parameters().stream().mapToInt(p -> p.value().size()).sum();
        Object[][] pieces = {
            {"noise: N(0,1) draws (RandomStream.gaussian)", rows * 50, (Runnable) () -> r.gaussian(noise)},
            {"log q: gaussianLogDensity(z, mu, log sigma)", rows * 50,
                (Runnable) () -> Elementwise.gaussianLogDensity(z, mu, ls, ll, u, inv)},
            {"log p(z): gaussianLogDensity(z) (standard normal)", rows * 50,
                (Runnable) () -> Elementwise.gaussianLogDensity(z, null, null, ll, u, null)},
            {"log q forward + backward (dz, dmu, dlog sigma)", rows * 50, (Runnable) () -> {
                Elementwise.gaussianLogDensity(z, mu, ls, ll, u, inv);
                Elementwise.gaussianLogDensityBackward(u, inv, g, d1, d2, d3);
            }},
            {"log p(x|z): bernoulliLogLikelihood (+ x - sigmoid)", rows * D,
                (Runnable) () -> Elementwise.bernoulliLogLikelihood(logits, x, dl, ll)},
            {"tanh", rows * 200, (Runnable) () -> Elementwise.tanh(h, th)},
            {"tanh backward", rows * 200, (Runnable) () -> Elementwise.tanhBackward(gh, th, h)},
            {"Adam step (all parameters)", params, (Runnable) () -> adam.step(LR)},
        };
        for (Object[] p : pieces) {
            double[] t = RbmBenchmark.measure((Runnable) p[2], 0.5, sampleMs, 11);
            emit(String.format(Locale.ROOT, "{\"kind\": \"kernel\", \"impl\": \"dgm4j\", \"name\": %s, \"elements\": %d, "
                    + "\"us\": %.2f, \"ns_per_element\": %.3f}", str((String) p[0]), (int) p[1], t[0] * 1e6, t[0] * 1e9 / (int) p[1]));
        }
    }

    // -------------------------------------------------------------------------------------------------------- train

    static void train(Work w, Dataset train, Matrix mean, int steps, int chunks, double warmupS, boolean timeSteps,
                      boolean products) throws Exception {
        VariationalAutoencoder model = model(mean);
        VaeTrainingTask.Config config = VaeTrainingTask.Config.defaults().withObjective(w.objective, w.k)
                .withSchedule(LearningRateSchedule.constant(LR, 1));
        VaeTrainingTask task = new VaeTrainingTask(model, config, TrainingData.of(train, w.batch), new RandomStream(1), new RandomStream(2));
        int perEpoch = task.stepsPerEpoch();
        int[] counter = {0};
        double firstLoss = run(task, counter, 1, perEpoch)[0];
        // warm-up: at least warmupS seconds and 20 steps (C2 compiles the step's kernels)
        long t0 = System.nanoTime();
        int warm = 0;
        while (secs(t0) < warmupS || warm < 20) {
            run(task, counter, 1, perEpoch);
            warm++;
        }
        log(String.format(Locale.ROOT, "%s: warm-up %d steps in %.1f s", w.label, warm, secs(t0)));
        if (timeSteps) {
            int per = Math.max(1, steps / chunks);
            double[] sPerStep = new double[chunks];
            double lossSum = 0, total = 0;
            for (int c = 0; c < chunks; c++) {
                long a = System.nanoTime();
                double[] r = run(task, counter, per, perEpoch);
                double s = secs(a);
                total += s;
                sPerStep[c] = s / per;
                lossSum += r[1];
                log(String.format(Locale.ROOT, "%s: chunk %d: %d steps, %.3f s (%.3f ms/step, mean loss %.2f)",
                        w.label, c, per, s, 1e3 * s / per, r[1] / per));
            }
            if (!task.parametersAreFinite()) throw new IllegalStateException(w.label + ": parameters became non-finite");
            double med = RbmBenchmark.median(sPerStep);
            emit(String.format(Locale.ROOT, "{\"kind\": \"train\", \"impl\": \"dgm4j\", \"work\": \"%s\", \"label\": %s, "
                    + "\"objective\": \"%s\", \"k\": %d, \"batch\": %d, \"warmup_steps\": %d, \"steps\": %d, \"chunks\": %d, "
                    + "\"s_per_step_chunks\": %s, \"s_per_step_median\": %.6e, \"s_per_step_mean\": %.6e, "
                    + "\"steps_per_epoch\": %d, \"s_epoch\": %.4f, \"s_epoch_mean\": %.4f, \"extrapolated\": true, "
                    + "\"loss_first\": %.4f, \"loss_timed_mean\": %.4f, \"steps_before_timing\": %d}",
                    w.id, str(w.label), w.objective, w.k, w.batch, warm + 1, per * chunks, chunks, Arrays.toString(sPerStep),
                    med, total / (per * chunks), perEpoch, med * perEpoch, total / (per * chunks) * perEpoch,
                    firstLoss, lossSum / (per * chunks), warm + 1));
        }
        if (products) products(w, task, counter, perEpoch, Math.max(20, steps / 5));
    }

    /** Runs n steps; returns {last loss, loss sum}. */
    static double[] run(VaeTrainingTask task, int[] counter, int n, int perEpoch) {
        double last = 0, sum = 0;
        for (int i = 0; i < n; i++) {
            int c = counter[0]++;
            last = task.step(c / perEpoch, c % perEpoch);
            sum += last;
        }
        return new double[] {last, sum};
    }

    // ----------------------------------------------------------------------------------------------------- products

    /** A recorded gemm call: the operands are the step's own (views included), so a replay does the same work. */
    record Call(boolean transA, boolean transB, int m, int n, int k, float alpha, Matrix a, Matrix b, float beta, Matrix c) {
        boolean dense() { return m > 1 && n > 1 && k > 1; }

        double flops() { return 2.0 * m * n * k; }

        String describe() {
            return m + "x" + n + "x" + k + (transA ? " A^T" : "") + (transB ? " B^T" : "") + (beta != 0f ? " +C" : "");
        }
    }

    /** Forwards every product to the real backend, optionally timing it and recording the calls. */
    static final class CountingBlas extends Blas {
        final Blas real;
        boolean recording;
        final List<Call> calls = new ArrayList<>();
        long denseNanos, otherNanos, denseCalls, otherCalls;

        CountingBlas(Blas real) { this.real = real; }

        @Override
        public String name() { return real.name(); }

        @Override
        protected void gemmKernel(boolean transA, boolean transB, int m, int n, int k, float alpha, Matrix a, Matrix b,
                                  float beta, Matrix c) {
            long t0 = System.nanoTime();
            real.gemm(transA, transB, alpha, a, b, beta, c);
            long dt = System.nanoTime() - t0;
            boolean dense = m > 1 && n > 1 && k > 1;
            if (dense) {
                denseNanos += dt;
                denseCalls++;
            } else {
                otherNanos += dt;
                otherCalls++;
            }
            if (recording) calls.add(new Call(transA, transB, m, n, k, alpha, a, b, beta, c));
        }

        @Override
        protected void setThreads(int threads) {
            // the real backend keeps the thread count Numerics gave it (1 here)
        }

        void reset() {
            denseNanos = otherNanos = denseCalls = otherCalls = 0;
        }
    }

    static Field blasField() throws NoSuchFieldException {
        Field f = Numerics.class.getDeclaredField("blas");
        f.setAccessible(true);
        return f;
    }

    static void products(Work w, VaeTrainingTask task, int[] counter, int perEpoch, int steps) throws Exception {
        Blas real = Numerics.blas();
        Field field;
        try {
            field = blasField();
        } catch (ReflectiveOperationException | RuntimeException e) {
            log("products: cannot wrap Numerics.blas (" + e + "); skipped");
            return;
        }
        CountingBlas counting = new CountingBlas(real);
        field.set(null, counting);
        List<Call> calls;
        double inStepDense, inStepOther, stepWithTimers;
        try {
            counting.recording = true;
            run(task, counter, 1, perEpoch);
            counting.recording = false;
            calls = new ArrayList<>(counting.calls);
            run(task, counter, 5, perEpoch);
            counting.reset();
            long t0 = System.nanoTime();
            run(task, counter, steps, perEpoch);
            stepWithTimers = secs(t0) / steps;
            inStepDense = counting.denseNanos / 1e9 / steps;
            inStepOther = counting.otherNanos / 1e9 / steps;
        } finally {
            field.set(null, real);
        }
        // the recorded calls alone, back to back, on the same operands (beta = 1 calls accumulate: values drift, work does not)
        List<Call> dense = calls.stream().filter(Call::dense).toList();
        List<Call> other = calls.stream().filter(c -> !c.dense()).toList();
        double[] denseAlone = RbmBenchmark.measure(() -> replay(dense), 1.0, 200, 7);
        double[] allAlone = RbmBenchmark.measure(() -> replay(calls), 0.5, 200, 7);
        double[] perCall = perCall(calls, 0.5);
        double flops = dense.stream().mapToDouble(Call::flops).sum();
        double otherFlops = other.stream().mapToDouble(Call::flops).sum();
        double expected = expectedFlops(w.batch, w.k);
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < calls.size(); i++) list.append(i == 0 ? "" : ", ").append(str(calls.get(i).describe()));
        list.append(']');
        StringBuilder us = new StringBuilder("[");
        for (int i = 0; i < perCall.length; i++) us.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", perCall[i] * 1e6));
        us.append(']');
        emit(String.format(Locale.ROOT, "{\"kind\": \"products\", \"impl\": \"dgm4j\", \"work\": \"%s\", \"dense_calls\": %d, "
                + "\"other_calls\": %d, \"dense_flops\": %.6e, \"other_flops\": %.6e, \"expected_dense_flops\": %.6e, "
                + "\"steps\": %d, \"s_step_with_timers\": %.6e, \"s_dense_in_step\": %.6e, \"s_other_in_step\": %.6e, "
                + "\"s_dense_alone\": %.6e, \"s_dense_alone_min\": %.6e, \"s_all_alone\": %.6e, \"dense_gflops_alone\": %.2f, "
                + "\"calls\": %s, \"call_us\": %s}",
                w.id, dense.size(), other.size(), flops, otherFlops, expected, steps, stepWithTimers, inStepDense, inStepOther,
                denseAlone[0], denseAlone[1], allAlone[0], flops / denseAlone[0] / 1e9, list, us));
        if (Math.abs(flops - expected) > 1e-6 * expected) {
            log(String.format(Locale.ROOT, "WARNING %s: recorded layer-product FLOPs %.4e differ from the count %.4e", w.label, flops, expected));
        }
    }

    /** Median seconds of each recorded call, replayed in step order for about {@code seconds} (each pass times every call). */
    static double[] perCall(List<Call> calls, double seconds) {
        Blas blas = Numerics.blas();
        List<long[]> passes = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end || passes.size() < 5) {
            long[] t = new long[calls.size()];
            for (int i = 0; i < calls.size(); i++) {
                Call c = calls.get(i);
                long t0 = System.nanoTime();
                blas.gemm(c.transA, c.transB, c.alpha, c.a, c.b, c.beta, c.c);
                t[i] = System.nanoTime() - t0;
            }
            passes.add(t);
        }
        double[] med = new double[calls.size()];
        for (int i = 0; i < med.length; i++) {
            final int j = i;
            med[i] = RbmBenchmark.median(passes.stream().mapToDouble(t -> t[j] / 1e9).toArray());
        }
        return med;
    }

    static void replay(List<Call> calls) {
        Blas blas = Numerics.blas();
        for (Call c : calls) blas.gemm(c.transA, c.transB, c.alpha, c.a, c.b, c.beta, c.c);
    }

    /**
     * Layer-product FLOPs of one step, counted by hand: every affine layer does its forward product x W, and in the
     * backward pass dW = x^T G and (unless x is the data, which needs no gradient) dx = G W^T, each as many FLOPs as
     * the forward. Encoder on B rows: 784-200, 200-200, 200-50 twice (mean, log sigma); decoder on B k rows: 50-200,
     * 200-200, 200-784.
     */
    static double expectedFlops(int batch, int k) {
        double enc = 784 * 200 + 200 * 200 + 2 * 200 * 50;
        double dec = 50 * 200 + 200 * 200 + 200 * 784;
        double macs = batch * (3 * enc - 784 * 200) + (double) batch * k * 3 * dec;
        return 2 * macs;
    }

    // -------------------------------------------------------------------------------------------------------- parts

    /** A replica of VaeTrainingTask.step (same graph and calls), timed in its parts; seconds per step. */
    static void parts(Work w, Dataset train, Matrix mean, int steps, double warmupS) {
        VariationalAutoencoder model = model(mean);
        Adam adam = new Adam(model.parameters(), 0.9, 0.999, 1e-4);
        Graph graph = new Graph();
        VariationalAutoencoder.LogWeights weights = model.logWeights(graph, w.batch, w.k);
        Node bound = VariationalAutoencoder.bound(graph, weights, w.objective);
        Node loss = graph.scale(bound, -1f);
        Minibatches batches = new Minibatches(train, w.batch, true, Binarization.dynamic(), new RandomStream(2));
        RandomStream random = new RandomStream(1);
        long[] t = new long[5];
        long start = System.nanoTime();
        int warm = 0;
        while (secs(start) < warmupS || warm < 20) {
            partStep(batches, weights, random, graph, loss, adam, t);
            warm++;
        }
        Arrays.fill(t, 0);
        for (int i = 0; i < steps; i++) partStep(batches, weights, random, graph, loss, adam, t);
        double total = 0;
        for (long x : t) total += x / 1e9 / steps;
        emit(String.format(Locale.ROOT, "{\"kind\": \"parts\", \"impl\": \"dgm4j\", \"work\": \"%s\", \"steps\": %d, "
                + "\"s_minibatch\": %.6e, \"s_noise\": %.6e, \"s_forward\": %.6e, \"s_backward\": %.6e, \"s_adam\": %.6e, "
                + "\"s_total\": %.6e}",
                w.id, steps, t[0] / 1e9 / steps, t[1] / 1e9 / steps, t[2] / 1e9 / steps, t[3] / 1e9 / steps,
                t[4] / 1e9 / steps, total));
        log(String.format(Locale.ROOT, "%s parts (ms/step): minibatch %.3f, noise %.3f, forward %.3f, backward %.3f, adam %.3f",
                w.label, t[0] / 1e6 / steps, t[1] / 1e6 / steps, t[2] / 1e6 / steps, t[3] / 1e6 / steps, t[4] / 1e6 / steps));
    }

    static void partStep(Minibatches batches, VariationalAutoencoder.LogWeights weights, RandomStream random, Graph graph,
                         Node loss, Adam adam, long[] t) {
        long a = System.nanoTime();
        if (!batches.next()) batches.next(); // false ends an epoch; the next call starts the next one
        weights.x().value().copyFrom(batches.features());
        long b = System.nanoTime();
        weights.fillNoise(random);
        long c = System.nanoTime();
        graph.forward();
        long d = System.nanoTime();
        graph.backward(loss);
        long e = System.nanoTime();
        adam.step(LR);
        long f = System.nanoTime();
        t[0] += b - a;
        t[1] += c - b;
        t[2] += d - c;
        t[3] += e - d;
        t[4] += f - e;
    }

    // ------------------------------------------------------------------------------------------------------ helpers

    static Matrix random(int rows, int cols, Random rnd) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextFloat() * 2f - 1f;
        return Matrix.of(rows, cols, v);
    }

    static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }

    static void emit(String json) {
        System.out.println(json);
        System.out.flush();
    }

    static void log(String s) { System.err.println("[dgm4j] " + s); }

    static String str(String s) { return RbmBenchmark.str(s); }
}
