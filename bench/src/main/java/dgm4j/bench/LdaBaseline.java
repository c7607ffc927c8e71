package dgm4j.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import cc.mallet.topics.MarginalProbEstimator;
import cc.mallet.topics.ParallelTopicModel;
import cc.mallet.types.Alphabet;
import cc.mallet.types.FeatureSequence;
import cc.mallet.types.Instance;
import cc.mallet.types.InstanceList;

import dgm4j.data.TextCorpus;
import dgm4j.data.Vocabulary;
import dgm4j.fetch.DataCatalog;

/**
 * LDA baseline (MALLET 2.0.8) on exactly the replicated softmax experiment's data (a text dataset of the catalog:
 * reuters-grain or spam-assassin): dgm4j's tokenisation, train-only top-2000 vocabulary, split and kept documents
 * (the same rows as the bags of words, the words in text order, out-of-vocabulary tokens removed). ParallelTopicModel
 * with T topics, alpha sum and beta as given, fixed hyper-parameters; held-out perplexity exp(-sum ln p(w_d) / tokens)
 * by MALLET's left-to-right estimator (Wallach et al. 2009), i.e. the probability of each test document's word
 * sequence, as for the replicated softmax model.
 *
 * <pre>
 *   java -cp 'bench/target/dgm4j-bench.jar:bench/target/lib/*' dgm4j.bench.LdaBaseline DATA_DIR \
 *       [topics=50] [iterations=1000] [alphaSum=50] [beta=0.01] [particles=10] [dataset=reuters-grain]
 * </pre>
 */
public final class LdaBaseline {
    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int topics = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        double alphaSum = args.length > 3 ? Double.parseDouble(args[3]) : 50;
        double beta = args.length > 4 ? Double.parseDouble(args[4]) : 0.01;
        int particles = args.length > 5 ? Integer.parseInt(args[5]) : 10;
        String dataset = args.length > 6 ? args[6] : "reuters-grain";
        System.out.println(DataCatalog.standard().fetch(dataset, dataDir, null));
        TextCorpus.Split split = TextCorpus.load(dataset, dataDir, TextCorpus.DEFAULT_VOCABULARY);
        Alphabet alphabet = new Alphabet();
        for (String w : split.vocabulary().words()) alphabet.lookupIndex(w, true);   // index = dgm4j's word index
        alphabet.stopGrowth();
        InstanceList train = instances(alphabet, split.vocabulary(), split.trainTokens(), split.train().documentIndices(), "train");
        InstanceList test = instances(alphabet, split.vocabulary(), split.testTokens(), split.test().documentIndices(), "test");
        long testTokens = 0;
        for (Instance i : test) testTokens += ((FeatureSequence) i.getData()).getLength();
        if (testTokens != split.test().tokens()) throw new IllegalStateException("export lost tokens: " + testTokens + " vs " + split.test().tokens());
        System.out.printf(Locale.ROOT, "%s: train %d docs, test %d docs, %d test tokens, vocabulary %d%n", dataset, train.size(), test.size(), testTokens, alphabet.size());

        long t0 = System.nanoTime();
        ParallelTopicModel lda = new ParallelTopicModel(topics, alphaSum, beta);
        lda.setRandomSeed(1);
        lda.setNumThreads(1);
        lda.setNumIterations(iterations);
        lda.setTopicDisplay(0, 0);
        lda.addInstances(train);
        lda.estimate();
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        MarginalProbEstimator estimator = lda.getProbEstimator();
        double logLikelihood = estimator.evaluateLeftToRight(test, particles, false, null);
        double evalSeconds = (System.nanoTime() - t1) / 1e9;
        System.out.printf(Locale.ROOT, "LDA %d topics, %d Gibbs iterations, alpha sum %g, beta %g: %.1f s training%n", topics, iterations, alphaSum, beta, trainSeconds);
        System.out.printf(Locale.ROOT, "left-to-right, %d particles: ln p(test) = %.1f, %.1f s; held-out perplexity %.1f%n",
                particles, logLikelihood, evalSeconds, Math.exp(-logLikelihood / testTokens));
    }

    /** The kept documents' in-vocabulary tokens, in text order, as MALLET feature sequences. */
    static InstanceList instances(Alphabet alphabet, Vocabulary vocabulary, List<List<String>> docs, int[] kept, String name) {
        InstanceList list = new InstanceList(alphabet, null);
        for (int d : kept) {
            FeatureSequence fs = new FeatureSequence(alphabet);
            for (String w : docs.get(d)) if (vocabulary.indexOf(w) >= 0) fs.add(alphabet.lookupIndex(w, false));
            list.add(new Instance(fs, null, name + "-" + d, null));
        }
        return list;
    }
}
