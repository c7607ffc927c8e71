package dgm4j.cli;

import java.io.PrintWriter;

import dgm4j.Progress;

/** Draws progress on stderr: a bar when the total is known, a counter otherwise; redrawn at most ~10 times a second. */
final class ProgressBar implements Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean interactive;
    private long lastDraw;
    private String lastTask = "";
    private int lastPercent = -1;
    private final long start = System.nanoTime();

    ProgressBar(PrintWriter err) {
        this.err = err;
        this.interactive = System.console() != null;
    }

    @Override
    public synchronized void update(String task, long done, long total) {
        long now = System.nanoTime();
        int percent = total > 0 ? (int) Math.min(100, done * 100 / total) : -1;
        if (interactive) {
            if (now - lastDraw < 100_000_000L && task.equals(lastTask) && done != total) return;
        } else if (task.equals(lastTask) && (percent < 0 ? now - lastDraw < 5_000_000_000L : percent / 10 == lastPercent / 10)) {
            return; // in logs: one line per 10 %, or every 5 s when the total is unknown
        }
        lastDraw = now;
        lastTask = task;
        lastPercent = percent;
        String line;
        if (total > 0) {
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
        lastPercent = -1;
        err.flush();
    }

    private String elapsed(long now) {
        double s = (now - start) / 1e9;
        return s < 60 ? String.format("%.1fs", s) : String.format("%dm%02ds", (long) s / 60, (long) s % 60);
    }
}
