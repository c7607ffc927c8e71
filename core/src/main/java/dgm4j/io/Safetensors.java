package dgm4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors encoding (https://github.com/huggingface/safetensors, "Format"): an 8-byte little-endian unsigned
 * header length N, N bytes of UTF-8 JSON (padded with spaces to a multiple of 8), then the data section. The header
 * maps tensor names to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the data section) and
 * "__metadata__" to a string-to-string object. dgm4j's own keys are checked on top (see {@link ModelFile}).
 */
final class Safetensors {
    private Safetensors() {}

    /** Upper bound on the header length, as in the reference implementation. */
    static final long MAX_HEADER_BYTES = 100_000_000;
    /** Header JSON nesting: file object, tensor/metadata object, shape array. */
    private static final int MAX_HEADER_DEPTH = 3;
    private static final int MAX_HEADER_VALUES = 2_000_000;

    /** Random access to the bytes of a file or an array. */
    interface Source {
        long size() throws IOException;

        /** Reads exactly {@code len} bytes at {@code pos}; an IOException if the source ends first. */
        void readFully(long pos, byte[] dst, int off, int len) throws IOException;
    }

    // ------------------------------------------------------------------ encoding

    /** An encoded model: header bytes (with the length prefix) and the tensors in data-section order. */
    static final class Encoded {
        final byte[] prefixAndHeader;
        final List<Tensor> dataOrder;
        final long dataBytes;

        Encoded(byte[] prefixAndHeader, List<Tensor> dataOrder, long dataBytes) {
            this.prefixAndHeader = prefixAndHeader;
            this.dataOrder = dataOrder;
            this.dataBytes = dataBytes;
        }

        long totalBytes() { return prefixAndHeader.length + dataBytes; }

        void writeTo(WritableByteChannel out) throws IOException {
            AtomicFiles.writeFully(out, ByteBuffer.wrap(prefixAndHeader));
            for (Tensor t : dataOrder) AtomicFiles.writeFully(out, ByteBuffer.wrap(t.rawBytes()));
        }

        byte[] toBytes() {
            if (totalBytes() > Integer.MAX_VALUE - 8) throw new IllegalStateException("model of " + totalBytes() + " bytes does not fit in an array");
            ByteBuffer b = ByteBuffer.allocate((int) totalBytes());
            b.put(prefixAndHeader);
            for (Tensor t : dataOrder) b.put(t.rawBytes());
            return b.array();
        }
    }

    /**
     * Encodes a model. Header keys keep the model's tensor order; in the data section tensors are grouped by element
     * size (8, 4, then 1 byte; written order within a group) so that every tensor is aligned to its element size for
     * memory-mapping readers, as the reference writer does. The header is padded so the data starts at a multiple of 8.
     */
    static Encoded encode(ModelFile model) {
        List<Map.Entry<String, Tensor>> layout = new ArrayList<>(model.tensors().entrySet());
        layout.sort(Comparator.comparingInt((Map.Entry<String, Tensor> e) -> -e.getValue().dtype().size())); // stable
        Map<String, long[]> offsets = new LinkedHashMap<>();
        List<Tensor> dataOrder = new ArrayList<>();
        MessageDigest sha = sha256();
        long pos = 0;
        for (Map.Entry<String, Tensor> e : layout) {
            byte[] raw = e.getValue().rawBytes();
            offsets.put(e.getKey(), new long[] {pos, pos + raw.length});
            pos += raw.length;
            sha.update(raw);
            dataOrder.add(e.getValue());
        }
        Map<String, Object> metadata = new LinkedHashMap<>(model.metadata());
        metadata.remove(ModelFile.TENSOR_SHA256_KEY);
        metadata.put(ModelFile.TENSOR_SHA256_KEY, HexFormat.of().formatHex(sha.digest()));

        Map<String, Object> header = new LinkedHashMap<>();
        header.put(ModelFile.METADATA_ENTRY, metadata);
        for (Map.Entry<String, Tensor> e : model.tensors().entrySet()) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", e.getValue().dtype().name());
            info.put("shape", e.getValue().shape());
            info.put("data_offsets", offsets.get(e.getKey()));
            header.put(e.getKey(), info);
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        if (padded > MAX_HEADER_BYTES) throw new IllegalArgumentException("model header of " + padded + " bytes is over the format limit");
        ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json);
        while (b.hasRemaining()) b.put((byte) ' ');
        return new Encoded(b.array(), dataOrder, pos);
    }

    // ------------------------------------------------------------------ decoding

    private static final class Entry {
        final String name;
        final DType dtype;
        final long[] shape;
        final long begin;
        final long end;
        Tensor tensor;

        Entry(String name, DType dtype, long[] shape, long begin, long end) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.begin = begin;
            this.end = end;
        }
    }

    /**
     * Decodes and validates a dgm4j model file. Never allocates more than the source's size (plus the parsed
     * header). Throws {@link ModelFileException} for every content problem; IOExceptions from the source propagate.
     *
     * @param acceptedKinds model kinds the caller can use, or null for any
     */
    static ModelFile decode(Source src, String name, Set<String> acceptedKinds) throws IOException {
        long size = src.size();
        if (size < 8) throw fail(name, "file is too short (" + size + " bytes) to be a model file");
        byte[] prefix = new byte[8];
        src.readFully(0, prefix, 0, 8);
        long n = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw fail(name, "header length " + Long.toUnsignedString(n) + " is over the limit of " + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
        }
        if (n > size - 8) throw fail(name, "header length " + n + " is more than the " + (size - 8) + " bytes after the length field (truncated file?)");
        if (n < 2) throw fail(name, "header length " + n + " is too small for a JSON object");
        byte[] headerBytes = new byte[(int) n];
        src.readFully(8, headerBytes, 0, (int) n);
        if (headerBytes[0] != '{') throw fail(name, "header does not start with '{' (not a safetensors file?)");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(headerBytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail(name, "header is not valid UTF-8");
        }
        Object parsed;
        try {
            parsed = Json.parse(text, (int) MAX_HEADER_BYTES, MAX_HEADER_DEPTH, MAX_HEADER_VALUES);
        } catch (JsonException e) {
            throw new ModelFileException(name + ": header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map)) throw fail(name, "header is " + Json.typeName(parsed) + ", expected a JSON object");

        long dataSize = size - 8 - n;
        Map<String, String> metadata = null;
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
            String key = (String) e.getKey();
            if (key.equals(ModelFile.METADATA_ENTRY)) {
                metadata = metadata(name, e.getValue());
            } else {
                entries.add(entry(name, key, e.getValue(), dataSize));
            }
        }
        checkLayout(name, entries, dataSize);
        if (metadata == null) throw fail(name, "no \"__metadata__\": not a dgm4j model file (a plain safetensors file?)");
        checkMetadata(name, metadata, acceptedKinds);

        // Read tensors in data-section order, hashing the section as we go.
        MessageDigest sha = sha256();
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong((Entry x) -> x.begin).thenComparingLong(x -> x.end));
        for (Entry x : byOffset) {
            byte[] raw = new byte[(int) (x.end - x.begin)]; // bounded: end <= dataSize <= size
            src.readFully(8 + n + x.begin, raw, 0, raw.length);
            sha.update(raw);
            x.tensor = Tensor.wrap(x.dtype, x.shape, raw);
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        String expected = metadata.get(ModelFile.TENSOR_SHA256_KEY);
        if (!actual.equals(expected)) {
            throw fail(name, "file is corrupt: tensor data checksum mismatch (SHA-256 " + actual + ", header says " + expected + ")");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry x : entries) tensors.put(x.name, x.tensor);
        return new ModelFile(name, tensors, metadata);
    }

    private static Map<String, String> metadata(String name, Object value) {
        if (!(value instanceof Map)) throw fail(name, "\"__metadata__\" is " + Json.typeName(value) + ", expected an object of strings");
        Map<String, String> md = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            if (!(e.getValue() instanceof String)) {
                throw fail(name, "metadata \"" + e.getKey() + "\" is " + Json.typeName(e.getValue()) + ", expected a string");
            }
            md.put((String) e.getKey(), (String) e.getValue());
        }
        return md;
    }

    private static Entry entry(String name, String tensor, Object value, long dataSize) {
        String what = "tensor \"" + abbreviate(tensor) + "\"";
        if (tensor.isEmpty()) throw fail(name, "tensor with an empty name");
        if (!(value instanceof Map)) throw fail(name, what + " is " + Json.typeName(value) + ", expected an object");
        Map<?, ?> info = (Map<?, ?>) value;
        if (!info.keySet().equals(Set.of("dtype", "shape", "data_offsets"))) {
            throw fail(name, what + " has keys " + info.keySet() + ", expected exactly dtype, shape, data_offsets");
        }
        Object dt = info.get("dtype");
        DType dtype = dt instanceof String ? DType.fromCode((String) dt) : null;
        if (dtype == null) {
            throw fail(name, what + " has unsupported dtype " + (dt instanceof String ? Json.quote(abbreviate((String) dt)) : Json.typeName(dt))
                    + " (dgm4j reads " + Arrays.toString(DType.values()) + ")");
        }
        long[] shape = longs(name, what + " shape", info.get("shape"), Tensor.MAX_RANK);
        long[] off = longs(name, what + " data_offsets", info.get("data_offsets"), 2);
        if (off.length != 2) throw fail(name, what + " data_offsets has " + off.length + " numbers, expected [begin, end]");
        if (off[0] > off[1]) throw fail(name, what + " data_offsets " + Arrays.toString(off) + " end before begin");
        if (off[1] > dataSize) {
            throw fail(name, what + " data_offsets " + Arrays.toString(off) + " go past the " + dataSize + "-byte data section (truncated file?)");
        }
        long count = Tensor.checkedCount(dtype, shape);
        if (count < 0) throw fail(name, what + " shape " + Arrays.toString(shape) + " is too large for " + dtype);
        if (count * dtype.size() != off[1] - off[0]) {
            throw fail(name, what + " shape " + Arrays.toString(shape) + " of " + dtype + " needs " + count * dtype.size()
                    + " bytes but data_offsets " + Arrays.toString(off) + " hold " + (off[1] - off[0]));
        }
        return new Entry(tensor, dtype, shape, off[0], off[1]);
    }

    /** A JSON array of non-negative integers, at most {@code max} long. */
    private static long[] longs(String name, String what, Object value, int max) {
        if (!(value instanceof List)) throw fail(name, what + " is " + Json.typeName(value) + ", expected an array of integers");
        List<?> list = (List<?>) value;
        if (list.size() > max) throw fail(name, what + " has " + list.size() + " entries, at most " + max + " allowed");
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object o = list.get(i);
            if (!(o instanceof Long) || (Long) o < 0) {
                throw fail(name, what + " has " + (o instanceof Number ? o : Json.typeName(o)) + ", expected a non-negative integer");
            }
            out[i] = (Long) o;
        }
        return out;
    }

    /** Tensors must tile the data section exactly: no overlap, no hole, nothing after the last one. */
    private static void checkLayout(String name, List<Entry> entries, long dataSize) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong((Entry x) -> x.begin).thenComparingLong(x -> x.end));
        long pos = 0;
        for (Entry x : sorted) {
            if (x.begin < pos) throw fail(name, "tensor \"" + abbreviate(x.name) + "\" overlaps the previous tensor in the data section");
            if (x.begin > pos) throw fail(name, "gap of " + (x.begin - pos) + " bytes before tensor \"" + abbreviate(x.name) + "\" in the data section");
            pos = x.end;
        }
        if (pos != dataSize) throw fail(name, (dataSize - pos) + " bytes of trailing data after the last tensor");
    }

    private static void checkMetadata(String name, Map<String, String> md, Set<String> acceptedKinds) {
        String format = md.get(ModelFile.FORMAT_KEY);
        if (format == null) throw fail(name, "no \"format\" in the metadata: not a dgm4j model file");
        if (!format.equals(ModelFile.FORMAT)) throw fail(name, "format is " + Json.quote(abbreviate(format)) + ", not \"dgm4j\": not a dgm4j model file");
        String version = md.get(ModelFile.FORMAT_VERSION_KEY);
        if (version == null) throw fail(name, "no \"format_version\" in the metadata");
        if (!version.matches("[1-9][0-9]{0,8}")) throw fail(name, "invalid format_version " + Json.quote(abbreviate(version)));
        if (Integer.parseInt(version) > ModelFile.FORMAT_VERSION) {
            throw fail(name, "written by a newer dgm4j (format version " + version + "; this dgm4j reads version "
                    + ModelFile.FORMAT_VERSION + "): upgrade dgm4j to read it");
        }
        String kind = md.get(ModelFile.KIND_KEY);
        if (kind == null) throw fail(name, "no \"kind\" in the metadata");
        if (!ModelFile.isValidKind(kind)) throw fail(name, "invalid model kind " + Json.quote(abbreviate(kind)));
        if (acceptedKinds != null && !acceptedKinds.contains(kind)) {
            List<String> sorted = new ArrayList<>(acceptedKinds);
            sorted.sort(null);
            throw fail(name, "expected a " + String.join(" or ", sorted) + " model, file holds a " + kind);
        }
        String sha = md.get(ModelFile.TENSOR_SHA256_KEY);
        if (sha == null) throw fail(name, "no \"tensor_sha256\" in the metadata");
        if (!sha.matches("[0-9a-f]{64}")) throw fail(name, "tensor_sha256 is not 64 lowercase hex digits");
        String config = md.get(ModelFile.CONFIG_KEY);
        if (config != null) {
            Object c;
            try {
                c = Json.parse(config);
            } catch (JsonException e) {
                throw new ModelFileException(name + ": metadata \"config\" is not valid JSON: " + e.getMessage(), e);
            }
            if (!(c instanceof Map)) throw fail(name, "metadata \"config\" is " + Json.typeName(c) + ", expected a JSON object");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    static ModelFileException fail(String name, String problem) {
        return new ModelFileException(name + ": " + problem);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
