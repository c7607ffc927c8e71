package dgm4j.bench;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.data.Minibatches;
import dgm4j.draw.Draw;
import dgm4j.draw.DrawFiles;
import dgm4j.draw.DrawTrainingTask;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.math.Blas;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.optim.Adam;
import dgm4j.optim.GradientClipping;
import dgm4j.train.TrainingData;

/**
 * Training-step timings of DRAW (Gregor et al. 2015) at the paper's MNIST sizes ({@link Draw.Architecture#paperMnist}:
 * 28 x 28, T = 64, LSTMs of 256, z of 100; with attention read 2 x 2 / write 5 x 5, and without attention), batch 100,
 * single thread, side by side with bench/scripts/draw_reference.py (PyTorch); see bench/run-draw.sh and bench/README.md.
 *
 * <p>Works (each one {@link DrawTrainingTask#step}: minibatch with dynamic binarization, forward over the T steps,
 * backpropagation through time, global-norm clipping at 1000, Adam(0.9, 0.999, 1e-8) at 1e-3): {@code attention} and
 * {@code no-attention}. A fixed number of steps is timed after a warm-up, in chunks; the epoch time is the median
 * chunk's seconds per step times 600 (60,000 / 100): extrapolated, not a whole epoch.
 *
 * <p>Parts ({@code --only}):
 * <ul>
 *   <li>{@code gemm}: single-thread GFLOP/s of the benchmark products S1..S4 ({@link VaeBenchmark#gemm}), for the
 *       roofline (FLOPs of the step's products / the fastest of these rates).</li>
 *   <li>{@code train}: the timed steps of the real task.</li>
 *   <li>{@code products}: every {@code Numerics.blas().gemm} call of a step through {@link VaeBenchmark.CountingBlas}:
 *       the layer products (m, n, k all &gt; 1; their FLOPs are the roofline's, checked against a count by hand),
 *       timed inside real steps and replayed alone; also the FLOPs of the attention's per-example products
 *       ({@code Graph.batchedMatmul}, not BLAS calls), counted by hand.</li>
 *   <li>{@code parts}: a replica of {@code DrawTrainingTask.update} (same graph, same calls) timed in its parts:
 *       minibatch, noise, forward, backward, clipping, Adam.</li>
 * </ul>
 * {@code --check FILE}: instead of timing, writes a model file (safetensors) with a freshly initialised model, one
 * binarized batch, the noise of every step and what dgm4j computes from them (loss, its parts, every parameter's
 * gradient, the global norm, the loss after one clipped Adam step on the same batch and noise), for
 * draw_reference.py --check to recompute in PyTorch. Output: one JSON object per line on stdout; progress on stderr.
 */
public final class DrawBenchmark {
    static final int BATCH = 100;

    /** One benchmarked configuration. */
    record Work(String id, Draw.Architecture architecture, String label) {}

    static final Map<String, Work> WORKS = new LinkedHashMap<>();

    static {
        WORKS.put("attention", new Work("attention", Draw.Architecture.paperMnist(true),
                "DRAW with attention (read 2x2, write 5x5), T=64, batch 100"));
        WORKS.put("no-attention", new Work("no-attention", Draw.Architecture.paperMnist(false),
                "DRAW without attention, T=64, batch 100"));
    }

    private DrawBenchmark() {}

    public static void main(String[] args) throws Exception {
        int steps = 20, chunks = 4, warmupSteps = 3, round = 0;
        double warmupS = 5, gemmMs = 100;
        String works = String.join(",", WORKS.keySet());
        String only = "gemm,train";
        String check = null, checkArch = "small";
        int checkBatch = 8;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps": steps = Integer.parseInt(args[++i]); break;
                case "--chunks": chunks = Integer.parseInt(args[++i]); break;
                case "--warmup-s": warmupS = Double.parseDouble(args[++i]); break;
                case "--warmup-steps": warmupSteps = Integer.parseInt(args[++i]); break;
                case "--gemm-ms": gemmMs = Double.parseDouble(args[++i]); break;
                case "--works": works = args[++i]; break;
                case "--only": only = args[++i]; break;
                case "--round": round = Integer.parseInt(args[++i]); break;
                case "--check": check = args[++i]; break;
                case "--check-arch": checkArch = args[++i]; break;
                case "--check-batch": checkBatch = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i] + " (--steps N --chunks N --warmup-s S"
                        + " --warmup-steps N --gemm-ms MS --works " + String.join(",", WORKS.keySet())
                        + " --only gemm,train,products,parts --round N | --check FILE --check-arch small|attention|no-attention"
                        + " --check-batch B)");
            }
        }
        Numerics.setThreads(1);
        long t0 = System.nanoTime();
        Dataset train = Datasets.load("mnist", "train+validation", null);
        log(String.format(Locale.ROOT, "MNIST train+validation: %d x %d loaded in %.1f s", train.size(), train.dim(), secs(t0)));
        Matrix mean = Draw.columnMeans(train.features());
        if (check != null) {
            check(Path.of(check), checkArch, checkBatch, train, mean);
            return;
        }
        List<String> parts = Arrays.asList(only.split(","));
        emit("{\"kind\": \"env\", \"impl\": \"dgm4j\", \"numerics\": " + str(Numerics.describe())
                + ", \"java\": " + str(System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
                + ", \"round\": " + round + ", \"steps\": " + steps + ", \"chunks\": " + chunks + ", \"warmup_s\": " + warmupS
                + ", \"loadavg\": " + str(loadAverage()) + "}");
        if (parts.contains("gemm")) VaeBenchmark.gemm(gemmMs);
        for (String id : works.split(",")) {
            Work w = WORKS.get(id);
            if (w == null) throw new IllegalArgumentException("unknown work " + id + " (known: " + WORKS.keySet() + ")");
            if (parts.contains("train") || parts.contains("products")) {
                train(w, train, mean, steps, chunks, warmupS, warmupSteps, round, parts.contains("train"), parts.contains("products"));
            }
            if (parts.contains("parts")) parts(w, train, mean, Math.max(3, steps / 2), warmupS / 2);
        }
    }

    /** The model as `dgm train draw` starts it: DrawFamily.start's initialisation (root stream 42). */
    static Draw model(Draw.Architecture a, Matrix mean) {
        return Draw.initialize(a, new RandomStream(42).split(2), mean);
    }

    // -------------------------------------------------------------------------------------------------------- train

    static void train(Work w, Dataset train, Matrix mean, int steps, int chunks, double warmupS, int warmupSteps, int round,
                      boolean timeSteps, boolean products) throws Exception {
        Draw model = model(w.architecture, mean);
        DrawTrainingTask task = new DrawTrainingTask(model, DrawTrainingTask.Settings.defaults(), TrainingData.of(train, BATCH),
                new RandomStream(1), new RandomStream(2));
        int perEpoch = task.stepsPerEpoch();
        int[] counter = {0};
        double firstLoss = run(task, counter, 1, perEpoch)[0];
        // warm-up: at least warmupS seconds and warmupSteps steps (C2 compiles the step's kernels)
        long t0 = System.nanoTime();
        int warm = 0;
        while (secs(t0) < warmupS || warm < warmupSteps) {
            run(task, counter, 1, perEpoch);
            warm++;
        }
        log(String.format(Locale.ROOT, "%s: warm-up %d steps in %.1f s", w.label, warm, secs(t0)));
        if (timeSteps) {
            int per = Math.max(1, steps / chunks);
            double[] sPerStep = new double[chunks], cpuPerStep = new double[chunks];
            double lossSum = 0, total = 0;
            String loadBefore = loadAverage();
            for (int c = 0; c < chunks; c++) {
                long cpu = processCpuNanos();
                long a = System.nanoTime();
                double[] r = run(task, counter, per, perEpoch);
                double s = secs(a);
                cpuPerStep[c] = (processCpuNanos() - cpu) / 1e9 / per;
                total += s;
                sPerStep[c] = s / per;
                lossSum += r[1];
                log(String.format(Locale.ROOT, "%s: chunk %d: %d steps, %.3f s (%.1f ms/step, mean loss %.2f)",
                        w.label, c, per, s, 1e3 * s / per, r[1] / per));
            }
            if (!task.parametersAreFinite()) throw new IllegalStateException(w.label + ": parameters became non-finite");
            emit(String.format(Locale.ROOT, "{\"kind\": \"train\", \"impl\": \"dgm4j\", \"work\": \"%s\", \"label\": %s, "
                    + "\"round\": %d, \"batch\": %d, \"warmup_steps\": %d, \"steps\": %d, \"chunks\": %d, "
                    + "\"s_per_step_chunks\": %s, \"s_per_step_median\": %.6e, \"s_per_step_min\": %.6e, \"s_per_step_max\": %.6e, "
                    + "\"s_per_step_mean\": %.6e, \"cpu_s_per_step_chunks\": %s, \"cpu_s_per_step_median\": %.6e, \"steps_per_epoch\": %d, \"s_epoch\": %.4f, \"extrapolated\": true, "
                    + "\"loss_first\": %.4f, \"loss_timed_mean\": %.4f, \"steps_before_timing\": %d, "
                    + "\"loadavg_before\": %s, \"loadavg_after\": %s}",
                    w.id, str(w.label), round, BATCH, warm + 1, per * chunks, chunks, Arrays.toString(sPerStep),
                    RbmBenchmark.median(sPerStep), min(sPerStep), max(sPerStep), total / (per * chunks), Arrays.toString(cpuPerStep),
                    RbmBenchmark.median(cpuPerStep), perEpoch,
                    RbmBenchmark.median(sPerStep) * perEpoch, firstLoss, lossSum / (per * chunks), warm + 1,
                    str(loadBefore), str(loadAverage())));
        }
        if (products) products(w, task, counter, perEpoch, Math.max(3, steps / 4));
    }

    /** Runs n steps; returns {last loss, loss sum}. */
    static double[] run(DrawTrainingTask task, int[] counter, int n, int perEpoch) {
        double last = 0, sum = 0;
        for (int i = 0; i < n; i++) {
            int c = counter[0]++;
            last = task.step(c / perEpoch, c % perEpoch);
            sum += last;
        }
        return new double[] {last, sum};
    }

    // ----------------------------------------------------------------------------------------------------- products

    static void products(Work w, DrawTrainingTask task, int[] counter, int perEpoch, int steps) throws Exception {
        Blas real = Numerics.blas();
        Field field = VaeBenchmark.blasField();
        VaeBenchmark.CountingBlas counting = new VaeBenchmark.CountingBlas(real);
        field.set(null, counting);
        List<VaeBenchmark.Call> calls;
        double inStepDense, inStepOther, stepWithTimers;
        try {
            counting.recording = true;
            run(task, counter, 1, perEpoch);
            counting.recording = false;
            calls = new ArrayList<>(counting.calls);
            run(task, counter, 1, perEpoch);
            counting.reset();
            long t0 = System.nanoTime();
            run(task, counter, steps, perEpoch);
            stepWithTimers = secs(t0) / steps;
            inStepDense = counting.denseNanos / 1e9 / steps;
            inStepOther = counting.otherNanos / 1e9 / steps;
        } finally {
            field.set(null, real);
        }
        List<VaeBenchmark.Call> dense = calls.stream().filter(VaeBenchmark.Call::dense).toList();
        List<VaeBenchmark.Call> other = calls.stream().filter(c -> !c.dense()).toList();
        double[] denseAlone = RbmBenchmark.measure(() -> VaeBenchmark.replay(dense), 1.0, 200, 5);
        double flops = dense.stream().mapToDouble(VaeBenchmark.Call::flops).sum();
        double otherFlops = other.stream().mapToDouble(VaeBenchmark.Call::flops).sum();
        double expected = expectedFlops(w.architecture, BATCH);
        // the distinct shapes, with their count and FLOPs per step
        Map<String, double[]> shapes = new LinkedHashMap<>();
        for (VaeBenchmark.Call c : dense) {
            double[] s = shapes.computeIfAbsent(c.describe(), k -> new double[2]);
            s[0]++;
            s[1] += c.flops();
        }
        StringBuilder list = new StringBuilder("{");
        String sep = "";
        for (Map.Entry<String, double[]> e : shapes.entrySet()) {
            list.append(sep).append(str(e.getKey())).append(String.format(Locale.ROOT, ": [%d, %.6e]", (int) e.getValue()[0], e.getValue()[1]));
            sep = ", ";
        }
        list.append('}');
        emit(String.format(Locale.ROOT, "{\"kind\": \"products\", \"impl\": \"dgm4j\", \"work\": \"%s\", \"dense_calls\": %d, "
                + "\"other_calls\": %d, \"dense_flops\": %.6e, \"other_flops\": %.6e, \"expected_dense_flops\": %.6e, "
                + "\"attention_flops\": %.6e, \"steps\": %d, \"s_step_with_timers\": %.6e, \"s_dense_in_step\": %.6e, "
                + "\"s_other_in_step\": %.6e, \"s_dense_alone\": %.6e, \"s_dense_alone_min\": %.6e, \"dense_gflops_alone\": %.2f, "
                + "\"shapes\": %s}",
                w.id, dense.size(), other.size(), flops, otherFlops, expected, attentionFlops(w.architecture, BATCH), steps,
                stepWithTimers, inStepDense, inStepOther, denseAlone[0], denseAlone[1], flops / denseAlone[0] / 1e9, list));
        if (Math.abs(flops - expected) > 1e-6 * expected) {
            log(String.format(Locale.ROOT, "WARNING %s: recorded layer-product FLOPs %.4e differ from the count %.4e", w.label, flops, expected));
        }
    }

    /**
     * Layer-product FLOPs of one step, counted by hand: per time step every affine map does its forward product x W and
     * in the backward pass dW = x^T G and dx = G W^T (every input of every map needs its gradient: all of them depend on
     * parameters), so 3 x 2 x batch x (sum of in x out) per time step. The maps: encoder LSTM [read, h_dec, h_enc] to
     * 4 H_enc; q's mean and log sigma, H_enc to Z each; decoder LSTM [z, h_dec] to 4 H_dec; the write (H_dec to N^2, or
     * to B A without attention); with attention the read and write windows, H_dec to 5 each.
     */
    static double expectedFlops(Draw.Architecture a, int batch) {
        int read = a.attention() ? 2 * a.readN() * a.readN() : 2 * a.dataDim();
        double macs = (double) (read + a.decoderSize() + a.encoderSize()) * 4 * a.encoderSize()
                + 2.0 * a.encoderSize() * a.latent()
                + (double) (a.latent() + a.decoderSize()) * 4 * a.decoderSize()
                + (double) a.decoderSize() * (a.attention() ? a.writeN() * a.writeN() + 2 * 5 : a.dataDim());
        return 6.0 * batch * a.steps() * macs;
    }

    /**
     * FLOPs of the attention's per-example products (Graph.batchedMatmul) per step, forward and backward: the read's
     * F_Y x and (F_Y x) F_X^T for x and x^, the write's F_Y^T w and (F_Y^T w) F_X; 0 without attention.
     */
    static double attentionFlops(Draw.Architecture a, int batch) {
        if (!a.attention()) return 0;
        int h = a.height(), wd = a.width(), r = a.readN(), w = a.writeN();
        double read = 2.0 * ((double) r * h * wd + (double) r * wd * r);
        double write = (double) h * w * w + (double) h * w * wd;
        return 6.0 * batch * a.steps() * (read + write);
    }

    // -------------------------------------------------------------------------------------------------------- parts

    /** A replica of DrawTrainingTask.update (same graph and calls), timed in its parts; seconds per step. */
    static void parts(Work w, Dataset train, Matrix mean, int steps, double warmupS) {
        Draw model = model(w.architecture, mean);
        DrawTrainingTask.Settings s = DrawTrainingTask.Settings.defaults();
        Adam adam = new Adam(model.parameters(), s.beta1(), s.beta2(), s.epsilon());
        Graph graph = new Graph();
        Draw.Unrolled u = model.unroll(graph, BATCH, false);
        Node loss = Draw.loss(graph, u);
        Minibatches batches = new Minibatches(train, BATCH, true, Binarization.dynamic(), new RandomStream(2));
        RandomStream random = new RandomStream(1);
        long[] t = new long[6];
        long start = System.nanoTime();
        int warm = 0;
        while (secs(start) < warmupS || warm < 3) {
            partStep(batches, u, random, graph, loss, model, s, adam, t);
            warm++;
        }
        Arrays.fill(t, 0);
        for (int i = 0; i < steps; i++) partStep(batches, u, random, graph, loss, model, s, adam, t);
        double total = 0;
        for (long x : t) total += x / 1e9 / steps;
        emit(String.format(Locale.ROOT, "{\"kind\": \"parts\", \"impl\": \"dgm4j\", \"work\": \"%s\", \"steps\": %d, "
                + "\"s_minibatch\": %.6e, \"s_noise\": %.6e, \"s_forward\": %.6e, \"s_backward\": %.6e, \"s_clip\": %.6e, "
                + "\"s_adam\": %.6e, \"s_total\": %.6e}",
                w.id, steps, t[0] / 1e9 / steps, t[1] / 1e9 / steps, t[2] / 1e9 / steps, t[3] / 1e9 / steps,
                t[4] / 1e9 / steps, t[5] / 1e9 / steps, total));
        log(String.format(Locale.ROOT, "%s parts (ms/step): minibatch %.2f, noise %.2f, forward %.1f, backward %.1f, clip %.2f, adam %.2f",
                w.label, t[0] / 1e6 / steps, t[1] / 1e6 / steps, t[2] / 1e6 / steps, t[3] / 1e6 / steps, t[4] / 1e6 / steps,
                t[5] / 1e6 / steps));
    }

    static void partStep(Minibatches batches, Draw.Unrolled u, RandomStream random, Graph graph, Node loss, Draw model,
                         DrawTrainingTask.Settings s, Adam adam, long[] t) {
        long a = System.nanoTime();
        if (!batches.next()) batches.next(); // false ends an epoch; the next call starts the next one
        u.x().value().copyFrom(batches.features());
        long b = System.nanoTime();
        u.fillNoise(random);
        long c = System.nanoTime();
        graph.forward();
        long d = System.nanoTime();
        graph.backward(loss);
        long e = System.nanoTime();
        GradientClipping.clipGlobalNorm(model.parameters(), s.clipNorm());
        long f = System.nanoTime();
        adam.step(s.learningRate());
        long g = System.nanoTime();
        t[0] += b - a;
        t[1] += c - b;
        t[2] += d - c;
        t[3] += e - d;
        t[4] += f - e;
        t[5] += g - f;
    }

    // -------------------------------------------------------------------------------------------------------- check

    /**
     * Writes FILE: the model as initialised (its tensors under their usual names), "check.x" (a batch of the first
     * {@code batch} training images binarized with a fixed seed), "check.noise" (T x batch rows of N(0, I) draws, step
     * t's in rows t batch ..), "check.grad.NAME" (every parameter's gradient of the loss) and metadata "check": the
     * loss, its parts, the global gradient norm and the loss after one clipped Adam step (the settings of
     * DrawTrainingTask.update) on the same batch and noise.
     */
    static void check(Path file, String arch, int batch, Dataset train, Matrix mean) {
        Draw.Architecture a = switch (arch) {
            case "small" -> new Draw.Architecture(28, 28, 4, 32, 24, 8, true, 2, 5);
            case "small-no-attention" -> new Draw.Architecture(28, 28, 4, 32, 24, 8, false, 0, 0);
            default -> {
                Work w = WORKS.get(arch);
                if (w == null) throw new IllegalArgumentException("unknown architecture " + arch);
                yield w.architecture;
            }
        };
        Draw model = model(a, mean);
        Graph graph = new Graph();
        Draw.Unrolled u = model.unroll(graph, batch, false);
        Node loss = Draw.loss(graph, u);
        Matrix x = Binarization.fixed(7).apply(train).features().rows(0, batch);
        u.x().value().copyFrom(x);
        u.fillNoise(new RandomStream(11));
        Matrix noise = Matrix.zeros(a.steps() * batch, a.latent());
        for (int t = 0; t < a.steps(); t++) noise.rows(t * batch, (t + 1) * batch).copyFrom(u.noise().get(t).value());
        ModelFile.Builder file0 = DrawFiles.builder(model).matrix("check.x", x).matrix("check.noise", noise);
        graph.forward();
        graph.backward(loss);
        double l0 = loss.value().get(0, 0);
        double kl = Elementwise.sum(u.kl().value()) / batch, recon = -Elementwise.sum(u.logLikelihood().value()) / batch;
        for (Parameter p : model.parameters()) file0.parameter("check.grad." + p.name(), p.gradient());
        DrawTrainingTask.Settings s = DrawTrainingTask.Settings.defaults();
        Adam adam = new Adam(model.parameters(), s.beta1(), s.beta2(), s.epsilon());
        double norm = GradientClipping.clipGlobalNorm(model.parameters(), s.clipNorm());
        adam.step(s.learningRate());
        graph.forward();
        double l1 = loss.value().get(0, 0);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("architecture", arch);
        meta.put("batch", batch);
        meta.put("loss", l0);
        meta.put("kl", kl);
        meta.put("reconstruction", recon);
        meta.put("gradient_norm", norm);
        meta.put("loss_after_step", l1);
        meta.put("clip_norm", s.clipNorm());
        meta.put("learning_rate", s.learningRate());
        ModelFiles.write(file, file0.metadataJson("check", meta).build());
        emit(String.format(Locale.ROOT, "{\"kind\": \"check\", \"impl\": \"dgm4j\", \"architecture\": %s, \"batch\": %d, "
                + "\"loss\": %.6f, \"kl\": %.6f, \"reconstruction\": %.6f, \"gradient_norm\": %.6f, \"loss_after_step\": %.6f, "
                + "\"file\": %s}", str(arch), batch, l0, kl, recon, norm, l1, str(file.toString())));
    }

    // ------------------------------------------------------------------------------------------------------ helpers

    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** CPU time of the whole process (every thread: the step's, the JIT's, the GC's), as Python's time.process_time. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static double min(double[] v) { return Arrays.stream(v).min().orElse(Double.NaN); }

    static double max(double[] v) { return Arrays.stream(v).max().orElse(Double.NaN); }

    static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }

    static void emit(String json) {
        System.out.println(json);
        System.out.flush();
    }

    static void log(String s) { System.err.println("[dgm4j] " + s); }

    static String str(String s) { return RbmBenchmark.str(s); }
}
