package dgm4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dgm4j.InputException;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.math.RandomStream;

/**
 * One training run of any model family, new or resumed from a checkpoint: {@link #open} starts the family's task or
 * restores it (checkpoint kind, recorded hyper-parameters and epochs done checked here, once for every family);
 * {@link #run} trains the remaining epochs through the {@link TrainingRun} it was given, with that run's checkpoints,
 * CSV log, divergence guard and progress. Every family has one in its package: {@code RbmFamily}, {@code DbmFamily},
 * {@code VaeFamily}, {@code HelmholtzFamily}.
 *
 * <pre>{@code
 * TrainingSession session = new TrainingSession(new TrainingRun(10).checkpoint(file, 1, 0), 42);   // .resumeFrom(file)
 * RbmTrainingTask task = session.train(RbmFamily.bernoulli(500, RbmTrainer.Config.defaults(), TrainingData.of(mnist, 100)));
 * }</pre>
 */
public final class TrainingSession {
    /** What a model family contributes to a session: how to start its task, and how to restore it from a checkpoint. */
    public interface Family<T extends TrainingTask> {
        /** The kind of model file its checkpoints are (e.g. {@code Rbm.KIND}). */
        String kind();

        /** The hyper-parameters its checkpoints record; a resumed run must give the same. */
        Map<String, Object> hyperParameters();

        /** Keys of the recorded training state that are not compared (e.g. a step count; epochs_done never is). */
        default List<String> uncompared() { return List.of(); }

        /** The task of a new run, its random streams split from {@code root}. */
        T start(RandomStream root);

        /** Refuses a checkpoint whose model does not fit this run (data width, architecture); checked first. */
        void requireFits(ModelFile checkpoint);

        /** The task restored from {@code checkpoint}, once every check has passed. */
        T resume(ModelFile checkpoint);
    }

    private final TrainingRun run;
    private final long seed;
    private Path resume;
    private TrainingTask task;
    private int startEpoch;

    /**
     * A session that trains through {@code run} (its epochs, checkpoints, CSV log, progress and log lines); a new
     * run's random streams come from {@code seed}.
     */
    public TrainingSession(TrainingRun run, long seed) {
        this.run = run;
        this.seed = seed;
    }

    /** A session of {@code epochs} epochs in all, without checkpoints or log. */
    public TrainingSession(int epochs, long seed) {
        this(new TrainingRun(epochs), seed);
    }

    /** Continues the run checkpointed in {@code file} (null: a new run). */
    public TrainingSession resumeFrom(Path file) {
        this.resume = file;
        return this;
    }

    /**
     * The family's task, new or restored; monitors may be added to it before {@link #run}. A resumed run keeps the
     * CSV log's rows up to its checkpoint, a new one starts it afresh.
     */
    public <T extends TrainingTask> T open(Family<T> family) {
        T t;
        if (resume == null) {
            startEpoch = 0;
            t = family.start(new RandomStream(seed));
        } else {
            ModelFile saved = ModelFiles.read(resume, family.kind());
            family.requireFits(saved);
            TrainingState.requireSameHyperParameters(saved, family.hyperParameters(), family.uncompared().toArray(new String[0]));
            startEpoch = TrainingState.epochsDone(saved);
            if (startEpoch >= run.epochs()) {
                throw new InputException(resume + " has already done " + startEpoch + " epochs of " + run.epochs()
                        + ": give more than " + startEpoch + " epochs to continue it");
            }
            t = family.resume(saved);
            run.logSink().accept("resuming " + resume + " from epoch " + startEpoch);
        }
        prepareCsvLog();
        task = t;
        return t;
    }

    /** The epoch the opened task starts at (0 for a new run). */
    public int startEpoch() { return startEpoch; }

    /** Trains the opened task to the last epoch, checkpointing as configured. */
    public void run() {
        if (task == null) throw new IllegalStateException("open a task first");
        run.run(task, startEpoch);
    }

    /** {@link #open} then {@link #run}: the trained task (its model, trainer and monitors). */
    public <T extends TrainingTask> T train(Family<T> family) {
        T t = open(family);
        run();
        return t;
    }

    /** A new run starts the CSV log afresh; a resumed run keeps the rows of the epochs it has done. */
    private void prepareCsvLog() {
        Path csvLog = run.csvLogFile();
        if (csvLog == null || !Files.exists(csvLog)) return;
        try {
            if (resume == null) {
                Files.delete(csvLog);
                return;
            }
            List<String> lines = Files.readAllLines(csvLog);
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (i == 0) { kept.add(line); continue; }
                String first = line.split(",", 2)[0];
                try {
                    if (Double.parseDouble(first) <= startEpoch) kept.add(line);
                } catch (NumberFormatException e) {
                    throw new InputException("training log " + csvLog + ": line " + (i + 1) + " does not start with an epoch number");
                }
            }
            Files.write(csvLog, kept);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the training log " + csvLog + ": " + e.getMessage(), e);
        }
    }
}
