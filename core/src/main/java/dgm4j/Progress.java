package dgm4j;

/**
 * Progress of long work (downloads, epochs, AIS runs), reported by the library and drawn by the caller (the CLI draws a
 * bar on stderr). Implementations must be cheap: callers may report often.
 */
@FunctionalInterface
public interface Progress {
    /** A listener that ignores everything. */
    Progress NONE = (task, done, total) -> { };

    /**
     * @param task  what is being done, e.g. "download mnist" or "epoch 3/10"
     * @param done  units done so far
     * @param total units in all, or -1 if unknown
     */
    void update(String task, long done, long total);

    /** Called once when a task ends (default: nothing). */
    default void finish(String task) { }

    /** This listener with every task named {@code task} (e.g. "epoch 7/100" for work done one epoch per call). */
    default Progress named(String task) {
        Progress inner = this;
        return new Progress() {
            @Override
            public void update(String ignored, long done, long total) { inner.update(task, done, total); }

            @Override
            public void finish(String ignored) { inner.finish(task); }
        };
    }
}
