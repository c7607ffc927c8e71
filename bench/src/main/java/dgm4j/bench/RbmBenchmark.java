package dgm4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dgm4j.Progress;
import dgm4j.ais.AisEstimate;
import dgm4j.ais.AnnealingSchedule;
import dgm4j.ais.RbmAis;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.data.Minibatches;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.RbmTrainer;

/**
 * Whole-epoch timings of RBM training and AIS, single thread (plain timed main: the unit of work is seconds long, so
 * JMH adds nothing but a warm-up, which this does by hand). Side by side with bench/scripts/rbm_reference.py
 * (PyTorch, scikit-learn); see bench/run-rbm.sh and bench/README.md.
 *
 * <ul>
 *   <li>{@code epoch}: one epoch of CD-1 and of PCD-1 (100 persistent chains) on MNIST "train" (50,000 images),
 *       784-500, batch 100, dynamic binarization, {@link RbmTrainer} defaults (momentum, weight decay): the epoch is
 *       {@code while (mb.next()) trainer.update(mb.features(), epoch)}. Warm-up epochs, then the median of N epochs.
 *       Each timed epoch also records where the time went ({@code Minibatches.next}, {@code estimateGradient},
 *       {@code applyGradient}: the same calls {@code update} makes, timed one by one).</li>
 *   <li>{@code ais}: {@link RbmAis#forward} with {@link AnnealingSchedule#standard()} (14,501 betas), 100 runs, on a
 *       784-500 RBM given a few CD-1 updates (the work does not depend on the weights). {@code --ais-factor f < 1}
 *       runs {@link AnnealingSchedule#standardScaled(double)} instead and extrapolates to 14,500 steps (QUICK).</li>
 *   <li>{@code gemm}: the three product shapes of an update (v W, h W^T, v^T p(h|v)), so that the report can compute
 *       the products-only time of an epoch (the roofline). {@code update-parts}, {@code ais-parts}: the non-product
 *       pieces of a CD-1 update and of an AIS step, timed alone.</li>
 * </ul>
 * Output: one JSON object per line on stdout; progress on stderr.
 */
public final class RbmBenchmark {
    static final int D = 784, F = 500, BATCH = 100, CHAINS = 100, AIS_RUNS = 100;

    private RbmBenchmark() {}

    public static void main(String[] args) {
        int epochs = 5, warmupEpochs = 1, aisRepeats = 1;
        double aisFactor = 1.0, gemmMs = 50;
        String only = "gemm,cd,pcd,update-parts,ais,ais-parts";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs": epochs = Integer.parseInt(args[++i]); break;
                case "--warmup-epochs": warmupEpochs = Integer.parseInt(args[++i]); break;
                case "--ais-factor": aisFactor = Double.parseDouble(args[++i]); break;
                case "--ais-repeats": aisRepeats = Integer.parseInt(args[++i]); break;
                case "--gemm-ms": gemmMs = Double.parseDouble(args[++i]); break;
                case "--only": only = args[++i]; break;
                default: throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--epochs N --warmup-epochs N --ais-factor F --ais-repeats N --gemm-ms MS --only LIST)");
            }
        }
        Numerics.setThreads(1);
        List<String> parts = Arrays.asList(only.split(","));
        emit("{\"kind\": \"env\", \"impl\": \"dgm4j\", \"numerics\": " + str(Numerics.describe())
                + ", \"java\": " + str(System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
                + ", \"epochs\": " + epochs + ", \"warmup_epochs\": " + warmupEpochs + ", \"ais_factor\": " + aisFactor + "}");

        if (parts.contains("gemm")) gemm(gemmMs);
        if (parts.contains("cd") || parts.contains("pcd")) {
            long t0 = System.nanoTime();
            Dataset train = Datasets.load("mnist", "train", null);
            log(String.format(Locale.ROOT, "MNIST train: %d x %d loaded in %.1f s", train.size(), train.dim(), secs(t0)));
            if (parts.contains("cd")) epochs("CD-1", false, train, warmupEpochs, epochs);
            if (parts.contains("pcd")) epochs("PCD-1", true, train, warmupEpochs, epochs);
        }
        if (parts.contains("update-parts")) updateParts(gemmMs);
        if (parts.contains("ais")) ais(aisFactor, aisRepeats);
        if (parts.contains("ais-parts")) aisParts(gemmMs);
    }

    // ---------------------------------------------------------------------------------------------------------- gemm

    /** Median seconds per product of the three shapes an RBM update uses, through Numerics.blas().gemm. */
    static void gemm(double sampleMs) {
        RandomStream r = new RandomStream(1);
        Matrix v = rand(BATCH, D, r), w = rand(D, F, r), h = rand(BATCH, F, r);
        Matrix outH = Matrix.zeros(BATCH, F), outV = Matrix.zeros(BATCH, D), outW = Matrix.zeros(D, F);
        double flops = 2.0 * BATCH * D * F;
        String[] names = {"NN", "NT", "TN"};
        String[] what = {"v[100x784] W[784x500]", "h[100x500] W^T", "v^T[784x100] p(h|v)[100x500]"};
        Runnable[] ops = {
            () -> Numerics.blas().gemm(false, false, 1f, v, w, 1f, outH),
            () -> Numerics.blas().gemm(false, true, 1f, h, w, 1f, outV),
            () -> Numerics.blas().gemm(true, false, 0.01f, v, h, 1f, outW),
        };
        for (int s = 0; s < ops.length; s++) {
            double[] t = measure(ops[s], 0.3, sampleMs, 11);
            emit(String.format(Locale.ROOT, "{\"kind\": \"gemm\", \"impl\": \"dgm4j\", \"shape\": \"%s\", \"what\": %s, "
                    + "\"s_median\": %.6e, \"s_min\": %.6e, \"s_max\": %.6e, \"gflops\": %.2f}",
                    names[s], str(what[s]), t[0], t[1], t[2], flops / t[0] / 1e9));
        }
    }

    /** {median, min, max} seconds per call: warm-up, then samples of back-to-back calls lasting >= sampleMs. */
    static double[] measure(Runnable op, double warmupS, double sampleMs, int repeats) {
        long end = System.nanoTime() + (long) (warmupS * 1e9);
        int calls = 0;
        while (System.nanoTime() < end || calls < 3) {
            op.run();
            calls++;
        }
        int inner = 1;
        while (true) {
            long t0 = System.nanoTime();
            for (int i = 0; i < inner; i++) op.run();
            double ms = (System.nanoTime() - t0) / 1e6;
            if (ms >= sampleMs) break;
            inner = Math.max(inner * 2, (int) (inner * sampleMs / Math.max(ms, 1e-3) * 1.2));
        }
        double[] s = new double[repeats];
        for (int k = 0; k < repeats; k++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < inner; i++) op.run();
            s[k] = (System.nanoTime() - t0) / 1e9 / inner;
        }
        Arrays.sort(s);
        return new double[] {s[repeats / 2], s[0], s[repeats - 1]};
    }

    // -------------------------------------------------------------------------------------------------------- epochs

    static void epochs(String algo, boolean persistent, Dataset train, int warmup, int measured) {
        RandomStream random = new RandomStream(42);
        BernoulliRbm rbm = BernoulliRbm.initialize(D, F, random.split(1));
        RbmTrainer.Config config = RbmTrainer.Config.defaults().withPersistent(persistent).withChains(persistent ? CHAINS : 0);
        RbmTrainer trainer = new RbmTrainer(rbm, config, random.split(2));
        Minibatches mb = new Minibatches(train, BATCH, false, Binarization.dynamic(), random.split(3));
        List<double[]> rows = new ArrayList<>(); // {total, next, estimate, apply}
        for (int e = 0; e < warmup + measured; e++) {
            long tNext = 0, tEst = 0, tApply = 0;
            int batches = 0;
            long t0 = System.nanoTime();
            while (true) {
                long a = System.nanoTime();
                boolean more = mb.next();
                long b = System.nanoTime();
                tNext += b - a;
                if (!more) break;
                trainer.estimateGradient(mb.features());   // = trainer.update(batch, e), timed in its two halves
                long c = System.nanoTime();
                trainer.applyGradient(e);
                long d = System.nanoTime();
                tEst += c - b;
                tApply += d - c;
                batches++;
            }
            double total = secs(t0);
            boolean warm = e < warmup;
            log(String.format(Locale.ROOT, "%s epoch %d%s: %.3f s (%d batches; next %.3f, estimateGradient %.3f, applyGradient %.3f)",
                    algo, e, warm ? " (warm-up)" : "", total, batches, tNext / 1e9, tEst / 1e9, tApply / 1e9));
            if (!warm) rows.add(new double[] {total, tNext / 1e9, tEst / 1e9, tApply / 1e9, batches});
        }
        if (rbm.weights().hasNonFinite()) throw new IllegalStateException(algo + ": weights became non-finite");
        double[] totals = rows.stream().mapToDouble(r -> r[0]).toArray();
        emit(String.format(Locale.ROOT, "{\"kind\": \"epoch\", \"impl\": \"dgm4j\", \"algo\": \"%s\", \"batches\": %d, "
                + "\"examples\": %d, \"seconds\": %s, \"s_median\": %.4f, \"parts\": {\"next\": %.4f, "
                + "\"estimateGradient\": %.4f, \"applyGradient\": %.4f}, \"recon_error\": %.5f}",
                algo, (int) rows.get(0)[4], train.size(), Arrays.toString(totals), median(totals),
                medianOf(rows, 1), medianOf(rows, 2), medianOf(rows, 3),
                trainer.reconstructionError(train.features().rows(0, 1000))));
    }

    // ----------------------------------------------------------------------------------------------------------- ais

    /** An RBM after a few CD-1 updates on random binary data (the AIS work does not depend on the weights). */
    static BernoulliRbm aisModel(Matrix data) {
        RandomStream random = new RandomStream(7);
        BernoulliRbm rbm = BernoulliRbm.initialize(D, F, random.split(1));
        RbmTrainer trainer = new RbmTrainer(rbm, RbmTrainer.Config.defaults(), random.split(2));
        for (int i = 0; i < 20; i++) trainer.update(data.rows((i % 10) * BATCH, (i % 10 + 1) * BATCH), 0);
        return rbm;
    }

    /** Binary "data" with pixel marginals in (0.05, 0.95): for the base-rate biases and the few updates. */
    static Matrix aisData() {
        RandomStream r = new RandomStream(11);
        Matrix p = Matrix.zeros(1000, D);
        r.uniforms(p);
        Elementwise.axpby(0.9f, p, 0f, p, p);
        Elementwise.addRowVector(p, Matrix.zeros(1, D).fill(0.05f), p);
        Matrix data = Matrix.zeros(1000, D);
        r.bernoulli(p, data);
        return data;
    }

    static void ais(double factor, int repeats) {
        Matrix data = aisData();
        BernoulliRbm rbm = aisModel(data);
        RbmAis ais = new RbmAis(rbm, BernoulliRbm.baseRateBias(data));
        AnnealingSchedule full = AnnealingSchedule.standard();
        AnnealingSchedule schedule = factor >= 1 ? full : AnnealingSchedule.standardScaled(factor);
        // warm-up: a short schedule (compiles the elementwise kernels and loads the native BLAS)
        ais.forward(AnnealingSchedule.standardScaled(0.02), AIS_RUNS, new RandomStream(3), Progress.NONE);
        double[] s = new double[repeats];
        AisEstimate est = null;
        for (int k = 0; k < repeats; k++) {
            long t0 = System.nanoTime();
            est = ais.forward(schedule, AIS_RUNS, new RandomStream(5 + k), Progress.NONE);
            s[k] = secs(t0);
            log(String.format(Locale.ROOT, "AIS %d betas x %d runs: %.3f s (ln Z = %.3f)", schedule.size(), AIS_RUNS, s[k], est.logZ()));
        }
        double med = median(s);
        int steps = schedule.size() - 1, fullSteps = full.size() - 1;
        emit(String.format(Locale.ROOT, "{\"kind\": \"ais\", \"impl\": \"dgm4j\", \"betas\": %d, \"steps\": %d, \"runs\": %d, "
                + "\"seconds\": %s, \"s_median\": %.4f, \"full_betas\": %d, \"s_full\": %.4f, \"extrapolated\": %b, "
                + "\"log_z\": %.4f}",
                schedule.size(), steps, AIS_RUNS, Arrays.toString(s), med, full.size(), med * fullSteps / steps,
                steps != fullSteps, est.logZ()));
    }

    /**
     * The pieces of one AIS step (RbmAis.anneal), timed alone on 100 x 784 / 100 x 500 operands, microseconds per
     * step: where the time goes beyond the two products.
     */
    static void aisParts(double sampleMs) {
        Matrix data = aisData();
        BernoulliRbm rbm = aisModel(data);
        int m = AIS_RUNS;
        RandomStream r = new RandomStream(9);
        Matrix v = Matrix.zeros(m, D);
        r.bernoulli(Matrix.zeros(m, D).fill(0.3f), v);
        Matrix x = Matrix.zeros(m, F), scaled = Matrix.zeros(m, F), h = Matrix.zeros(m, F);
        Matrix visibleInput = Matrix.zeros(m, D), bias = Matrix.zeros(1, D), diff = Matrix.zeros(1, D).fill(0.1f);
        rbm.hiddenInput(v, x);
        Object[][] pieces = {
            {"hiddenInput (v W + a)", (Runnable) () -> rbm.hiddenInput(v, x)},
            {"gemm h W^T (+ bias rows)", (Runnable) () -> {
                Elementwise.axpby(0.5f, diff, 0.5f, rbm.visibleBias(), bias);
                Elementwise.broadcastRow(bias, visibleInput);
                Numerics.blas().gemm(false, true, 0.5f, h, rbm.weights(), 1f, visibleInput);
            }},
            {"rowDot(v, b_B - b_A)", (Runnable) () -> Elementwise.rowDot(v, diff)},
            {"2x axpby (beta x)", (Runnable) () -> {
                Elementwise.axpby(0.5f, x, 0f, x, scaled);
                Elementwise.axpby(0.5f, x, 0f, x, scaled);
            }},
            {"2x softplus", (Runnable) () -> {
                Elementwise.softplus(x, scaled);
                Elementwise.softplus(x, scaled);
            }},
            {"2x rowSums", (Runnable) () -> {
                Elementwise.rowSums(x);
                Elementwise.rowSums(x);
            }},
            {"for reference: 2x sigmoid (Elementwise.sigmoid, 100x500)", (Runnable) () -> {
                Elementwise.sigmoid(x, scaled);
                Elementwise.sigmoid(x, scaled);
            }},
            {"sigmoidBernoulli h (100x500)", (Runnable) () -> r.sigmoidBernoulli(x, null, h)},
            {"sigmoidBernoulli v (100x784)", (Runnable) () -> r.sigmoidBernoulli(visibleInput, null, v)},
        };
        for (Object[] p : pieces) {
            double[] t = measure((Runnable) p[1], 0.5, sampleMs, 11);
            emit(String.format(Locale.ROOT, "{\"kind\": \"ais-part\", \"impl\": \"dgm4j\", \"part\": %s, \"us_median\": %.2f}",
                    str((String) p[0]), t[0] * 1e6));
        }
    }

    /**
     * The non-product pieces of one CD-1 update (RbmTrainer.estimateGradient / applyGradient, BernoulliRbm), timed
     * alone on the update's operands, microseconds per update.
     */
    static void updateParts(double sampleMs) {
        RandomStream r = new RandomStream(13);
        BernoulliRbm rbm = BernoulliRbm.initialize(D, F, r.split(1));
        Matrix v = Matrix.zeros(BATCH, D), vp = Matrix.zeros(BATCH, D), h = Matrix.zeros(BATCH, F), hs = Matrix.zeros(BATCH, F);
        r.bernoulli(Matrix.zeros(BATCH, D).fill(0.3f), v);
        rbm.hiddenInput(v, h);
        Matrix gW = Matrix.zeros(D, F), gb = Matrix.zeros(1, D), ga = Matrix.zeros(1, F);
        Matrix velW = Matrix.zeros(D, F), velB = Matrix.zeros(1, D), velA = Matrix.zeros(1, F);
        Object[][] pieces = {
            {"gradients fill(0) (W, b, a)", (Runnable) () -> { gW.fill(0f); gb.fill(0f); ga.fill(0f); }},
            {"2x columnSums v (100x784) + 2x columnSums p(h|v) (100x500)", (Runnable) () -> {
                Elementwise.columnSums(v, 0.01f, 1f, gb);
                Elementwise.columnSums(v, -0.01f, 1f, gb);
                Elementwise.columnSums(h, 0.01f, 1f, ga);
                Elementwise.columnSums(h, -0.01f, 1f, ga);
            }},
            {"2x broadcastRow a (100x500) + 1x broadcastRow b (100x784)", (Runnable) () -> {
                Elementwise.broadcastRow(rbm.hiddenBias(), hs);
                Elementwise.broadcastRow(rbm.hiddenBias(), hs);
                Elementwise.broadcastRow(rbm.visibleBias(), vp);
            }},
            {"sigmoid + 2x sigmoidBernoulli h (100x500) + sigmoidBernoulli v (100x784)", (Runnable) () -> {
                Elementwise.sigmoid(h, hs);
                r.sigmoidBernoulli(h, hs, hs);
                r.sigmoidBernoulli(h, hs, hs);
                r.sigmoidBernoulli(vp, vp, vp);
            }},
            {"applyGradient: W decay axpby + velocity axpby + W += velocity (and biases)", (Runnable) () -> {
                Elementwise.axpby(1f, gW, -2e-4f, rbm.weights(), gW);
                Elementwise.axpby(0.5f, velW, 0.05f, gW, velW);
                Elementwise.add(rbm.weights(), velW, rbm.weights());
                Elementwise.axpby(0.5f, velB, 0.05f, gb, velB);
                Elementwise.add(rbm.visibleBias(), velB, rbm.visibleBias());
                Elementwise.axpby(0.5f, velA, 0.05f, ga, velA);
                Elementwise.add(rbm.hiddenBias(), velA, rbm.hiddenBias());
            }},
        };
        for (Object[] p : pieces) {
            double[] t = measure((Runnable) p[1], 0.5, sampleMs, 11);
            emit(String.format(Locale.ROOT, "{\"kind\": \"update-part\", \"impl\": \"dgm4j\", \"part\": %s, \"us_median\": %.2f}",
                    str((String) p[0]), t[0] * 1e6));
        }
    }

    // -------------------------------------------------------------------------------------------------------- helpers

    static Matrix rand(int rows, int cols, RandomStream r) {
        Matrix m = Matrix.zeros(rows, cols);
        r.uniforms(m);
        return m;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    static double medianOf(List<double[]> rows, int col) {
        return median(rows.stream().mapToDouble(r -> r[col]).toArray());
    }

    static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }

    static void emit(String json) {
        System.out.println(json);
        System.out.flush();
    }

    static void log(String s) { System.err.println("[dgm4j] " + s); }

    static String str(String s) { return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; }
}
