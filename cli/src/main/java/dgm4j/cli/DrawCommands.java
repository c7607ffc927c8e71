package dgm4j.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.draw.Draw;
import dgm4j.draw.DrawFamily;
import dgm4j.draw.DrawFiles;
import dgm4j.draw.DrawTrainingTask;
import dgm4j.io.ModelFiles;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingSession;
import dgm4j.viz.AnimatedGif;
import dgm4j.viz.ImageGrid;

/** {@code dgm train draw}, and {@code dgm sample} of a DRAW: final samples, the canvas step by step, an animation. */
final class DrawCommands {
    private DrawCommands() {}

    @Command(name = "draw", mixinStandardHelpOptions = true, modelTransformer = DataSelection.ImagesOnly.class,
            description = {"Train DRAW (Gregor et al. 2015): recurrent encoder and decoder drawing the image on a canvas in T steps, "
                    + "with Gaussian read/write attention or without, by Adam on the variational bound (closed-form KL).",
                    "Example: dgm train draw --data mnist --steps 64 --attention --read 2 --write 5 --hidden 256 --latent 100 "
                            + "--epochs 20 --out draw.safetensors --pictures runs/draw"})
    static final class Train implements Callable<Integer> {
        @Mixin TrainCommand.RunOptions run;
        @Option(names = "--steps", defaultValue = "64", paramLabel = "T", description = "drawing steps T (default: ${DEFAULT-VALUE}, as the paper)") int steps;
        @Option(names = "--attention", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Gaussian filterbank attention for read and write (default); --no-attention reads the whole image and writes the whole canvas")
        boolean attention;
        @Option(names = "--read", defaultValue = "2", paramLabel = "N", description = "attention: N x N read grid (default: ${DEFAULT-VALUE})") int read;
        @Option(names = "--write", defaultValue = "5", paramLabel = "N", description = "attention: N x N write grid (default: ${DEFAULT-VALUE})") int write;
        @Option(names = "--hidden", defaultValue = "256", description = "units of each LSTM, encoder and decoder (default: ${DEFAULT-VALUE})") int hidden;
        @Option(names = "--latent", defaultValue = "100", description = "dimensions of z_t (default: ${DEFAULT-VALUE})") int latent;
        @Option(names = "--batch", defaultValue = "100", description = "minibatch size (default: ${DEFAULT-VALUE})") int batch;
        @Option(names = "--lr", defaultValue = "0.001", description = "Adam's learning rate, constant (default: ${DEFAULT-VALUE})") double lr;
        @Option(names = "--clip", defaultValue = "1000", paramLabel = "NORM",
                description = "scale the gradients down when their global L2 norm exceeds this (default: ${DEFAULT-VALUE}: the loss is in nats per "
                        + "image, and norms of 50-200 are usual on MNIST, so only spikes are clipped; the log's \"clipped\" column says how often)")
        double clip;
        @Option(names = "--binarize", defaultValue = "dynamic",
                description = "how pixels in [0,1] become binary: dynamic (fresh every minibatch), fixed:SEED, threshold[:T], none (binary data) (default: ${DEFAULT-VALUE})")
        String binarize;
        @Option(names = "--train-split", defaultValue = "train+validation",
                description = "catalog data: the split trained on (default: ${DEFAULT-VALUE})") String trainSplit;
        @Option(names = "--beta1", defaultValue = "0.9", description = "Adam's beta1 (default: ${DEFAULT-VALUE})") double beta1;
        @Option(names = "--beta2", defaultValue = "0.999", description = "Adam's beta2 (default: ${DEFAULT-VALUE})") double beta2;
        @Option(names = "--adam-epsilon", defaultValue = "1e-8", description = "Adam's epsilon (default: ${DEFAULT-VALUE})") double epsilon;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            DataSelection data = run.data;
            run.validate(spec);
            if (steps < 1) throw new InputException("--steps must be at least 1 (T, the drawing steps), got " + steps);
            if (hidden < 1) throw new InputException("--hidden must be at least 1, got " + hidden);
            if (latent < 1) throw new InputException("--latent must be at least 1, got " + latent);
            if (batch < 1) throw new InputException("--batch must be at least 1, got " + batch);
            if (!(lr > 0) || Double.isInfinite(lr)) throw new InputException("--lr must be positive, got " + lr);
            if (!(clip > 0) || Double.isInfinite(clip)) throw new InputException("--clip must be positive, got " + clip);
            var parsed = spec.commandLine().getParseResult();
            if (!attention && (parsed.hasMatchedOption("--read") || parsed.hasMatchedOption("--write"))) {
                throw new InputException("--read and --write set attention windows; they do not apply with --no-attention");
            }
            Binarization binarization = Binarization.parse(binarize);
            Dataset train = data.trainingSet(trainSplit);
            Dataset heldOut = data.testSplit();
            int[] shape = imageShape(train);
            if (attention) {
                for (int n : new int[] {read, write}) {
                    String flag = n == read ? "--read" : "--write";
                    if (n < 1 || n > Math.min(shape[0], shape[1])) {
                        throw new InputException(flag + " " + n + ": the window " + n + " x " + n + " must lie within the "
                                + shape[0] + " x " + shape[1] + " images (1 to " + Math.min(shape[0], shape[1]) + ")");
                    }
                }
            }
            Draw.Architecture architecture = new Draw.Architecture(shape[0], shape[1], steps, hidden, hidden, latent, attention, read, write);
            DrawTrainingTask.Settings settings = new DrawTrainingTask.Settings(lr, clip, beta1, beta2, epsilon);
            PrintWriter err = spec.commandLine().getErr(), stdout = spec.commandLine().getOut();
            TrainingData trainingData = new TrainingData(train, heldOut, batch, binarization, run.provenance(train, spec));
            TrainingSession session = run.session(err);
            DrawTrainingTask task = session.open(new DrawFamily(architecture, settings, trainingData));
            err.printf(Locale.ROOT, "training DRAW (%s) on %s (%d images, batch %d, Adam lr %s, clip %s, %d epochs), %s%n", architecture,
                    data.describe(), train.size(), batch, lr, clip, run.epochs, Numerics.describe());
            if (heldOut != null) err.println("held-out monitor: the variational bound on the first 1000 test images, binarized once (seed 1234); not used for any decision");
            double seconds = run.train(session);
            run.printSaved(stdout, seconds, "nll", " --k 50");
            if (run.pictures != null) {
                writePictures(task.model(), run.pictures, run.pictureRandom(), stdout);
            }
            return Main.OK;
        }
    }

    /** The image shape of the data: theirs, or a square for data without one (e.g. CSV rows of 784 values). */
    static int[] imageShape(Dataset d) {
        if (d.height() > 0) return new int[] {d.height(), d.width()};
        int side = (int) Math.round(Math.sqrt(d.dim()));
        if (side * side != d.dim()) {
            throw new InputException(d.name() + " holds rows of " + d.dim() + " values without an image shape, and " + d.dim()
                    + " is not a square: DRAW draws images (give --data or --images)");
        }
        return new int[] {side, side};
    }

    /** samples.png (100 draws), steps.png (10 draws, the canvas at 10 steps) and steps.gif (the canvas over all T steps). */
    static void writePictures(Draw model, Path dir, RandomStream random, PrintWriter out) throws IOException {
        Files.createDirectories(dir);
        List<Matrix> canvases = model.generate(100, random);
        Draw.Architecture a = model.architecture();
        Path samples = dir.resolve("samples.png"), steps = dir.resolve("steps.png"), gif = dir.resolve("steps.gif");
        new ImageGrid(a.height(), a.width(), 10).zoom(2).writePng(canvases.get(a.steps()), null, samples);
        writeSteps(canvases, a, defaultSteps(a.steps()), 10, steps);
        writeAnimation(canvases, a, 25, gif);
        out.println("wrote " + samples + " (samples: sigmoid(c_T)), " + steps + " (the canvas sigmoid(c_t) of 10 samples, one per row, at steps "
                + describe(defaultSteps(a.steps())) + ") and " + gif + " (all " + a.steps() + " steps)");
    }

    /** Up to 10 steps spread over 1..T, ending with T. */
    static int[] defaultSteps(int steps) {
        int n = Math.min(10, steps);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = (int) Math.round(steps * (i + 1) / (double) n);
        return t;
    }

    private static String describe(int[] steps) {
        StringBuilder sb = new StringBuilder();
        for (int t : steps) sb.append(sb.length() > 0 ? "," : "").append(t);
        return sb.toString();
    }

    /** One row per sample (the first {@code rows}), one column per chosen step t (the canvas sigmoid(c_t)), captioned. */
    static void writeSteps(List<Matrix> canvases, Draw.Architecture a, int[] steps, int rows, Path out) throws IOException {
        int n = Math.min(rows, canvases.get(0).rows());
        Matrix tiles = Matrix.zeros(n * steps.length, a.dataDim());
        String[] captions = new String[n * steps.length];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < steps.length; j++) {
                tiles.rows(s * steps.length + j, s * steps.length + j + 1).copyFrom(canvases.get(steps[j]).rows(s, s + 1));
                if (s == 0) captions[j] = "T=" + steps[j];
            }
        }
        new ImageGrid(a.height(), a.width(), steps.length).zoom(2).writePng(tiles, captions, out);
    }

    /** A looping animation of the grid of (up to {@code count}) samples, one frame per step t = 0..T. */
    static void writeAnimation(List<Matrix> canvases, Draw.Architecture a, int count, Path out) throws IOException {
        int n = Math.min(count, canvases.get(0).rows());
        ImageGrid grid = new ImageGrid(a.height(), a.width(), ImageGrid.columnsFor(n)).zoom(2);
        List<BufferedImage> frames = new ArrayList<>();
        for (Matrix c : canvases) frames.add(grid.render(c.rows(0, n), null));
        AnimatedGif.write(frames, Math.max(2, 400 / canvases.size()), 150, out);
    }

    /** {@code dgm sample} for a DRAW file: the final samples, OUT-steps.png (the canvas step by step), and an optional GIF. */
    static int sample(Path model, int count, long seed, Path out, List<Integer> canvasSteps, Path gif, PrintWriter stdout) throws IOException {
        Draw draw = DrawFiles.read(ModelFiles.read(model, Draw.KIND));
        Draw.Architecture a = draw.architecture();
        int[] steps;
        if (canvasSteps == null || canvasSteps.isEmpty()) {
            steps = defaultSteps(a.steps());
        } else {
            steps = new int[canvasSteps.size()];
            for (int i = 0; i < steps.length; i++) {
                Integer t = canvasSteps.get(i);
                if (t == null || t < 0 || t > a.steps()) {
                    throw new InputException("--canvas-steps: steps must be in 0.." + a.steps() + " (0 = the initial canvas), got " + t);
                }
                steps[i] = t;
            }
        }
        List<Matrix> canvases = draw.generate(count, new RandomStream(seed));
        new ImageGrid(a.height(), a.width(), ImageGrid.columnsFor(count)).zoom(2).writePng(canvases.get(a.steps()), null, out);
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path stepsOut = out.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-steps.png");
        writeSteps(canvases, a, steps, 10, stepsOut);
        stdout.println("wrote " + count + " DRAW samples (sigmoid(c_T) after " + a.steps() + " steps) to " + out + ", and the canvas of "
                + Math.min(10, count) + " of them at steps " + describe(steps) + " to " + stepsOut);
        if (gif != null) {
            writeAnimation(canvases, a, count, gif);
            stdout.println("wrote the canvas over all " + a.steps() + " steps as an animation to " + gif);
        }
        return Main.OK;
    }
}
