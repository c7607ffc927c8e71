package dgm4j.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.data.Minibatches;
import dgm4j.dbm.Dbm;
import dgm4j.dbm.DbmFiles;
import dgm4j.dbm.DbmTrainer;
import dgm4j.io.ModelFiles;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;

/**
 * One joint-training epoch of a 784-500-1000 DBM by stochastic approximation, single thread, side by side with
 * bench/scripts/dbm_reference.py (the same step in PyTorch); see bench/run-dbm.sh and bench/README.md.
 *
 * <p>The step ({@link DbmTrainer#update}, the authors' recipe): mean field on a minibatch of 100 (bottom-up pass with
 * doubled weights, then exactly {@code --mean-field} sweeps: the tolerance is set to 0 so that both implementations do
 * the same work), 100 persistent chains advanced 5 Gibbs sweeps (v and h2 given h1, then h1 given v and h2), the
 * gradient from mean-field and chain statistics, SGD with momentum and weight decay. MNIST "train" (50,000 images),
 * dynamic binarization: 500 updates an epoch. {@code --updates N} times N updates and extrapolates to the epoch.
 * {@code --model FILE} starts from a trained DBM instead of a random one. Output: one JSON object per line on stdout.
 */
public final class DbmBenchmark {
    private DbmBenchmark() {}

    public static void main(String[] args) {
        int epochs = 1, warmup = 20, updates = 0, meanField = 10, temperatures = 1;
        String model = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs": epochs = Integer.parseInt(args[++i]); break;
                case "--warmup-updates": warmup = Integer.parseInt(args[++i]); break;
                case "--updates": updates = Integer.parseInt(args[++i]); break;
                case "--mean-field": meanField = Integer.parseInt(args[++i]); break;
                case "--temperatures": temperatures = Integer.parseInt(args[++i]); break;
                case "--model": model = args[++i]; break;
                default: throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--epochs N --warmup-updates N --updates N --mean-field N --temperatures K --model FILE)");
            }
        }
        Numerics.setThreads(1);
        RbmBenchmark.emit("{\"kind\": \"env\", \"impl\": \"dgm4j\", \"numerics\": " + RbmBenchmark.str(Numerics.describe())
                + ", \"java\": " + RbmBenchmark.str(System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")) + "}");
        Dataset train = Datasets.load("mnist", "train", null);
        RandomStream random = new RandomStream(1);
        // a random 784-500-1000 DBM, or a trained one (whose states are sparse: what real training runs on)
        Dbm dbm = model == null ? Dbm.initialize(new int[] {784, 500, 1000}, random.split(0))
                : DbmFiles.read(ModelFiles.read(Path.of(model), Dbm.KIND));
        if (!Arrays.equals(dbm.layerSizes(), new int[] {784, 500, 1000})) {
            throw new IllegalArgumentException("--model: the benchmark (and dbm_reference.py) is for a 784-500-1000 DBM, "
                    + model + " has layers " + Arrays.toString(dbm.layerSizes()));
        }
        DbmTrainer.Config c = DbmTrainer.Config.defaults().withMeanField(meanField, 0).withTempering(temperatures, 0.9);
        DbmTrainer trainer = new DbmTrainer(dbm, c, random.split(1));
        Minibatches batches = new Minibatches(train, 100, true, Binarization.dynamic(), random.split(2));
        int perEpoch = batches.batchesPerEpoch();
        for (int u = 0; u < warmup; u++) {
            if (!batches.next()) batches.next();
            trainer.update(batches.features(), 0);
        }
        int timed = updates > 0 ? updates : perEpoch;
        double[] seconds = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            long t0 = System.nanoTime();
            for (int u = 0; u < timed; u++) {
                if (!batches.next()) batches.next();
                trainer.update(batches.features(), 1);
            }
            seconds[e] = RbmBenchmark.secs(t0) * perEpoch / timed;
            RbmBenchmark.log(String.format(Locale.ROOT, "DBM epoch %d: %.2f s (%d updates timed, %.1f ms each)", e,
                    seconds[e], timed, 1000 * seconds[e] / perEpoch));
        }
        // fractions of ones in the last minibatch and in the chains' states: what Blas.gemmBinaryLeft's cost depends on
        StringBuilder ones = new StringBuilder(String.format(Locale.ROOT, "\"data_v\": %.3f",
                Elementwise.sum(batches.features()) / batches.features().size()));
        for (int l = 0; l <= dbm.hiddenLayers(); l++) {
            Matrix x = trainer.chains().cold().get(l);
            ones.append(String.format(Locale.ROOT, ", \"chain_%s\": %.3f", l == 0 ? "v" : "h" + l, Elementwise.sum(x) / x.size()));
        }
        RbmBenchmark.emit(String.format(Locale.ROOT, "{\"kind\": \"dbm-epoch\", \"impl\": \"dgm4j\", \"updates_timed\": %d, "
                + "\"updates_per_epoch\": %d, \"mean_field\": %d, \"temperatures\": %d, \"binary_products\": %s, "
                + "\"ones\": {%s}, \"s_median\": %.4f}",
                timed, perEpoch, meanField, temperatures, !"false".equalsIgnoreCase(System.getProperty("dgm4j.binaryProducts")),
                ones, RbmBenchmark.median(seconds)));
    }
}
