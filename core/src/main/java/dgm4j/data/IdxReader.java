package dgm4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import dgm4j.math.Matrix;

/**
 * Reads unsigned-byte idx files (the MNIST format of LeCun et al.): idx3 images and idx1 labels, raw or gzipped
 * (detected from the gzip magic bytes, not the file name).
 *
 * <p>Format: a big-endian magic word {0, 0, type, ndims} (type 0x08 = unsigned byte), ndims big-endian int32
 * dimensions, then the product of the dimensions in bytes, row-major. Every deviation is a {@link DataException}
 * naming the file: wrong magic, other data types, wrong number of dimensions, truncation, trailing bytes, and
 * dimensions whose product exceeds 2^31 - 1 or what the file can hold. Memory is never allocated beyond what the file
 * really contains.
 */
public final class IdxReader {
    /** idx data type code of unsigned bytes, the only type supported. */
    public static final int UBYTE = 0x08;
    /** Largest gzip expansion ratio (deflate cannot exceed about 1032:1). */
    private static final long MAX_GZIP_RATIO = 1100;

    private IdxReader() { }

    /** Images from an idx3 file: pixels scaled to [0, 1] (byte / 255), one image per row, row-major. */
    public record Images(Matrix pixels, int height, int width) {
        public int count() { return pixels.rows(); }
    }

    /** Reads an idx3 ubyte image file (count x height x width). */
    public static Images readImages(Path file) {
        Idx idx = read(file, 3);
        int n = idx.dims[0], h = idx.dims[1], w = idx.dims[2];
        Matrix m = Matrix.zeros(n, h * w);
        float[] row = new float[h * w];
        for (int i = 0, off = 0; i < n; i++) {
            for (int j = 0; j < row.length; j++) row[j] = (idx.data[off++] & 0xFF) / 255f;
            m.setRow(i, row);
        }
        return new Images(m, h, w);
    }

    /** Reads an idx1 ubyte label file: values 0..255. */
    public static int[] readLabels(Path file) {
        Idx idx = read(file, 1);
        int[] labels = new int[idx.dims[0]];
        for (int i = 0; i < labels.length; i++) labels[i] = idx.data[i] & 0xFF;
        return labels;
    }

    /** True if the file starts with the gzip magic bytes 1f 8b. */
    public static boolean isGzip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            throw ioProblem(file, e);
        }
    }

    /** Opens a file for reading, transparently gunzipping it if it starts with the gzip magic bytes. */
    static InputStream open(Path file) throws IOException {
        boolean gz = isGzip(file);
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return gz ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    /** An I/O failure as a DataException naming the file. */
    static DataException ioProblem(Path file, IOException e) {
        if (e instanceof NoSuchFileException) return new DataException(file, "file not found", e);
        if (e instanceof AccessDeniedException) return new DataException(file, "permission denied", e);
        if (e instanceof ZipException) return new DataException(file, "corrupt gzip data (" + e.getMessage() + ")", e);
        return new DataException(file, "cannot read (" + e + ")", e);
    }

    /** Decoded header and payload of an idx file. */
    private record Idx(int[] dims, byte[] data) { }

    private static Idx read(Path file, int expectedDims) {
        String kind = expectedDims == 3 ? "idx3 image file" : "idx1 label file";
        try {
            long fileSize = Files.size(file);
            boolean gz = isGzip(file);
            try (InputStream in = open(file)) {
                byte[] magic = new byte[4];
                readHeader(in, magic, file, kind, 0);
                int type = magic[2] & 0xFF, ndims = magic[3] & 0xFF;
                if (magic[0] != 0 || magic[1] != 0) {
                    throw new DataException(file, String.format("not an idx file: magic number 0x%08x, expected 0x0000%02x%02x (%s)",
                            bigEndian(magic, 0), UBYTE, expectedDims, kind));
                }
                if (type != UBYTE) {
                    throw new DataException(file, String.format("unsupported idx data type 0x%02x: only unsigned bytes (0x08) are supported", type));
                }
                if (ndims != expectedDims) {
                    throw new DataException(file, "expected an " + kind + " with " + expectedDims + " dimension"
                            + (expectedDims > 1 ? "s" : "") + ", found " + ndims);
                }
                byte[] dimBytes = new byte[4 * ndims];
                readHeader(in, dimBytes, file, kind, 4);
                int[] dims = new int[ndims];
                long payload = 1;
                for (int k = 0; k < ndims; k++) {
                    long d = bigEndian(dimBytes, 4 * k) & 0xFFFFFFFFL;
                    if (d > Integer.MAX_VALUE) {
                        throw new DataException(file, "dimension " + k + " is " + d + ", beyond 2^31 - 1: corrupt header");
                    }
                    dims[k] = (int) d;
                    payload *= d; // payload < 2^31 and d < 2^31 here: the long cannot overflow
                    if (payload > Integer.MAX_VALUE) {
                        throw new DataException(file, "dimensions " + dimsText(dimBytes, ndims)
                                + " hold more than 2^31 - 1 bytes: corrupt header or file too large");
                    }
                }
                if (ndims == 3 && (dims[1] == 0 || dims[2] == 0)) {
                    throw new DataException(file, "image size " + dims[1] + "x" + dims[2] + " is empty");
                }
                if (ndims == 3 && payload * Float.BYTES > Integer.MAX_VALUE - 64) {
                    throw new DataException(file, dims[0] + " images of " + dims[1] + "x" + dims[2]
                            + " do not fit in one float32 matrix (2 GiB)");
                }
                long header = 4L + 4L * ndims;
                if (!gz) {
                    long available = fileSize - header;
                    if (available < payload) {
                        throw new DataException(file, "truncated: header declares " + dimsText(dimBytes, ndims) + " = "
                                + payload + " bytes of data but only " + available + " follow");
                    }
                    if (available > payload) {
                        throw new DataException(file, (available - payload) + " unexpected bytes after the "
                                + payload + " bytes of data declared by the header " + dimsText(dimBytes, ndims));
                    }
                } else if (payload > fileSize * MAX_GZIP_RATIO) {
                    throw new DataException(file, "header declares " + dimsText(dimBytes, ndims) + " = " + payload
                            + " bytes, more than a gzip file of " + fileSize + " bytes can hold: corrupt header");
                }
                byte[] data = readPayload(in, (int) payload, gz ? fileSize : payload, file, dimBytes, ndims);
                if (in.read() != -1) {
                    throw new DataException(file, "unexpected bytes after the " + payload
                            + " bytes of data declared by the header " + dimsText(dimBytes, ndims));
                }
                return new Idx(dims, data);
            }
        } catch (EOFException e) {
            throw new DataException(file, "truncated gzip stream (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw ioProblem(file, e);
        }
    }

    /** Reads exactly {@code dst.length} header bytes or reports truncation. */
    private static void readHeader(InputStream in, byte[] dst, Path file, String kind, int headerOffset) throws IOException {
        int got = in.readNBytes(dst, 0, dst.length);
        if (got < dst.length) {
            throw new DataException(file, "truncated: the " + kind + " header ends after " + (headerOffset + got) + " bytes");
        }
    }

    /**
     * Reads {@code n} payload bytes, growing the buffer as data arrives (starting from a size the file can back), so a
     * lying header cannot make us allocate more than the data really present.
     */
    private static byte[] readPayload(InputStream in, int n, long sizeHint, Path file, byte[] dimBytes, int ndims)
            throws IOException {
        int cap = (int) Math.min(n, Math.max(1 << 20, Math.min(Integer.MAX_VALUE - 8, sizeHint * 4)));
        byte[] buf = new byte[cap];
        int len = 0;
        while (len < n) {
            if (len == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            int r = in.read(buf, len, buf.length - len);
            if (r < 0) {
                throw new DataException(file, "truncated: header declares " + dimsText(dimBytes, ndims) + " = " + n
                        + " bytes of data but only " + len + " follow");
            }
            len += r;
        }
        return buf;
    }

    private static int bigEndian(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static String dimsText(byte[] dimBytes, int ndims) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < ndims; k++) {
            if (k > 0) sb.append(" x ");
            sb.append(bigEndian(dimBytes, 4 * k) & 0xFFFFFFFFL);
        }
        return sb.toString();
    }
}
