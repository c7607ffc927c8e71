package dgm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.draw.Draw;
import dgm4j.eval.Evaluation;
import dgm4j.eval.ImportanceReport;
import dgm4j.helmholtz.HelmholtzMachine;
import dgm4j.io.Json;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.optim.LearningRateSchedule;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingSession;
import dgm4j.vae.StochasticLayer;
import dgm4j.vae.VaeEstimator;
import dgm4j.vae.VaeFamily;
import dgm4j.vae.VaeFiles;
import dgm4j.vae.VaeTrainingTask;
import dgm4j.vae.VariationalAutoencoder;
import dgm4j.viz.ImageGrid;

/** {@code dgm train vae|iwae}, {@code dgm eval nll} and the pictures of a VAE / IWAE. */
final class VaeCommands {
    private VaeCommands() {}

    /** Options of {@code train vae} and {@code train iwae}; the two differ only in the objective and default k. */
    abstract static class TrainBase implements Callable<Integer> {
        @Mixin TrainCommand.RunOptions run;
        @Option(names = "--layers", defaultValue = "1",
                description = "stochastic layers: 1 (784-200-200-50) or 2 (784-200-200-100-100-100-50), the paper's architectures (default: ${DEFAULT-VALUE})")
        int layers;
        @Option(names = "--output", defaultValue = "bernoulli",
                description = "p(x | h): bernoulli (binary data; pixels binarized by --binarize) or gaussian (real values) (default: ${DEFAULT-VALUE})")
        String output;
        @Option(names = "--schedule", defaultValue = "paper:3",
                description = "learning rates: paper:S (the IWAE paper's stages 0..S-1, stage i = 3^i epochs at 1e-3 10^(-i/7); paper:8 = 3,280 epochs), "
                        + "constant:LR:EPOCHS or exponential:LR:DECAY:EPOCHS (default: ${DEFAULT-VALUE} = 13 epochs); --epochs, if given, cuts it")
        String schedule;
        @Option(names = "--batch", defaultValue = "20", description = "minibatch size (default: ${DEFAULT-VALUE}, as the paper)") int batch;
        @Option(names = "--binarize", defaultValue = "dynamic",
                description = "bernoulli output: dynamic (fresh binarization every minibatch, the paper's protocol), fixed:SEED, threshold[:T], none (default: ${DEFAULT-VALUE})")
        String binarize;
        @Option(names = "--train-split", defaultValue = "train+validation",
                description = "catalog data: the split trained on (default: ${DEFAULT-VALUE} = MNIST's 60,000 training images, as the paper)")
        String trainSplit;
        @Option(names = "--beta1", defaultValue = "0.9", description = "Adam's decay of the gradient's running mean (default: ${DEFAULT-VALUE}, as the paper)") double beta1;
        @Option(names = "--beta2", defaultValue = "0.999", description = "Adam's decay of the squared gradient's running mean (default: ${DEFAULT-VALUE}, as the paper)") double beta2;
        @Option(names = "--adam-epsilon", defaultValue = "1e-4", description = "Adam's epsilon (default: ${DEFAULT-VALUE}, as the paper)") double epsilon;
        @Spec CommandSpec spec;

        /** Images only, and --epochs described as what it is here: a cut of the schedule, whose length is the default. */
        static final class ScheduledEpochs extends DataSelection.ImagesOnly {
            @Override
            public CommandSpec transform(CommandSpec spec) {
                OptionSpec epochs = spec.findOption("--epochs");
                spec.remove(epochs);
                spec.addOption(epochs.toBuilder().description("epochs to run: the first N of the --schedule (default: all of its epochs)").build());
                return super.transform(spec);
            }
        }

        abstract VariationalAutoencoder.Objective objective();

        abstract int k();

        @Override
        public Integer call() throws Exception {
            DataSelection data = run.data;
            boolean epochsGiven = spec.commandLine().getParseResult().hasMatchedOption("--epochs");
            LearningRateSchedule lr;
            try {
                lr = LearningRateSchedule.parse(schedule);
            } catch (IllegalArgumentException e) {
                throw new InputException("--schedule: " + e.getMessage());
            }
            if (epochsGiven && run.epochs > lr.epochs()) {
                throw new InputException("--epochs " + run.epochs + " is longer than the schedule " + schedule + " (" + lr.epochs() + " epochs)");
            }
            if (!epochsGiven) run.epochs = lr.epochs();
            run.validate(spec);
            if (k() < 1) throw new InputException("--k must be at least 1, got " + k());
            if (batch < 1) throw new InputException("--batch must be at least 1, got " + batch);
            if (layers != 1 && layers != 2) throw new InputException("--layers must be 1 or 2, got " + layers);
            StochasticLayer.Kind out;
            if ("bernoulli".equals(output)) out = StochasticLayer.Kind.BERNOULLI;
            else if ("gaussian".equals(output)) out = StochasticLayer.Kind.GAUSSIAN;
            else throw new InputException("--output must be bernoulli or gaussian, got " + output);
            if (out == StochasticLayer.Kind.GAUSSIAN && spec.commandLine().getParseResult().hasMatchedOption("--binarize")) {
                throw new InputException("--binarize applies to a bernoulli output, not gaussian");
            }
            Binarization binarization = out == StochasticLayer.Kind.GAUSSIAN ? Binarization.none() : Binarization.parse(binarize);
            Dataset train = data.trainingSet(trainSplit);
            Dataset heldOut = data.testSplit();
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter stdout = spec.commandLine().getOut();

            VaeTrainingTask.Config config = VaeTrainingTask.Config.defaults().withObjective(objective(), k()).withSchedule(lr)
                    .withAdam(beta1, beta2, epsilon);
            TrainingData trainingData = new TrainingData(train, heldOut, batch, binarization, run.provenance(train, spec));
            TrainingSession session = run.session(err);
            VaeTrainingTask task = session.open(VaeFamily.paper(layers, out, config, trainingData));
            VariationalAutoencoder model = task.model();
            err.printf(Locale.ROOT, "training a %d-layer %s with k = %d on %s (%d examples, batch %d, schedule %s: %d epochs), %s%n",
                    layers, objective(), k(), data.describe(), train.size(), batch, schedule, run.epochs, Numerics.describe());
            if (heldOut != null) err.println("held-out monitors: the first 1000 test images, binarized once (seed 1234); not used for any decision");
            double seconds = run.train(session);
            run.printSaved(stdout, seconds, "nll", " --k 5000");
            if (run.pictures != null && train.height() > 0) {
                Matrix examples = heldOut != null ? heldOut.subset(0, Math.min(50, heldOut.size())).features()
                        : train.subset(0, Math.min(50, train.size())).features();
                if (out == StochasticLayer.Kind.BERNOULLI) examples = Binarization.fixed(1234).apply(heldOut != null
                        ? heldOut.subset(0, examples.rows()) : train.subset(0, examples.rows())).features();
                writePictures(model, train.height(), train.width(), examples, run.pictures, run.pictureRandom(), stdout);
            }
            return Main.OK;
        }
    }

    @Command(name = "vae", mixinStandardHelpOptions = true, modelTransformer = TrainBase.ScheduledEpochs.class,
            description = {"Train a variational autoencoder (the ELBO, averaged over k samples) with Adam.",
                    "Example: dgm train vae --data mnist --layers 1 --k 1 --schedule paper:3 --out vae.safetensors --pictures runs/vae"})
    static final class TrainVae extends TrainBase {
        @Option(names = "--k", defaultValue = "1", description = "samples per example (default: ${DEFAULT-VALUE})") int k;

        VariationalAutoencoder.Objective objective() { return VariationalAutoencoder.Objective.VAE; }

        int k() { return k; }
    }

    @Command(name = "iwae", mixinStandardHelpOptions = true, modelTransformer = TrainBase.ScheduledEpochs.class,
            description = {"Train an importance weighted autoencoder (the k-sample bound L_k) with Adam.",
                    "Example: dgm train iwae --data mnist --layers 1 --k 5 --schedule paper:3 --out iwae.safetensors --pictures runs/iwae"})
    static final class TrainIwae extends TrainBase {
        @Option(names = "--k", defaultValue = "5", description = "samples per example in the bound L_k (default: ${DEFAULT-VALUE})") int k;

        VariationalAutoencoder.Objective objective() { return VariationalAutoencoder.Objective.IWAE; }

        int k() { return k; }
    }

    /** A VAE from a model file, refusing other kinds with a message that names them. */
    static VaeFiles.Stored load(Path file) {
        return VaeFiles.read(ModelFiles.read(file, VariationalAutoencoder.KIND));
    }

    @Command(name = "nll", mixinStandardHelpOptions = true, modelTransformer = DataSelection.ImagesOnly.class,
            description = {"Estimate a VAE/IWAE's, a Helmholtz machine's or a DRAW's test negative log-likelihood, -log (1/k) sum_i p(x, h_i) / q(h_i | x), with k samples "
                    + "(the paper: k = 5000), beside the bounds L_k for smaller k and the active units (VAEs) or the variational bound with exact KL (DRAW).",
                    "Example: dgm eval nll iwae.safetensors --data mnist --k 5000 --bounds 1,5,50"})
    static final class Nll implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL", description = "a VAE/IWAE, Helmholtz machine or DRAW model file") Path model;
        @Mixin DataSelection data;
        @Mixin NumericOptions numeric;
        @Option(names = "--split", defaultValue = "test", description = "catalog data: the split to measure (default: ${DEFAULT-VALUE})") String split;
        @Option(names = "--k", defaultValue = "5000", description = "importance samples per example (default: ${DEFAULT-VALUE})") int k;
        @Option(names = "--bounds", split = ",", paramLabel = "K1,K2,...",
                description = "also report the bounds L_k for these k (e.g. 1,5,50)") List<Integer> bounds = new ArrayList<>();
        @Option(names = "--examples", paramLabel = "N", description = "only the first N examples (default: all)") Integer examples;
        @Option(names = "--binarize", defaultValue = "fixed:1",
                description = "bernoulli models: how pixels in [0,1] become binary, once (default: ${DEFAULT-VALUE}, as the paper's fixed test binarization); none for binary data")
        String binarize;
        @Option(names = "--rows-per-pass", defaultValue = "5000", description = "examples x samples per forward pass (memory) (default: ${DEFAULT-VALUE})") int rowsPerPass;
        @Option(names = "--seed", defaultValue = "1", description = "random seed of the importance samples (default: ${DEFAULT-VALUE})") long seed;
        @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON") Path json;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            numeric.apply();
            if (k < 1) throw new InputException("--k must be at least 1, got " + k);
            for (Integer b : bounds) if (b == null || b < 1) throw new InputException("--bounds must be positive integers");
            if (rowsPerPass < 1) throw new InputException("--rows-per-pass must be positive");
            ModelFile file = ModelFiles.read(model, VariationalAutoencoder.KIND, HelmholtzMachine.KIND, Draw.KIND);
            Dataset d = data.splitOrAll(split);
            if (examples != null) {
                if (examples < 1) throw new InputException("--examples must be positive");
                d = d.subset(0, Math.min(examples, d.size()));
            }
            if (d.size() == 0) throw new InputException(data.describe() + ": no examples to measure");
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ImportanceReport report = Evaluation.directed(file, d, k, bounds, Binarization.parse(binarize), rowsPerPass,
                    new RandomStream(seed), new ProgressBar(err));
            report.details().forEach(out::println);
            out.println(report.summary());
            report.notes().forEach(out::println);
            if (json != null) {
                Map<String, Object> results = new LinkedHashMap<>();
                results.put("model", model.toString());
                results.put("data", d.name());
                results.putAll(report.toJson());
                Files.writeString(json, Json.write(results) + "\n");
            }
            return Main.OK;
        }
    }

    /**
     * samples.png (100 draws from the prior, shown as the means of p(x | h_1)), reconstructions.png (pairs: example,
     * reconstruction) and latent.png (a 10 x 10 grid over the two most active top-layer units, -2..2 sd, others 0).
     */
    static void writePictures(VariationalAutoencoder model, int height, int width, Matrix examples, Path dir,
                              RandomStream random, PrintWriter out) throws IOException {
        Files.createDirectories(dir);
        int[] t = RbmCommands.tile(model.dataDim(), new int[] {height, width});
        Path samples = dir.resolve("samples.png");
        new ImageGrid(t[0], t[1], 10).zoom(2).writePng(model.sampleMeans(100, random), null, samples);
        int n = Math.min(50, examples.rows());
        Matrix x = examples.rows(0, n), r = model.reconstruct(x);
        Path reconstructions = dir.resolve("reconstructions.png");
        new ImageGrid(t[0], t[1], 10).zoom(2).writePng(RbmCommands.pairs(x, r), null, reconstructions);
        Path latent = dir.resolve("latent.png");
        new ImageGrid(t[0], t[1], 10).zoom(2).writePng(latentGrid(model, examples), null, latent);
        out.println("wrote " + samples + " (samples), " + reconstructions + " (pairs: example, reconstruction), " + latent
                + " (the two most active latent units, -2..2)");
    }

    /** Decodes a 10 x 10 grid of top-layer latents: the two units whose posterior means vary most, -2..2; others 0. */
    static Matrix latentGrid(VariationalAutoencoder model, Matrix examples) {
        int top = model.stochasticLayers() - 1, size = model.latents()[top];
        double[] v = VaeEstimator.posteriorMeanVariances(model, examples, 10, new RandomStream(3))[top];
        Integer[] order = new Integer[size];
        for (int u = 0; u < size; u++) order[u] = u;
        Arrays.sort(order, (p, q) -> Double.compare(v[q], v[p]));
        int a = order[0], b = size > 1 ? order[1] : order[0];
        Matrix h = Matrix.zeros(100, size);
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) {
                h.set(i * 10 + j, a, (float) (-2 + 4 * i / 9.0));
                if (b != a) h.set(i * 10 + j, b, (float) (-2 + 4 * j / 9.0));
            }
        }
        return model.decodeMean(h);
    }

    /** {@code dgm sample} for a VAE file: draws from the prior, as means of p(x | h_1). */
    static int sample(Path model, int count, long seed, Path out, PrintWriter stdout) throws IOException {
        VaeFiles.Stored s = load(model);
        RbmCommands.writeGrid(s.model().sampleMeans(count, new RandomStream(seed)), s.model().dataDim(), s.imageHeight(), s.imageWidth(), out);
        stdout.println("wrote " + count + " samples from the prior (means of p(x | h)) to " + out);
        return Main.OK;
    }
}
