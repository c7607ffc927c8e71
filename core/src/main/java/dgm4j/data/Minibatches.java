package dgm4j.data;

import java.util.Objects;

import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * Shuffled minibatches of a {@link Dataset}, written into one preallocated batch buffer.
 *
 * <p>Usage, one epoch per loop:
 * <pre>{@code
 * Minibatches mb = new Minibatches(train, 100, false, Binarization.dynamic(), new RandomStream(seed));
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     while (mb.next()) { train(mb.features(), mb.labels()); }
 * }
 * }</pre>
 * Each epoch starts with a fresh permutation of the examples (Fisher-Yates with the stream's single draws), so every
 * example appears exactly once per epoch, in a new order. A trailing partial batch is kept or dropped
 * ({@code dropLast}). Rows are copied by index into the buffer (no per-batch allocation of arrays); with
 * {@link Binarization#dynamic()} the buffer is resampled at every draw from the same stream. THRESHOLD and FIXED are
 * applied once, to a copy of the data, at construction. The same data, options and seed give the same batches.
 *
 * <p>{@link #features()} and {@link #labels()} are overwritten by the next call to {@link #next()}. Not thread-safe.
 */
public final class Minibatches {
    private final Dataset data;
    private final int batchSize;
    private final boolean dropLast;
    private final boolean shuffle;
    private final Binarization binarization;
    private final RandomStream rng;

    private final int[] order;
    private final Matrix buffer;
    private final int[] labelBuffer;
    private final int[] indexBuffer;
    private final float[] row;

    private int position;
    private int current;
    private int epoch;
    private boolean inEpoch;

    /** Shuffled minibatches; see the class comment. */
    public Minibatches(Dataset data, int batchSize, boolean dropLast, Binarization binarization, RandomStream rng) {
        this(data, batchSize, dropLast, true, binarization, rng);
    }

    /**
     * @param shuffle false to visit the examples in order every epoch (evaluation)
     * @param rng     drives shuffling and dynamic binarization (may be null only if neither is used)
     */
    public Minibatches(Dataset data, int batchSize, boolean dropLast, boolean shuffle, Binarization binarization,
            RandomStream rng) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(binarization, "binarization");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        if (data.size() == 0) throw new DataException(data.name() + ": no examples to draw minibatches from");
        if (dropLast && batchSize > data.size()) {
            throw new DataException(data.name() + ": batch size " + batchSize + " exceeds the " + data.size()
                    + " examples, so dropping the last partial batch would leave none");
        }
        if (rng == null && (shuffle || binarization.isDynamic())) {
            throw new IllegalArgumentException("a RandomStream is needed for shuffling or dynamic binarization");
        }
        this.data = binarization.apply(data);
        this.batchSize = batchSize;
        this.dropLast = dropLast;
        this.shuffle = shuffle;
        this.binarization = binarization;
        this.rng = rng;
        this.order = new int[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        this.buffer = Matrix.zeros(batchSize, data.dim());
        this.labelBuffer = data.hasLabels() ? new int[batchSize] : null;
        this.indexBuffer = new int[batchSize];
        this.row = new float[data.dim()];
    }

    /**
     * Fills the buffer with the next batch of the current epoch and returns true; returns false once the epoch is
     * exhausted (the following call starts the next epoch with a new shuffle).
     */
    public boolean next() {
        if (!inEpoch) {
            if (shuffle) shuffleOrder();
            position = 0;
            inEpoch = true;
        }
        int n = Math.min(batchSize, order.length - position);
        if (n == 0 || (dropLast && n < batchSize)) {
            inEpoch = false;
            epoch++;
            current = 0;
            return false;
        }
        Matrix features = data.features();
        int[] labels = data.labels();
        for (int k = 0; k < n; k++) {
            int i = order[position + k];
            indexBuffer[k] = i;
            features.getRow(i, row);
            buffer.setRow(k, row);
            if (labelBuffer != null) labelBuffer[k] = labels[i];
        }
        position += n;
        current = n;
        binarization.sampleBatch(current == batchSize ? buffer : buffer.rows(0, n), rng);
        return true;
    }

    /** Features of the current batch: a view of the first {@link #currentSize()} rows of the buffer. */
    public Matrix features() {
        return current == batchSize ? buffer : buffer.rows(0, current);
    }

    /** The whole batch buffer (batchSize rows; only the first {@link #currentSize()} hold the current batch). */
    public Matrix buffer() { return buffer; }

    /** Labels buffer: entries [0, currentSize()) are the current batch's labels; null for unlabelled data. */
    public int[] labels() { return labelBuffer; }

    /** Dataset indices of the current batch's rows: entries [0, currentSize()). */
    public int[] indices() { return indexBuffer; }

    /** Number of rows in the current batch (batchSize, less for a kept last batch, 0 between epochs). */
    public int currentSize() { return current; }

    public int batchSize() { return batchSize; }

    /** Number of completed epochs. */
    public int epoch() { return epoch; }

    /** Batches per epoch: n / batchSize rounded down if the last partial batch is dropped, up if kept. */
    public int batchesPerEpoch() {
        int n = order.length;
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The data batches are drawn from (binarized for THRESHOLD and FIXED). */
    public Dataset data() { return data; }

    /** In-place Fisher-Yates: no allocation per epoch. */
    /** A fresh permutation from the identity, so an epoch's order depends only on the stream's state (resumable). */
    private void shuffleOrder() {
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
