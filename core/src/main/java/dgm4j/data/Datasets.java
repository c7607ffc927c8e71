package dgm4j.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import dgm4j.InputException;

/**
 * Loading datasets: the catalog datasets by name and standard split ({@link #load}), and a user's own idx or CSV
 * files ({@link #fromFiles}, {@link #fromCsv}).
 *
 * <p>Splits: for mnist and fashion-mnist, {@code train} is the first 50,000 of the 60,000 training images,
 * {@code validation} the last 10,000, {@code train+validation} all 60,000 and {@code test} the 10,000 t10k images.
 * For digits (1,797 rows, in file order): {@code train} is rows [0, 1197), {@code validation} rows [1197, 1397)
 * (so {@code train+validation} is the first 1,397) and {@code test} the last 400 rows [1397, 1797). Pixels are scaled
 * to [0, 1]: idx bytes / 255, digits counts / 16. {@code mnist-translated} and {@code mnist-cluttered} are made from
 * the fetched mnist with the same splits ({@link DigitCanvas}).
 */
public final class Datasets {
    /** The standard splits. */
    public enum Split {
        TRAIN("train"), VALIDATION("validation"), TEST("test"), TRAIN_VALIDATION("train+validation");

        private final String text;

        Split(String text) {
            this.text = text;
        }

        public String text() { return text; }

        /** Parses train | validation | test | train+validation (case-insensitive). */
        public static Split parse(String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            for (Split sp : values()) if (sp.text.equals(t)) return sp;
            throw new InputException("unknown split \"" + s + "\": expected train, validation, test or train+validation");
        }
    }

    /** Number of MNIST / Fashion-MNIST training images, and how many of them form the validation split. */
    static final int IDX_TRAIN = 60_000, IDX_VALIDATION = 10_000, IDX_TEST = 10_000;
    /** Digits: rows in the file, end of train, end of validation (start of test). */
    static final int DIGITS_ROWS = 1797, DIGITS_TRAIN_END = 1197, DIGITS_VALIDATION_END = 1397;

    private Datasets() { }

    /** {@link #load(String, String, Path)} with {@link DataDirectory#defaultDir()}. */
    public static Dataset load(String name, String split) {
        return load(name, split, null);
    }

    /**
     * Loads a split of a catalog dataset from the data directory (null: {@link DataDirectory#defaultDir()}).
     * The dataset is named "NAME/SPLIT".
     *
     * @throws DataException if the dataset is not in the data directory (the message says to run
     *                       {@code dgm data fetch NAME}) or its files are corrupt
     */
    public static Dataset load(String name, String split, Path dataDir) {
        if (DigitCanvas.NAMES.contains(name)) return DigitCanvas.load(name, split, dataDir);
        if (!DataDirectory.NAMES.contains(name)) {
            throw new InputException("unknown dataset \"" + name + "\": expected one of " + String.join(", ", DataDirectory.NAMES)
                    + ", or " + String.join(", ", DigitCanvas.NAMES) + " (made from mnist)");
        }
        List<String> files = DataDirectory.files(name);   // an unknown name before a bad split
        Split sp = Split.parse(split);
        Path dir = DataDirectory.requireFetched(name, dataDir);
        if (TextCorpus.NAMES.contains(name)) throw new DataException(name + " is text: load it with TextCorpus.load");
        String label = name + "/" + sp.text();
        if (name.equals("digits")) {
            Dataset all = readDigits(dir.resolve("digits.csv.gz"));
            switch (sp) {
                case TRAIN: return all.subset(0, DIGITS_TRAIN_END).copy().withName(label);
                case VALIDATION: return all.subset(DIGITS_TRAIN_END, DIGITS_VALIDATION_END).copy().withName(label);
                case TRAIN_VALIDATION: return all.subset(0, DIGITS_VALIDATION_END).copy().withName(label);
                default: return all.subset(DIGITS_VALIDATION_END, DIGITS_ROWS).copy().withName(label);
            }
        }
        String suffix = files.get(0).endsWith(".gz") ? ".gz" : "";
        if (sp == Split.TEST) {
            return readIdx(dir, "t10k", suffix, IDX_TEST, label);
        }
        Dataset train = readIdx(dir, "train", suffix, IDX_TRAIN, label);
        int cut = IDX_TRAIN - IDX_VALIDATION;
        switch (sp) {
            case TRAIN: return train.subset(0, cut).copy();
            case VALIDATION: return train.subset(cut, IDX_TRAIN).copy();
            default: return train;
        }
    }

    /** The digits CSV: 64 counts in 0..16 scaled by 1/16, then the label; must have exactly 1,797 rows. */
    static Dataset readDigits(Path file) {
        Dataset d = new CsvReader().labelColumn(-1).range(0, 16).scale(1f / 16).imageShape(8, 8).numClasses(10)
                .read(file, "digits");
        if (d.size() != DIGITS_ROWS) {
            throw new DataException(file, "expected " + DIGITS_ROWS + " digits, found " + d.size());
        }
        return d;
    }

    private static Dataset readIdx(Path dir, String prefix, String suffix, int expected, String name) {
        Path images = dir.resolve(prefix + "-images-idx3-ubyte" + suffix);
        Dataset d = fromFiles(images, dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), 10);
        if (d.size() != expected) {
            throw new DataException(images, "expected " + expected + " images, found " + d.size());
        }
        return d.withName(name);
    }

    /**
     * A dataset from a user's idx files (raw or gzipped): idx3 unsigned-byte images scaled to [0, 1] and, if
     * {@code labels} is not null, idx1 labels (number of classes: largest label + 1). Named after the image file.
     */
    public static Dataset fromFiles(Path images, Path labels) {
        return fromFiles(images, labels, -1);
    }

    /** As {@link #fromFiles(Path, Path)}, with a declared number of classes (labels beyond it are an error). */
    public static Dataset fromFiles(Path images, Path labels, int numClasses) {
        IdxReader.Images im = IdxReader.readImages(images);
        int[] y = null;
        int classes = 0;
        if (labels != null) {
            y = IdxReader.readLabels(labels);
            if (y.length != im.count()) {
                throw new DataException(images + " holds " + im.count() + " images but " + labels + " holds "
                        + y.length + " labels");
            }
            int max = -1;
            for (int i = 0; i < y.length; i++) {
                if (numClasses > 0 && y[i] >= numClasses) {
                    throw new DataException(labels, "label " + y[i] + " of example " + i + " outside [0, " + numClasses + ")");
                }
                max = Math.max(max, y[i]);
            }
            classes = numClasses > 0 ? numClasses : max + 1;
        }
        String name = images.getFileName().toString().replaceFirst("\\.gz$", "");
        return new Dataset(name, im.pixels(), y, im.height(), im.width(), classes);
    }

    /**
     * A dataset from a numeric CSV file (raw or gzipped), named after the file.
     *
     * @param labelColumn index of the label column, -1 for the last one, or {@link CsvReader#NO_LABEL}
     * @param header      whether the first line is a header to skip
     */
    public static Dataset fromCsv(Path file, int labelColumn, boolean header) {
        return fromCsv(file, new CsvReader().labelColumn(labelColumn).header(header));
    }

    /** A dataset from a CSV file with the given reader options, named after the file. */
    public static Dataset fromCsv(Path file, CsvReader reader) {
        return reader.read(file, file.getFileName().toString().replaceFirst("\\.gz$", ""));
    }
}
