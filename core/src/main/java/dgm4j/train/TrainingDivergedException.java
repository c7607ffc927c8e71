package dgm4j.train;

/** NaN or infinity appeared in the loss or the parameters: training stopped, the last good checkpoint is untouched. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int epoch;
    private final int step;

    public TrainingDivergedException(int epoch, int step, String what) {
        super("training diverged at epoch " + (epoch + 1) + ", step " + (step + 1) + ": " + what
                + " (lower the learning rate; the last good checkpoint was left untouched)");
        this.epoch = epoch;
        this.step = step;
    }

    /** 0-based epoch. */
    public int epoch() { return epoch; }

    /** 0-based step within the epoch. */
    public int step() { return step; }
}
