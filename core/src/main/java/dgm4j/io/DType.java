package dgm4j.io;

/** Element types of a model-file tensor: the safetensors dtype names dgm4j reads and writes, all little-endian. */
public enum DType {
    F32(4, "<f4"),
    F64(8, "<f8"),
    I64(8, "<i8"),
    I32(4, "<i4"),
    U8(1, "|u1");

    private final int size;
    private final String npyDescr;

    DType(int size, String npyDescr) {
        this.size = size;
        this.npyDescr = npyDescr;
    }

    /** Bytes per element. */
    public int size() { return size; }

    /** The NumPy .npy type descriptor ("&lt;f4", ...). */
    public String npyDescr() { return npyDescr; }

    /** The safetensors dtype string, or null if dgm4j does not handle it. */
    static DType fromCode(String code) {
        for (DType t : values()) {
            if (t.name().equals(code)) return t;
        }
        return null;
    }
}
