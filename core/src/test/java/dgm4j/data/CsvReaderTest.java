package dgm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.TestEnvironment;

/** The CSV reader: options, and each malformed input reported with file and line. */
class CsvReaderTest {
    @TempDir
    Path tmp;

    private Path csv(String name, String text) {
        return Fixtures.write(tmp, name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsFeaturesAndLastColumnLabels() {
        Path f = csv("a.csv", "0,16,8,1\n4,2,0,3\n\n16,16,16,0\n");
        Dataset d = new CsvReader().labelColumn(-1).range(0, 16).scale(1f / 16).read(f, "a");
        assertEquals(3, d.size());
        assertEquals(3, d.dim());
        assertArrayEquals(new int[] {1, 3, 0}, d.labels());
        assertEquals(4, d.numClasses());
        assertArrayEquals(new float[] {0f, 1f, 0.5f, 0.25f, 0.125f, 0f, 1f, 1f, 1f}, d.features().toArray());
    }

    @Test
    void headerFirstColumnLabelAndGzip() {
        byte[] text = "label,x,y\n2, 1.5 ,-3e2\n0,+.25,7\n".getBytes(StandardCharsets.UTF_8);
        Path f = Fixtures.write(tmp, "b.csv", Fixtures.gzip(text)); // gzip detected by content
        Dataset d = Datasets.fromCsv(f, 0, true);
        assertEquals("b.csv", d.name());
        assertArrayEquals(new int[] {2, 0}, d.labels());
        assertArrayEquals(new float[] {1.5f, -300f, 0.25f, 7f}, d.features().toArray());
    }

    @Test
    void unlabelledAndImageShape() {
        Dataset d = new CsvReader().imageShape(2, 2).read(csv("c.csv", "1,0,0,1\n0,1,1,0\n"), "c");
        assertFalse(d.hasLabels());
        assertNull(d.labels());
        assertEquals(2, d.height());
        DataException e = assertThrows(DataException.class,
                () -> new CsvReader().imageShape(3, 3).read(csv("c2.csv", "1,0,0,1\n"), "c2"));
        assertTrue(e.getMessage().contains("needs 9"), e.getMessage());
    }

    @Test
    void readsTheRealDigitsFileIfInstalled() {
        Path digits = TestEnvironment.SKLEARN_DIGITS;
        TestEnvironment.require(Files.isRegularFile(digits), "Debian python3-sklearn");
        Dataset d = Datasets.readDigits(digits);
        assertEquals(1797, d.size());
        assertEquals(64, d.dim());
        assertEquals(10, d.numClasses());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, Arrays.copyOf(d.labels(), 5));
        assertEquals(5f / 16, d.features().get(0, 2)); // first row: 0,0,5,13,...
    }

    private void assertRejected(CsvReader reader, String name, String text, String problem) {
        Path f = csv(name, text);
        DataException e = assertThrows(DataException.class, () -> reader.read(f, name));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), "expected \"" + problem + "\" in: " + e.getMessage());
    }

    @Test
    void raggedRows() {
        assertRejected(new CsvReader(), "ragged.csv", "1,2,3\n4,5,6\n7,8\n", "line 3: ragged row: 2 columns, expected 3");
        assertRejected(new CsvReader().header(true), "ragged2.csv", "a,b\n1,2\n3,4,5\n", "line 3: ragged row");
    }

    @Test
    void nanInfinityAndUnparsableValues() {
        assertRejected(new CsvReader(), "nan.csv", "1,2\nNaN,3\n", "line 2: \"NaN\" is not a number in column 0");
        assertRejected(new CsvReader(), "inf.csv", "1,Infinity\n", "line 1: \"Infinity\" is not a number in column 1");
        assertRejected(new CsvReader(), "abc.csv", "1,2\n3,4\n5,abc\n", "line 3: \"abc\" is not a number");
        assertRejected(new CsvReader(), "suffix.csv", "1f,2\n", "\"1f\" is not a number");
        assertRejected(new CsvReader(), "empty.csv", "1,,2\n", "line 1: empty field in column 1");
        assertRejected(new CsvReader(), "overflow.csv", "1e39,2\n", "line 1: 1e39 in column 0 overflows float32");
    }

    @Test
    void valuesOutOfTheDeclaredRange() {
        assertRejected(new CsvReader().range(0, 16).labelColumn(-1), "range.csv", "0,16,1\n0,17,2\n",
                "line 2: value 17 in column 1 outside the declared range [0.0, 16.0]");
        assertRejected(new CsvReader().range(0, 1), "neg.csv", "-0.5,0\n", "line 1: value -0.5");
    }

    @Test
    void badLabels() {
        assertRejected(new CsvReader().labelColumn(-1), "frac.csv", "1,2,1.5\n", "line 1: label \"1.5\" in column 2");
        assertRejected(new CsvReader().labelColumn(-1), "negl.csv", "1,2,0\n1,2,-1\n", "line 2: label \"-1\"");
        assertRejected(new CsvReader().labelColumn(-1).numClasses(10), "big.csv", "1,10\n", "label 10 outside [0, 10)");
        assertRejected(new CsvReader().labelColumn(5), "col.csv", "1,2\n", "label column 5 but the row has only 2 columns");
    }

    @Test
    void noRows() {
        assertRejected(new CsvReader().header(true), "header-only.csv", "a,b\n", "no data rows");
    }
}
