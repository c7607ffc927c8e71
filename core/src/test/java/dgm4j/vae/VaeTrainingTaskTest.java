package dgm4j.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.autodiff.Parameter;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;
import dgm4j.io.ModelFiles;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.LearningRateSchedule;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingDivergedException;
import dgm4j.train.TrainingRun;
import dgm4j.train.TrainingState;

/** Training on the committed MNIST fixture (300 test digits): the bound improves, L_1 <= L_5 <= L_50 <= the k = 5000
 *  estimate on held-out digits, files round-trip, and a resumed run equals the uninterrupted one bit for bit. */
class VaeTrainingTaskTest {
    static Dataset fixture() throws Exception {
        Path images = Path.of(VaeTrainingTaskTest.class.getResource("/fixtures/mnist-t10k-300-images-idx3-ubyte.gz").toURI());
        Path labels = Path.of(VaeTrainingTaskTest.class.getResource("/fixtures/mnist-t10k-300-labels-idx1-ubyte.gz").toURI());
        return Datasets.fromFiles(images, labels);
    }

    static VaeTrainingTask.Config config(int epochs) {
        return VaeTrainingTask.Config.defaults().withObjective(VariationalAutoencoder.Objective.IWAE, 5)
                .withSchedule(LearningRateSchedule.constant(1e-3, epochs));
    }

    static VaeTrainingTask task(VariationalAutoencoder model, Dataset train, RandomStream random, RandomStream data, int epochs) {
        return new VaeTrainingTask(model, config(epochs), TrainingData.of(train, 25).withProvenance(Map.of("test", true)), random, data);
    }

    static VariationalAutoencoder fresh(Dataset train, long seed) {
        return VariationalAutoencoder.initialize(784, StochasticLayer.Kind.BERNOULLI, new int[] {20}, new int[][] {{100}},
                new RandomStream(seed), VariationalAutoencoder.columnMeans(train.features()));
    }

    @Test
    void trainingRaisesTheBoundAndTheBoundsAreOrderedOnHeldOutDigits() throws Exception {
        Dataset all = fixture();
        Dataset train = all.subset(0, 250);
        VariationalAutoencoder model = fresh(train, 1);
        VaeTrainingTask task = task(model, train, new RandomStream(2), new RandomStream(3), 30);
        double first = 0, last = 0;
        for (int epoch = 0; epoch < 30; epoch++) {
            double sum = 0;
            for (int s = 0; s < task.stepsPerEpoch(); s++) sum += task.step(epoch, s);
            if (epoch == 0) first = sum / task.stepsPerEpoch();
            last = sum / task.stepsPerEpoch();
        }
        assertTrue(last < first - 40, "the loss -L_5 should fall by tens of nats: " + first + " -> " + last);

        Matrix heldOut = Binarization.fixed(1).apply(all.subset(250, 300)).features();
        Matrix repeated = VariationalAutoencoderTest.repeat(heldOut, 10);  // more draws for the small-k estimates
        VaeEstimator.Summary[] s = new VaeEstimator.Summary[4];
        int[] ks = {1, 5, 50, 5000};
        for (int i = 0; i < 4; i++) {
            Matrix x = ks[i] <= 50 ? repeated : heldOut;
            s[i] = VaeEstimator.Summary.of(VaeEstimator.logMeanWeights(model, x, ks[i], new RandomStream(40 + i), 5000, Progress.NONE));
        }
        for (int i = 0; i + 1 < 4; i++) {
            double margin = 3 * Math.hypot(s[i].standardError(), s[i + 1].standardError());
            assertTrue(s[i].mean() <= s[i + 1].mean() + margin, "L_" + ks[i] + " = " + s[i] + " above L_" + ks[i + 1] + " = " + s[i + 1]);
        }
        assertTrue(s[0].mean() < s[2].mean() - 3 * Math.hypot(s[0].standardError(), s[2].standardError()),
                "L_50 should be clearly above L_1: " + s[0] + " vs " + s[2]);
        int[] active = VaeEstimator.activeUnits(VaeEstimator.posteriorMeanVariances(model, heldOut, 1, new RandomStream(5)), 0.01);
        assertTrue(active[0] >= 1 && active[0] <= 20, "active units " + active[0]);
    }

    @Test
    void filesRoundTripAndAResumedRunEqualsTheUninterruptedOne(@TempDir Path dir) throws Exception {
        Dataset train = fixture().subset(0, 100);
        // uninterrupted: 2 epochs through TrainingRun, checkpointing at the end
        VariationalAutoencoder a = fresh(train, 7);
        Path full = dir.resolve("full.safetensors");
        new TrainingRun(2).checkpoint(full, 1, 0).run(task(a, train, new RandomStream(8), new RandomStream(9), 2), 0);
        // interrupted after epoch 1, then resumed from the checkpoint file into fresh objects
        VariationalAutoencoder b = fresh(train, 7);
        Path half = dir.resolve("half.safetensors");
        new TrainingRun(1).checkpoint(half, 1, 0).run(task(b, train, new RandomStream(8), new RandomStream(9), 2), 0);
        ModelFile checkpoint = ModelFiles.read(half, VariationalAutoencoder.KIND);
        assertEquals(1, TrainingState.epochsDone(checkpoint));
        VaeFiles.Stored stored = VaeFiles.read(checkpoint);
        RandomStream random = TrainingState.randomStream(checkpoint, "train.random");
        RandomStream data = TrainingState.randomStream(checkpoint, "train.data_random");
        TrainingState.requireSameHyperParameters(checkpoint, VaeTrainingTask.hyperParameters(config(2), 25, Binarization.dynamic()), "adam_steps");
        VaeTrainingTask resumed = task(stored.model(), train, random, data, 2).restoreOptimizer(checkpoint);
        assertEquals(4, resumed.optimizer().steps());
        new TrainingRun(2).run(resumed, 1);
        for (int p = 0; p < a.parameters().size(); p++) {
            Matrix x = a.parameters().get(p).value(), y = stored.model().parameters().get(p).value();
            for (int k = 0; k < x.size(); k++) assertEquals(x.getFlat(k), y.getFlat(k), 0f, a.parameters().get(p).name());
        }
        // the saved model is the trained one, and other hyper-parameters are refused on resume
        VaeFiles.Stored saved = VaeFiles.read(ModelFiles.read(full, VariationalAutoencoder.KIND));
        assertEquals(5, saved.k());
        assertEquals(28, saved.imageHeight());
        for (int p = 0; p < a.parameters().size(); p++) {
            Parameter q = a.parameters().get(p);
            assertEquals(q.name(), saved.model().parameters().get(p).name());
            assertEquals(q.value().getFlat(3), saved.model().parameters().get(p).value().getFlat(3), 0f);
        }
        assertThrows(InputException.class, () -> TrainingState.requireSameHyperParameters(checkpoint,
                VaeTrainingTask.hyperParameters(config(2).withObjective(VariationalAutoencoder.Objective.VAE, 5), 25,
                        Binarization.dynamic()), "adam_steps"));
        // a file of another kind is refused
        ModelFile rbm = ModelFile.builder("rbm").config("{}").build();
        assertThrows(ModelFileException.class, () -> VaeFiles.read(rbm));
    }

    @Test
    void badTrainingInputIsRefused() throws Exception {
        Dataset train = fixture().subset(0, 50);
        VariationalAutoencoder model = fresh(train, 1);
        VaeTrainingTask.Config vae = config(1).withObjective(VariationalAutoencoder.Objective.VAE, 1);
        assertThrows(InputException.class, () -> vae.withObjective(VariationalAutoencoder.Objective.IWAE, 0));
        assertThrows(InputException.class, () -> vae.withAdam(0.9, 1.0, 1e-4));
        // pixels in [0, 1] given as they are to a Bernoulli output
        String message = assertThrows(InputException.class, () -> new VaeTrainingTask(model, vae,
                TrainingData.of(train, 10).withBinarization(Binarization.none()), new RandomStream(1), new RandomStream(2))).getMessage();
        assertTrue(message.contains("not binary"), message);
        VariationalAutoencoder narrow = new VariationalAutoencoder(10, StochasticLayer.Kind.BERNOULLI, new int[] {2}, new int[][] {{3}});
        assertThrows(InputException.class, () -> new VaeTrainingTask(narrow, vae, TrainingData.of(train, 10), new RandomStream(1),
                new RandomStream(2)));
    }

    @Test
    void aNanBoundStopsTrainingThroughTheDivergenceGuard() throws Exception {
        Dataset train = fixture().subset(0, 50);
        VariationalAutoencoder model = fresh(train, 1);
        model.parameters().get(0).value().set(0, 0, Float.NaN);
        VaeTrainingTask t = new VaeTrainingTask(model, config(1).withObjective(VariationalAutoencoder.Objective.IWAE, 2),
                TrainingData.of(train, 10), new RandomStream(1), new RandomStream(2));
        assertThrows(TrainingDivergedException.class, () -> new TrainingRun(1).run(t, 0));
    }
}
