package dgm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.InputException;

/** Standard splits on small synthetic caches whose pixels encode the example index. */
class DatasetsTest {
    @TempDir
    Path dataDir;

    /** idx3 of n 2x2 images: pixel 0 = i / 256 % 256, pixel 1 = i % 256, pixel 2 = 255; idx1 labels i % 10. */
    private static void writeIdx(Path dir, String prefix, String suffix, int n) throws IOException {
        ByteBuffer img = ByteBuffer.allocate(16 + 4 * n).putInt(0x803).putInt(n).putInt(2).putInt(2);
        ByteBuffer lab = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            img.put((byte) (i / 256)).put((byte) i).put((byte) 255).put((byte) 0);
            lab.put((byte) (i % 10));
        }
        boolean gz = suffix.equals(".gz");
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), gz ? Fixtures.gzip(img.array()) : img.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), gz ? Fixtures.gzip(lab.array()) : lab.array());
    }

    /** The example index encoded in row r. */
    private static int index(Dataset d, int r) {
        return Math.round(d.features().get(r, 0) * 255) * 256 + Math.round(d.features().get(r, 1) * 255);
    }

    @Test
    void mnistSplits() throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("mnist"));
        writeIdx(dir, "train", "", 60_000);
        writeIdx(dir, "t10k", "", 10_000);
        Dataset train = Datasets.load("mnist", "train", dataDir);
        assertEquals("mnist/train", train.name());
        assertEquals(50_000, train.size());
        assertEquals(0, index(train, 0));
        assertEquals(49_999 % 65536, index(train, 49_999));
        assertEquals(1f, train.features().get(7, 2)); // 255 / 255
        Dataset val = Datasets.load("mnist", "validation", dataDir);
        assertEquals(10_000, val.size());
        assertEquals(50_000, index(val, 0));
        assertEquals(50_000 % 10, val.label(0));
        assertEquals(60_000, Datasets.load("mnist", "train+validation", dataDir).size());
        Dataset test = Datasets.load("mnist", "TEST", dataDir);
        assertEquals(10_000, test.size());
        assertEquals(0, index(test, 0));
        assertEquals(10, test.numClasses());
    }

    @Test
    void fashionMnistReadsGzippedFilesAndChecksCounts() throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("fashion-mnist"));
        writeIdx(dir, "train", ".gz", 60_000);
        writeIdx(dir, "t10k", ".gz", 9_999);
        assertEquals(50_000, index(Datasets.load("fashion-mnist", "validation", dataDir), 0));
        DataException e = assertThrows(DataException.class, () -> Datasets.load("fashion-mnist", "test", dataDir));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz: expected 10000 images, found 9999"), e.getMessage());
    }

    @Test
    void digitsSplitsInFileOrder() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < 1797; r++) {
            for (int j = 0; j < 64; j++) sb.append(j == 0 ? r % 17 : j == 1 ? r / 17 % 17 : 16).append(',');
            sb.append(r % 10).append('\n');
        }
        Path dir = Files.createDirectories(dataDir.resolve("digits"));
        Files.write(dir.resolve("digits.csv.gz"), Fixtures.gzip(sb.toString().getBytes(StandardCharsets.US_ASCII)));
        int[][] expected = {{1197, 0}, {200, 1197}, {1397, 0}, {400, 1397}};
        String[] splits = {"train", "validation", "train+validation", "test"};
        for (int s = 0; s < 4; s++) {
            Dataset d = Datasets.load("digits", splits[s], dataDir);
            assertEquals(expected[s][0], d.size(), splits[s]);
            int first = expected[s][1];
            assertEquals((first % 17) / 16f, d.features().get(0, 0), splits[s]);
            assertEquals((first / 17 % 17) / 16f, d.features().get(0, 1), splits[s]);
            assertEquals(first % 10, d.label(0));
            assertEquals(8, d.height());
            assertEquals(1f, d.range()[1]);
        }
    }

    @Test
    void notFetchedTellsWhatToRun() {
        DataException e = assertThrows(DataException.class, () -> Datasets.load("fashion-mnist", "train", dataDir));
        assertTrue(e.getMessage().contains("run `dgm data fetch fashion-mnist`"), e.getMessage());
        assertTrue(e.getMessage().contains(dataDir.toString()), e.getMessage());
    }

    @Test
    void unknownNamesAndSplits() {
        assertThrows(InputException.class, () -> Datasets.load("cifar", "train", dataDir));
        InputException e = assertThrows(InputException.class, () -> Datasets.load("mnist", "dev", dataDir));
        assertTrue(e.getMessage().contains("unknown split \"dev\""), e.getMessage());
        assertEquals(Datasets.Split.TRAIN_VALIDATION, Datasets.Split.parse("Train+Validation"));
    }

    @Test
    void subsetIsAViewWithItsLabels() {
        Dataset d = Fixtures.mnist300();
        Dataset s = d.subset(5, 15);
        assertEquals(10, s.size());
        assertEquals(d.label(5), s.label(0));
        assertEquals(d.features().get(5, 400), s.features().get(0, 400));
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(10, 301));
        assertTrue(d.toString().contains("300 x 784, 28x28 images, 10 classes"), d.toString());
    }
}
