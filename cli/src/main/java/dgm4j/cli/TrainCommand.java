package dgm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ObjIntConsumer;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dgm4j.InputException;
import dgm4j.Version;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.eval.AisMonitor;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;
import dgm4j.rbm.RbmFamily;
import dgm4j.rbm.RbmTrainer;
import dgm4j.rbm.RbmTrainingTask;
import dgm4j.train.MinibatchTrainingTask;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingRun;
import dgm4j.train.TrainingSession;

/** {@code dgm train MODEL}: train a model on real data, with checkpoints and resume. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model.",
        subcommands = {TrainCommand.TrainRbm.class, DbmCommands.TrainDbm.class, VaeCommands.TrainVae.class, VaeCommands.TrainIwae.class,
                HelmholtzCommands.Train.class, DrawCommands.Train.class, RamCommands.Train.class})
final class TrainCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing model: rbm, dbm, vae, iwae, helmholtz, draw or ram");
    }

    /** Options every train command shares: the data, epochs, seed, output, checkpoints, resume, log, numerics. */
    static final class RunOptions {
        @Mixin DataSelection data;
        @Mixin NumericOptions numeric;
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

        void validate(CommandSpec spec) {
            if (epochs < 1) throw new InputException("--epochs must be at least 1, got " + epochs);
            everyEpochs();
            everyMinutes();
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                try {
                    Files.createDirectories(parent);   // like --pictures: the run's directory is made for it
                } catch (IOException | RuntimeException e) {
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
            resumedSeed(spec);
            numeric.apply();
        }

        /** What every saved model records of how it was made: data, seed, threads, backend, version, command line. */
        Map<String, Object> provenance(Dataset train, CommandSpec spec) {
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
            TrainingRun training = new TrainingRun(epochs).checkpoint(out, everyEpochs(), everyMinutes()).csvLog(log)
                    .progress(new ProgressBar(err)).log(err::println);
            return new TrainingSession(training, seed).resumeFrom(resume);
        }

        /** Runs the session to its last epoch; returns the seconds it took. */
        double train(TrainingSession session) {
            long t0 = System.nanoTime();
            session.run();
            return (System.nanoTime() - t0) / 1e9;
        }

        /** Prints "saved OUT (S s)"; with an {@code eval} command (nll, classify), also how to measure the model, ending in {@code flags}. */
        void printSaved(PrintWriter stdout, double seconds, String eval, String flags) {
            String measure = eval == null ? ""
                    : "; measure it with: dgm eval " + eval + " " + out + " --data " + (data.name != null ? data.name : "...") + flags;
            stdout.printf(Locale.ROOT, "saved %s (%.1f s)%s%n", out, seconds, measure);
        }

        /** The random stream of the pictures written at the end, apart from training's. */
        RandomStream pictureRandom() {
            return new RandomStream(seed).split(7);
        }

        /** A resumed run without --seed keeps the seed its checkpoint records (for monitors, pictures and provenance). */
        private void resumedSeed(CommandSpec spec) {
            if (resume == null || spec.commandLine().getParseResult().hasMatchedOption("--seed")) return;
            Object p = ModelFiles.readAnyKind(resume).metadataJson(ModelFile.PROVENANCE_KEY).orElse(null);
            Object saved = p instanceof Map<?, ?> m ? m.get("seed") : null;
            if (saved instanceof Number n) seed = n.longValue();
        }
    }

    /** The momentum-SGD options of the RBM and DBM trainers (Hinton's practical guide, sections 9 and 10). */
    static final class MomentumOptions {
        @Option(names = "--momentum", defaultValue = "0.5", description = "momentum for the first 5 epochs (default: ${DEFAULT-VALUE})") float initial;
        @Option(names = "--final-momentum", defaultValue = "0.9", description = "momentum afterwards (default: ${DEFAULT-VALUE})") float last;
        @Option(names = "--weight-decay", defaultValue = "0.0002", description = "L2 weight decay on the weights (default: ${DEFAULT-VALUE})") float weightDecay;
    }

    /** The AIS monitor of held-out data during RBM and DBM training ({@link AisMonitor}). */
    static final class AisMonitorOptions {
        @Option(names = "--ais-every", paramLabel = "N", defaultValue = "0",
                description = "estimate the validation log-likelihood by AIS (a DBM's: its ln Z and mean-field lower bound) after epoch 1 "
                        + "and every N epochs (0 = never)") int every;
        @Option(names = "--ais-betas", defaultValue = "0.1",
                description = "schedule of those estimates, as a factor of the published 14,501 betas (default: ${DEFAULT-VALUE}: a cheap trend; with few effective runs ln Z is underestimated)") double betas;

        void validate() {
            if (every < 0) throw new InputException("--ais-every must be non-negative, got " + every);
        }

        /** True if the monitor is asked for; refuses it when the task has no held-out rows ({@code hint}: how to get them). */
        boolean requested(MinibatchTrainingTask task, String hint) {
            if (every == 0) return false;
            if (task.monitorValidation() == null) throw new InputException("--ais-every needs " + hint);
            return true;
        }

        /** Prints the monitor's points that are not determined. */
        ObjIntConsumer<AisMonitor.Point> note(PrintWriter err) {
            return (p, epoch) -> {
                if (!p.determined()) err.println("epoch " + (epoch + 1) + " AIS monitor (--ais-betas " + betas + "): " + p.summary());
            };
        }
    }

    @Command(name = "rbm", mixinStandardHelpOptions = true,
            description = {"Train a binary restricted Boltzmann machine by CD-k or persistent CD.",
                    "Example: dgm train rbm --data mnist --hidden 500 --cd 1 --epochs 10 --out rbm.safetensors --pictures runs/rbm"})
    static final class TrainRbm implements Callable<Integer> {
        @Mixin RunOptions run;
        @Mixin MomentumOptions momentum;
        @Mixin AisMonitorOptions ais;
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
        @Option(names = "--batch", defaultValue = "100", description = "minibatch size (default: ${DEFAULT-VALUE})") int batch;
        @Option(names = "--binarize", defaultValue = "dynamic",
                description = "how pixels in [0,1] become binary: dynamic (fresh sample every minibatch), fixed:SEED, threshold[:T] (default: ${DEFAULT-VALUE})")
        String binarize;
        @Option(names = "--sparsity-target", paramLabel = "P", description = "target mean activation of the hidden units (default: none)") Float sparsityTarget;
        @Option(names = "--sparsity-cost", defaultValue = "0.1", description = "weight of the sparsity penalty (default: ${DEFAULT-VALUE})") float sparsityCost;
        @Option(names = "--centered", description = "centered gradients (offsets: data mean and running mean of p(h|v))") boolean centered;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            DataSelection data = run.data;
            run.validate(spec);
            ais.validate();
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

            Dataset train = data.trainingSet("train");
            Dataset validation = data.validationBeside("train");
            boolean persistent = algorithm != null && algorithm.pcd != null;
            int k = algorithm == null ? 1 : persistent ? algorithm.pcd : algorithm.cd;
            if (stepsFinal != null && stepsFinal < k) {
                throw new InputException("--steps-final must be at least the first epoch's " + k + " Gibbs steps, got " + stepsFinal);
            }
            RbmTrainer.Config config = RbmTrainer.Config.defaults().withLearningRate(lr)
                    .withFinalLearningRate(lrFinal == null ? Float.NaN : lrFinal).withEpochs(run.epochs)
                    .withMomentum(momentum.initial, momentum.last).withWeightDecay(momentum.weightDecay).withPersistent(persistent).withGibbsSteps(k)
                    .withFinalGibbsSteps(stepsFinal == null ? 0 : stepsFinal).withChains(chains)
                    .withSparsity(sparsityTarget == null ? Float.NaN : sparsityTarget, sparsityCost).withCentering(centered);
            TrainingData trainingData = new TrainingData(train, validation, batch, binarization, run.provenance(train, spec));
            // resuming without --hidden takes the checkpoint's
            int units = run.resume != null && !spec.commandLine().getParseResult().hasMatchedOption("--hidden") ? 0 : hidden;
            RbmFamily family = softmax ? RbmFamily.softmax(units, config, trainingData)
                    : gaussian ? RbmFamily.gaussian(units, learnVariance, minStd, config, trainingData)
                    : RbmFamily.bernoulli(units, config, trainingData);
            if (data.vocabulary() != null) family = family.withVocabulary(data.vocabulary());

            TrainingSession session = run.session(err);
            RbmTrainingTask task = session.open(family);
            RbmTrainer trainer = task.trainer();
            if (ais.requested(task, "data with a validation split (--data NAME)")) {
                AisMonitor.attach(task, ais.every, ais.betas, run.seed, ais.note(err));
            }
            err.printf(Locale.ROOT, "training a %s %d-%d RBM by %s on %s (%d examples, batch %d), %s%n", trainer.rbm().visibleType(), trainer.rbm().visibleUnits(),
                    trainer.rbm().hiddenUnits(), trainer.config().algorithm(), data.describe(), train.size(), batch, Numerics.describe());
            double seconds = run.train(session);
            run.printSaved(out, seconds, null, "");
            if (run.pictures != null && train.height() > 0) {
                RbmCommands.writePictures(trainer.rbm(), family.standardization(), train.height(), train.width(),
                        task.monitorValidation() != null ? task.monitorValidation() : task.monitorTrain(), run.pictures, run.pictureRandom(), out);
            }
            return Main.OK;
        }
    }
}
