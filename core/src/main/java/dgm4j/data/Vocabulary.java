package dgm4j.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import dgm4j.InputException;

/**
 * A vocabulary: the {@code size} words that occur in the most documents of a (training) corpus, by document frequency,
 * ties broken by the word itself (String order), so it is deterministic. Index 0 is the most frequent word.
 */
public final class Vocabulary {
    private final List<String> words;
    private final int[] documentFrequencies;
    private final Map<String, Integer> index = new HashMap<>();

    private Vocabulary(List<String> words, int[] documentFrequencies) {
        this.words = List.copyOf(words);
        this.documentFrequencies = documentFrequencies;
        for (int k = 0; k < words.size(); k++) index.put(words.get(k), k);
    }

    /** The top-{@code size} words of {@code documents} (each a list of tokens) by document frequency. */
    public static Vocabulary build(Collection<? extends List<String>> documents, int size) {
        if (size < 1) throw new InputException("vocabulary size must be at least 1, got " + size);
        Map<String, Integer> df = new HashMap<>();
        for (List<String> doc : documents) for (String w : new HashSet<>(doc)) df.merge(w, 1, Integer::sum);
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(df.entrySet());
        entries.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : Integer.compare(b.getValue(), a.getValue()));
        int k = Math.min(size, entries.size());
        List<String> words = new ArrayList<>(k);
        int[] freq = new int[k];
        for (int i = 0; i < k; i++) {
            words.add(entries.get(i).getKey());
            freq[i] = entries.get(i).getValue();
        }
        return new Vocabulary(words, freq);
    }

    public int size() { return words.size(); }

    public String word(int k) { return words.get(k); }

    /** All words, index order. */
    public List<String> words() { return words; }

    /** Index of {@code word}, or -1 if it is not in the vocabulary. */
    public int indexOf(String word) {
        Integer k = index.get(word);
        return k == null ? -1 : k;
    }

    /** Number of training documents containing word k. */
    public int documentFrequency(int k) { return documentFrequencies[k]; }
}
