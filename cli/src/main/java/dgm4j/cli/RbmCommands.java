package dgm4j.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.ais.AisEstimate;
import dgm4j.ais.AisEvaluation;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Standardization;
import dgm4j.dbm.Dbm;
import dgm4j.dbm.DbmFiles;
import dgm4j.dbm.DbmSampler;
import dgm4j.draw.Draw;
import dgm4j.eval.Evaluation;
import dgm4j.eval.LikelihoodReport;
import dgm4j.helmholtz.HelmholtzMachine;
import dgm4j.io.AtomicFiles;
import dgm4j.io.Json;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.Rbm;
import dgm4j.rbm.RbmFiles;
import dgm4j.rbm.RbmSampler;
import dgm4j.vae.VariationalAutoencoder;
import dgm4j.viz.ImageGrid;

/** RBM commands: sample, filters, complete, and AIS evaluation. */
final class RbmCommands {
    private RbmCommands() {}

    /** An RBM from a model file, with the image shape and the data standardisation (null if none) stored with it. */
    record Loaded(Rbm rbm, int[] imageShape, Standardization standardization) {
        /** Model-space values (e.g. samples of a Gaussian RBM) back in data units, for pictures. */
        Matrix toData(Matrix x) {
            return standardization == null ? x : standardization.invert(x);
        }
    }

    static Loaded loadModel(Path file) {
        ModelFile f = ModelFiles.read(file, Rbm.KIND);
        Rbm rbm = RbmFiles.read(f);
        return new Loaded(rbm, RbmFiles.imageShape(f), RbmFiles.standardization(f, rbm.visibleUnits()));
    }

    static Rbm load(Path file, int[] imageShape) {
        Loaded l = loadModel(file);
        imageShape[0] = l.imageShape()[0];
        imageShape[1] = l.imageShape()[1];
        return l.rbm();
    }

    /** Pictures are for models of images; a word-count model's units are read as topics. */
    static void requireImages(Rbm rbm, Path model) {
        if (rbm.countsWords()) {
            throw new InputException(model + " models word counts, not images: look at its hidden units with 'dgm topics'");
        }
    }

    /** Tile size for pictures: the recorded image shape, else the most square factorisation of D. */
    static int[] tile(int d, int[] shape) {
        if (shape[0] * shape[1] == d && shape[0] > 0) return shape;
        int h = (int) Math.floor(Math.sqrt(d));
        while (d % h != 0) h--;
        return new int[] {h, d / h};
    }

    /** Rows of images (dim pixels, image shape or 0 x 0) as a PNG grid, zoomed 2x. */
    static void writeGrid(Matrix rows, int dim, int imageHeight, int imageWidth, Path out) throws IOException {
        int[] t = tile(dim, new int[] {imageHeight, imageWidth});
        new ImageGrid(t[0], t[1], ImageGrid.columnsFor(rows.rows())).zoom(2).writePng(rows, null, out);
    }

    /** Examples and their reconstructions, row by row: x_1, r_1, x_2, r_2, ... */
    static Matrix pairs(Matrix x, Matrix r) {
        Matrix pairs = Matrix.zeros(2 * x.rows(), x.cols());
        for (int i = 0; i < x.rows(); i++) {
            pairs.rows(2 * i, 2 * i + 1).copyFrom(x.rows(i, i + 1));
            pairs.rows(2 * i + 1, 2 * i + 2).copyFrom(r.rows(i, i + 1));
        }
        return pairs;
    }

    /** filters.png (the first 100 hidden units' weights) and samples.png (100 fantasies after 1000 Gibbs steps). */
    /**
     * filters.png, samples.png and, given examples in the model's space (binary or standardised), reconstructions.png:
     * pairs of (example, E[v | h] with h ~ p(h | example)).
     */
    static void writePictures(Rbm rbm, Standardization standardization, int height, int width, Matrix examples, Path dir,
                              RandomStream random, PrintWriter out) throws IOException {
        Files.createDirectories(dir);
        int[] t = tile(rbm.visibleUnits(), new int[] {height, width});
        Path filters = dir.resolve("filters.png");
        writeFilters(rbm, t, 100, filters);
        Path samples = dir.resolve("samples.png");
        Matrix s = RbmSampler.fantasies(rbm, 100, 1000, random);
        if (standardization != null) s = standardization.invert(s);
        new ImageGrid(t[0], t[1], 10).zoom(2).writePng(s, null, samples);
        out.println("wrote " + filters + " (learned filters) and " + samples + " (samples after 1000 Gibbs steps)");
        if (examples != null && examples.rows() > 0) {
            int n = Math.min(50, examples.rows());
            Matrix x = examples.rows(0, n);
            Matrix pairs = pairs(x, RbmSampler.reconstruct(rbm, x, random));
            if (standardization != null) pairs = standardization.invert(pairs);
            Path reconstructions = dir.resolve("reconstructions.png");
            new ImageGrid(t[0], t[1], 10).zoom(2).writePng(pairs, null, reconstructions);
            out.println("wrote " + reconstructions + " (pairs: example, reconstruction)");
        }
    }

    static void writeFilters(Rbm rbm, int[] t, int count, Path file) throws IOException {
        int n = Math.min(count, rbm.hiddenUnits());
        Matrix w = rbm.weights();
        Matrix filters = Matrix.zeros(n, rbm.visibleUnits());
        for (int j = 0; j < n; j++) for (int i = 0; i < rbm.visibleUnits(); i++) filters.set(j, i, w.get(i, j));
        new ImageGrid(t[0], t[1], ImageGrid.columnsFor(n)).zoom(2).scaling(ImageGrid.Scaling.PER_TILE).writePng(filters, null, file);
    }

    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = "Draw samples from a model and write them as a PNG grid: an RBM by long Gibbs chains, a VAE/IWAE from its prior, a Helmholtz machine by ancestral sampling, a DRAW by running its decoder (also OUT-steps.png: the canvas step by step).")
    static final class Sample implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL", description = "an RBM, DBM, VAE/IWAE, Helmholtz machine or DRAW model file") Path model;
        @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "the PNG to write") Path out;
        @Option(names = "--count", defaultValue = "100", description = "samples to draw (an RBM's or DBM's Gibbs chains) (default: ${DEFAULT-VALUE})") int count;
        @Option(names = "--steps", defaultValue = "1000", description = "Gibbs steps per chain (default: ${DEFAULT-VALUE})") int steps;
        @Option(names = "--seed", defaultValue = "1", description = "random seed of the samples (default: ${DEFAULT-VALUE})") long seed;
        @Option(names = "--canvas-steps", split = ",", paramLabel = "T1,T2,...",
                description = "DRAW: the steps t whose canvas sigmoid(c_t) OUT-steps.png shows, 0..T (default: 10 steps spread over 1..T)")
        List<Integer> canvasSteps;
        @Option(names = "--gif", paramLabel = "FILE.gif", description = "DRAW: also an animated GIF of the canvas over all T steps") Path gif;
        @Mixin NumericOptions numeric;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            numeric.apply();
            if (count < 1 || steps < 1) throw new InputException("--count and --steps must be positive");
            ModelFile file = ModelFiles.readAnyKind(model);   // an RBM, a DBM, a VAE, a Helmholtz machine or DRAW; loadModel refuses other kinds
            boolean draw = Draw.KIND.equals(file.kind());
            if (!draw && (canvasSteps != null || gif != null)) {
                throw new InputException("--canvas-steps and --gif apply to DRAW models; " + model + " holds a " + file.kind());
            }
            if (draw) {
                if (spec.commandLine().getParseResult().hasMatchedOption("--steps")) {
                    throw new InputException("--steps counts Gibbs steps; a DRAW draws in the T steps it was trained with (see --canvas-steps)");
                }
                return DrawCommands.sample(model, count, seed, out, canvasSteps, gif, spec.commandLine().getOut());
            }
            if (VariationalAutoencoder.KIND.equals(file.kind())) {
                return VaeCommands.sample(model, count, seed, out, spec.commandLine().getOut());
            }
            if (HelmholtzMachine.KIND.equals(file.kind())) {
                return HelmholtzCommands.sample(model, count, seed, out, spec.commandLine().getOut());
            }
            if (DbmCommands.isDbm(file)) {
                Dbm dbm = DbmFiles.read(file);
                int[] shape = RbmFiles.imageShape(file);
                writeGrid(DbmSampler.fantasies(dbm, count, steps, new RandomStream(seed), progress()), dbm.visibleUnits(), shape[0], shape[1], out);
                spec.commandLine().getOut().println("wrote " + count + " DBM samples after " + steps + " Gibbs sweeps to " + out);
                return Main.OK;
            }
            Loaded l = loadModel(model);
            Rbm rbm = l.rbm();
            requireImages(rbm, model);
            Matrix s = l.toData(RbmSampler.fantasies(rbm, count, steps, new RandomStream(seed), progress()));
            writeGrid(s, rbm.visibleUnits(), l.imageShape()[0], l.imageShape()[1], out);
            spec.commandLine().getOut().println("wrote " + count + " samples after " + steps + " Gibbs steps to " + out);
            return Main.OK;
        }

        /** The Gibbs chains' progress on stderr. */
        private Progress progress() {
            return new ProgressBar(spec.commandLine().getErr()).named("sampling " + count + " chains");
        }
    }

    @Command(name = "filters", mixinStandardHelpOptions = true,
            description = "Write the learned weights of the first hidden units as images: one tile per unit, light for its largest "
                    + "and dark for its smallest weights.")
    static final class Filters implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL", description = "an RBM of images") Path model;
        @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "the PNG to write") Path out;
        @Option(names = "--count", defaultValue = "100", description = "hidden units to show (default: ${DEFAULT-VALUE})") int count;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (count < 1) throw new InputException("--count must be positive");
            int[] shape = new int[2];
            Rbm rbm = load(model, shape);
            requireImages(rbm, model);
            writeFilters(rbm, tile(rbm.visibleUnits(), shape), count, out);
            spec.commandLine().getOut().println("wrote " + Math.min(count, rbm.hiddenUnits()) + " filters to " + out);
            return Main.OK;
        }
    }

    @Command(name = "complete", mixinStandardHelpOptions = true, modelTransformer = DataSelection.ImagesOnly.class,
            description = "Pattern completion: hide part of each test image, let the model fill it in; writes rows of "
                    + "(original, occluded, completed).")
    static final class Complete implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL", description = "an RBM or DBM of images") Path model;
        @Mixin DataSelection data;
        @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "the PNG to write") Path out;
        @Option(names = "--count", defaultValue = "10", description = "test images to complete (default: ${DEFAULT-VALUE})") int count;
        @Option(names = "--hide", defaultValue = "bottom", description = "which part to hide: bottom, top, left, right (default: ${DEFAULT-VALUE})") String hide;
        @Option(names = "--steps", defaultValue = "200", description = "Gibbs steps with the observed pixels clamped (default: ${DEFAULT-VALUE})") int steps;
        @Option(names = "--seed", defaultValue = "1", description = "random seed of the test images' binarization and of the Gibbs steps (default: ${DEFAULT-VALUE})") long seed;
        @Mixin NumericOptions numeric;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            numeric.apply();
            ModelFile file = ModelFiles.read(model, Rbm.KIND, Dbm.KIND);
            Dbm dbm = DbmCommands.isDbm(file) ? DbmFiles.read(file) : null;
            Rbm rbm = dbm != null ? null : RbmFiles.read(file);
            int visible = dbm != null ? dbm.visibleUnits() : rbm.visibleUnits();
            int[] t = tile(visible, RbmFiles.imageShape(file));
            Dataset test = data.splitOrAll("test");
            int n = Math.min(count, test.size());
            if (n < 1) throw new InputException("--count must be positive");
            Matrix x = Binarization.fixed(seed).apply(test.subset(0, n)).features();
            Matrix observed = Matrix.zeros(n, visible);
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
            Matrix done = dbm != null ? DbmSampler.complete(dbm, x, observed, steps, new RandomStream(seed))
                    : RbmSampler.complete(rbm, x, observed, steps, new RandomStream(seed));
            Matrix grid = Matrix.zeros(3 * n, visible);
            float[] row = new float[visible], mask = new float[visible];
            for (int r = 0; r < n; r++) {
                x.getRow(r, row);
                grid.setRow(3 * r, row);
                observed.getRow(r, mask);
                for (int i = 0; i < row.length; i++) row[i] = mask[i] > 0 ? row[i] : 0.5f;
                grid.setRow(3 * r + 1, row);
                done.getRow(r, row);
                grid.setRow(3 * r + 2, row);
            }
            Png.write(completionPicture(grid, t, hide), out);
            spec.commandLine().getOut().println("wrote " + n + " completions (original | input, the " + hide
                    + " half hidden in grey | completed; a red line where the hidden half begins) to " + out);
            return Main.OK;
        }
    }

    /**
     * Triples (original, input with the hidden half grey, completed) side by side under column titles, a red line on the
     * input and the completion where the hidden half begins.
     */
    static BufferedImage completionPicture(Matrix triples, int[] tile, String hide) {
        int n = triples.rows() / 3, zoom = 2, header = 14;
        ImageGrid grid = new ImageGrid(tile[0], tile[1], 3 * Math.max(1, (int) Math.ceil(Math.sqrt(n / 3.0)))).zoom(zoom);
        BufferedImage tiles = grid.render(triples, null);
        BufferedImage img = new BufferedImage(tiles.getWidth(), tiles.getHeight() + header, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(tiles.getRGB(0, 0)));
        g.fillRect(0, 0, img.getWidth(), header);
        g.drawImage(tiles, 0, header, null);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        String[] titles = {"original", "input", "completed"};
        int w = tile[1] * zoom, h = tile[0] * zoom;
        for (int i = 0; i < triples.rows(); i++) {
            int[] o = grid.tileOrigin(i, false);
            int x = o[0], y = o[1] + header;
            if (y == 2 + header) {   // the first row of tiles: titles above
                g.setColor(Color.WHITE);
                g.drawString(titles[i % 3], x + (w - g.getFontMetrics().stringWidth(titles[i % 3])) / 2, header - 3);
            }
            if (i % 3 == 0) continue;
            g.setColor(new Color(255, 60, 60, 200));
            if (hide.equals("bottom") || hide.equals("top")) {
                g.drawLine(x, y + h / 2, x + w - 1, y + h / 2);
            } else {
                g.drawLine(x + w / 2, y, x + w / 2, y + h - 1);
            }
        }
        g.dispose();
        return img;
    }

    @Command(name = "topics", mixinStandardHelpOptions = true,
            description = "A word-count model's hidden units as topics: the words with the largest weights of the units with the largest weight norms.")
    static final class Topics implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL", description = "a replicated-softmax RBM trained on text (--visible softmax)") Path model;
        @Option(names = "--units", defaultValue = "10", description = "hidden units to show (default: ${DEFAULT-VALUE})") int units;
        @Option(names = "--words", defaultValue = "10", description = "words per unit (default: ${DEFAULT-VALUE})") int words;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            if (units < 1 || words < 1) throw new InputException("--units and --words must be positive");
            ModelFile f = ModelFiles.read(model, Rbm.KIND);
            Rbm rbm = RbmFiles.read(f);
            List<String> vocabulary = RbmFiles.vocabulary(f);
            if (vocabulary == null || vocabulary.size() != rbm.visibleUnits()) {
                throw new InputException(model + " has no vocabulary of " + rbm.visibleUnits() + " words (train it with --visible softmax on text data)");
            }
            Matrix w = rbm.weights();
            Integer[] order = new Integer[rbm.hiddenUnits()];
            double[] norm = new double[rbm.hiddenUnits()];
            for (int j = 0; j < order.length; j++) {
                order[j] = j;
                for (int k = 0; k < rbm.visibleUnits(); k++) norm[j] += (double) w.get(k, j) * w.get(k, j);
            }
            Arrays.sort(order, (p, q) -> Double.compare(norm[q], norm[p]));
            PrintWriter out = spec.commandLine().getOut();
            for (int u = 0; u < Math.min(units, order.length); u++) {
                int j = order[u];
                Integer[] byWeight = new Integer[rbm.visibleUnits()];
                for (int k = 0; k < byWeight.length; k++) byWeight[k] = k;
                Arrays.sort(byWeight, (p, q) -> Float.compare(w.get(q, j), w.get(p, j)));
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "unit %3d:", j));
                for (int k = 0; k < Math.min(words, byWeight.length); k++) sb.append(' ').append(vocabulary.get(byWeight[k]));
                out.println(sb);
            }
            return Main.OK;
        }
    }

    @Command(name = "transform", mixinStandardHelpOptions = true,
            description = {"Features for other models: p(h = 1 | v) of every example, written with its label as NumPy .npz "
                    + "(arrays \"features\" [N, hidden] float32 and \"labels\" [N] int64) or as CSV (features, then the label)."})
    static final class Transform implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL", description = "an RBM or DBM") Path model;
        @Mixin DataSelection data;
        @Option(names = "--split", defaultValue = "test", description = "train, validation, test or train+validation (default: ${DEFAULT-VALUE})") String split;
        @Option(names = "--out", required = true, paramLabel = "FILE.npz|FILE.csv", description = "the features and labels to write, as NumPy .npz or CSV") Path out;
        @Option(names = "--binarize", defaultValue = "none",
                description = "binary RBMs: how the data are made binary first; none feeds intensities in [0,1] as they are, as is usual for features (default: ${DEFAULT-VALUE})")
        String binarize;
        @Option(names = "--layer", defaultValue = "0",
                description = "DBMs: the hidden layer whose mean-field q(h = 1 | v) are the features; 0 = all layers side by side (default: ${DEFAULT-VALUE})")
        int layer;
        @Option(names = "--mean-field-iterations", defaultValue = "30", description = "DBMs: cap on mean-field sweeps (default: ${DEFAULT-VALUE})")
        int meanFieldIterations;
        @Mixin NumericOptions numeric;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            numeric.apply();
            ModelFile file = ModelFiles.read(model, Rbm.KIND, Dbm.KIND);
            Dataset d = data.splitOrAll(split);
            Matrix features;
            if (DbmCommands.isDbm(file)) {
                Dbm dbm = DbmFiles.read(file);
                Matrix x = Binarization.parse(binarize).apply(d).features();
                if (x.cols() != dbm.visibleUnits()) {
                    throw new InputException("data have " + x.cols() + " columns but the DBM has " + dbm.visibleUnits() + " visible units");
                }
                features = DbmSampler.meanFieldFeatures(dbm, x, layer, meanFieldIterations, 1e-6);
            } else {
                if (layer != 0) throw new InputException("--layer applies to DBMs; " + model + " holds an RBM");
                Rbm rbm = RbmFiles.read(file);
                Matrix x = RbmFiles.modelRows(file, rbm, d, Binarization.parse(binarize));
                if (x.cols() != rbm.visibleUnits()) {
                    throw new InputException("data have " + x.cols() + " columns but the RBM has " + rbm.visibleUnits() + " visible units");
                }
                features = rbm.hiddenProbabilities(x, Matrix.zeros(x.rows(), rbm.hiddenUnits()));
            }
            String name = out.getFileName().toString();
            if (name.endsWith(".npz")) {
                ModelFile.Builder b = ModelFile.builder("features").matrix("features", features);
                if (d.labels() != null) {
                    long[] labels = new long[d.size()];
                    for (int i = 0; i < labels.length; i++) labels[i] = d.labels()[i];
                    b.longs("labels", labels);
                }
                ModelFiles.exportNpz(b.build(), out);
            } else if (name.endsWith(".csv")) {
                writeCsv(features, d.labels(), out);
            } else {
                throw new InputException("--out must end in .npz or .csv, got " + out);
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d x %d features%s to %s%n", features.rows(), features.cols(),
                    d.labels() != null ? " and labels" : "", out);
            return Main.OK;
        }

        private static void writeCsv(Matrix features, int[] labels, Path out) {
            AtomicFiles.write(out, channel -> {
                Writer w = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
                float[] row = new float[features.cols()];
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < features.rows(); i++) {
                    features.getRow(i, row);
                    sb.setLength(0);
                    for (int j = 0; j < row.length; j++) {
                        if (j > 0) sb.append(',');
                        sb.append(row[j]);
                    }
                    if (labels != null) sb.append(',').append(labels[i]);
                    w.write(sb.append('\n').toString());
                }
                w.flush();
            }, false);
        }
    }

    @Command(name = "ais", mixinStandardHelpOptions = true,
            description = {"Estimate ln Z of an RBM or a DBM by annealed importance sampling (Salakhutdinov & Murray 2008) and the "
                    + "average log-probability of data (for a DBM, its mean-field lower bound).",
                    "The base model is fitted to the training split (for a DBM, to every layer's mean-field activations: --hidden-base); "
                            + "the schedule defaults to the published 14,501 betas."})
    static final class Ais implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL", description = "an RBM (binary, Gaussian or replicated softmax) or a DBM") Path model;
        @Mixin DataSelection data;
        @Option(names = "--split", defaultValue = "test", description = "data to score (default: ${DEFAULT-VALUE})") String split;
        @Option(names = "--runs", defaultValue = "100", description = "AIS runs per direction (default: ${DEFAULT-VALUE})") int runs;
        @Option(names = "--betas", defaultValue = "standard",
                description = "standard (14,501 betas), or a factor scaling its step counts, e.g. 0.1 (default: ${DEFAULT-VALUE})")
        String betas;
        @Option(names = "--forward-only", description = "skip reverse AIS (then nothing checks the forward estimate: the verdict says NOT CHECKED)") boolean forwardOnly;
        @Option(names = "--reverse", hidden = true, description = "(reverse AIS now runs by default; kept for old scripts)") boolean reverse;
        @Option(names = "--tolerance", defaultValue = "0.1", description = "forward and reverse ln Z within this many nats count as agreement (default: ${DEFAULT-VALUE})") double tolerance;
        @Option(names = "--until-agree", paramLabel = "TOL",
                description = "repeat with 2x, 4x, ... the betas until forward and reverse agree within TOL nats with enough effective runs each")
        Double untilAgree;
        @Option(names = "--max-rounds", defaultValue = "4", description = "with --until-agree: rounds at most (default: ${DEFAULT-VALUE})") int maxRounds;
        @Option(names = "--budget", paramLabel = "Mm|S", description = "with --until-agree: stop before a round that would pass this wall time (e.g. 30m, or seconds)") String budget;
        @Option(names = "--base", defaultValue = "model",
                description = "AIS base model: model (marginals of the model's own Gibbs chains), data (training marginals smoothed as "
                        + "base_rate.m; DBMs: hidden layers from the mean-field posterior) or paper (as data, but a DBM's hidden layers "
                        + "uniform) (default: ${DEFAULT-VALUE})")
        String base;
        @Option(names = "--burn-in", defaultValue = "1000", description = "Gibbs steps of the chains that fit the base and start reverse AIS; "
                + "doubled, up to 16x, while the chains from the data and from noise disagree, and (RBMs) taken to 16x once if reverse AIS "
                + "falls below forward; with --reverse-start tempered also the tempered chains' sweeps (default: ${DEFAULT-VALUE})") int burnIn;
        @Option(names = "--reverse-start", defaultValue = "auto", description = "RBMs: where reverse AIS starts: gibbs (the ends of the Gibbs "
                + "chains that fit the base), tempered (parallel tempering along the AIS path, seeded from them) or auto (gibbs, and "
                + "tempered when the Gibbs chains have not mixed or reverse AIS from them falls below forward) (default: ${DEFAULT-VALUE})")
        String reverseStart;
        @Option(names = "--exact", description = "also compute ln Z exactly (at most 25 units on the smaller layer)") boolean exact;
        @Option(names = "--binarize", defaultValue = "fixed:1", description = "how the scored data are binarized (default: ${DEFAULT-VALUE})") String binarize;
        @Option(names = "--mean-field-iterations", defaultValue = "30", description = "DBMs: cap on mean-field sweeps for the lower bound and the fitted base (default: ${DEFAULT-VALUE})") int meanFieldIterations;
        @Option(names = "--trace", paramLabel = "FILE",
                description = "write ln Z_beta along the annealing path (forward and reverse, last round), with its effective "
                        + "runs and sd(ln w), as CSV: where the two directions part, the schedule needs more betas") Path trace;
        @Option(names = "--json", paramLabel = "FILE", description = "write the estimates, brackets, effective runs, rounds and verdict as JSON") Path json;
        @Option(names = "--examples", paramLabel = "N", description = "score only the first N examples (documents) of the split") Integer examples;
        @Option(names = "--seed", defaultValue = "1", description = "random seed of the chains and annealing runs (default: ${DEFAULT-VALUE})") long seed;
        @Mixin NumericOptions numeric;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            numeric.apply();
            if (runs < 2) throw new InputException("--runs must be at least 2 (the bracket needs a variance)");
            double scale;
            try {
                scale = "standard".equals(betas) ? 1.0 : Double.parseDouble(betas);
            } catch (NumberFormatException e) {
                throw new InputException("--betas must be 'standard' or a positive number, got " + betas);
            }
            if (!(scale > 0)) throw new InputException("--betas must be 'standard' or a positive number, got " + betas);
            if (forwardOnly && untilAgree != null) throw new InputException("--until-agree needs reverse AIS: drop --forward-only");
            if (budget != null && untilAgree == null) throw new InputException("--budget applies to --until-agree");
            for (String option : new String[] {"--trace", "--json"}) {
                Path p = option.equals("--trace") ? trace : json;
                if (p == null) continue;
                Path dir = p.toAbsolutePath().getParent();
                if (dir == null || !Files.isDirectory(dir)) throw new InputException(option + ": directory " + dir + " does not exist");
            }
            AisEvaluation.Base baseKind = switch (base) {
                case "model" -> AisEvaluation.Base.MODEL;
                case "data" -> AisEvaluation.Base.DATA;
                case "paper" -> AisEvaluation.Base.PAPER;
                default -> throw new InputException("--base must be model, data or paper, got " + base);
            };
            AisEvaluation.Start start = switch (reverseStart) {
                case "tempered" -> AisEvaluation.Start.TEMPERED;
                case "gibbs" -> AisEvaluation.Start.GIBBS;
                case "auto" -> AisEvaluation.Start.AUTO;
                default -> throw new InputException("--reverse-start must be auto, gibbs or tempered, got " + reverseStart);
            };
            double tol = untilAgree != null ? untilAgree : tolerance;
            AisEvaluation.Settings settings = new AisEvaluation.Settings(runs, scale, tol, !forwardOnly,
                    untilAgree != null ? maxRounds : 1, budget == null ? 0 : parseBudget(budget), burnIn, baseKind, start);
            ModelFile file = ModelFiles.read(model, Rbm.KIND, Dbm.KIND);
            if (trace != null && !Evaluation.hasAnnealingPath(file)) {
                throw new InputException("--trace is not available for replicated-softmax RBMs (one annealing per document length)");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Dataset train = data.load("train");
            Dataset scoredData = data.hasSplits() ? data.load(split) : train;
            if (examples != null) {
                if (examples < 1) throw new InputException("--examples must be at least 1, got " + examples);
                scoredData = scoredData.subset(0, Math.min(examples, scoredData.size()));
            }
            String what = data.hasSplits() ? split : "given";
            Evaluation.AisOptions options = new Evaluation.AisOptions(settings, Binarization.parse(binarize), meanFieldIterations, exact, what);
            LikelihoodReport report = Evaluation.undirected(file, train, scoredData, options, new RandomStream(seed), new ProgressBar(err),
                    r -> err.println(r.describe()));
            report.details().forEach(out::println);
            out.println(report.summary());
            report.notes().forEach(out::println);
            if (trace != null) writeAisTrace(trace, out, report.annealings().toArray(new AisEstimate[0]));
            if (json != null) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("model", model.toString());
                j.put("data", data.describe());
                j.put("split", what);
                j.putAll(report.toJson());
                writeJson(j, out);
            }
            return Main.OK;
        }

        static double parseBudget(String s) {
            try {
                return s.endsWith("m") ? 60 * Double.parseDouble(s.substring(0, s.length() - 1)) : Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new InputException("--budget must be minutes (30m) or seconds, got " + s);
            }
        }

        private void writeJson(Map<String, Object> j, PrintWriter out) {
            byte[] bytes = (Json.write(j) + "\n").getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(json, ch -> AtomicFiles.writeFully(ch, ByteBuffer.wrap(bytes)), false);
            out.println("wrote " + json);
        }
    }

    static void writeAisTrace(Path file, PrintWriter out, AisEstimate... estimates) {
        StringBuilder sb = new StringBuilder("direction,beta,log_z_beta,effective_runs,sd_log_w\n");
        for (AisEstimate e : estimates) {
            if (e == null) continue;
            for (AisEstimate.PathPoint p : e.path()) {
                sb.append(String.format(Locale.ROOT, "%s,%.8f,%.6f,%.3f,%.5f%n", e.reverse() ? "reverse" : "forward",
                        p.beta(), p.logZ(), p.effectiveRuns(), p.logWeightStd()));
            }
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, channel -> AtomicFiles.writeFully(channel, ByteBuffer.wrap(bytes)), false);
        out.println("wrote the annealing path to " + file);
    }

    /** Prints the estimate's warning, if any ({@link AisEstimate#warning}), naming the option that sets the betas. */
    static void warnIfFewEffectiveRuns(PrintWriter err, String prefix, AisEstimate e, String betasOption) {
        if (e.warning() != null) err.println(prefix + e.warning() + " (" + betasOption + ")");
    }
}
