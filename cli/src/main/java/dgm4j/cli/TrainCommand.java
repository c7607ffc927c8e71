package dgm4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dgm4j.InputException;
import dgm4j.Version;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.eval.AisMonitor;
import dgm4j.io.ModelFile;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.math.Matrix;
import dgm4j.data.Standardization;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.GaussianRbm;
import dgm4j.rbm.ReplicatedSoftmaxRbm;
import dgm4j.rbm.Rbm;
import dgm4j.rbm.RbmFiles;
import dgm4j.rbm.RbmTrainer;
import dgm4j.rbm.RbmTrainingTask;
import dgm4j.train.TrainingSession;
import dgm4j.train.TrainingState;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dgm train MODEL}: train a model on real data, with checkpoints and resume. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model.",
        subcommands = {TrainCommand.TrainRbm.class, DbmCommands.TrainDbm.class, VaeCommands.TrainVae.class, VaeCommands.TrainIwae.class,
                HelmholtzCommands.Train.class, DrawCommands.Train.class})
final class TrainCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing model: rbm, dbm, vae, iwae, helmholtz or draw");
    }

    /** Options every train command shares: epochs, seed, output, checkpoints, resume, log. */
    static final class RunOptions {
        @Option(names = "--epochs", defaultValue = "10", description = "total epochs (default: ${DEFAULT-VALUE})") int epochs;
        @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})") long seed;
        @Option(names = "--out", required = true, paramLabel = "MODEL.safetensors",
                description = "the model file; also the checkpoint (the previous one is kept as .prev)") Path out;
        @Option(names = "--checkpoint-every", paramLabel = "N|Mm", defaultValue = "1",
                description = "checkpoint every N epochs, or every M minutes with the suffix m (e.g. 10m); 0 = only at the end (default: ${DEFAULT-VALUE})")
        String checkpointEvery;
        @Option(names = "--resume", paramLabel = "FILE", description = "continue from a checkpoint written by --out") Path resume;
        @Option(names = "--log", paramLabel = "FILE.csv", description = "per-epoch monitors as CSV (a resumed run keeps the rows up to its checkpoint)") Path log;
        @Option(names = "--force", description = "start a new run even if --out or --log exist (they are replaced)") boolean force;
        @Option(names = "--pictures", paramLabel = "DIR", description = "write pictures of what was learned (filters, samples) here at the end") Path pictures;

        int everyEpochs() {
            String s = checkpointEvery.trim();
            if (s.endsWith("m")) return 0;
            try {
                int n = Integer.parseInt(s);
                if (n < 0) throw new NumberFormatException();
                return n;
            } catch (NumberFormatException e) {
                throw new InputException("--checkpoint-every must be a number of epochs or minutes like 10m, got '" + checkpointEvery + "'");
            }
        }

        double everyMinutes() {
            String s = checkpointEvery.trim();
            if (!s.endsWith("m")) return 0;
            try {
                double m = Double.parseDouble(s.substring(0, s.length() - 1));
                if (!(m > 0)) throw new NumberFormatException();
                return m;
            } catch (NumberFormatException e) {
                throw new InputException("--checkpoint-every must be a number of epochs or minutes like 10m, got '" + checkpointEvery + "'");
            }
        }

        void validate() {
            if (epochs < 1) throw new InputException("--epochs must be at least 1, got " + epochs);
            everyEpochs();
            everyMinutes();
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                try {
                    Files.createDirectories(parent);   // like --pictures: the run's directory is made for it
                } catch (java.io.IOException | RuntimeException e) {
                    throw new InputException("--out: cannot create directory " + parent + ": " + e.getMessage());
                }
            }
            if (resume == null && !force) {
                if (Files.exists(out)) {
                    throw new InputException("--out " + out + " exists: continue it with --resume " + out + ", or replace it with --force");
                }
                if (log != null && Files.exists(log)) {
                    throw new InputException("--log " + log + " exists: continue a run with --resume, or replace it with --force");
                }
            }
        }

        /** What every saved model records of how it was made: data, seed, threads, backend, version, command line. */
        Map<String, Object> provenance(DataSelection data, Dataset train, CommandSpec spec) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("dataset", data.describe());
            p.put("train_examples", train.size());
            p.put("seed", seed);
            p.put("threads", Numerics.threads());
            p.put("blas", Numerics.blas().name());
            p.put("dgm4j_version", Version.get());
            p.put("command", "dgm " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
            return p;
        }

        /** A training session with these options: resume, checkpoints, CSV log, progress and monitors on {@code err}. */
        TrainingSession session(PrintWriter err) {
            return new TrainingSession(epochs, seed)
                    .resumeFrom(resume)
                    .checkpoint(out, everyEpochs(), everyMinutes())
                    .csvLog(log)
                    .progress(new ProgressBar(err))
                    .log(err::println);
        }
    }

    @Command(name = "rbm", mixinStandardHelpOptions = true,
            description = {"Train a binary restricted Boltzmann machine by CD-k or persistent CD.",
                    "Example: dgm train rbm --data mnist --hidden 500 --cd 1 --epochs 10 --out rbm.safetensors --pictures runs/rbm"})
    static final class TrainRbm implements Callable<Integer> {
        @Mixin DataSelection data;
        @Mixin RunOptions run;
        @Mixin NumericOptions numeric;
        @Option(names = "--hidden", defaultValue = "500", description = "hidden units (default: ${DEFAULT-VALUE})") int hidden;
        @Option(names = "--visible", defaultValue = "bernoulli",
                description = "visible units: bernoulli (binary data, e.g. binarized pixels), gaussian (real values, standardised per column) or softmax (word counts: replicated softmax) (default: ${DEFAULT-VALUE})")
        String visible;
        @Option(names = "--learn-variance", description = "gaussian: learn each visible unit's variance (default: fixed at 1 on standardised data)") boolean learnVariance;
        @Option(names = "--min-std", defaultValue = "0.05", description = "gaussian: floor of the per-column std used to standardise (default: ${DEFAULT-VALUE})") float minStd;

        static final class Algorithm {
            @Option(names = "--cd", paramLabel = "K", description = "contrastive divergence with K Gibbs steps (default: CD-1)") Integer cd;
            @Option(names = "--pcd", paramLabel = "K", description = "persistent contrastive divergence with K Gibbs steps") Integer pcd;
        }

        @ArgGroup(exclusive = true) Algorithm algorithm;
        @Option(names = "--steps-final", paramLabel = "K",
                description = "raise the Gibbs steps linearly from --cd's (or --pcd's) K at the first epoch to this at the last "
                        + "(Salakhutdinov & Hinton 2009 train replicated softmax with CD rising from 1 to 5 steps: --cd 1 --steps-final 5)")
        Integer stepsFinal;
        @Option(names = "--chains", defaultValue = "0", description = "persistent chains for PCD (default: the batch size)") int chains;
        @Option(names = "--lr", defaultValue = "0.05", description = "learning rate (default: ${DEFAULT-VALUE})") float lr;
        @Option(names = "--lr-final", paramLabel = "LR",
                description = "decay the learning rate linearly to this by the last epoch (default: constant)") Float lrFinal;
        @Option(names = "--momentum", defaultValue = "0.5", description = "momentum for the first 5 epochs (default: ${DEFAULT-VALUE})") float momentum;
        @Option(names = "--final-momentum", defaultValue = "0.9", description = "momentum afterwards (default: ${DEFAULT-VALUE})") float finalMomentum;
        @Option(names = "--weight-decay", defaultValue = "0.0002", description = "L2 weight decay on W (default: ${DEFAULT-VALUE})") float weightDecay;
        @Option(names = "--batch", defaultValue = "100", description = "minibatch size (default: ${DEFAULT-VALUE})") int batch;
        @Option(names = "--binarize", defaultValue = "dynamic",
                description = "how pixels in [0,1] become binary: dynamic (fresh sample every minibatch), fixed:SEED, threshold[:T] (default: ${DEFAULT-VALUE})")
        String binarize;
        @Option(names = "--sparsity-target", paramLabel = "P", description = "target mean activation of the hidden units (default: none)") Float sparsityTarget;
        @Option(names = "--sparsity-cost", defaultValue = "0.1", description = "weight of the sparsity penalty (default: ${DEFAULT-VALUE})") float sparsityCost;
        @Option(names = "--centered", description = "centered gradients (offsets: data mean and running mean of p(h|v))") boolean centered;
        @Option(names = "--ais-every", paramLabel = "N", defaultValue = "0",
                description = "estimate the validation log-likelihood by AIS after epoch 1 and every N epochs (0 = never)") int aisEvery;
        @Option(names = "--ais-betas", defaultValue = "0.1",
                description = "schedule of those estimates, as a factor of the published 14,501 betas (default: ${DEFAULT-VALUE}: a cheap trend; with few effective runs ln Z is underestimated)") double aisBetas;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            run.validate();
            if (aisEvery < 0) throw new InputException("--ais-every must be non-negative, got " + aisEvery);
            numeric.apply();
            if (hidden < 1) throw new InputException("--hidden must be at least 1, got " + hidden);
            if (batch < 1) throw new InputException("--batch must be at least 1, got " + batch);
            if (!"bernoulli".equals(visible) && !"gaussian".equals(visible) && !"softmax".equals(visible)) {
                throw new InputException("--visible must be bernoulli, gaussian or softmax, got " + visible);
            }
            boolean gaussian = "gaussian".equals(visible);
            boolean softmax = "softmax".equals(visible);
            if (!"bernoulli".equals(visible) && spec.commandLine().getParseResult().hasMatchedOption("--binarize")) {
                throw new InputException("--binarize applies to bernoulli visible units, not " + visible);
            }
            Binarization binarization = gaussian || softmax ? Binarization.none() : Binarization.parse(binarize);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();

            Dataset train = data.load("train");
            Dataset validation = data.hasValidation() ? data.load("validation") : null;
            Standardization standardization = null;
            if (softmax) {
                new ReplicatedSoftmaxRbm(Matrix.zeros(train.dim(), 1), Matrix.zeros(1, train.dim()), Matrix.zeros(1, 1))
                        .requireVisible(train.features());   // counts: non-negative integers, no empty document
            } else if (gaussian) {
                standardization = Standardization.fit(train, minStd);   // deterministic: a resumed run refits the same
                train = standardization.apply(train);
                if (validation != null) validation = standardization.apply(validation);
            } else {
                Binarization.requireUnitRange(train.features(), train.name());
            }

            RbmTrainer.Config config = new RbmTrainer.Config();
            config.learningRate = lr;
            config.finalLearningRate = lrFinal == null ? Float.NaN : lrFinal;
            config.epochs = run.epochs;
            config.initialMomentum = momentum;
            config.finalMomentum = finalMomentum;
            config.weightDecay = weightDecay;
            config.persistent = algorithm != null && algorithm.pcd != null;
            config.gibbsSteps = algorithm == null ? 1 : config.persistent ? algorithm.pcd : algorithm.cd;
            if (stepsFinal != null) {
                if (stepsFinal < config.gibbsSteps) {
                    throw new InputException("--steps-final must be at least the first epoch's " + config.gibbsSteps + " Gibbs steps, got " + stepsFinal);
                }
                config.finalGibbsSteps = stepsFinal;
            }
            config.chains = chains;
            config.sparsityTarget = sparsityTarget == null ? Float.NaN : sparsityTarget;
            config.sparsityCost = sparsityCost;
            config.centered = centered;

            Dataset trainSet = train, validationSet = validation;
            Standardization std = standardization;
            TrainingSession session = run.session(err);
            RbmTrainingTask task = session.open(new TrainingSession.Family<RbmTrainingTask>() {
                @Override public String kind() { return Rbm.KIND; }

                @Override public Map<String, Object> hyperParameters() { return RbmTrainingTask.hyperParameters(config, batch); }

                @Override public RbmTrainingTask start(RandomStream root) {
                    RandomStream random = root.split(0);
                    Rbm rbm;
                    if (softmax) {
                        rbm = ReplicatedSoftmaxRbm.initialize(trainSet.dim(), hidden, random);
                        rbm.visibleBias().copyFrom(ReplicatedSoftmaxRbm.unigramBias(trainSet.features()));  // start at the unigram model
                    } else {
                        rbm = gaussian ? GaussianRbm.initialize(trainSet.dim(), hidden, learnVariance, random)
                                : BernoulliRbm.initialize(trainSet.dim(), hidden, random);
                    }
                    return task(new RbmTrainer(rbm, config, random), trainSet, validationSet, binarization, std, root.split(1));
                }

                @Override public void requireFits(ModelFile checkpoint) {
                    Rbm rbm = RbmFiles.read(checkpoint);
                    if (!rbm.visibleType().equals(visible)) {
                        throw new InputException(run.resume + " holds an RBM with " + rbm.visibleType() + " visible units; add --visible " + rbm.visibleType());
                    }
                    if (rbm.visibleUnits() != trainSet.dim()) {
                        throw new InputException(run.resume + " has " + rbm.visibleUnits() + " visible units but the data have " + trainSet.dim() + " columns");
                    }
                    if (rbm.hiddenUnits() != hidden && spec.commandLine().getParseResult().hasMatchedOption("--hidden")) {
                        throw new InputException("--hidden " + hidden + " disagrees with the checkpoint's " + rbm.hiddenUnits() + " hidden units");
                    }
                }

                @Override public RbmTrainingTask resume(ModelFile checkpoint) {
                    if (!spec.commandLine().getParseResult().hasMatchedOption("--seed")) run.seed = savedSeed(checkpoint, run.seed);
                    RbmTrainer trainer = new RbmTrainer(RbmFiles.read(checkpoint), config, TrainingState.randomStream(checkpoint, "train.random"));
                    return task(trainer, trainSet, validationSet, binarization, std, RbmTrainingTask.restore(checkpoint, trainer));
                }
            });
            RbmTrainer trainer = task.trainer();
            if (aisEvery > 0) {
                if (task.monitorValidation() == null) throw new InputException("--ais-every needs data with a validation split (--data NAME)");
                if (!(trainer.rbm() instanceof BernoulliRbm) && !(trainer.rbm() instanceof GaussianRbm)) {
                    throw new InputException("--ais-every is implemented for bernoulli and gaussian visible units");
                }
                Matrix monitored = task.monitorValidation();   // binary, or standardised for Gaussian units
                Matrix trainX = standardization != null ? standardization.apply(train.features())
                        : Binarization.fixed(run.seed).apply(train).features();
                task.withMonitor(aisEvery, (rbm, epoch) -> {
                    AisMonitor.Point p = AisMonitor.rbm(rbm, trainX, monitored, trainer.chains(), aisBetas, new RandomStream(run.seed).split(1000 + epoch));
                    if (!p.determined()) spec.commandLine().getErr().println("epoch " + (epoch + 1) + " AIS monitor (--ais-betas " + aisBetas + "): " + p.summary());
                    return p.columns();
                });
            }
            err.printf(Locale.ROOT, "training a %s %d-%d RBM by %s on %s (%d examples, batch %d), %s%n", trainer.rbm().visibleType(), trainer.rbm().visibleUnits(),
                    trainer.rbm().hiddenUnits(), trainer.config().algorithm(), data.describe(), train.size(), batch, Numerics.describe());
            long t0 = System.nanoTime();
            session.run();
            out.printf(Locale.ROOT, "saved %s (%.1f s)%n", run.out, (System.nanoTime() - t0) / 1e9);
            if (run.pictures != null && train.height() > 0) {
                RbmCommands.writePictures(trainer.rbm(), standardization, train.height(), train.width(),
                        task.monitorValidation() != null ? task.monitorValidation() : task.monitorTrain(), run.pictures, new RandomStream(run.seed).split(7), out);
            }
            return Main.OK;
        }

        /** The seed recorded in a checkpoint's provenance (used for monitors and provenance when resuming). */
        private static long savedSeed(ModelFile checkpoint, long fallback) {
            Object p = checkpoint.metadataJson(ModelFile.PROVENANCE_KEY).orElse(null);
            Object seed = p instanceof Map ? ((Map<?, ?>) p).get("seed") : null;
            return seed instanceof Number ? ((Number) seed).longValue() : fallback;
        }

        /** The training task of {@code trainer}, with the standardisation and vocabulary its model files keep. */
        private RbmTrainingTask task(RbmTrainer trainer, Dataset train, Dataset validation, Binarization binarization,
                                     Standardization standardization, RandomStream dataRandom) {
            Map<String, Object> provenance = run.provenance(data, train, spec);
            provenance.put("binarization", binarization.toString());
            RbmTrainingTask task = new RbmTrainingTask(trainer, train, validation, batch, binarization, dataRandom, provenance);
            if (standardization != null) {
                task.withTensor(RbmFiles.DATA_MEAN, standardization.mean()).withTensor(RbmFiles.DATA_STD, standardization.std());
            }
            if (data.vocabulary() != null) task.withMetadata(RbmFiles.VOCABULARY, data.vocabulary());
            return task;
        }
    }
}
