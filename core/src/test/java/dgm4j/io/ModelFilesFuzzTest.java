package dgm4j.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the reader: every mutated file must either read successfully or be rejected with a
 * {@link ModelFileException}; any other Throwable (and any success after a change to the data section, which the
 * checksum covers) fails the test. Fixed seed, so a failure is reproducible from the printed mutation index.
 */
class ModelFilesFuzzTest {
    private static final long SEED = 0x5afe7e75L;
    private static final int MUTATIONS_PER_FILE = 1600;
    private static final byte[] JSON_CHARS = "{}[]\",:0123456789-.eE \\u".getBytes(StandardCharsets.US_ASCII);

    @TempDir Path dir;

    private enum Kind { HEADER_BIT, HEADER_BYTE, HEADER_JSON_CHAR, HEADER_DIGIT, DATA_BYTE, TRUNCATE, LENGTH_FIELD, INSERT, DELETE, MULTI, APPEND }

    @Test
    void mutatedFilesAreReadOrRejectedCleanly() throws Exception {
        List<ModelFile> models = List.of(
                TestFiles.allDtypes(11),
                TestFiles.small("rbm", 3, 12),
                TestFiles.small("vae", 64, 13),
                TestFiles.allDtypes(14).toBuilder()
                        .config(TestFiles.ordered("layers", List.of(784, 500, 500, 2000), "nested", Map.of("a", List.of(Map.of("b", "c\u00e9")))))
                        .build());
        SplittableRandom rnd = new SplittableRandom(SEED);
        int[] tried = new int[Kind.values().length];
        int[] rejected = new int[Kind.values().length];
        int[] total = new int[3]; // tried, rejected, via files

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int f = 0; f < models.size(); f++) {
                byte[] valid = ModelFiles.toBytes(models.get(f));
                long n = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong();
                int dataStart = (int) (8 + n);
                for (int i = 0; i < MUTATIONS_PER_FILE; i++) {
                    Kind kind = Kind.values()[rnd.nextInt(Kind.values().length)];
                    if (kind == Kind.DATA_BYTE && dataStart == valid.length) kind = Kind.HEADER_BYTE;
                    byte[] bad = mutate(kind, valid, dataStart, rnd);
                    tried[kind.ordinal()]++;
                    total[0]++;
                    String label = "file " + f + " mutation " + i + " (" + kind + ")";
                    // every 16th mutation goes through a real file, the rest through the in-memory reader
                    boolean viaFile = i % 16 == 0;
                    boolean rejectedNow = attempt(bad, viaFile, label);
                    if (viaFile) total[2]++;
                    if (rejectedNow) {
                        rejected[kind.ordinal()]++;
                        total[1]++;
                    } else if (kind == Kind.DATA_BYTE) {
                        fail(label + ": a changed data byte was accepted despite the checksum");
                    }
                }
            }
        });
        StringBuilder report = new StringBuilder("model-file fuzz (seed " + Long.toHexString(SEED) + "): " + total[0]
                + " mutations, " + total[1] + " rejected with ModelFileException, " + (total[0] - total[1]) + " read fine, "
                + total[2] + " through files on disk\n");
        for (Kind k : Kind.values()) {
            report.append(String.format("  %-17s tried %5d  rejected %5d%n", k, tried[k.ordinal()], rejected[k.ordinal()]));
        }
        System.out.print(report);
        if (Files.isDirectory(Path.of("target"))) Files.writeString(Path.of("target", "io-fuzz-report.txt"), report);
        assertTrue(total[0] >= 5000, "at least 5000 mutations");
        assertTrue(total[1] > total[0] * 0.8, "most mutations must be caught: " + report);
    }

    /** True if rejected with ModelFileException, false if read; any other Throwable fails. */
    private boolean attempt(byte[] bytes, boolean viaFile, String label) {
        try {
            ModelFile m;
            if (viaFile) {
                Path p = dir.resolve("fuzz.safetensors");
                Files.write(p, bytes);
                m = ModelFiles.read(p, "rbm", "vae");
            } else {
                m = ModelFiles.fromBytes(bytes, "fuzz.safetensors", null);
            }
            ModelFiles.toBytes(m); // an accepted model must be usable
            return false;
        } catch (ModelFileException expected) {
            if (expected.getMessage() == null || !expected.getMessage().startsWith(viaFile ? dir.toString() : "fuzz.safetensors")) {
                fail(label + ": message does not name the file: " + expected.getMessage());
            }
            return true;
        } catch (Throwable t) {
            throw new AssertionError(label + ": unexpected " + t, t);
        }
    }

    private static byte[] mutate(Kind kind, byte[] valid, int dataStart, SplittableRandom r) {
        byte[] b = valid.clone();
        BiFunction<Integer, Integer, Integer> in = (lo, hi) -> lo + r.nextInt(hi - lo);
        switch (kind) {
            case HEADER_BIT: {
                int p = in.apply(8, dataStart);
                b[p] ^= (byte) (1 << r.nextInt(8));
                return b;
            }
            case HEADER_BYTE:
                b[in.apply(8, dataStart)] = (byte) r.nextInt(256);
                return b;
            case HEADER_JSON_CHAR:
                b[in.apply(8, dataStart)] = JSON_CHARS[r.nextInt(JSON_CHARS.length)];
                return b;
            case HEADER_DIGIT: { // aim at shapes and offsets: change one digit to another
                for (int tries = 0; tries < 100; tries++) {
                    int p = in.apply(8, dataStart);
                    if (b[p] >= '0' && b[p] <= '9') {
                        byte d;
                        do { d = (byte) ('0' + r.nextInt(10)); } while (d == b[p]);
                        b[p] = d;
                        return b;
                    }
                }
                return b;
            }
            case DATA_BYTE: {
                int p = in.apply(dataStart, b.length);
                b[p] ^= (byte) (1 + r.nextInt(255));
                return b;
            }
            case TRUNCATE:
                return Arrays.copyOf(b, r.nextInt(b.length));
            case LENGTH_FIELD: {
                long n;
                switch (r.nextInt(4)) {
                    case 0: n = r.nextLong(); break;
                    case 1: n = Long.MAX_VALUE - r.nextInt(100); break;
                    case 2: n = dataStart - 8 + r.nextInt(-16, 17); break;
                    default: n = r.nextInt(Math.max(1, b.length * 2)); break;
                }
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
                return b;
            }
            case INSERT: {
                int p = r.nextInt(b.length + 1);
                byte[] extra = new byte[1 + r.nextInt(16)];
                r.nextBytes(extra);
                byte[] out = new byte[b.length + extra.length];
                System.arraycopy(b, 0, out, 0, p);
                System.arraycopy(extra, 0, out, p, extra.length);
                System.arraycopy(b, p, out, p + extra.length, b.length - p);
                return out;
            }
            case DELETE: {
                int p = r.nextInt(b.length);
                int len = 1 + r.nextInt(Math.min(16, b.length - p));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, p);
                System.arraycopy(b, p + len, out, p, b.length - p - len);
                return out;
            }
            case MULTI: {
                int k = 2 + r.nextInt(6);
                for (int i = 0; i < k; i++) b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                return b;
            }
            case APPEND: {
                byte[] out = Arrays.copyOf(b, b.length + 1 + r.nextInt(64));
                for (int i = b.length; i < out.length; i++) out[i] = (byte) r.nextInt(256);
                return out;
            }
            default:
                throw new AssertionError(kind);
        }
    }
}
