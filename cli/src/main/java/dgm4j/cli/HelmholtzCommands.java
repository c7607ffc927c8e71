package dgm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
import dgm4j.helmholtz.HelmholtzFamily;
import dgm4j.helmholtz.HelmholtzFiles;
import dgm4j.helmholtz.HelmholtzMachine;
import dgm4j.helmholtz.HelmholtzTrainingTask;
import dgm4j.helmholtz.WakeSleep;
import dgm4j.io.ModelFiles;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.optim.LearningRateSchedule;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingSession;

/** {@code dgm train helmholtz}, and Helmholtz machines in {@code dgm eval nll} and {@code dgm sample}. */
final class HelmholtzCommands {
    private HelmholtzCommands() {}

    @Command(name = "helmholtz", mixinStandardHelpOptions = true, modelTransformer = DataSelection.ImagesOnly.class,
            description = {"Train a Helmholtz machine (a sigmoid belief net with a recognition net) by wake-sleep (ws) or "
                    + "reweighted wake-sleep (rws, k samples) with Adam.",
                    "Example: dgm train helmholtz --data mnist --layers 200,200 --algorithm rws --k 5 --epochs 5 --out hm.safetensors --pictures runs/hm"})
    static final class Train implements Callable<Integer> {
        @Mixin TrainCommand.RunOptions run;
        @Option(names = "--layers", split = ",", paramLabel = "N1,N2,...", defaultValue = "200,200",
                description = "latent layer sizes, bottom (h1) to top (default: ${DEFAULT-VALUE})") List<Integer> layers;
        @Option(names = "--algorithm", defaultValue = "rws",
                description = "ws (wake-sleep, one sample) or rws (reweighted wake-sleep, k samples) (default: ${DEFAULT-VALUE})") String algorithm;
        @Option(names = "--k", description = "rws: samples per example (default: 5)") Integer k;
        @Option(names = "--q-update", description = "rws: wake, sleep or both q-updates (default: both, as the paper)") String qUpdate;
        @Option(names = "--batch", defaultValue = "20", description = "minibatch size (default: ${DEFAULT-VALUE})") int batch;
        @Option(names = "--lr", defaultValue = "0.001", description = "Adam's learning rate, constant (default: ${DEFAULT-VALUE})") double lr;
        @Option(names = "--binarize", defaultValue = "dynamic",
                description = "dynamic (fresh binarization every minibatch), fixed:SEED, threshold[:T], none for binary data (default: ${DEFAULT-VALUE})")
        String binarize;
        @Option(names = "--train-split", defaultValue = "train",
                description = "catalog data: train (MNIST's first 50,000 images; the validation split monitors held-out L_50) or train+validation (all 60,000, no held-out monitor) (default: ${DEFAULT-VALUE})")
        String trainSplit;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            DataSelection data = run.data;
            run.validate(spec);
            WakeSleep.Algorithm alg;
            if ("ws".equals(algorithm)) alg = WakeSleep.Algorithm.WS;
            else if ("rws".equals(algorithm)) alg = WakeSleep.Algorithm.RWS;
            else throw new InputException("--algorithm must be ws or rws, got " + algorithm);
            if (alg == WakeSleep.Algorithm.WS && (k != null && k != 1 || qUpdate != null)) {
                throw new InputException("--k and --q-update apply to rws; wake-sleep (ws) uses one sample and the sleep q-update");
            }
            int samples = alg == WakeSleep.Algorithm.WS ? 1 : k == null ? 5 : k;
            if (samples < 1) throw new InputException("--k must be at least 1, got " + samples);
            WakeSleep.QUpdate q = WakeSleep.QUpdate.SLEEP;
            if (alg == WakeSleep.Algorithm.RWS) {
                String name = qUpdate == null ? "both" : qUpdate;
                switch (name) {
                    case "wake": q = WakeSleep.QUpdate.WAKE; break;
                    case "sleep": q = WakeSleep.QUpdate.SLEEP; break;
                    case "both": q = WakeSleep.QUpdate.BOTH; break;
                    default: throw new InputException("--q-update must be wake, sleep or both, got " + qUpdate);
                }
            }
            if (batch < 1) throw new InputException("--batch must be at least 1, got " + batch);
            if (!(lr > 0)) throw new InputException("--lr must be positive, got " + lr);
            for (Integer n : layers) if (n == null || n < 1) throw new InputException("--layers must be positive sizes, got " + layers);
            Binarization binarization = Binarization.parse(binarize);
            Dataset train = data.trainingSet(trainSplit);
            Dataset heldOut = data.validationBeside(trainSplit);   // with train+validation: no held-out monitor
            HelmholtzTrainingTask.Config config = (alg == WakeSleep.Algorithm.WS ? HelmholtzTrainingTask.Config.defaults().withWakeSleep()
                    : HelmholtzTrainingTask.Config.defaults().withReweighted(samples, q)).withSchedule(LearningRateSchedule.constant(lr, run.epochs));
            TrainingData trainingData = new TrainingData(train, heldOut, batch, binarization, run.provenance(train, spec));
            HelmholtzFamily family = HelmholtzFamily.of(layers.stream().mapToInt(Integer::intValue).toArray(), config, trainingData);
            int[] sizes = family.sizes();
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter stdout = spec.commandLine().getOut();
            TrainingSession session = run.session(err);
            HelmholtzTrainingTask task = session.open(family);
            HelmholtzMachine model = task.model();
            err.printf(Locale.ROOT, "training a %s Helmholtz machine by %s (k = %d, q-update %s) on %s (%d examples, batch %d, lr %s, %d epochs), %s%n",
                    Arrays.toString(sizes), alg, samples, q.name().toLowerCase(Locale.ROOT), data.describe(), train.size(), batch, lr,
                    run.epochs, Numerics.describe());
            if (heldOut != null) {
                err.println("held-out monitor: L_" + HelmholtzTrainingTask.MONITOR_K + " on the first " + HelmholtzTrainingTask.MONITOR_EXAMPLES
                        + " validation images, binarized once (seed 1234); not used for any decision");
            }
            double seconds = run.train(session);
            run.printSaved(stdout, seconds, "nll", " --k 5000");
            if (run.pictures != null && train.height() > 0) {
                Files.createDirectories(run.pictures);
                Path samplesPng = run.pictures.resolve("samples.png");
                RbmCommands.writeGrid(model.sampleMeans(100, run.pictureRandom()), model.dataDim(), train.height(), train.width(), samplesPng);
                stdout.println("wrote " + samplesPng + " (100 ancestral samples, shown as the means of p(x | h1))");
            }
            return Main.OK;
        }
    }

    /** {@code dgm sample} for a Helmholtz machine: ancestral samples, shown as the means of p(x | h_1). */
    static int sample(Path model, int count, long seed, Path out, PrintWriter stdout) throws IOException {
        HelmholtzFiles.Stored s = HelmholtzFiles.read(ModelFiles.read(model, HelmholtzMachine.KIND));
        RbmCommands.writeGrid(s.model().sampleMeans(count, new RandomStream(seed)), s.model().dataDim(), s.imageHeight(), s.imageWidth(), out);
        stdout.println("wrote " + count + " ancestral samples (means of p(x | h1)) to " + out);
        return Main.OK;
    }
}
