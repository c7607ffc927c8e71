package dgm4j.math;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A dense float32 matrix, row-major, stored off the Java heap.
 *
 * <p>The storage is a direct, 64-byte aligned, native-order buffer so that the native BLAS reads and writes it in place
 * (no copy per call, see shared/notes/cpu-backends.md). A matrix may be a view of consecutive rows of another one
 * ({@link #rows(int, int)}); views share storage with their parent. Rows are contiguous: the leading dimension is
 * always {@link #cols()}.
 */
public final class Matrix {
    private static final int ALIGNMENT = 64;

    private final int rows;
    private final int cols;
    /** Whole storage (shared by views), native byte order. */
    final ByteBuffer bytes;
    /** Float view of {@link #bytes}, absolute indexing. */
    final FloatBuffer floats;
    /** Index, in floats, of element (0,0) inside {@link #floats}. */
    final int offset;
    /** Lazily created native pointer (owned by the BLAS backend). */
    Object nativeHandle;

    private Matrix(int rows, int cols, ByteBuffer bytes, int offset) {
        this.rows = rows;
        this.cols = cols;
        this.bytes = bytes;
        this.floats = bytes.asFloatBuffer();
        this.offset = offset;
    }

    /** A new zero matrix. */
    public static Matrix zeros(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape must be non-negative, got " + rows + "x" + cols);
        }
        long n = (long) rows * cols;
        if (n * Float.BYTES > Integer.MAX_VALUE - ALIGNMENT) {
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " is larger than 2 GiB");
        }
        // alignedSlice rounds the capacity down to a multiple of the alignment: allocate a rounded-up size plus one block
        int bytes = (int) ((n * Float.BYTES + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
        ByteBuffer raw = ByteBuffer.allocateDirect(bytes + ALIGNMENT);
        ByteBuffer aligned = raw.alignedSlice(ALIGNMENT).order(ByteOrder.nativeOrder());
        return new Matrix(rows, cols, aligned, 0);
    }

    /** A matrix holding a copy of {@code values} (row-major, length rows*cols). */
    public static Matrix of(int rows, int cols, float... values) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(
                    "expected " + ((long) rows * cols) + " values for a " + rows + "x" + cols + " matrix, got " + values.length);
        }
        Matrix m = zeros(rows, cols);
        m.floats.put(0, values);
        return m;
    }

    public int rows() { return rows; }

    public int cols() { return cols; }

    /** Number of elements. */
    public int size() { return rows * cols; }

    public float get(int i, int j) {
        checkIndex(i, j);
        return floats.get(offset + i * cols + j);
    }

    public void set(int i, int j, float value) {
        checkIndex(i, j);
        floats.put(offset + i * cols + j, value);
    }

    /** Element at flat row-major index {@code k}. */
    public float getFlat(int k) {
        if (k < 0 || k >= size()) throw new IndexOutOfBoundsException("flat index " + k + " outside " + shape());
        return floats.get(offset + k);
    }

    public void setFlat(int k, float value) {
        if (k < 0 || k >= size()) throw new IndexOutOfBoundsException("flat index " + k + " outside " + shape());
        floats.put(offset + k, value);
    }

    /** Copies row {@code i} into {@code dst} (length cols). */
    public void getRow(int i, float[] dst) {
        checkIndex(i, 0);
        floats.get(offset + i * cols, dst, 0, cols);
    }

    public void setRow(int i, float[] src) {
        if (src.length != cols) throw new IllegalArgumentException("row has " + src.length + " values, matrix has " + cols + " columns");
        if (i < 0 || i >= rows) throw new IndexOutOfBoundsException("row " + i + " outside " + shape());
        floats.put(offset + i * cols, src, 0, cols);
    }

    /** Copies all elements (row-major) into a new array. */
    public float[] toArray() {
        float[] out = new float[size()];
        floats.get(offset, out, 0, out.length);
        return out;
    }

    /** Copies {@code values} (row-major, length size()) into this matrix. */
    public Matrix copyFrom(float[] values) {
        if (values.length != size()) throw new IllegalArgumentException("expected " + size() + " values, got " + values.length);
        floats.put(offset, values, 0, values.length);
        return this;
    }

    /** Copies another matrix of the same shape into this one. */
    public Matrix copyFrom(Matrix other) {
        requireSameShape(this, other, "copyFrom");
        ByteBuffer src = other.bytes.duplicate();
        src.limit((other.offset + other.size()) * Float.BYTES).position(other.offset * Float.BYTES);
        ByteBuffer dst = bytes.duplicate();
        dst.position(offset * Float.BYTES);
        dst.put(src);
        return this;
    }

    public Matrix copy() {
        return zeros(rows, cols).copyFrom(this);
    }

    /** Sets every element to {@code value} (bulk copies from a small pattern: memory speed). */
    public Matrix fill(float value) {
        int n = size();
        float[] pattern = new float[Math.min(n, 1024)];
        Arrays.fill(pattern, value);
        for (int k = 0; k < n; k += pattern.length) floats.put(offset + k, pattern, 0, Math.min(pattern.length, n - k));
        return this;
    }

    /** Zeroes this matrix, then copies rows [from, from + count) of {@code source} into its first rows: a pass of a
     *  fixed-size graph over data, the last one partly filled. */
    public Matrix loadRows(Matrix source, int from, int count) {
        fill(0f);
        rows(0, count).copyFrom(source.rows(from, from + count));
        return this;
    }

    /** A view of rows [from, to): shares storage with this matrix. */
    public Matrix rows(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") outside a matrix of " + rows + " rows");
        }
        return new Matrix(to - from, cols, bytes, offset + from * cols);
    }

    /** A 1 x len view of the flat elements [from, from + len) (for kernels' tails). */
    Matrix flatView(int from, int len) {
        if (from < 0 || len < 0 || from + len > size()) throw new IndexOutOfBoundsException("flat [" + from + ", " + (from + len) + ") of " + shape());
        return new Matrix(1, len, bytes, offset + from);
    }

    /** For a single-row matrix: a view of its first n columns. */
    Matrix columnsPrefix(int n) {
        if (rows != 1 || n > cols || n < 0) throw new IllegalArgumentException("columnsPrefix(" + n + ") of " + shape());
        return new Matrix(1, n, bytes, offset);
    }

    /** The same storage seen with another shape of equal size. */
    public Matrix reshape(int newRows, int newCols) {
        if ((long) newRows * newCols != size()) {
            throw new IllegalArgumentException("cannot reshape " + shape() + " to " + newRows + "x" + newCols);
        }
        return new Matrix(newRows, newCols, bytes, offset);
    }

    public String shape() { return rows + "x" + cols; }

    /** Byte offset of element (0,0) in the underlying buffer (for kernels). */
    /** True if any element is NaN or infinite. */
    public boolean hasNonFinite() {
        int n = size();
        for (int k = 0; k < n; k++) {
            if (!Float.isFinite(floats.get(offset + k))) return true;
        }
        return false;
    }

    public static void requireSameShape(Matrix a, Matrix b, String op) {
        if (a.rows != b.rows || a.cols != b.cols) {
            throw new IllegalArgumentException(op + ": shapes differ, " + a.shape() + " vs " + b.shape());
        }
    }

    private void checkIndex(int i, int j) {
        if (i < 0 || i >= rows || j < 0 || j >= cols) {
            throw new IndexOutOfBoundsException("(" + i + ", " + j + ") outside " + shape());
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Matrix ").append(shape());
        if (size() <= 64) {
            for (int i = 0; i < rows; i++) {
                float[] r = new float[cols];
                getRow(i, r);
                sb.append('\n').append(Arrays.toString(r));
            }
        }
        return sb.toString();
    }
}
