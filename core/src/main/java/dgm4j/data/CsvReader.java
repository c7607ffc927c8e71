package dgm4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

import dgm4j.math.Matrix;

/**
 * Reads numeric CSV files (raw or gzipped, detected from the magic bytes) into a {@link Dataset}: one example per
 * line, every column a decimal number, optionally one integer label column.
 *
 * <p>Options (fluent, each returns this): {@link #labelColumn(int)} (index, -1 for the last column, or
 * {@link #NO_LABEL}), {@link #header(boolean)} (skip the first line), {@link #delimiter(char)}, {@link #range(float,
 * float)} (declared range of the raw values: anything outside is an error), {@link #scale(float)} (multiplier applied
 * after the range check, e.g. 1/16 for 0..16 pixels), {@link #imageShape(int, int)} and {@link #numClasses(int)}.
 *
 * <p>Strict: ragged rows, empty fields, unparsable numbers, NaN and infinities, values out of the declared range and
 * negative or fractional labels are {@link DataException}s naming the file and the 1-based line number. Blank lines
 * are skipped.
 */
public final class CsvReader {
    /** {@link #labelColumn(int)} value for files without labels. */
    public static final int NO_LABEL = Integer.MIN_VALUE;
    /** Plain decimal numbers only: no NaN, Infinity, hex floats or type suffixes, which Float.parseFloat accepts. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("\\+?\\d+");

    private int labelColumn = NO_LABEL;
    private boolean header;
    private char delimiter = ',';
    private float min = Float.NEGATIVE_INFINITY;
    private float max = Float.POSITIVE_INFINITY;
    private float scale = 1f;
    private int height;
    private int width;
    private int numClasses = -1;

    /** Label column index (0-based), -1 for the last column, or {@link #NO_LABEL} (the default). */
    public CsvReader labelColumn(int column) {
        if (column < -1 && column != NO_LABEL) throw new IllegalArgumentException("label column must be >= -1, got " + column);
        this.labelColumn = column;
        return this;
    }

    /** Whether the first line is a header to skip (default false). */
    public CsvReader header(boolean hasHeader) {
        this.header = hasHeader;
        return this;
    }

    public CsvReader delimiter(char c) {
        this.delimiter = c;
        return this;
    }

    /** Declared range of the raw feature values, inclusive: values outside are a {@link DataException}. */
    public CsvReader range(float lo, float hi) {
        if (!(lo <= hi)) throw new IllegalArgumentException("empty range [" + lo + ", " + hi + "]");
        this.min = lo;
        this.max = hi;
        return this;
    }

    /** Multiplies every feature value by {@code factor} after the range check (default 1). */
    public CsvReader scale(float factor) {
        this.scale = factor;
        return this;
    }

    /** Declares the features to be height x width images (row-major). */
    public CsvReader imageShape(int h, int w) {
        this.height = h;
        this.width = w;
        return this;
    }

    /** Declared number of classes: larger labels are an error. Default: largest label + 1. */
    public CsvReader numClasses(int n) {
        this.numClasses = n;
        return this;
    }

    /** Reads the file; the dataset is named {@code name}. */
    public Dataset read(Path file, String name) {
        float[] values = new float[1 << 12];
        int[] labels = labelColumn == NO_LABEL ? null : new int[256];
        int rows = 0;
        int columns = -1;
        int maxLabel = -1;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(IdxReader.open(file), StandardCharsets.UTF_8))) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && header) continue;
                if (line.isBlank()) continue;
                String[] fields = split(line);
                if (columns < 0) {
                    columns = fields.length;
                    if (labelColumn >= columns) {
                        throw DataException.atLine(file, lineNo, "label column " + labelColumn + " but the row has only "
                                + columns + " columns");
                    }
                    if (labels != null && columns < 2) {
                        throw DataException.atLine(file, lineNo, "a row needs a label and at least one feature, found "
                                + columns + " column");
                    }
                } else if (fields.length != columns) {
                    throw DataException.atLine(file, lineNo, "ragged row: " + fields.length + " columns, expected "
                            + columns + " like the first row");
                }
                int label = labels == null ? -1 : (labelColumn == -1 ? columns - 1 : labelColumn);
                int d = labels == null ? columns : columns - 1;
                if ((long) (rows + 1) * d > Integer.MAX_VALUE / Float.BYTES - 64) {
                    throw DataException.atLine(file, lineNo, "too many values for one matrix (2 GiB of float32)");
                }
                if (values.length < (rows + 1) * d) {
                    values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE / Float.BYTES - 64,
                            Math.max(2L * values.length, (long) (rows + 1) * d)));
                }
                int off = rows * d;
                for (int c = 0; c < columns; c++) {
                    String f = fields[c].trim();
                    if (c == label) {
                        if (!INTEGER.matcher(f).matches() || f.length() > 9) {
                            throw DataException.atLine(file, lineNo, "label \"" + f + "\" in column " + c
                                    + " is not a non-negative integer");
                        }
                        int y = Integer.parseInt(f);
                        if (numClasses > 0 && y >= numClasses) {
                            throw DataException.atLine(file, lineNo, "label " + y + " outside [0, " + numClasses + ")");
                        }
                        if (rows == labels.length) labels = Arrays.copyOf(labels, 2 * labels.length);
                        labels[rows] = y;
                        maxLabel = Math.max(maxLabel, y);
                    } else {
                        if (!NUMBER.matcher(f).matches()) {
                            throw DataException.atLine(file, lineNo, (f.isEmpty() ? "empty field" : "\"" + f
                                    + "\" is not a number") + " in column " + c);
                        }
                        float v = Float.parseFloat(f);
                        if (!Float.isFinite(v)) {
                            throw DataException.atLine(file, lineNo, f + " in column " + c + " overflows float32");
                        }
                        if (v < min || v > max) {
                            throw DataException.atLine(file, lineNo, "value " + f + " in column " + c
                                    + " outside the declared range [" + min + ", " + max + "]");
                        }
                        values[off++] = v * scale;
                    }
                }
                rows++;
            }
        } catch (IOException e) {
            throw IdxReader.ioProblem(file, e);
        }
        if (rows == 0) throw new DataException(file, "no data rows");
        int d = labels == null ? columns : columns - 1;
        if (height > 0 && (long) height * width != d) {
            throw new DataException(file, d + " features per row, but the image shape " + height + "x" + width
                    + " needs " + ((long) height * width));
        }
        Matrix m = Matrix.zeros(rows, d);
        m.copyFrom(rows * d == values.length ? values : Arrays.copyOf(values, rows * d));
        int[] y = labels == null ? null : Arrays.copyOf(labels, rows);
        return new Dataset(name, m, y, height, width, numClasses > 0 ? numClasses : maxLabel + 1);
    }

    /** Splits on the delimiter, keeping empty fields (unlike String.split with trailing ones). */
    private String[] split(String line) {
        int count = 1;
        for (int i = 0; i < line.length(); i++) if (line.charAt(i) == delimiter) count++;
        String[] out = new String[count];
        int start = 0, k = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == delimiter) {
                out[k++] = line.substring(start, i);
                start = i + 1;
            }
        }
        return out;
    }
}
