package dgm4j.cli;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

import dgm4j.Progress;

/**
 * Draws progress on stderr: on a terminal, a bar (or a counter when the total is unknown) redrawn in place at most ~10
 * times a second; in a file or pipe, one line every {@link #LOG_INTERVAL_NANOS 5 s} at most, whatever the task.
 */
final class ProgressBar implements Progress {
    private static final int WIDTH = 30;
    /** The shortest time between two lines in a log. */
    static final long LOG_INTERVAL_NANOS = 5_000_000_000L;
    private final PrintWriter err;
    private final boolean interactive;
    private final LongSupplier clock;
    private final long start;
    private boolean drawn;
    private long lastDraw;
    private String lastTask = "";

    ProgressBar(PrintWriter err) {
        this(err, System.console() != null, System::nanoTime);
    }

    /** A bar for a terminal ({@code interactive}) or a log, with {@code clock} in nanoseconds (tests give their own). */
    ProgressBar(PrintWriter err, boolean interactive, LongSupplier clock) {
        this.err = err;
        this.interactive = interactive;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    @Override
    public synchronized void update(String task, long done, long total) {
        long now = clock.getAsLong();
        if (drawn) {
            if (interactive) {
                if (now - lastDraw < 100_000_000L && task.equals(lastTask) && done != total) return;
            } else if (now - lastDraw < LOG_INTERVAL_NANOS) {
                return;
            }
        }
        drawn = true;
        lastDraw = now;
        lastTask = task;
        String line;
        if (total > 0) {
            int percent = (int) Math.min(100, done * 100 / total);
            int filled = (int) (WIDTH * Math.min(1.0, (double) done / total));
            line = String.format("%s [%s%s] %3d%% %s", task, "#".repeat(filled), ".".repeat(WIDTH - filled), percent,
                    elapsed(now));
        } else {
            line = String.format("%s %d %s", task, done, elapsed(now));
        }
        if (interactive) {
            err.print("\r" + line + "\u001b[K");
        } else {
            err.println(line);
        }
        err.flush();
    }

    @Override
    public synchronized void finish(String task) {
        if (interactive && !lastTask.isEmpty()) err.println();
        lastTask = "";
        err.flush();
    }

    private String elapsed(long now) {
        double s = (now - start) / 1e9;
        return s < 60 ? String.format("%.1fs", s) : String.format("%dm%02ds", (long) s / 60, (long) s % 60);
    }
}
