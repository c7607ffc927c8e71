package dgm4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import dgm4j.InputException;
import dgm4j.data.DataDirectory;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.data.TextCorpus;

/** Which data a command reads: a catalog dataset by name, or the user's own idx or CSV files. */
final class DataSelection {
    @Option(names = "--data", paramLabel = "NAME",
            description = "a fetched dataset: mnist, fashion-mnist or digits; mnist-translated or mnist-cluttered (MNIST digits placed at random "
                    + "on a 60x60 canvas, cluttered with 8x8 fragments of other digits; made from the fetched mnist by a fixed seed); "
                    + "text: reuters-grain or spam-assassin (see 'dgm data fetch')")
    String name;

    @Option(names = "--images", paramLabel = "FILE", description = "your own idx3 images file (raw or .gz), instead of --data")
    Path images;

    @Option(names = "--labels", paramLabel = "FILE", description = "idx1 labels for --images (optional)")
    Path labels;

    @Option(names = "--csv", paramLabel = "FILE", description = "your own numeric CSV (last column = label), instead of --data")
    Path csv;

    /** Where the catalog datasets are cached ({@link DataDirectory#defaultDir}). */
    static final String DATA_DIR_HELP = "dataset cache (default: $DGM4J_DATA, else $XDG_CACHE_HOME/dgm4j, else $HOME/.cache/dgm4j)";

    @Option(names = "--data-dir", paramLabel = "DIR", description = DATA_DIR_HELP)
    Path dataDir;

    @Option(names = "--vocabulary", paramLabel = "K", defaultValue = "2000",
            description = "text data (reuters-grain, spam-assassin): the K most frequent training words (default: ${DEFAULT-VALUE})")
    int vocabularySize;

    /** For commands of images only: drops --vocabulary from their options and help ({@code @Command(modelTransformer = ...)}). */
    static class ImagesOnly implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            spec.remove(spec.findOption("--vocabulary"));
            return spec;
        }
    }

    /** Text datasets, loaded as bags of words over a vocabulary built on their training split. */
    static final Set<String> TEXT = TextCorpus.NAMES;
    private TextCorpus.Split text;

    /** Describes the source for provenance records. */
    String describe() {
        if (name != null) return name;
        if (images != null) return images.toString();
        return csv == null ? "?" : csv.toString();
    }

    /** Refuses a --train-split other than train or train+validation (the test split is never trained on). */
    static void requireTrainSplit(String split) {
        if (!split.equals("train") && !split.equals("train+validation")) {
            throw new InputException("--train-split must be train or train+validation, got " + split);
        }
    }

    /** The set a train command learns from: the catalog's {@code trainSplit} (checked), or all of one's own files; not empty. */
    Dataset trainingSet(String trainSplit) {
        requireTrainSplit(trainSplit);
        Dataset train = splitOrAll(trainSplit);
        if (train.size() == 0) throw new InputException(describe() + ": no training examples");
        return train;
    }

    /** The validation split beside a {@code trainSplit} of train alone (train+validation holds nothing out); else null. */
    Dataset validationBeside(String trainSplit) {
        return hasValidation() && trainSplit.equals("train") ? load("validation") : null;
    }

    /** A split to look at or measure: the catalog's {@code split}, or all of one's own files (they have no splits). */
    Dataset splitOrAll(String split) {
        return hasSplits() ? load(split) : load("train");
    }

    /** The catalog's test split (the held-out monitor of VAE and DRAW training); null for one's own files. */
    Dataset testSplit() {
        return hasSplits() ? load("test") : null;
    }

    /** Loads a split ("train", "validation", "test", "train+validation"); own files have no splits. */
    Dataset load(String split) {
        int sources = (name != null ? 1 : 0) + (images != null ? 1 : 0) + (csv != null ? 1 : 0);
        if (sources != 1) throw new InputException("give exactly one of --data NAME, --images FILE or --csv FILE");
        if (labels != null && images == null) throw new InputException("--labels needs --images");
        if (name != null && TEXT.contains(name)) {
            if (vocabularySize < 1) throw new InputException("--vocabulary must be positive, got " + vocabularySize);
            if (text == null) text = TextCorpus.load(name, DataDirectory.resolve(dataDir), vocabularySize);
            switch (split) {
                case "train": return text.train().dataset();
                case "test": return text.test().dataset();
                default: throw new InputException(name + " has a train and a test split, not '" + split + "'");
            }
        }
        if (name != null) return Datasets.load(name, split, DataDirectory.resolve(dataDir));
        if (images != null) return Datasets.fromFiles(images, labels);
        return Datasets.fromCsv(csv, -1, false);
    }

    /** True if the data come from the catalog (and so have a test split). */
    boolean hasSplits() {
        return name != null;
    }

    /** True if the data have a validation split (catalog image datasets). */
    boolean hasValidation() {
        return name != null && !TEXT.contains(name);
    }

    /** The words of a text dataset's vocabulary (null for other data). */
    List<String> vocabulary() {
        if (name == null || !TEXT.contains(name)) return null;
        load("train");
        return text.vocabulary().words();
    }
}
