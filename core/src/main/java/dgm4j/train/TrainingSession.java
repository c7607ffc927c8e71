package dgm4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.math.RandomStream;

/**
 * One training run of any model family, new or resumed from a checkpoint: {@link #open} starts the family's task or
 * restores it (checkpoint kind, recorded hyper-parameters and epochs done checked here, once for every family);
 * {@link #run} trains the remaining epochs through {@link TrainingRun} with its checkpoints, CSV log, divergence guard
 * and progress.
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

    private final int epochs;
    private final long seed;
    private Path resume;
    private Path checkpoint;
    private int checkpointEveryEpochs;
    private double checkpointEveryMinutes;
    private Path csvLog;
    private Progress progress = Progress.NONE;
    private Consumer<String> log = s -> {};
    private TrainingTask task;
    private int startEpoch;

    /** A session of {@code epochs} epochs in all; a new run's random streams come from {@code seed}. */
    public TrainingSession(int epochs, long seed) {
        if (epochs < 1) throw new InputException("epochs must be at least 1, got " + epochs);
        this.epochs = epochs;
        this.seed = seed;
    }

    /** Continues the run checkpointed in {@code file} (null: a new run). */
    public TrainingSession resumeFrom(Path file) {
        this.resume = file;
        return this;
    }

    /** Writes checkpoints to {@code file}, as {@link TrainingRun#checkpoint}. */
    public TrainingSession checkpoint(Path file, int everyEpochs, double everyMinutes) {
        this.checkpoint = file;
        this.checkpointEveryEpochs = everyEpochs;
        this.checkpointEveryMinutes = everyMinutes;
        return this;
    }

    /** One CSV row per epoch in {@code file}: a new run replaces it, a resumed run keeps the rows up to its checkpoint. */
    public TrainingSession csvLog(Path file) {
        this.csvLog = file;
        return this;
    }

    public TrainingSession progress(Progress p) {
        this.progress = p;
        return this;
    }

    /** Receives the "resuming" line and one line per epoch. */
    public TrainingSession log(Consumer<String> sink) {
        this.log = sink;
        return this;
    }

    /** The family's task, new or restored; monitors may be added to it before {@link #run}. */
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
            if (startEpoch >= epochs) {
                throw new InputException(resume + " has already done " + startEpoch + " epochs of " + epochs
                        + ": give more than " + startEpoch + " epochs to continue it");
            }
            t = family.resume(saved);
            log.accept("resuming " + resume + " from epoch " + startEpoch);
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
        new TrainingRun(epochs)
                .checkpoint(checkpoint, checkpointEveryEpochs, checkpointEveryMinutes)
                .csvLog(csvLog)
                .progress(progress)
                .log(log)
                .run(task, startEpoch);
    }

    /** A new run starts the CSV log afresh; a resumed run keeps the rows of the epochs it has done. */
    private void prepareCsvLog() {
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
