package dgm4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An immutable n-dimensional array of one {@link DType}, row-major (C order), as stored in a model file. The data is
 * kept as little-endian bytes, exactly as on disk, so values (NaN payloads included) round-trip bitwise. Accessors
 * return copies.
 */
public final class Tensor {
    /** Most dimensions a tensor may have (NumPy's historical limit is 32; 64 leaves room). */
    public static final int MAX_RANK = 64;
    /** Largest data size in bytes (one Java array). */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final DType dtype;
    private final long[] shape;
    private final byte[] data; // little-endian, never exposed

    private Tensor(DType dtype, long[] shape, byte[] data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /**
     * Element count for a shape, or -1 if a dimension is negative or over {@link #MAX_BYTES}, the rank is over
     * {@link #MAX_RANK}, or the byte size for {@code dtype} exceeds {@link #MAX_BYTES}.
     */
    static long checkedCount(DType dtype, long[] shape) {
        if (shape.length > MAX_RANK) return -1;
        boolean empty = false;
        for (long d : shape) {
            if (d < 0 || d > MAX_BYTES) return -1;
            if (d == 0) empty = true;
        }
        if (empty) return 0; // the same answer whatever the order of the dimensions
        long n = 1;
        for (long d : shape) {
            try {
                n = Math.multiplyExact(n, d);
                if (Math.multiplyExact(n, (long) dtype.size()) > MAX_BYTES) return -1;
            } catch (ArithmeticException overflow) {
                return -1;
            }
        }
        return n;
    }

    /** Wraps little-endian bytes without copying (the caller gives up the array). */
    static Tensor wrap(DType dtype, long[] shape, byte[] littleEndian) {
        long n = checkedCount(dtype, shape);
        if (n < 0) throw new IllegalArgumentException("invalid shape " + Arrays.toString(shape) + " for " + dtype);
        if (n * dtype.size() != littleEndian.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype + " needs " + n * dtype.size()
                    + " bytes, got " + littleEndian.length);
        }
        return new Tensor(dtype, shape.clone(), littleEndian);
    }

    private static ByteBuffer allocate(DType dtype, long n, long[] shape) {
        check(dtype, n, shape);
        return ByteBuffer.allocate(Math.toIntExact(n * dtype.size())).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void check(DType dtype, long n, long[] shape) {
        long c = checkedCount(dtype, shape);
        if (c < 0) throw new IllegalArgumentException("invalid shape " + Arrays.toString(shape) + " for " + dtype);
        if (c != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + c + " elements, data has " + n);
        }
    }

    /** A tensor of {@code data} (row-major) with {@code shape}; the element counts must agree. Copies the data. */
    public static Tensor of(float[] data, long... shape) {
        ByteBuffer b = allocate(DType.F32, data.length, shape);
        b.asFloatBuffer().put(data);
        return new Tensor(DType.F32, shape.clone(), b.array());
    }

    public static Tensor of(double[] data, long... shape) {
        ByteBuffer b = allocate(DType.F64, data.length, shape);
        b.asDoubleBuffer().put(data);
        return new Tensor(DType.F64, shape.clone(), b.array());
    }

    public static Tensor of(long[] data, long... shape) {
        ByteBuffer b = allocate(DType.I64, data.length, shape);
        b.asLongBuffer().put(data);
        return new Tensor(DType.I64, shape.clone(), b.array());
    }

    public static Tensor of(int[] data, long... shape) {
        ByteBuffer b = allocate(DType.I32, data.length, shape);
        b.asIntBuffer().put(data);
        return new Tensor(DType.I32, shape.clone(), b.array());
    }

    /** A U8 tensor; bytes are read as unsigned 0..255 by NumPy/PyTorch. */
    public static Tensor of(byte[] data, long... shape) {
        check(DType.U8, data.length, shape);
        return new Tensor(DType.U8, shape.clone(), data.clone());
    }

    /** One-dimensional tensors. */
    public static Tensor vector(float[] data) { return of(data, data.length); }

    public static Tensor vector(double[] data) { return of(data, data.length); }

    public static Tensor vector(long[] data) { return of(data, data.length); }

    public static Tensor vector(int[] data) { return of(data, data.length); }

    public static Tensor vector(byte[] data) { return of(data, data.length); }

    public DType dtype() { return dtype; }

    /** The dimensions (a copy); empty for a scalar. */
    public long[] shape() { return shape.clone(); }

    /** The dimensions as ints; throws {@link ArithmeticException} if one does not fit. */
    public int[] intShape() {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = Math.toIntExact(shape[i]);
        return s;
    }

    public int rank() { return shape.length; }

    public long dim(int i) { return shape[i]; }

    public long elementCount() { return data.length / dtype.size(); }

    public float[] floats() {
        float[] out = new float[(int) elementCount()];
        le(DType.F32).asFloatBuffer().get(out);
        return out;
    }

    public double[] doubles() {
        double[] out = new double[(int) elementCount()];
        le(DType.F64).asDoubleBuffer().get(out);
        return out;
    }

    public long[] longs() {
        long[] out = new long[(int) elementCount()];
        le(DType.I64).asLongBuffer().get(out);
        return out;
    }

    public int[] ints() {
        int[] out = new int[(int) elementCount()];
        le(DType.I32).asIntBuffer().get(out);
        return out;
    }

    /** U8 data (a copy); use {@code b & 0xFF} for the unsigned value. */
    public byte[] bytes() {
        le(DType.U8);
        return data.clone();
    }

    /** The data exactly as stored in the file: little-endian bytes (a copy). */
    public byte[] littleEndianBytes() { return data.clone(); }

    /** The stored bytes without a copy; callers must not modify them. */
    byte[] rawBytes() { return data; }

    private ByteBuffer le(DType expected) {
        if (dtype != expected) throw new IllegalStateException("tensor is " + this + ", not " + expected);
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Same dtype, shape and bytes (so floats compare bitwise: NaN equals the same NaN, 0.0 differs from -0.0). */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Tensor)) return false;
        Tensor t = (Tensor) o;
        return dtype == t.dtype && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    /** E.g. "F32[3, 4]". */
    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
