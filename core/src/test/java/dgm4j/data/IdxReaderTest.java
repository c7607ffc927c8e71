package dgm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The idx reader on the real MNIST fixture, and every corrupt-input case on mutated copies of it. */
class IdxReaderTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheFixture() {
        Dataset d = Fixtures.mnist300();
        assertEquals(Fixtures.COUNT, d.size());
        assertEquals(784, d.dim());
        assertEquals(28, d.height());
        assertEquals(28, d.width());
        assertEquals(10, d.numClasses());
        assertArrayEquals(Fixtures.FIRST_LABELS, Arrays.copyOf(d.labels(), 10));
        for (int y : d.labels()) assertTrue(y >= 0 && y <= 9);
        float[] range = d.range();
        assertEquals(0f, range[0]);
        assertEquals(1f, range[1]); // MNIST has saturated pixels (255)
        // pixel (0, row 7, col 7..) of the first test image, a 7: byte values / 255, checked against the raw bytes
        byte[] raw = Fixtures.raw(Fixtures.images());
        for (int k = 0; k < 784; k += 37) {
            assertEquals((raw[16 + 784 * 5 + k] & 0xFF) / 255f, d.features().get(5, k));
        }
        // mean intensity of MNIST digits is about 0.13
        double sum = 0;
        for (float v : d.features().toArray()) sum += v;
        assertEquals(0.120, sum / (300 * 784), 0.001);
    }

    @Test
    void rawAndGzipGiveTheSameDataWhateverTheName() {
        // raw bytes under a .gz name and gzip bytes under a plain name: detection is by magic bytes
        Path rawImages = Fixtures.write(tmp, "images.gz", Fixtures.raw(Fixtures.images()));
        Path gzLabels = Fixtures.write(tmp, "labels.idx", Fixtures.gzip(Fixtures.raw(Fixtures.labels())));
        assertFalse(IdxReader.isGzip(rawImages));
        assertTrue(IdxReader.isGzip(gzLabels));
        Dataset a = Datasets.fromFiles(rawImages, gzLabels);
        Dataset b = Fixtures.mnist300();
        assertArrayEquals(b.features().toArray(), a.features().toArray());
        assertArrayEquals(b.labels(), a.labels());
    }

    @Test
    void unlabelledFilesGiveAnUnlabelledDataset() {
        Dataset d = Datasets.fromFiles(Fixtures.images(), null);
        assertFalse(d.hasLabels());
        assertEquals(0, d.numClasses());
    }

    // ---- corrupt inputs: each a DataException naming the file and the problem ----

    private byte[] images() { return Fixtures.raw(Fixtures.images()); }

    private byte[] labels() { return Fixtures.raw(Fixtures.labels()); }

    private static void assertImagesRejected(Path file, String problem) {
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), "expected \"" + problem + "\" in: " + e.getMessage());
    }

    private static byte[] withInt(byte[] data, int offset, int value) {
        byte[] copy = data.clone();
        ByteBuffer.wrap(copy).putInt(offset, value);
        return copy;
    }

    @Test
    void wrongMagicNumber() {
        byte[] b = images();
        b[0] = 0x1A; // e.g. a PNG or text file
        assertImagesRejected(Fixtures.write(tmp, "magic", b), "not an idx file: magic number 0x1a000803");
    }

    @Test
    void wrongDataTypeCode() {
        byte[] b = images();
        b[2] = 0x0D; // float32 idx
        assertImagesRejected(Fixtures.write(tmp, "dtype", b), "unsupported idx data type 0x0d");
    }

    @Test
    void labelFileWhereImagesExpected() {
        assertImagesRejected(Fixtures.write(tmp, "labels-as-images", labels()), "found 1");
        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(Fixtures.images()));
        assertTrue(e.getMessage().contains("found 3"), e.getMessage());
    }

    @Test
    void truncatedRawFile() {
        byte[] b = images();
        assertImagesRejected(Fixtures.write(tmp, "trunc", Arrays.copyOf(b, b.length - 100)),
                "truncated: header declares 300 x 28 x 28 = 235200 bytes of data but only 235100 follow");
    }

    @Test
    void truncatedGzipFile() {
        byte[] gz = Fixtures.gzip(images());
        Path f = Fixtures.write(tmp, "trunc.gz", Arrays.copyOf(gz, gz.length / 2));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void gzipOfATruncatedFile() {
        byte[] b = images();
        assertImagesRejected(Fixtures.write(tmp, "inner-trunc.gz", Fixtures.gzip(Arrays.copyOf(b, 1000))),
                "only 984 follow");
    }

    @Test
    void truncatedHeader() {
        assertImagesRejected(Fixtures.write(tmp, "header", Arrays.copyOf(images(), 10)), "header ends after 10 bytes");
        assertImagesRejected(Fixtures.write(tmp, "empty", new byte[0]), "header ends after 0 bytes");
    }

    @Test
    void corruptGzipStream() {
        byte[] gz = Fixtures.gzip(images());
        for (int i = 20; i < 60; i++) gz[i] ^= 0x5A;
        Path f = Fixtures.write(tmp, "garbled.gz", gz);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void trailingBytes() {
        byte[] b = Arrays.copyOf(images(), images().length + 7);
        assertImagesRejected(Fixtures.write(tmp, "trailing", b), "7 unexpected bytes after the 235200 bytes");
        assertImagesRejected(Fixtures.write(tmp, "trailing.gz", Fixtures.gzip(b)), "unexpected bytes after the 235200 bytes");
    }

    @Test
    void countsWhoseProductExceeds2To31() {
        // 2^31 - 1 images of 28x28: product far beyond 2^31, must be refused before any allocation
        assertImagesRejected(Fixtures.write(tmp, "huge", withInt(images(), 4, Integer.MAX_VALUE)),
                "hold more than 2^31 - 1 bytes");
        // a dimension with the top bit set (read as unsigned, > 2^31 - 1)
        assertImagesRejected(Fixtures.write(tmp, "negative", withInt(images(), 8, -28)), "beyond 2^31 - 1");
    }

    @Test
    void countsBeyondWhatTheFileCanHold() {
        // 200,000 x 28 x 28 = 1.57e8 bytes: a plausible size, but far beyond what both files hold
        byte[] b = withInt(images(), 4, 200_000);
        assertImagesRejected(Fixtures.write(tmp, "liar", b), "but only 235200 follow");
        assertImagesRejected(Fixtures.write(tmp, "liar.gz", Fixtures.gzip(b)), "more than a gzip file of");
    }

    @Test
    void imagesTooLargeForOneMatrix() {
        // 2,000,000 x 28 x 28 bytes fit in 2^31 but their float32 copy does not
        assertImagesRejected(Fixtures.write(tmp, "big", withInt(images(), 4, 2_000_000)), "do not fit in one float32 matrix");
    }

    @Test
    void zeroSizedImages() {
        assertImagesRejected(Fixtures.write(tmp, "zero", withInt(images(), 12, 0)), "image size 28x0 is empty");
    }

    @Test
    void missingFile() {
        assertImagesRejected(tmp.resolve("nope.idx"), "file not found");
    }

    @Test
    void imageAndLabelCountsDisagree() {
        byte[] l = labels();
        Path labels = Fixtures.write(tmp, "labels299", withInt(Arrays.copyOf(l, l.length - 1), 4, 299));
        assertEquals(299, IdxReader.readLabels(labels).length);
        DataException e = assertThrows(DataException.class, () -> Datasets.fromFiles(Fixtures.images(), labels));
        assertTrue(e.getMessage().contains(Fixtures.images().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("300 images but"), e.getMessage());
        assertTrue(e.getMessage().contains("299 labels"), e.getMessage());
    }

    @Test
    void labelBeyondTheDeclaredClasses() {
        byte[] l = labels();
        l[8 + 17] = (byte) 200;
        Path labels = Fixtures.write(tmp, "label200", l);
        DataException e = assertThrows(DataException.class, () -> Datasets.fromFiles(Fixtures.images(), labels, 10));
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("label 200 of example 17 outside [0, 10)"), e.getMessage());
        // without a declared count the classes are inferred
        assertEquals(201, Datasets.fromFiles(Fixtures.images(), labels).numClasses());
    }
}
