package dgm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.classify.SigmoidClassifier;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.dbm.Dbm;
import dgm4j.dbm.DbmFamily;
import dgm4j.dbm.DbmFiles;
import dgm4j.dbm.DbmFineTuning;
import dgm4j.dbm.DbmPretraining;
import dgm4j.dbm.DbmSampler;
import dgm4j.dbm.DbmTrainer;
import dgm4j.dbm.DbmTrainingTask;
import dgm4j.eval.AisMonitor;
import dgm4j.eval.Evaluation;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.optim.Adam;
import dgm4j.optim.Optimizer;
import dgm4j.optim.Sgd;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingSession;
import dgm4j.viz.ImageGrid;

/** Deep Boltzmann machine commands: {@code dgm train dbm}, and the DBM side of eval ais, sample, complete, transform. */
final class DbmCommands {
    private DbmCommands() {}

    @Command(name = "dbm", mixinStandardHelpOptions = true,
            description = {"Train a deep Boltzmann machine: greedy pretraining of a stack of RBMs with the DBM corrections, "
                    + "then joint training by stochastic approximation (mean field for the data, persistent chains for the model).",
                    "Example: dgm train dbm --data mnist --hidden 500,1000 --pretrain-epochs 100 --epochs 300 --out dbm.safetensors --pictures runs/dbm"})
    static final class TrainDbm implements Callable<Integer> {
        @Mixin TrainCommand.RunOptions run;
        @Mixin TrainCommand.MomentumOptions momentum;
        @Mixin TrainCommand.AisMonitorOptions ais;
        @Option(names = "--hidden", defaultValue = "500,1000", split = ",", description = "hidden layer sizes, bottom first (default: ${DEFAULT-VALUE})") int[] hidden;
        @Option(names = "--pretrain-epochs", defaultValue = "10", description = "epochs of each RBM's greedy pretraining; 0 = none (default: ${DEFAULT-VALUE})") int pretrainEpochs;
        @Option(names = "--pretrain-lr", defaultValue = "0.05", description = "pretraining learning rate (default: ${DEFAULT-VALUE})") float pretrainLr;
        @Option(names = "--pretrain-weight-decay", defaultValue = "0.001", description = "pretraining weight decay (default: ${DEFAULT-VALUE})") float pretrainWeightDecay;
        @Option(names = "--top-gibbs-steps", defaultValue = "10", description = "the top RBM's CD-k rises from 1 to this (default: ${DEFAULT-VALUE})") int topGibbsSteps;
        @Option(names = "--lr", defaultValue = "0.001", description = "joint training learning rate (default: ${DEFAULT-VALUE})") float lr;
        @Option(names = "--lr-decay", defaultValue = "1.000015", description = "divide the learning rate by this after every update, the authors' decay (default: ${DEFAULT-VALUE})") double lrDecay;
        @Option(names = "--lr-tau", paramLabel = "TAU", description = "instead: lr / (1 + t / TAU), t the update count") Double lrTau;
        @Option(names = "--chains", defaultValue = "100", description = "persistent chains (default: ${DEFAULT-VALUE})") int chains;
        @Option(names = "--gibbs-steps", defaultValue = "5", description = "Gibbs sweeps of the chains per update (default: ${DEFAULT-VALUE})") int gibbsSteps;
        @Option(names = "--mean-field-iterations", defaultValue = "10", description = "cap on mean-field sweeps per minibatch (default: ${DEFAULT-VALUE})") int meanFieldIterations;
        @Option(names = "--sparsity-targets", split = ",", paramLabel = "P1,P2", description = "target mean activation of each hidden layer, e.g. 0.2,0.1 (default: none)") float[] sparsityTargets;
        @Option(names = "--sparsity-cost", defaultValue = "0.01", description = "weight of the sparsity penalty (default: ${DEFAULT-VALUE})") float sparsityCost;
        @Option(names = "--tempering", defaultValue = "1", paramLabel = "K",
                description = "advance the chains by parallel tempering over K temperatures (1 = plain Gibbs; default: ${DEFAULT-VALUE})") int tempering;
        @Option(names = "--tempering-min-beta", defaultValue = "0.9", description = "the hottest inverse temperature (default: ${DEFAULT-VALUE})") double minBeta;
        @Option(names = "--batch", defaultValue = "100", description = "minibatch size (default: ${DEFAULT-VALUE})") int batch;
        @Option(names = "--binarize", defaultValue = "dynamic",
                description = "how pixels in [0,1] become binary: dynamic, fixed:SEED, threshold[:T] (default: ${DEFAULT-VALUE})") String binarize;
        @Option(names = "--train-split", defaultValue = "train",
                description = "train, or train+validation (the paper's 60,000 MNIST images; nothing is then held out for the "
                        + "monitors) (default: ${DEFAULT-VALUE})")
        String trainSplit;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            DataSelection data = run.data;
            run.validate(spec);
            DataSelection.requireTrainSplit(trainSplit);
            ais.validate();
            for (int h : hidden) if (h < 1) throw new InputException("--hidden sizes must be at least 1, got " + h);
            if (batch < 1) throw new InputException("--batch must be at least 1, got " + batch);
            if (pretrainEpochs < 0) throw new InputException("--pretrain-epochs must be non-negative, got " + pretrainEpochs);
            Binarization binarization = Binarization.parse(binarize);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Dataset train = data.trainingSet(trainSplit);
            Dataset validation = data.validationBeside(trainSplit);

            DbmTrainer.Config defaults = DbmTrainer.Config.defaults();
            DbmTrainer.Config config = defaults.withLearningRate(lr).withLearningRateDecay(lrDecay)
                    .withLearningRateTimeConstant(lrTau == null ? 0 : lrTau).withWeightDecay(momentum.weightDecay)
                    .withMomentum(momentum.initial, momentum.last).withChains(chains).withGibbsSteps(gibbsSteps)
                    .withMeanField(meanFieldIterations, defaults.meanFieldTolerance()).withSparsity(sparsityTargets, sparsityCost)
                    .withTempering(tempering, minBeta);

            DbmPretraining.Config pretraining = pretrainEpochs == 0 ? null : DbmPretraining.Config.defaults().withEpochs(pretrainEpochs)
                    .withBatchSize(batch).withLearningRate(pretrainLr).withWeightDecay(pretrainWeightDecay).withTopGibbsSteps(topGibbsSteps);
            TrainingData trainingData = new TrainingData(train, validation, batch, binarization, run.provenance(train, spec));
            TrainingSession session = run.session(err);
            DbmTrainingTask task = session.open(DbmFamily.of(hidden, config, pretraining, trainingData).withLog(err::println));
            Dbm dbm = task.trainer().dbm();
            if (ais.requested(task, "a held-out validation split (--data NAME, --train-split train)")) {
                AisMonitor.attach(task, ais.every, ais.betas, run.seed, ais.note(err));
            }
            err.printf(Locale.ROOT, "training a %s DBM by stochastic approximation (%d chains, %d Gibbs sweeps%s) on %s (%d examples, batch %d), %s%n",
                    layers(dbm), chains, gibbsSteps, tempering > 1 ? ", parallel tempering over " + tempering + " temperatures" : "",
                    data.describe(), train.size(), batch, Numerics.describe());
            double seconds = run.train(session);
            if (tempering > 1) err.println("parallel tempering: " + task.lastSwapReport() + " (last epoch)");
            run.printSaved(out, seconds, null, "");
            if (run.pictures != null && train.height() > 0) {
                Files.createDirectories(run.pictures);
                int[] t = RbmCommands.tile(dbm.visibleUnits(), new int[] {train.height(), train.width()});
                Matrix examples = task.monitorValidation() != null ? task.monitorValidation() : task.monitorTrain();
                Path samples = run.pictures.resolve("samples.png");
                writeSamplesBesideData(dbm, examples, t, 1000, run.pictureRandom(), samples);
                out.println("wrote " + samples + " (top: data, bottom: samples after 1000 Gibbs sweeps)");
            }
            return Main.OK;
        }
    }

    @Command(name = "classify", mixinStandardHelpOptions = true,
            description = {"Discriminative fine-tuning of a two-layer DBM (Salakhutdinov & Hinton 2009): the network "
                    + "[v, q(h2|v)] - h1 - h2 - softmax initialised from the DBM is trained by backpropagation on the training "
                    + "split; prints the validation error after every epoch (unless it trains on train+validation) and the test error at the end.",
                    "A recurrent attention model (dgm train ram) is not fine-tuned: its test error is measured with glimpses drawn from its "
                            + "policy, averaging p(y | a, X) over --samples glimpse sequences per image.",
                    "Example: dgm eval classify dbm.safetensors --data mnist --epochs 100",
                    "Example: dgm eval classify ram.safetensors --data mnist-translated"})
    static final class Classify implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL", description = "a DBM (fine-tuned as a classifier) or a recurrent attention model") Path model;
        @Mixin DataSelection data;
        @Option(names = "--epochs", defaultValue = "10", description = "fine-tuning epochs (default: ${DEFAULT-VALUE})") int epochs;
        @Option(names = "--batch", defaultValue = "100", description = "minibatch size (default: ${DEFAULT-VALUE})") int batch;
        @Option(names = "--lr", defaultValue = "0.001", description = "learning rate (default: ${DEFAULT-VALUE})") double lr;
        @Option(names = "--optimizer", defaultValue = "adam", description = "adam, or sgd (momentum 0.9) (default: ${DEFAULT-VALUE})") String optimizer;
        @Option(names = "--mean-field-iterations", defaultValue = "30", description = "cap on mean-field sweeps for q(h2|v) (default: ${DEFAULT-VALUE})") int meanFieldIterations;
        @Option(names = "--train-split", defaultValue = "train",
                description = "catalog data: the split trained on; train+validation = MNIST's 60,000 training images as the paper, "
                        + "without a validation error (default: ${DEFAULT-VALUE})")
        String trainSplit;
        @Option(names = "--seed", defaultValue = "1", description = "random seed of the fine-tuning or the glimpse draws (default: ${DEFAULT-VALUE})") long seed;
        @Option(names = "--samples", paramLabel = "M", defaultValue = "1",
                description = "attention models: glimpse sequences per test image (default: ${DEFAULT-VALUE})") int samples;
        @Mixin NumericOptions numeric;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            numeric.apply();
            var parsed = spec.commandLine().getParseResult();
            if (RamCommands.isAttentionModel(model)) {
                for (String o : new String[] {"--epochs", "--lr", "--optimizer", "--mean-field-iterations", "--train-split"}) {
                    if (parsed.hasMatchedOption(o)) throw new InputException(o + " applies to fine-tuning a DBM; " + model + " is a recurrent attention model");
                }
                return RamCommands.classify(model, data, samples, batch, seed, spec.commandLine().getOut(), spec.commandLine().getErr());
            }
            if (parsed.hasMatchedOption("--samples")) throw new InputException("--samples applies to recurrent attention models; " + model + " is not one");
            if (epochs < 1 || batch < 1) throw new InputException("--epochs and --batch must be positive");
            if (!(lr > 0)) throw new InputException("--lr must be positive, got " + lr);
            Dbm dbm = DbmFiles.read(ModelFiles.read(model, Dbm.KIND));
            DataSelection.requireTrainSplit(trainSplit);
            Dataset train, validation = null, test;
            if (data.hasSplits()) {
                train = data.load(trainSplit);
                if (data.hasValidation() && trainSplit.equals("train")) validation = data.load("validation");
                test = data.load("test");
            } else {   // own files: the first two thirds train, the rest test
                Dataset all = data.load("train");
                int cut = all.size() * 2 / 3;
                train = all.subset(0, cut);
                test = all.subset(cut, all.size());
            }
            if (!train.hasLabels() || !test.hasLabels()) throw new InputException("classification needs labelled data (--labels or a catalog dataset)");
            Binarization.requireUnitRange(train.features(), train.name());
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            long t0 = System.nanoTime();
            Dataset trainInput = DbmFineTuning.augmented(dbm, train, meanFieldIterations, 1e-6);
            Dataset validationInput = validation == null ? null : DbmFineTuning.augmented(dbm, validation, meanFieldIterations, 1e-6);
            Dataset testInput = DbmFineTuning.augmented(dbm, test, meanFieldIterations, 1e-6);
            int classes = Math.max(10, Math.max(train.numClasses(), test.numClasses()));
            RandomStream random = new RandomStream(seed);
            SigmoidClassifier c = DbmFineTuning.classifier(dbm, classes, random.split(0));
            Optimizer o;
            switch (optimizer) {
                case "adam": o = new Adam(c.parameters(), 0.9, 0.999, 1e-8); break;
                case "sgd": o = new Sgd(c.parameters(), 0.9, 0); break;
                default: throw new InputException("--optimizer must be adam or sgd, got " + optimizer);
            }
            err.printf(Locale.ROOT, "fine-tuning the %d-%d-%d-%d network initialised from %s (q(h2) computed in %.1f s) on %d examples%n",
                    trainInput.dim(), dbm.units(1), dbm.units(2), classes, model, (System.nanoTime() - t0) / 1e9, train.size());
            RandomStream order = random.split(1);
            for (int epoch = 0; epoch < epochs; epoch++) {
                Progress bar = new ProgressBar(err).named("fine-tune epoch " + (epoch + 1) + "/" + epochs);
                double loss = c.train(trainInput, 1, batch, o, lr, order, bar)[0];
                err.printf(Locale.ROOT, "epoch %d  cross_entropy %.4f%s%n", epoch + 1, loss, validationInput == null ? ""
                        : String.format(Locale.ROOT, "  validation_error %.4f", c.errorRate(validationInput.features(), validationInput.labels())));
            }
            double error = c.errorRate(testInput.features(), testInput.labels());
            out.printf(Locale.ROOT, "test error after %d epochs of fine-tuning: %.2f%% of %d examples (%.1f s)%n", epochs, 100 * error,
                    test.size(), (System.nanoTime() - t0) / 1e9);
            return Main.OK;
        }
    }

    static String layers(Dbm dbm) { return Evaluation.layers(dbm); }

    /** 50 examples (top five rows), then 50 fantasies (bottom five rows), 10 per row. */
    static void writeSamplesBesideData(Dbm dbm, Matrix examples, int[] tile, int steps, RandomStream random, Path file) throws IOException {
        int n = Math.min(50, examples.rows());
        Matrix s = DbmSampler.fantasies(dbm, 50, steps, random);
        Matrix grid = Matrix.zeros(n + 50, dbm.visibleUnits());
        grid.rows(0, n).copyFrom(examples.rows(0, n));
        grid.rows(n, n + 50).copyFrom(s);
        new ImageGrid(tile[0], tile[1], 10).zoom(2).writePng(grid, null, file);
    }

    /** True if the model file holds a DBM (the file is read and checked once more by the command). */
    static boolean isDbm(ModelFile file) {
        return Dbm.KIND.equals(file.kind());
    }
}
