package dgm4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dgm4j.InputException;
import dgm4j.attention.AttentionGradients;
import dgm4j.attention.RamEvaluation;
import dgm4j.attention.RamFamily;
import dgm4j.attention.RamFiles;
import dgm4j.attention.RamTrainingTask;
import dgm4j.attention.RecurrentAttention;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.io.ModelFiles;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingSession;
import dgm4j.viz.ImageGrid;

/** {@code dgm train ram}, {@code dgm attention} (glimpse trajectories), and the attention side of {@code dgm eval classify}. */
final class RamCommands {
    private RamCommands() {}

    @Command(name = "ram", mixinStandardHelpOptions = true, modelTransformer = DataSelection.ImagesOnly.class,
            description = {"Train a recurrent attention model (Mnih et al. 2014) that classifies an image from N glimpses whose locations "
                    + "(Gaussian, fixed std) and scales (softmax over 3) are latent actions, by REINFORCE with a learned baseline (the RAM "
                    + "recipe), by the wake-sleep rule of Ba et al. 2015 (WS-RAM: an inference network q(a | y, X) proposes M glimpse "
                    + "sequences, weighted by importance), or by the variational bound with q = prior.",
                    "Example: dgm train ram --data mnist-translated --rule ws --samples 5 --glimpses 6 --epochs 20 --out ram.safetensors "
                            + "--log ram.csv --pictures runs/ram"})
    static final class Train implements Callable<Integer> {
        @Mixin TrainCommand.RunOptions run;
        @Option(names = "--rule", defaultValue = "reinforce",
                description = "reinforce (0/1 reward, learned baseline), ws (WS-RAM: importance-weighted samples from q(a | y, X)), "
                        + "or prior (the variational bound with q = prior: reward log p(y | a, X)) (default: ${DEFAULT-VALUE})") String rule;
        @Option(names = "--samples", paramLabel = "M", description = "glimpse sequences per image and update (default: 5 for ws, 1 otherwise)") Integer samples;
        @Option(names = "--glimpses", paramLabel = "N", defaultValue = "6", description = "glimpses per image (default: ${DEFAULT-VALUE})") int glimpses;
        @Option(names = "--glimpse-size", paramLabel = "G", description = "retina patch side in pixels (default: 8 up to 28x28 images, else 12)") Integer glimpseSize;
        @Option(names = "--patches", paramLabel = "K", description = "retina patches, each twice as wide as the last (default: 1 up to 28x28 images, else 3)") Integer patches;
        @Option(names = "--scales", defaultValue = "3", description = "choices of the scale action: patch sides times 1, 2, 4, ... (default: ${DEFAULT-VALUE})") int scales;
        @Option(names = "--location-std", defaultValue = "0.15",
                description = "standard deviation of the location policy, in units of half the image (default: ${DEFAULT-VALUE})") double locationStd;
        @Option(names = "--hidden", defaultValue = "256", description = "units of the LSTM core (default: ${DEFAULT-VALUE})") int hidden;
        @Option(names = "--glimpse-hidden", defaultValue = "128", description = "units of the glimpse network's what and where layers (default: ${DEFAULT-VALUE})") int glimpseHidden;
        @Option(names = "--glimpse-features", defaultValue = "256", description = "width of the glimpse feature g_n (default: ${DEFAULT-VALUE})") int glimpseFeatures;
        @Option(names = "--inference-hidden", defaultValue = "256", description = "ws: units of the inference network (default: ${DEFAULT-VALUE})") int inferenceHidden;
        @Option(names = "--baseline", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "reinforce, prior: subtract a learned baseline from the reward (default: on)") boolean baseline;
        @Option(names = "--control-variates", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "ws: the control variates of the prior and proposal terms (default: on)") boolean controlVariates;
        @Option(names = "--batch", defaultValue = "100", description = "images per minibatch (default: ${DEFAULT-VALUE})") int batch;
        @Option(names = "--lr", defaultValue = "0.001", description = "Adam's learning rate, constant (default: ${DEFAULT-VALUE})") double lr;
        @Option(names = "--clip", defaultValue = "10", paramLabel = "NORM",
                description = "scale the gradients down when their global L2 norm exceeds this (default: ${DEFAULT-VALUE})") double clip;
        @Option(names = "--beta1", defaultValue = "0.9", description = "Adam's beta1 (default: ${DEFAULT-VALUE})") double beta1;
        @Option(names = "--beta2", defaultValue = "0.999", description = "Adam's beta2 (default: ${DEFAULT-VALUE})") double beta2;
        @Option(names = "--adam-epsilon", defaultValue = "1e-8", description = "Adam's epsilon (default: ${DEFAULT-VALUE})") double epsilon;
        @Option(names = "--variance-repeats", defaultValue = "10", paramLabel = "K",
                description = "gradient-variance monitor: K repeated estimates on a fixed minibatch at every epoch end; 0 = off (default: ${DEFAULT-VALUE})")
        int varianceRepeats;
        @Option(names = "--train-split", defaultValue = "train",
                description = "catalog data: train (held-out monitor on the validation split), or train+validation (default: ${DEFAULT-VALUE})") String trainSplit;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            DataSelection data = run.data;
            run.validate(spec);
            AttentionGradients.Rule r = AttentionGradients.Rule.parse(rule);
            boolean ws = r == AttentionGradients.Rule.WAKE_SLEEP;
            var parsed = spec.commandLine().getParseResult();
            if (ws && parsed.hasMatchedOption("--baseline")) throw new InputException("--baseline and --no-baseline apply to --rule reinforce or prior, not ws");
            if (!ws && parsed.hasMatchedOption("--control-variates")) throw new InputException("--control-variates applies to --rule ws, not " + r);
            if (!ws && parsed.hasMatchedOption("--inference-hidden")) throw new InputException("--inference-hidden applies to --rule ws, not " + r);
            int m = samples != null ? samples : ws ? 5 : 1;
            if (m < 1) throw new InputException("--samples must be at least 1, got " + m);
            if (glimpses < 1) throw new InputException("--glimpses must be at least 1, got " + glimpses);
            if (batch < 1) throw new InputException("--batch must be at least 1, got " + batch);
            if (hidden < 1 || glimpseHidden < 1 || glimpseFeatures < 1 || inferenceHidden < 1) {
                throw new InputException("--hidden, --glimpse-hidden, --glimpse-features and --inference-hidden must be positive");
            }
            if (varianceRepeats < 0 || varianceRepeats == 1) throw new InputException("--variance-repeats must be 0 (off) or at least 2, got " + varianceRepeats);
            Dataset train = data.trainingSet(trainSplit);
            Dataset heldOut = data.validationBeside(trainSplit);
            if (!train.hasLabels()) throw new InputException(data.describe() + " has no labels: the attention model learns to classify (give --labels)");
            int[] shape = DrawCommands.imageShape(train);
            if (train.height() == 0) train = new Dataset(train.name(), train.features(), train.labels(), shape[0], shape[1], train.numClasses());
            boolean large = Math.max(shape[0], shape[1]) > 28;
            int g = glimpseSize != null ? glimpseSize : large ? 12 : 8, k = patches != null ? patches : large ? 3 : 1;
            int classes = Math.max(2, train.numClasses());
            RecurrentAttention.Architecture architecture = new RecurrentAttention.Architecture(shape[0], shape[1], classes, glimpses, g, k, scales,
                    0, locationStd, glimpseHidden, glimpseHidden, glimpseFeatures, hidden, ws, inferenceHidden, 12);
            RamTrainingTask.Settings settings = new RamTrainingTask.Settings(new AttentionGradients.Settings(r, m, baseline, controlVariates),
                    lr, clip, beta1, beta2, epsilon, varianceRepeats);
            PrintWriter err = spec.commandLine().getErr(), out = spec.commandLine().getOut();
            TrainingData trainingData = new TrainingData(train, heldOut, batch, Binarization.none(), run.provenance(train, spec));
            TrainingSession session = run.session(err);
            RamTrainingTask task = session.open(new RamFamily(architecture, settings, trainingData));
            err.printf(Locale.ROOT, "training a recurrent attention model (%s) by %s with M = %d on %s (%d images, batch %d, Adam lr %s, clip %s, %d epochs), %s%n",
                    architecture, describe(settings.estimator()), m, data.describe(), train.size(), batch, lr, clip, run.epochs, Numerics.describe());
            err.println("monitors: train_error and heldout_error with glimpses from the policy on the first 1000 images"
                    + (varianceRepeats > 0 ? "; gradient_variance over " + varianceRepeats + " estimates on the first minibatch" : ""));
            double seconds = run.train(session);
            run.printSaved(out, seconds, "classify", "");
            if (run.pictures != null) {
                Dataset shown = heldOut != null ? heldOut : train;
                Path file = run.pictures.resolve("glimpses.png");
                writeGlimpses(task.model(), shown.features().rows(0, Math.min(16, shown.size())), shown.labels(), run.pictureRandom(), file);
                out.println("wrote " + file + " (glimpse trajectories on " + shown.name() + ")");
            }
            return Main.OK;
        }
    }

    private static String describe(AttentionGradients.Settings s) {
        switch (s.rule()) {
            case WAKE_SLEEP: return "the wake-sleep rule (WS-RAM" + (s.controlVariates() ? ", control variates" : ", no control variates") + ")";
            case PRIOR: return "the variational bound with q = prior" + (s.baseline() ? " (baseline)" : " (no baseline)");
            default: return "REINFORCE" + (s.baseline() ? " with a learned baseline" : " without baseline");
        }
    }

    @Command(name = "attention", mixinStandardHelpOptions = true, modelTransformer = DataSelection.ImagesOnly.class,
            description = {"Draw where a recurrent attention model looks: on test images, each glimpse's smallest patch (thick) and largest "
                    + "(thin), coloured from green (first) to red (last), joined in order; captions read Y (the label) and P (the prediction from these glimpses).",
                    "Example: dgm attention ram.safetensors --data mnist-translated --count 16 --out glimpses.png"})
    static final class Attention implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL", description = "a recurrent attention model (dgm train ram)") Path model;
        @Mixin DataSelection data;
        @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "the PNG to write") Path out;
        @Option(names = "--count", defaultValue = "16", description = "images to show (default: ${DEFAULT-VALUE})") int count;
        @Option(names = "--split", defaultValue = "test", description = "catalog data: the split shown (default: ${DEFAULT-VALUE})") String split;
        @Option(names = "--seed", defaultValue = "1", description = "seed of the glimpse draws (default: ${DEFAULT-VALUE})") long seed;
        @Mixin NumericOptions numeric;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            numeric.apply();
            if (count < 1 || count > 400) throw new InputException("--count must be in 1..400, got " + count);
            RecurrentAttention ram = RamFiles.read(ModelFiles.read(model, RecurrentAttention.KIND));
            Dataset d = data.splitOrAll(split);
            ram.architecture().requireImages(d.height(), d.width(), d.dim(), d.name());
            int n = Math.min(count, d.size());
            writeGlimpses(ram, d.features().rows(0, n), d.labels(), new RandomStream(seed), out);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote the glimpses of %d %s images to %s%n", n, d.name(), out);
            return Main.OK;
        }
    }

    /** Glimpse trajectories drawn over the images (one tile each), captioned "Y label P prediction" (P alone without labels). */
    static void writeGlimpses(RecurrentAttention model, Matrix images, int[] labels, RandomStream random, Path file) throws IOException {
        RecurrentAttention.Architecture a = model.architecture();
        List<RamEvaluation.Trajectory> trajectories = RamEvaluation.trajectories(model, images, random);
        int n = images.rows(), zoom = Math.max(2, Math.min(6, 240 / Math.max(a.height(), a.width())));
        String[] captions = new String[n];
        for (int i = 0; i < n; i++) captions[i] = (labels != null ? "Y" + labels[i] + " " : "") + "P" + trajectories.get(i).predicted();
        ImageGrid grid = new ImageGrid(a.height(), a.width(), Math.min(n, 8)).zoom(zoom);
        BufferedImage img = grid.render(images, captions);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        for (int i = 0; i < n; i++) {
            RamEvaluation.Trajectory t = trajectories.get(i);
            int[] origin = grid.tileOrigin(i, true);
            g.setClip(origin[0], origin[1], a.width() * zoom, a.height() * zoom);
            int steps = t.x().length;
            for (int s = 0; s < steps; s++) {
                g.setColor(Color.getHSBColor(0.33f * (steps == 1 ? 1 : 1 - s / (float) (steps - 1)), 1f, 1f));
                double cx = origin[0] + t.x()[s] * zoom, cy = origin[1] + t.y()[s] * zoom;
                if (s > 0) {
                    g.setStroke(new BasicStroke(1f));
                    g.drawLine((int) Math.round(origin[0] + t.x()[s - 1] * zoom), (int) Math.round(origin[1] + t.y()[s - 1] * zoom),
                            (int) Math.round(cx), (int) Math.round(cy));
                }
                double[] sides = t.patchSides()[s];
                drawSquare(g, cx, cy, sides[0] * zoom, 2f);
                if (sides.length > 1) drawSquare(g, cx, cy, sides[sides.length - 1] * zoom, 1f);
            }
        }
        g.dispose();
        Png.write(img, file);
    }

    private static void drawSquare(Graphics2D g, double cx, double cy, double side, float width) {
        g.setStroke(new BasicStroke(width));
        int s = (int) Math.round(side);
        g.drawRect((int) Math.round(cx - side / 2), (int) Math.round(cy - side / 2), s, s);
    }

    /** True if the file holds a recurrent attention model (the command reads and checks it again). */
    static boolean isAttentionModel(Path file) {
        return RecurrentAttention.KIND.equals(ModelFiles.readAnyKind(file).kind());
    }

    /** {@code dgm eval classify} of a recurrent attention model: the test error with glimpses from the policy. */
    static int classify(Path file, DataSelection data, int samples, int batch, long seed, PrintWriter out, PrintWriter err) {
        if (samples < 1) throw new InputException("--samples must be at least 1, got " + samples);
        if (batch < 1) throw new InputException("--batch must be at least 1, got " + batch);
        RecurrentAttention model = RamFiles.read(ModelFiles.read(file, RecurrentAttention.KIND));
        Dataset test = data.splitOrAll("test");
        model.architecture().requireImages(test.height(), test.width(), test.dim(), test.name());
        if (!test.hasLabels()) throw new InputException(test.name() + " has no labels to measure an error against (give --labels)");
        long t0 = System.nanoTime();
        RamEvaluation.Result r = new RamEvaluation(model, batch, samples).classify(test.features(), test.labels(), new RandomStream(seed),
                new ProgressBar(err));
        out.printf(Locale.ROOT, "test error of the attention model: %.2f%% (%d of %d %s images; glimpses drawn from the policy, %d sequence%s "
                + "per image) (%.1f s)%n", 100 * r.errorRate(), r.errors(), r.examples(), test.name(), samples, samples == 1 ? "" : "s",
                (System.nanoTime() - t0) / 1e9);
        return Main.OK;
    }
}
