package dgm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import dgm4j.InputException;
import dgm4j.ais.AisEstimate;
import dgm4j.ais.AnnealingSchedule;
import dgm4j.ais.ExactPartition;
import dgm4j.ais.RbmAis;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.Rbm;
import dgm4j.rbm.RbmFiles;
import dgm4j.rbm.RbmSampler;
import dgm4j.viz.ImageGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** RBM commands: sample, filters, complete, and AIS evaluation. */
final class RbmCommands {
    private RbmCommands() {}

    static Rbm load(Path file, int[] imageShape) {
        ModelFile f = ModelFiles.read(file, Rbm.KIND);
        int[] s = RbmFiles.imageShape(f);
        imageShape[0] = s[0];
        imageShape[1] = s[1];
        return RbmFiles.read(f);
    }

    /** Tile size for pictures: the recorded image shape, else the most square factorisation of D. */
    static int[] tile(int d, int[] shape) {
        if (shape[0] * shape[1] == d && shape[0] > 0) return shape;
        int h = (int) Math.floor(Math.sqrt(d));
        while (d % h != 0) h--;
        return new int[] {h, d / h};
    }

    /** filters.png (the first 100 hidden units' weights) and samples.png (100 fantasies after 1000 Gibbs steps). */
    static void writePictures(Rbm rbm, int height, int width, Path dir, RandomStream random, PrintWriter out) throws IOException {
        Files.createDirectories(dir);
        int[] t = tile(rbm.visibleUnits(), new int[] {height, width});
        Path filters = dir.resolve("filters.png");
        writeFilters(rbm, t, 100, filters);
        Path samples = dir.resolve("samples.png");
        Matrix s = RbmSampler.fantasies(rbm, 100, 1000, random);
        new ImageGrid(t[0], t[1], 10).zoom(2).writePng(s, null, samples);
        out.println("wrote " + filters + " (learned filters) and " + samples + " (samples after 1000 Gibbs steps)");
    }

    static void writeFilters(Rbm rbm, int[] t, int count, Path file) throws IOException {
        int n = Math.min(count, rbm.hiddenUnits());
        Matrix w = rbm.weights();
        Matrix filters = Matrix.zeros(n, rbm.visibleUnits());
        for (int j = 0; j < n; j++) for (int i = 0; i < rbm.visibleUnits(); i++) filters.set(j, i, w.get(i, j));
        new ImageGrid(t[0], t[1], ImageGrid.columnsFor(n)).zoom(2).scaling(ImageGrid.Scaling.PER_TILE).writePng(filters, null, file);
    }

    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = "Draw fantasy samples from a model with long Gibbs chains and write them as a PNG grid.")
    static final class Sample implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL") Path model;
        @Option(names = "--out", required = true, paramLabel = "FILE.png") Path out;
        @Option(names = "--count", defaultValue = "100", description = "chains (default: ${DEFAULT-VALUE})") int count;
        @Option(names = "--steps", defaultValue = "1000", description = "Gibbs steps per chain (default: ${DEFAULT-VALUE})") int steps;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Mixin NumericOptions numeric;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            numeric.apply();
            if (count < 1 || steps < 1) throw new InputException("--count and --steps must be positive");
            int[] shape = new int[2];
            Rbm rbm = load(model, shape);
            int[] t = tile(rbm.visibleUnits(), shape);
            Matrix s = RbmSampler.fantasies(rbm, count, steps, new RandomStream(seed));
            new ImageGrid(t[0], t[1], ImageGrid.columnsFor(count)).zoom(2).writePng(s, null, out);
            spec.commandLine().getOut().println("wrote " + count + " samples after " + steps + " Gibbs steps to " + out);
            return Main.OK;
        }
    }

    @Command(name = "filters", mixinStandardHelpOptions = true,
            description = "Write the learned weights of the first hidden units as images (the lecture's \"edges\").")
    static final class Filters implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL") Path model;
        @Option(names = "--out", required = true, paramLabel = "FILE.png") Path out;
        @Option(names = "--count", defaultValue = "100") int count;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (count < 1) throw new InputException("--count must be positive");
            int[] shape = new int[2];
            Rbm rbm = load(model, shape);
            writeFilters(rbm, tile(rbm.visibleUnits(), shape), count, out);
            spec.commandLine().getOut().println("wrote " + Math.min(count, rbm.hiddenUnits()) + " filters to " + out);
            return Main.OK;
        }
    }

    @Command(name = "complete", mixinStandardHelpOptions = true,
            description = "Pattern completion: hide part of each test image, let the model fill it in; writes rows of "
                    + "(original, occluded, completed).")
    static final class Complete implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL") Path model;
        @Mixin DataSelection data;
        @Option(names = "--out", required = true, paramLabel = "FILE.png") Path out;
        @Option(names = "--count", defaultValue = "10") int count;
        @Option(names = "--hide", defaultValue = "bottom", description = "which part to hide: bottom, top, left, right (default: ${DEFAULT-VALUE})") String hide;
        @Option(names = "--steps", defaultValue = "200") int steps;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            int[] shape = new int[2];
            Rbm rbm = load(model, shape);
            int[] t = tile(rbm.visibleUnits(), shape);
            Dataset test = data.load(data.hasSplits() ? "test" : "train");
            int n = Math.min(count, test.size());
            if (n < 1) throw new InputException("--count must be positive");
            Matrix x = Binarization.fixed(seed).apply(test.subset(0, n)).features();
            rbm.requireVisible(x);
            Matrix observed = Matrix.zeros(n, rbm.visibleUnits());
            for (int r = 0; r < n; r++) {
                for (int i = 0; i < t[0]; i++) {
                    for (int j = 0; j < t[1]; j++) {
                        boolean hidden;
                        switch (hide) {
                            case "bottom": hidden = i >= t[0] / 2; break;
                            case "top": hidden = i < t[0] / 2; break;
                            case "left": hidden = j < t[1] / 2; break;
                            case "right": hidden = j >= t[1] / 2; break;
                            default: throw new InputException("--hide must be bottom, top, left or right, got " + hide);
                        }
                        observed.set(r, i * t[1] + j, hidden ? 0f : 1f);
                    }
                }
            }
            Matrix done = RbmSampler.complete(rbm, x, observed, steps, new RandomStream(seed));
            Matrix grid = Matrix.zeros(3 * n, rbm.visibleUnits());
            float[] row = new float[rbm.visibleUnits()], mask = new float[rbm.visibleUnits()];
            for (int r = 0; r < n; r++) {
                x.getRow(r, row);
                grid.setRow(3 * r, row);
                observed.getRow(r, mask);
                for (int i = 0; i < row.length; i++) row[i] = mask[i] > 0 ? row[i] : 0.5f;
                grid.setRow(3 * r + 1, row);
                done.getRow(r, row);
                grid.setRow(3 * r + 2, row);
            }
            new ImageGrid(t[0], t[1], 3).zoom(2).writePng(grid, null, out);
            spec.commandLine().getOut().println("wrote " + n + " completions (original | occluded | completed) to " + out);
            return Main.OK;
        }
    }

    @Command(name = "ais", mixinStandardHelpOptions = true,
            description = {"Estimate ln Z of an RBM by annealed importance sampling (Salakhutdinov & Murray 2008) and the "
                    + "average log-probability of data.",
                    "The base-rate model is fitted to the training split; the schedule defaults to the published 14,501 betas."})
    static final class Ais implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL") Path model;
        @Mixin DataSelection data;
        @Option(names = "--split", defaultValue = "test", description = "data to score (default: ${DEFAULT-VALUE})") String split;
        @Option(names = "--runs", defaultValue = "100", description = "AIS runs (default: ${DEFAULT-VALUE})") int runs;
        @Option(names = "--betas", defaultValue = "standard",
                description = "standard (14,501 betas), or a factor scaling its step counts, e.g. 0.1 (default: ${DEFAULT-VALUE})")
        String betas;
        @Option(names = "--reverse", description = "also run reverse AIS from model samples (1000 Gibbs steps per chain)") boolean reverse;
        @Option(names = "--exact", description = "also compute ln Z exactly (at most 25 units on the smaller layer)") boolean exact;
        @Option(names = "--binarize", defaultValue = "fixed:1", description = "how the scored data are binarized (default: ${DEFAULT-VALUE})") String binarize;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Mixin NumericOptions numeric;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            numeric.apply();
            if (runs < 2) throw new InputException("--runs must be at least 2 (the bracket needs a variance)");
            AnnealingSchedule schedule;
            try {
                schedule = "standard".equals(betas) ? AnnealingSchedule.standard() : AnnealingSchedule.standardScaled(Double.parseDouble(betas));
            } catch (NumberFormatException e) {
                throw new InputException("--betas must be 'standard' or a positive number, got " + betas);
            }
            int[] shape = new int[2];
            Rbm rbm = load(model, shape);
            Dataset train = data.load("train");
            if (!(rbm instanceof BernoulliRbm)) {
                throw new InputException("AIS is implemented for binary RBMs; " + model + " has " + rbm.visibleType() + " visible units");
            }
            Dataset scored = data.hasSplits() ? data.load(split) : train;
            Binarization b = Binarization.parse(binarize);
            Matrix trainBits = b.apply(train).features();
            rbm.requireVisible(trainBits);
            Matrix base = RbmAis.baseRateBias(trainBits);
            Matrix x = b.apply(scored).features();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            RbmAis ais = new RbmAis((BernoulliRbm) rbm, base);
            RandomStream random = new RandomStream(seed);
            long t0 = System.nanoTime();
            AisEstimate f = ais.forward(schedule, runs, random.split(0), new ProgressBar(err));
            double secs = (System.nanoTime() - t0) / 1e9;
            double meanLogUnnormalized = 0;
            double[] free = rbm.freeEnergy(x, null);
            for (double v : free) meanLogUnnormalized -= v / free.length;
            out.printf(Locale.ROOT, "ln Z_base = %.4f%n", ais.logZBase());
            out.printf(Locale.ROOT, "%s  (%.1f s)%n", f, secs);
            out.printf(Locale.ROOT, "average log-probability of %d %s examples: %.2f nats (bracket %.2f .. %.2f)%n", x.rows(),
                    data.hasSplits() ? split : "given", f.averageLogProbability(meanLogUnnormalized),
                    meanLogUnnormalized - f.logZHigh(), meanLogUnnormalized - f.logZLow());
            if (reverse) {
                Matrix v = RbmSampler.fantasies(rbm, runs, 1000, random.split(1));
                random.split(2).bernoulli(v, v);
                AisEstimate r = ais.reverse(v, schedule, random.split(3), new ProgressBar(err));
                out.printf(Locale.ROOT, "%s%n", r);
                out.printf(Locale.ROOT, "average log-probability by reverse AIS: %.2f nats%n", r.averageLogProbability(meanLogUnnormalized));
            }
            if (exact) {
                double z = ExactPartition.logZ((BernoulliRbm) rbm);
                out.printf(Locale.ROOT, "exact ln Z = %.4f; average log-probability %.2f nats%n", z, meanLogUnnormalized - z);
            }
            return Main.OK;
        }
    }
}
