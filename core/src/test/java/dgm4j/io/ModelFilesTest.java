package dgm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.Version;
import dgm4j.math.Matrix;

class ModelFilesTest {
    @TempDir Path dir;

    @Test
    void roundTripsEveryDtypeBitwise() throws Exception {
        ModelFile model = TestFiles.allDtypes(1);
        Path file = dir.resolve("m.safetensors");
        ModelFiles.write(file, model);
        ModelFile back = ModelFiles.read(file, "rbm");

        assertEquals(List.copyOf(model.tensors().keySet()), List.copyOf(back.tensors().keySet()), "tensor order");
        for (String name : model.tensors().keySet()) {
            Tensor a = model.tensor(name);
            Tensor b = back.tensor(name);
            assertEquals(a.dtype(), b.dtype(), name);
            assertArrayEquals(a.shape(), b.shape(), name);
            assertArrayEquals(a.littleEndianBytes(), b.littleEndianBytes(), name);
            assertEquals(a, b);
        }
        float[] w = back.tensor("weights").floats();
        assertEquals(0x7fc00123, Float.floatToRawIntBits(w[1]), "NaN payload kept");
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(w[2]));
        assertEquals(0x7ff8000000000abcL, Double.doubleToRawLongBits(back.doubles("f64")[0]));
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}, Arrays.copyOf(back.longs("rng.state"), 5));
        assertEquals((byte) 255, back.tensor("u8").bytes()[0]);
        assertArrayEquals(model.tensor("i32.cube").ints(), back.tensor("i32.cube").ints());
        assertArrayEquals(new int[] {2, 2, 3}, back.tensor("i32.cube").intShape());
        assertEquals(0, back.tensor("scalar").rank());
        assertEquals(Math.PI, back.tensor("scalar").doubles()[0]);
        assertEquals(0, back.tensor("empty").elementCount());

        Matrix m = back.matrix("matrix", 4, 3);
        assertArrayEquals(model.matrix("matrix").toArray(), m.toArray());

        // metadata: everything written comes back, plus the checksum
        for (Map.Entry<String, String> e : model.metadata().entrySet()) {
            assertEquals(e.getValue(), back.metadata().get(e.getKey()), e.getKey());
        }
        assertEquals("dgm4j", back.metadata().get("format"));
        assertEquals("1", back.metadata().get("format_version"));
        assertEquals("rbm", back.kind());
        assertEquals(Version.get(), back.metadata().get("dgm4j_version"));
        assertEquals(Map.of("visible", 3L, "hidden", 5L), back.configJson());
        assertEquals(Map.of("epoch", 3L, "step", 1200L), back.metadataJson("training_state").orElseThrow());
        assertEquals("unicode \u00e9\u20ac\uD83D\uDE00 and \"quotes\"\n", back.metadata("note").orElseThrow());
        assertTrue(back.metadata("tensor_sha256").orElseThrow().matches("[0-9a-f]{64}"));
        assertTrue(back.source().endsWith("m.safetensors"));

        // re-encoding what was read gives the same bytes
        assertArrayEquals(Files.readAllBytes(file), ModelFiles.toBytes(back));
        assertArrayEquals(Files.readAllBytes(file), ModelFiles.toBytes(model));
    }

    @Test
    void layoutIsPaddedAndAligned() {
        byte[] bytes = ModelFiles.toBytes(TestFiles.allDtypes(2));
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to a multiple of 8");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"dgm4j\""), header);
        Map<String, Object> h = Json.parseObject(header);
        for (Map.Entry<String, Object> e : h.entrySet()) {
            if (e.getKey().equals("__metadata__")) continue;
            Map<?, ?> info = (Map<?, ?>) e.getValue();
            long begin = (Long) ((List<?>) info.get("data_offsets")).get(0);
            int size = DType.valueOf((String) info.get("dtype")).size();
            assertEquals(0, (8 + n + begin) % size, e.getKey() + " aligned");
        }
    }

    @Test
    void builderAndAccessorErrors() {
        ModelFile m = TestFiles.allDtypes(3);
        ModelFileException e = assertThrows(ModelFileException.class, () -> m.tensor("nope"));
        assertTrue(e.getMessage().contains("no tensor \"nope\""), e.getMessage());
        e = assertThrows(ModelFileException.class, () -> m.matrix("rng.state"));
        assertTrue(e.getMessage().contains("expected F32 with 2 dimensions"), e.getMessage());
        e = assertThrows(ModelFileException.class, () -> m.matrix("matrix", 3, 4));
        assertTrue(e.getMessage().contains("expected 3x4"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> m.tensor("weights").longs());

        ModelFile.Builder b = ModelFile.builder("rbm");
        assertThrows(IllegalArgumentException.class, () -> ModelFile.builder("bad kind"));
        assertThrows(IllegalArgumentException.class, () -> b.metadata("format", "x"));
        assertThrows(IllegalArgumentException.class, () -> b.metadata("tensor_sha256", "x"));
        assertThrows(IllegalArgumentException.class, () -> b.config("[1]"));
        assertThrows(JsonException.class, () -> b.config("{"));
        assertThrows(IllegalArgumentException.class, () -> b.tensor("__metadata__", Tensor.vector(new int[1])));
        assertThrows(IllegalArgumentException.class, () -> b.tensor("", Tensor.vector(new int[1])));
        b.tensor("a", Tensor.vector(new int[1]));
        assertThrows(IllegalArgumentException.class, () -> b.tensor("a", Tensor.vector(new int[1])));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0], -1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new byte[0], 1L << 40, 1L << 40));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new byte[0], 0, Long.MAX_VALUE));
        assertEquals(0, Tensor.of(new byte[0], 1L << 20, 1L << 20, 0).elementCount());

        // toBuilder keeps caller metadata and tensors, renews the managed keys
        ModelFile copy = m.toBuilder().metadata("extra", "1").build();
        assertEquals(m.tensors(), copy.tensors());
        assertEquals("1", copy.metadata().get("extra"));
        assertEquals(m.metadata().get("provenance"), copy.metadata().get("provenance"));
    }

    @Test
    void readChecksKind() {
        Path file = dir.resolve("vae.safetensors");
        ModelFiles.write(file, TestFiles.small("vae", 4, 1));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.read(file, "rbm"));
        assertTrue(e.getMessage().contains("expected a rbm model, file holds a vae"), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        e = assertThrows(ModelFileException.class, () -> ModelFiles.read(file, Set.of("rbm", "dbm")));
        assertTrue(e.getMessage().contains("expected a dbm or rbm model, file holds a vae"), e.getMessage());
        assertEquals("vae", ModelFiles.read(file, "rbm", "vae").kind());
        assertEquals("vae", ModelFiles.readAnyKind(file).kind());
    }

    @Test
    void readReportsFileProblems() throws Exception {
        assertProblem(() -> ModelFiles.readAnyKind(dir.resolve("missing.safetensors")), "no such file");
        assertProblem(() -> ModelFiles.readAnyKind(dir), "is a directory");
        Path fifo = dir.resolve("fifo");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            assertProblem(() -> ModelFiles.readAnyKind(fifo), "not a regular file"); // must not block
        }
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertProblem(() -> ModelFiles.readAnyKind(empty), "too short (0 bytes)");
        Path text = Files.writeString(dir.resolve("text.safetensors"), "hello, this is not a model file");
        assertProblem(() -> ModelFiles.readAnyKind(text), "header length");
    }

    private static final byte[] DATA = new byte[16]; // 4 floats

    /** Each crafted violation is rejected with a message naming the problem. */
    @Test
    void rejectsEveryKindOfInvalidHeader() {
        String t = "\"t\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}";
        // sanity: the crafted baseline is valid
        ModelFile ok = decode(TestFiles.craft("{" + TestFiles.meta("") + "," + t + "}", DATA));
        assertEquals(4, ok.tensor("t").elementCount());

        reject("{" + t + "}", DATA, "no \"__metadata__\"");
        reject("{" + TestFiles.meta("") + "," + t.replace("F32", "BF16") + "}", DATA, "unsupported dtype \"BF16\"");
        reject("{" + TestFiles.meta("") + "," + t.replace("\"F32\"", "7") + "}", DATA, "unsupported dtype a number");
        reject("{" + TestFiles.meta("") + "," + t.replace("[2,2]", "[-2,-2]") + "}", DATA, "non-negative integer");
        reject("{" + TestFiles.meta("") + "," + t.replace("[2,2]", "[2.0,2]") + "}", DATA, "non-negative integer");
        reject("{" + TestFiles.meta("") + "," + t.replace("[2,2]", "[4294967296,4294967296]") + "}", DATA, "too large");
        reject("{" + TestFiles.meta("") + "," + t.replace("[2,2]", "[9223372036854775807,2]") + "}", DATA, "too large");
        reject("{" + TestFiles.meta("") + "," + t.replace("[2,2]", "[3,2]") + "}", DATA, "needs 24 bytes");
        reject("{" + TestFiles.meta("") + "," + t.replace("[0,16]", "[0,32]") + "}", DATA, "go past the 16-byte data section");
        reject("{" + TestFiles.meta("") + "," + t.replace("[0,16]", "[16,0]") + "}", DATA, "end before begin");
        reject("{" + TestFiles.meta("") + "," + t.replace("[0,16]", "[0]") + "}", DATA, "expected [begin, end]");
        reject("{" + TestFiles.meta("") + "," + t.replace("[0,16]", "[0,16,16]") + "}", DATA, "at most 2");
        reject("{" + TestFiles.meta("") + "," + t.replace("[2,2]", "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
                + "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,4]") + "}", DATA, "at most 64");
        reject("{" + TestFiles.meta("") + "," + t.replace("}", ",\"extra\":1}") + "}", DATA, "expected exactly dtype");
        reject("{" + TestFiles.meta("") + ",\"t\":[1]}", DATA, "expected an object");
        reject("{" + TestFiles.meta("") + "," + t + "}", new byte[20], "4 bytes of trailing data");
        String two = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}";
        reject("{" + TestFiles.meta("") + "," + two + "}", new byte[12], "overlaps");
        reject("{" + TestFiles.meta("") + "," + two.replace("[4,12]", "[12,20]") + "}", new byte[20], "gap of 4 bytes");
        reject("{" + TestFiles.meta("") + "," + t + "," + t + "}", DATA, "duplicate key \"t\"");
        reject("{" + TestFiles.meta("") + ",\"\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", DATA, "empty name");
        reject("{\"__metadata__\":{\"format\":\"dgm4j\",\"kind\":\"rbm\",\"tensor_sha256\":\"SHA\"}," + t + "}", DATA, "no \"format_version\"");
        reject("{\"__metadata__\":{\"format_version\":\"1\",\"kind\":\"rbm\",\"tensor_sha256\":\"SHA\"}," + t + "}", DATA, "no \"format\"");
        reject("{\"__metadata__\":{\"format\":\"dgm4j\",\"format_version\":\"1\",\"tensor_sha256\":\"SHA\"}," + t + "}", DATA, "no \"kind\"");
        reject("{\"__metadata__\":{\"format\":\"dgm4j\",\"format_version\":\"1\",\"kind\":\"rbm\"}," + t + "}", DATA, "no \"tensor_sha256\"");
        reject("{" + TestFiles.meta("").replace("\"dgm4j\"", "\"pt\"") + "," + t + "}", DATA, "not a dgm4j model file");
        reject("{" + TestFiles.meta("").replace("\"format_version\":\"1\"", "\"format_version\":\"2\"") + "," + t + "}", DATA,
                "written by a newer dgm4j (format version 2");
        reject("{" + TestFiles.meta("").replace("\"format_version\":\"1\"", "\"format_version\":\"1.0\"") + "," + t + "}", DATA, "invalid format_version");
        reject("{" + TestFiles.meta("").replace("\"format_version\":\"1\"", "\"format_version\":1") + "," + t + "}", DATA, "expected a string");
        reject("{" + TestFiles.meta(",\"config\":\"[1]\"") + "," + t + "}", DATA, "config\" is an array");
        reject("{" + TestFiles.meta(",\"config\":\"{\"") + "," + t + "}", DATA, "config\" is not valid JSON");
        reject("{\"__metadata__\":[]," + t + "}", DATA, "expected an object of strings");
        reject("[" + t + "]", DATA, "does not start with '{'");
        reject("{" + TestFiles.meta("") + "," + t + ",}", DATA, "header is not valid JSON");
        reject("{" + TestFiles.meta("") + "," + t + "}x", DATA, "not valid JSON");
        reject("{" + TestFiles.meta("") + "," + t + "}\t", DATA, null); // accepted? no: tab then space padding is fine JSON
        // checksum: any change to the data
        byte[] good = TestFiles.craft("{" + TestFiles.meta("") + "," + t + "}", DATA);
        good[good.length - 1] ^= 1;
        assertProblem(() -> decode(good), "file is corrupt");
        // the kind is checked before anything is trusted
        assertProblem(() -> ModelFiles.fromBytes(TestFiles.craft("{" + TestFiles.meta("") + "," + t + "}", DATA), "x", Set.of("vae")),
                "expected a vae model, file holds a rbm");
    }

    @Test
    void rejectsBrokenPrefixAndEncoding() {
        byte[] valid = ModelFiles.toBytes(TestFiles.small("rbm", 3, 5));
        for (long n : new long[] {-1, Long.MIN_VALUE, 100_000_001, valid.length - 7, 0, 1}) {
            byte[] b = valid.clone();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
            assertProblem(() -> decode(b), "header length");
        }
        byte[] b = valid.clone();
        b[8] = ' ';
        assertProblem(() -> decode(b), "does not start with '{'");
        byte[] c = valid.clone();
        c[20] = (byte) 0xC3; // a lone UTF-8 lead byte
        assertProblem(() -> decode(c), "not valid UTF-8");
        for (int len = 0; len < valid.length; len += 7) {
            byte[] cut = Arrays.copyOf(valid, len);
            assertThrows(ModelFileException.class, () -> decode(cut));
        }
    }

    private static ModelFile decode(byte[] bytes) {
        return ModelFiles.fromBytes(bytes, "crafted.safetensors", null);
    }

    private static void reject(String header, byte[] data, String expected) {
        byte[] file = TestFiles.craft(header, data);
        if (expected == null) {
            decode(file);
            return;
        }
        assertProblem(() -> decode(file), expected);
    }

    private static void assertProblem(Executable read, String expected) {
        ModelFileException e = assertThrows(ModelFileException.class, read, expected);
        assertTrue(e.getMessage().contains(expected), () -> "message \"" + e.getMessage() + "\" lacks \"" + expected + "\"");
        assertFalse(e.getMessage().isBlank());
    }
}
