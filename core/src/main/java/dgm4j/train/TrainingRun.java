package dgm4j.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.io.ModelFiles;

/**
 * The training loop every model uses: epochs of steps, a divergence guard after every step, epoch-end monitors
 * written to a CSV log, and crash-safe checkpoints (atomic replace, previous copy kept) every N epochs and/or every M
 * minutes (checked at epoch ends). A run started from a checkpoint of epoch e continues with epoch e + 1.
 */
public final class TrainingRun {
    private final int epochs;
    private Path checkpoint;
    private int checkpointEveryEpochs;
    private double checkpointEveryMinutes;
    private Path csvLog;
    private Progress progress = Progress.NONE;
    private Consumer<String> log = s -> { };

    /** @param epochs total number of epochs (including those already done when resuming) */
    public TrainingRun(int epochs) {
        if (epochs < 1) throw new InputException("epochs must be at least 1, got " + epochs);
        this.epochs = epochs;
    }

    /** Writes checkpoints to {@code file}: every {@code everyEpochs} epochs (0 = not by count). */
    public TrainingRun checkpoint(Path file, int everyEpochs, double everyMinutes) {
        if (everyEpochs < 0 || everyMinutes < 0) throw new InputException("checkpoint interval must be non-negative");
        this.checkpoint = file;
        this.checkpointEveryEpochs = everyEpochs;
        this.checkpointEveryMinutes = everyMinutes;
        return this;
    }

    /** Appends one CSV row of monitors per epoch to {@code file} (header written when the file is new). */
    public TrainingRun csvLog(Path file) {
        this.csvLog = file;
        return this;
    }

    public TrainingRun progress(Progress p) {
        this.progress = p;
        return this;
    }

    /** Receives one human-readable line per epoch. */
    public TrainingRun log(Consumer<String> sink) {
        this.log = sink;
        return this;
    }

    int epochs() { return epochs; }

    Path csvLogFile() { return csvLog; }

    Consumer<String> logSink() { return log; }

    /**
     * Runs epochs {@code startEpoch} .. epochs-1.
     *
     * @throws TrainingDivergedException when a step or epoch produced NaN or infinity (no checkpoint is written then)
     */
    public void run(TrainingTask task, int startEpoch) {
        if (startEpoch < 0 || startEpoch > epochs) {
            throw new InputException("cannot start at epoch " + startEpoch + " of a " + epochs + "-epoch run");
        }
        int steps = task.stepsPerEpoch();
        long lastCheckpoint = System.nanoTime();
        for (int epoch = startEpoch; epoch < epochs; epoch++) {
            long t0 = System.nanoTime();
            String label = String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs);
            double sum = 0;
            int counted = 0;
            for (int step = 0; step < steps; step++) {
                double value = task.step(epoch, step);
                if (task.hasStepLoss()) {
                    if (!Double.isFinite(value)) throw new TrainingDivergedException(epoch, step, "the loss is " + value);
                    sum += value;
                    counted++;
                }
                if (!task.stepIsFinite()) throw new TrainingDivergedException(epoch, step, "a parameter became NaN or infinite");
                progress.update(label, step + 1, steps);
            }
            progress.finish(label);
            if (!task.parametersAreFinite()) {
                throw new TrainingDivergedException(epoch, steps - 1, "a parameter became NaN or infinite");
            }
            Map<String, Double> monitors = new LinkedHashMap<>();
            monitors.put("epoch", (double) (epoch + 1));
            if (counted > 0) monitors.put("loss", sum / counted);
            monitors.putAll(task.endOfEpoch(epoch));
            double seconds = (System.nanoTime() - t0) / 1e9;
            monitors.put("seconds", seconds);
            for (Map.Entry<String, Double> e : monitors.entrySet()) {
                if (e.getValue().isNaN()) {
                    throw new TrainingDivergedException(epoch, steps - 1, "monitor " + e.getKey() + " is NaN");
                }
            }
            log.accept(format(monitors));
            appendCsv(monitors);
            boolean last = epoch == epochs - 1;
            boolean dueByCount = checkpointEveryEpochs > 0 && (epoch + 1) % checkpointEveryEpochs == 0;
            boolean dueByTime = checkpointEveryMinutes > 0 && (System.nanoTime() - lastCheckpoint) / 6e10 >= checkpointEveryMinutes;
            if (checkpoint != null && (dueByCount || dueByTime || last)) {
                ModelFiles.write(checkpoint, task.snapshot(epoch + 1));
                lastCheckpoint = System.nanoTime();
            }
        }
    }

    private static String format(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : m.entrySet()) {
            if (sb.length() > 0) sb.append("  ");
            double v = e.getValue();
            sb.append(e.getKey()).append(' ');
            sb.append(v == Math.rint(v) && Math.abs(v) < 1e9 ? String.format(Locale.ROOT, "%d", (long) v)
                    : String.format(Locale.ROOT, "%.4f", v));
        }
        return sb.toString();
    }

    /**
     * One CSV row per epoch. The columns are those of the file's header (written from the first epoch's monitors when
     * the file is new); a monitor not computed this epoch leaves its cell empty.
     */
    private void appendCsv(Map<String, Double> m) {
        if (csvLog == null) return;
        try {
            StringBuilder sb = new StringBuilder();
            List<String> columns;
            if (!Files.exists(csvLog) || Files.size(csvLog) == 0) {
                Path parent = csvLog.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                columns = new ArrayList<>(m.keySet());
                sb.append(String.join(",", columns)).append('\n');
            } else {
                try (BufferedReader r = Files.newBufferedReader(csvLog, StandardCharsets.UTF_8)) {
                    columns = Arrays.asList(r.readLine().split(","));
                }
            }
            boolean first = true;
            for (String column : columns) {
                if (!first) sb.append(',');
                Double v = m.get(column);
                if (v != null) sb.append(String.format(Locale.ROOT, "%.6g", v));
                first = false;
            }
            sb.append('\n');
            Files.writeString(csvLog, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training log " + csvLog + ": " + e.getMessage(), e);
        }
    }
}
