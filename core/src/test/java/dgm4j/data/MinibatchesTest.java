package dgm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/** Minibatches: coverage per epoch, content, partial batches, reproducibility. */
class MinibatchesTest {
    private final Dataset mnist = Fixtures.mnist300();

    /** Dataset indices of every batch of {@code epochs} epochs, one int[] per batch. */
    private static List<int[]> run(Minibatches mb, int epochs) {
        List<int[]> batches = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            while (mb.next()) batches.add(Arrays.copyOf(mb.indices(), mb.currentSize()));
        }
        return batches;
    }

    @Test
    void everyExampleExactlyOncePerEpochWithItsRowAndLabel() {
        Minibatches mb = new Minibatches(mnist, 32, false, Binarization.none(), new RandomStream(3));
        assertEquals(10, mb.batchesPerEpoch());
        Matrix buffer = mb.buffer();
        float[] expected = new float[784], got = new float[784];
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] seen = new int[300];
            int batches = 0;
            while (mb.next()) {
                batches++;
                assertSame(buffer, mb.buffer(), "one preallocated buffer");
                int n = mb.currentSize();
                assertEquals(batches < 10 ? 32 : 300 - 9 * 32, n);
                assertEquals(n, mb.features().rows());
                for (int k = 0; k < n; k++) {
                    int i = mb.indices()[k];
                    seen[i]++;
                    assertEquals(mnist.label(i), mb.labels()[k]);
                    mnist.features().getRow(i, expected);
                    mb.features().getRow(k, got);
                    assertArrayEquals(expected, got);
                }
            }
            assertEquals(10, batches);
            for (int c : seen) assertEquals(1, c);
            assertEquals(epoch + 1, mb.epoch());
        }
    }

    @Test
    void dropLastDropsThePartialBatch() {
        Minibatches mb = new Minibatches(mnist, 32, true, Binarization.none(), new RandomStream(3));
        assertEquals(9, mb.batchesPerEpoch());
        List<int[]> batches = run(mb, 1);
        assertEquals(9, batches.size());
        boolean[] seen = new boolean[300];
        for (int[] b : batches) {
            assertEquals(32, b.length);
            for (int i : b) {
                assertFalse(seen[i], "example " + i + " twice");
                seen[i] = true;
            }
        }
        assertThrows(DataException.class, () -> new Minibatches(mnist, 301, true, Binarization.none(), new RandomStream(1)));
    }

    @Test
    void sameSeedSameBatchesAndEpochsAreReshuffled() {
        List<int[]> a = run(new Minibatches(mnist, 50, false, Binarization.none(), new RandomStream(5)), 3);
        List<int[]> b = run(new Minibatches(mnist, 50, false, Binarization.none(), new RandomStream(5)), 3);
        List<int[]> c = run(new Minibatches(mnist, 50, false, Binarization.none(), new RandomStream(6)), 3);
        assertEquals(18, a.size());
        for (int k = 0; k < a.size(); k++) assertArrayEquals(a.get(k), b.get(k));
        assertFalse(Arrays.equals(a.get(0), c.get(0)), "another seed, another order");
        assertFalse(Arrays.equals(a.get(0), a.get(6)), "epoch 2 reshuffled");
        int[] sorted = a.get(0).clone();
        Arrays.sort(sorted);
        assertNotEquals(Arrays.toString(sorted), Arrays.toString(a.get(0)), "first batch shuffled");
    }

    @Test
    void dynamicBatchesReproduceWithTheSeed() {
        Minibatches a = new Minibatches(mnist, 64, false, Binarization.dynamic(), new RandomStream(9));
        Minibatches b = new Minibatches(mnist, 64, false, Binarization.dynamic(), new RandomStream(9));
        for (int t = 0; t < 7; t++) {
            assertEquals(a.next(), b.next());
            assertArrayEquals(a.features().toArray(), b.features().toArray());
        }
    }

    @Test
    void fixedBinarizationIsAppliedOnceToTheData() {
        Minibatches mb = new Minibatches(mnist, 100, false, Binarization.fixed(4), new RandomStream(1));
        float[] bits = Binarization.fixed(4).apply(mnist).features().toArray();
        float[] row = new float[784];
        while (mb.next()) {
            for (int k = 0; k < mb.currentSize(); k++) {
                mb.features().getRow(k, row);
                int i = mb.indices()[k];
                assertArrayEquals(Arrays.copyOfRange(bits, i * 784, (i + 1) * 784), row);
            }
        }
    }

    @Test
    void sequentialOrderWithoutShuffle() {
        Minibatches mb = new Minibatches(mnist.subset(0, 10), 4, false, false, Binarization.none(), null);
        List<int[]> batches = run(mb, 2);
        assertEquals(6, batches.size());
        assertArrayEquals(new int[] {8, 9}, batches.get(2));
        assertArrayEquals(new int[] {0, 1, 2, 3}, batches.get(3));
        assertTrue(mb.labels().length == 4);
    }
}
