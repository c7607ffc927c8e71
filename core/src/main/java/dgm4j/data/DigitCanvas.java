package dgm4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dgm4j.InputException;
import dgm4j.math.Matrix;

/**
 * Digits placed on a larger canvas, where a classifier must first find them (Mnih et al. 2014, sec. 4.1): translated
 * MNIST puts each 28 x 28 digit at a uniformly random position of a 60 x 60 canvas; cluttered MNIST adds, before the
 * digit, {@value #FRAGMENTS} fragments of {@value #FRAGMENT_SIZE} x {@value #FRAGMENT_SIZE} pixels cut at random from
 * other random digits of the same file, each at a random position (pixels combine by their maximum, so values stay in
 * [0, 1]). Labels are the digits'.
 *
 * <p>Deterministic: example i's placement and clutter depend only on the seed and i (a SplitMix64 sequence started
 * from both), never on which other examples are made, so any range of examples can be made alone and the splits agree
 * (the rows of {@code train} then {@code validation} are those of {@code train+validation}). The catalog datasets
 * {@value #TRANSLATED} and {@value #CLUTTERED} are made this way from the fetched mnist (same splits as mnist): the
 * 60,000 training images with seed {@value #TRAIN_SEED}, the 10,000 test images with seed {@value #TEST_SEED}
 * (cluttered: the same seeds, so a cluttered image has its translated twin's digit position). Nothing is written to
 * disk: 50,000 canvases of 60 x 60 take 720 MB and a second or two to make.
 */
public final class DigitCanvas {
    /** Catalog names of the derived datasets. */
    public static final String TRANSLATED = "mnist-translated", CLUTTERED = "mnist-cluttered";
    public static final List<String> NAMES = List.of(TRANSLATED, CLUTTERED);
    /** Mnih et al.'s canvas side, clutter fragments per image and fragment side. */
    public static final int CANVAS = 60, FRAGMENTS = 4, FRAGMENT_SIZE = 8;
    /** Seeds of the catalog datasets: MNIST's training file and its test file. */
    public static final long TRAIN_SEED = 60_000, TEST_SEED = 10_000;

    private DigitCanvas() {}

    /**
     * How digits are placed: on a {@code canvas} x {@code canvas} image, with {@code fragments} clutter fragments of
     * {@code fragmentSize} x {@code fragmentSize} pixels (0 fragments: translated only), drawn from {@code seed}.
     */
    public record Config(int canvas, int fragments, int fragmentSize, long seed) {
        public Config {
            if (canvas < 1) throw new InputException("the canvas side must be positive, got " + canvas);
            if (fragments < 0) throw new InputException("the number of clutter fragments must be non-negative, got " + fragments);
            if (fragments > 0 && (fragmentSize < 1 || fragmentSize > canvas)) {
                throw new InputException("clutter fragments must be 1 to " + canvas + " pixels wide, got " + fragmentSize);
            }
        }

        /** Translated digits on a canvas of this side. */
        public static Config translated(int canvas, long seed) { return new Config(canvas, 0, 0, seed); }

        /** Translated digits with Mnih et al.'s clutter: {@value #FRAGMENTS} fragments of {@value #FRAGMENT_SIZE} pixels. */
        public static Config cluttered(int canvas, long seed) { return new Config(canvas, FRAGMENTS, FRAGMENT_SIZE, seed); }
    }

    /** Where a digit goes: its top-left pixel on the canvas. */
    public record Placement(int top, int left) {}

    /** A clutter fragment: cut from example {@code source} at (sourceTop, sourceLeft), pasted at (top, left). */
    public record Fragment(int source, int sourceTop, int sourceLeft, int top, int left) {}

    /** The placement of example {@code index}'s digit of {@code height} x {@code width} pixels, uniform over the canvas. */
    public static Placement placement(Config c, int index, int height, int width) {
        requireFits(c, height, width);
        Draws d = new Draws(c.seed(), index);
        return new Placement(d.nextInt(c.canvas() - height + 1), d.nextInt(c.canvas() - width + 1));
    }

    /** The clutter of example {@code index} among {@code examples} digits of {@code height} x {@code width}. */
    public static List<Fragment> clutter(Config c, int index, int examples, int height, int width) {
        requireFits(c, height, width);
        Draws d = new Draws(c.seed(), index);
        d.nextInt(c.canvas() - height + 1);                 // the placement's two draws come first
        d.nextInt(c.canvas() - width + 1);
        List<Fragment> out = new ArrayList<>();
        int f = c.fragmentSize();
        for (int k = 0; k < c.fragments(); k++) {
            int source = examples > 1 ? d.nextInt(examples - 1) : 0;
            if (examples > 1 && source >= index) source++;   // another digit than this one
            out.add(new Fragment(source, d.nextInt(Math.max(1, height - f + 1)), d.nextInt(Math.max(1, width - f + 1)),
                    d.nextInt(c.canvas() - f + 1), d.nextInt(c.canvas() - f + 1)));
        }
        return out;
    }

    /**
     * Examples [from, to) of {@code digits} (images) on canvases: a new dataset of (to - from) canvas x canvas images
     * with their labels. Example indices (for placement and clutter) are those in {@code digits}, and clutter comes from
     * any of its images.
     */
    public static Dataset render(Dataset digits, int from, int to, Config c) {
        if (!digits.isImage()) throw new InputException(digits.name() + " holds no images to place on a canvas");
        if (from < 0 || to > digits.size() || from > to) {
            throw new IllegalArgumentException("examples [" + from + ", " + to + ") of " + digits.size());
        }
        int h = digits.height(), w = digits.width(), side = c.canvas();
        requireFits(c, h, w);
        Matrix out = Matrix.zeros(to - from, side * side);
        float[] canvas = new float[side * side], digit = new float[h * w], source = new float[h * w];
        for (int i = from; i < to; i++) {
            Arrays.fill(canvas, 0f);
            for (Fragment fr : clutter(c, i, digits.size(), h, w)) {
                digits.features().getRow(fr.source(), source);
                int f = Math.min(c.fragmentSize(), Math.min(h, w));
                for (int y = 0; y < f; y++) {
                    for (int x = 0; x < f; x++) {
                        int at = (fr.top() + y) * side + fr.left() + x;
                        canvas[at] = Math.max(canvas[at], source[(fr.sourceTop() + y) * w + fr.sourceLeft() + x]);
                    }
                }
            }
            Placement p = placement(c, i, h, w);
            digits.features().getRow(i, digit);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int at = (p.top() + y) * side + p.left() + x;
                    canvas[at] = Math.max(canvas[at], digit[y * w + x]);
                }
            }
            out.setRow(i - from, canvas);
        }
        int[] labels = digits.hasLabels() ? Arrays.copyOfRange(digits.labels(), from, to) : null;
        return new Dataset(digits.name(), out, labels, side, side, digits.numClasses());
    }

    /**
     * A split of {@value #TRANSLATED} or {@value #CLUTTERED} made from the fetched mnist (the split names and sizes of
     * {@link Datasets#load}), named "NAME/SPLIT".
     */
    static Dataset load(String name, String split, Path dataDir) {
        if (!NAMES.contains(name)) throw new InputException("unknown derived dataset \"" + name + "\": expected one of " + String.join(", ", NAMES));
        Datasets.Split sp = Datasets.Split.parse(split);
        boolean test = sp == Datasets.Split.TEST;
        Dataset digits = Datasets.load("mnist", test ? "test" : "train+validation", dataDir);
        long seed = test ? TEST_SEED : TRAIN_SEED;
        Config c = name.equals(CLUTTERED) ? Config.cluttered(CANVAS, seed) : Config.translated(CANVAS, seed);
        int cut = Datasets.IDX_TRAIN - Datasets.IDX_VALIDATION;
        int from = sp == Datasets.Split.VALIDATION ? cut : 0;
        int to = sp == Datasets.Split.TRAIN ? cut : digits.size();
        return render(digits, from, to, c).withName(name + "/" + sp.text());
    }

    private static void requireFits(Config c, int height, int width) {
        if (height > c.canvas() || width > c.canvas()) {
            throw new InputException(height + "x" + width + " digits do not fit on a " + c.canvas() + "x" + c.canvas() + " canvas");
        }
    }

    /** SplitMix64 (Steele, Lea and Flood 2014) started from the seed and the example index. */
    private static final class Draws {
        private long state;

        Draws(long seed, int index) {
            state = mix(seed * 0x9E3779B97F4A7C15L + mix(index + 0x632BE59BD9B4E019L));
        }

        int nextInt(int bound) {
            state += 0x9E3779B97F4A7C15L;
            return (int) (((mix(state) >>> 32) * bound) >>> 32);   // multiply-shift: bias below 2^-32 * bound
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
