package dgm4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;

/**
 * Text to bags of words for topic models. Tokens ({@link #tokenize}): the text lower-cased, split at every character
 * that is not an ASCII letter, words shorter than 2 letters and {@link #STOP_WORDS} dropped. A {@link Vocabulary} is
 * built on the training split only; documents become rows of word counts (float32) over it, and documents left empty
 * by the vocabulary are dropped and counted.
 *
 * <p>Corpora ({@link #load}): {@code reuters-grain} (the catalog's Weka ARFF files; the class attribute "class-att" is
 * 1 for stories about grain) and {@code spam-assassin} (raw emails, see {@link EmailCorpus}).
 */
public final class TextCorpus {
    private TextCorpus() {}

    /** A small English stop-word list (articles, pronouns, auxiliaries, prepositions, conjunctions). */
    public static final Set<String> STOP_WORDS = Set.of(
            "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
            "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did",
            "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have",
            "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "if", "in", "into", "is",
            "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off",
            "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she",
            "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then",
            "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was",
            "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
            "you", "your", "yours", "yourself", "yourselves", "said", "says", "mr", "mrs");

    /** Default vocabulary size. */
    public static final int DEFAULT_VOCABULARY = 2000;

    /** The files of reuters-grain in its dataset directory. */
    static final String REUTERS_TRAIN = "ReutersGrain-train.arff", REUTERS_TEST = "ReutersGrain-test.arff";

    /** The catalog's text datasets. */
    public static final Set<String> NAMES = Set.of("reuters-grain", "spam-assassin");

    /** A text dataset of the catalog by name ({@link #NAMES}), with a vocabulary of the top-{@code vocabularySize} training words. */
    public static Split load(String name, Path dataDir, int vocabularySize) {
        switch (name) {
            case "reuters-grain": return reutersGrain(dataDir, vocabularySize);
            case "spam-assassin": return EmailCorpus.spamAssassin(dataDir, vocabularySize);
            default: throw new DataException(name + " is not a text dataset: expected one of " + new TreeSet<>(NAMES));
        }
    }

    /** Lower-case ASCII-letter words of at least 2 letters, stop words removed, in text order. */
    public static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        int n = lower.length(), i = 0;
        while (i < n) {
            while (i < n && !isLetter(lower.charAt(i))) i++;
            int start = i;
            while (i < n && isLetter(lower.charAt(i))) i++;
            if (i - start >= 2) {
                String w = lower.substring(start, i);
                if (!STOP_WORDS.contains(w)) out.add(w);
            }
        }
        return out;
    }

    private static boolean isLetter(char c) { return c >= 'a' && c <= 'z'; }

    /** Bag-of-words rows and which input documents they came from. */
    public record BagOfWords(Dataset dataset, int[] documentIndices, int droppedEmpty) {
        /** Number of word tokens (sum of all counts). */
        public long tokens() {
            return Math.round(Elementwise.sum(dataset.features()));
        }
    }

    /**
     * Counts of the vocabulary's words per document (rows, float32); out-of-vocabulary tokens are ignored, documents
     * with no vocabulary word are dropped ({@link BagOfWords#droppedEmpty()}). Labels (may be null) follow their rows.
     */
    public static BagOfWords bagOfWords(List<List<String>> documents, int[] labels, int numClasses, Vocabulary vocabulary, String name) {
        List<float[]> rows = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int d = 0; d < documents.size(); d++) {
            float[] counts = new float[vocabulary.size()];
            int total = 0;
            for (String w : documents.get(d)) {
                int k = vocabulary.indexOf(w);
                if (k >= 0) { counts[k]++; total++; }
            }
            if (total > 0) { rows.add(counts); kept.add(d); }
        }
        Matrix m = Matrix.zeros(rows.size(), vocabulary.size());
        for (int r = 0; r < rows.size(); r++) m.setRow(r, rows.get(r));
        int[] idx = kept.stream().mapToInt(Integer::intValue).toArray();
        int[] lab = null;
        if (labels != null) {
            lab = new int[idx.length];
            for (int r = 0; r < idx.length; r++) lab[r] = labels[idx[r]];
        }
        return new BagOfWords(new Dataset(name, m, lab, 0, 0, numClasses), idx, documents.size() - idx.length);
    }

    /** A tokenised corpus split: the vocabulary (from train only) and both splits as bags of words, plus the tokens. */
    public record Split(Vocabulary vocabulary, BagOfWords train, BagOfWords test,
                        List<List<String>> trainTokens, List<List<String>> testTokens) { }

    /** Builds the vocabulary on {@code train} and the bags of words of both splits. */
    public static Split split(String name, List<List<String>> train, int[] trainLabels, List<List<String>> test, int[] testLabels,
                              int numClasses, int vocabularySize) {
        Vocabulary v = Vocabulary.build(train, vocabularySize);
        return new Split(v, bagOfWords(train, trainLabels, numClasses, v, name + "/train"),
                bagOfWords(test, testLabels, numClasses, v, name + "/test"), train, test);
    }

    /**
     * Reuters grain from the catalog's data directory (null: {@link DataDirectory#defaultDir()}): the ModApte train
     * and test stories, the "Reuter &amp;#3;" trailer of each story removed, tokenised, the top-{@code vocabularySize}
     * training words. Labels: class-att (1 = about grain).
     */
    public static Split reutersGrain(Path dataDir, int vocabularySize) {
        Path dir = DataDirectory.requireFetched("reuters-grain", dataDir);
        List<List<String>> train = new ArrayList<>(), test = new ArrayList<>();
        int[] trainLabels = readReuters(dir.resolve(REUTERS_TRAIN), train), testLabels = readReuters(dir.resolve(REUTERS_TEST), test);
        return split("reuters-grain", train, trainLabels, test, testLabels, 2, vocabularySize);
    }

    private static int[] readReuters(Path file, List<List<String>> docs) {
        ArffReader.ArffData a = ArffReader.read(file);
        int text = a.column("Text"), cls = a.column("class-att");
        int[] labels = new int[a.rows().size()];
        for (int i = 0; i < labels.length; i++) {
            List<String> row = a.rows().get(i);
            docs.add(tokenize(row.get(text).replaceAll("\\s*Reuter\\s*&#3;\\s*$", "")));
            try {
                labels[i] = Integer.parseInt(row.get(cls));
            } catch (NumberFormatException e) {
                throw new DataException(file, "instance " + (i + 1) + " has class " + row.get(cls) + ", expected 0 or 1");
            }
        }
        return labels;
    }
}
