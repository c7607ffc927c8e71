package dgm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.InputException;

/** Translated and cluttered digits: shapes, determinism, and every pixel where the generator says it is. */
class DigitCanvasTest {
    private static final Dataset MNIST = Fixtures.mnist300();

    @Test
    void translatedDigitIsWhereThePlacementSaysAndNothingElseIsDrawn() {
        DigitCanvas.Config c = DigitCanvas.Config.translated(60, 7);
        Dataset d = DigitCanvas.render(MNIST, 0, 300, c);
        assertEquals(300, d.size());
        assertEquals(60, d.height());
        assertEquals(60, d.width());
        assertEquals(3600, d.dim());
        assertArrayEquals(MNIST.labels(), d.labels());
        assertEquals(10, d.numClasses());
        float[] row = new float[3600], digit = new float[784];
        for (int i = 0; i < 300; i++) {
            DigitCanvas.Placement p = DigitCanvas.placement(c, i, 28, 28);
            assertTrue(p.top() >= 0 && p.top() <= 32 && p.left() >= 0 && p.left() <= 32, p.toString());
            d.features().getRow(i, row);
            MNIST.features().getRow(i, digit);
            for (int y = 0; y < 60; y++) {
                for (int x = 0; x < 60; x++) {
                    int dy = y - p.top(), dx = x - p.left();
                    boolean inside = dy >= 0 && dy < 28 && dx >= 0 && dx < 28;
                    assertEquals(inside ? digit[dy * 28 + dx] : 0f, row[y * 60 + x], "example " + i + " pixel " + y + "," + x);
                }
            }
        }
    }

    @Test
    void placementsCoverTheCanvas() {
        DigitCanvas.Config c = DigitCanvas.Config.translated(60, 1);
        int minTop = 99, maxTop = -1, minLeft = 99, maxLeft = -1;
        double sum = 0;
        for (int i = 0; i < 2000; i++) {
            DigitCanvas.Placement p = DigitCanvas.placement(c, i, 28, 28);
            minTop = Math.min(minTop, p.top());
            maxTop = Math.max(maxTop, p.top());
            minLeft = Math.min(minLeft, p.left());
            maxLeft = Math.max(maxLeft, p.left());
            sum += p.top() + p.left();
        }
        assertEquals(0, minTop);
        assertEquals(32, maxTop);
        assertEquals(0, minLeft);
        assertEquals(32, maxLeft);
        assertEquals(32.0, sum / 2000, 1.0, "mean top + left of a uniform placement is 16 + 16");
    }

    @Test
    void deterministicPerSeedAndIndependentOfTheRangeMade() {
        DigitCanvas.Config c = DigitCanvas.Config.cluttered(60, 3);
        Dataset all = DigitCanvas.render(MNIST, 0, 300, c);
        Dataset again = DigitCanvas.render(MNIST, 0, 300, c);
        assertArrayEquals(all.features().toArray(), again.features().toArray());
        Dataset part = DigitCanvas.render(MNIST, 100, 120, c);
        assertEquals(20, part.size());
        assertArrayEquals(all.features().rows(100, 120).toArray(), part.features().toArray());
        assertEquals(MNIST.label(100), part.label(0));
        Dataset other = DigitCanvas.render(MNIST, 0, 300, DigitCanvas.Config.cluttered(60, 4));
        int same = 0;
        for (int i = 0; i < 300; i++) {
            if (DigitCanvas.placement(c, i, 28, 28).equals(DigitCanvas.placement(DigitCanvas.Config.cluttered(60, 4), i, 28, 28))) same++;
        }
        assertTrue(same < 10, same + " of 300 placements equal under another seed");
        assertNotEquals(all.features().getFlat(0) + " " + Arrays.hashCode(all.features().toArray()),
                other.features().getFlat(0) + " " + Arrays.hashCode(other.features().toArray()));
    }

    @Test
    void clutterFragmentsComeFromOtherDigitsAndTheDigitIsOnTop() {
        DigitCanvas.Config c = DigitCanvas.Config.cluttered(60, 11);
        Dataset d = DigitCanvas.render(MNIST, 0, 300, c);
        // the same seed places the digit where its translated twin has it
        assertEquals(DigitCanvas.placement(DigitCanvas.Config.translated(60, 11), 5, 28, 28), DigitCanvas.placement(c, 5, 28, 28));
        float[] row = new float[3600], digit = new float[784], source = new float[784];
        int litPixels = 0;
        for (int i = 0; i < 300; i++) {
            // rebuild the canvas from the generator's description, independently of render's loops
            float[] expected = new float[3600];
            List<DigitCanvas.Fragment> fragments = DigitCanvas.clutter(c, i, 300, 28, 28);
            assertEquals(4, fragments.size());
            for (DigitCanvas.Fragment f : fragments) {
                assertNotEquals(i, f.source(), "clutter from another digit");
                assertTrue(f.top() <= 52 && f.left() <= 52 && f.sourceTop() <= 20 && f.sourceLeft() <= 20, f.toString());
                MNIST.features().getRow(f.source(), source);
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        int at = (f.top() + y) * 60 + f.left() + x;
                        expected[at] = Math.max(expected[at], source[(f.sourceTop() + y) * 28 + f.sourceLeft() + x]);
                    }
                }
            }
            DigitCanvas.Placement p = DigitCanvas.placement(c, i, 28, 28);
            MNIST.features().getRow(i, digit);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int at = (p.top() + y) * 60 + p.left() + x;
                    expected[at] = Math.max(expected[at], digit[y * 28 + x]);
                }
            }
            d.features().getRow(i, row);
            assertArrayEquals(expected, row, "example " + i);
            for (int k = 0; k < 3600; k++) if (row[k] > 0) litPixels++;
        }
        // clutter adds ink: more lit pixels than the digits alone
        double digitInk = 0;
        for (int k = 0; k < MNIST.features().size(); k++) if (MNIST.features().getFlat(k) > 0) digitInk++;
        assertTrue(litPixels > digitInk * 1.2, litPixels + " lit pixels vs " + digitInk);
        assertTrue(d.range()[1] <= 1f && d.range()[0] >= 0f);
    }

    @Test
    void refusesDigitsLargerThanTheCanvasAndBadSettings() {
        assertThrows(InputException.class, () -> DigitCanvas.render(MNIST, 0, 10, DigitCanvas.Config.translated(20, 1)));
        assertThrows(InputException.class, () -> new DigitCanvas.Config(60, -1, 8, 1));
        assertThrows(InputException.class, () -> new DigitCanvas.Config(60, 2, 0, 1));
        assertThrows(InputException.class, () -> new DigitCanvas.Config(0, 0, 0, 1));
    }

    @TempDir
    Path dataDir;

    @Test
    void catalogSplitsFromTheFetchedMnist() throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("mnist"));
        writeIdx(dir, "train", 60_000);
        writeIdx(dir, "t10k", 10_000);
        Dataset validation = Datasets.load(DigitCanvas.TRANSLATED, "validation", dataDir);
        assertEquals("mnist-translated/validation", validation.name());
        assertEquals(10_000, validation.size());
        assertEquals(60, validation.height());
        Dataset digits = Datasets.load("mnist", "train+validation", dataDir);
        DigitCanvas.Config c = DigitCanvas.Config.translated(60, DigitCanvas.TRAIN_SEED);
        Dataset expected = DigitCanvas.render(digits, 50_000, 50_010, c);
        assertArrayEquals(expected.features().toArray(), validation.features().rows(0, 10).toArray());
        assertEquals(digits.label(50_000), validation.label(0));
        Dataset test = Datasets.load(DigitCanvas.CLUTTERED, "test", dataDir);
        assertEquals("mnist-cluttered/test", test.name());
        assertEquals(10_000, test.size());
        Dataset testDigits = Datasets.load("mnist", "test", dataDir);
        assertArrayEquals(DigitCanvas.render(testDigits, 0, 5, DigitCanvas.Config.cluttered(60, DigitCanvas.TEST_SEED)).features().toArray(),
                test.features().rows(0, 5).toArray());
        InputException e = assertThrows(InputException.class, () -> Datasets.load("mnist-rotated", "train", dataDir));
        assertTrue(e.getMessage().contains("mnist-translated, mnist-cluttered"), e.getMessage());
    }

    @Test
    void notFetchedMnistTellsWhatToRun(@TempDir Path empty) {
        DataException e = assertThrows(DataException.class, () -> Datasets.load(DigitCanvas.CLUTTERED, "test", empty));
        assertTrue(e.getMessage().contains("dgm data fetch mnist"), e.getMessage());
    }

    /** idx3 of n 4x4 images with a lit pixel at i % 16, idx1 labels i % 10. */
    private static void writeIdx(Path dir, String prefix, int n) throws IOException {
        ByteBuffer img = ByteBuffer.allocate(16 + 16 * n).putInt(0x803).putInt(n).putInt(4).putInt(4);
        ByteBuffer lab = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 16; k++) img.put((byte) (k == i % 16 ? 255 : k));
            lab.put((byte) (i % 10));
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), img.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), lab.array());
    }
}
