package dgm4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.ais.AisEvaluation;
import dgm4j.ais.DbmAis;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.data.Minibatches;
import dgm4j.dbm.Dbm;
import dgm4j.dbm.DbmPretraining;
import dgm4j.dbm.DbmTrainer;
import dgm4j.io.ModelFiles;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.Rbm;
import dgm4j.rbm.RbmFiles;
import dgm4j.rbm.RbmTrainer;

/** The README's library example, call for call, on the committed MNIST fixture and at a small size. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleRuns(@TempDir Path dir) throws Exception {
        Path images = Path.of(ReadmeExampleTest.class.getResource("/fixtures/mnist-t10k-300-images-idx3-ubyte.gz").toURI());
        Path labels = Path.of(ReadmeExampleTest.class.getResource("/fixtures/mnist-t10k-300-labels-idx1-ubyte.gz").toURI());
        Dataset all = Datasets.fromFiles(images, labels);
        Dataset train = all.subset(0, 200);
        RandomStream random = new RandomStream(42);
        BernoulliRbm rbm = BernoulliRbm.initialize(784, 20, random);
        RbmTrainer.Config config = RbmTrainer.Config.defaults();
        RbmTrainer trainer = new RbmTrainer(rbm, config, random);
        Minibatches batches = new Minibatches(train, 20, true, Binarization.dynamic(), random.split(1));
        for (int epoch = 0; epoch < 3; epoch++) {
            while (batches.next()) trainer.update(batches.features(), epoch);
        }
        Matrix trainBits = Binarization.fixed(1).apply(train).features();
        Matrix test = Binarization.fixed(1).apply(all.subset(200, 300)).features();
        // the README's settings with a short schedule: standard() -> withScale(0.05), 20 runs
        AisEvaluation.Result r = AisEvaluation.rbm(rbm, trainBits, test, trainer.chains(), AisEvaluation.Settings.standard()
                .withScale(0.05).withRuns(20).withRounds(4, 1800), random.split(2), Progress.NONE, null);
        assertTrue(r.summary().contains("agree") || r.summary().contains("NOT DETERMINED"), r.summary());
        double meanLogP = r.averageLogProbability();
        assertTrue(meanLogP < 0 && meanLogP > 784 * Math.log(0.5) - 1, "a log-probability of 784 binary pixels: " + meanLogP);
        ModelFiles.write(dir.resolve("rbm.safetensors"), RbmFiles.builder(rbm, 28, 28).build());
        Rbm back = RbmFiles.read(ModelFiles.read(dir.resolve("rbm.safetensors"), Rbm.KIND));
        assertEquals(rbm.weights().get(3, 4), back.weights().get(3, 4));
        // the one-call snippet on the saved file (the README's standard() with a short schedule and 20 runs)
        dgm4j.io.ModelFile saved = ModelFiles.read(dir.resolve("rbm.safetensors"), Rbm.KIND, Dbm.KIND);
        Dataset testSet = all.subset(200, 300);
        dgm4j.eval.Evaluation.AisOptions standard = dgm4j.eval.Evaluation.AisOptions.standard();
        dgm4j.eval.LikelihoodReport report = dgm4j.eval.Evaluation.undirected(saved, train, testSet,
                new dgm4j.eval.Evaluation.AisOptions(standard.ais().withScale(0.05).withRuns(20), standard.binarization(),
                        standard.meanFieldIterations(), false, "test"), new RandomStream(1), Progress.NONE, null);
        assertTrue(report.details().get(0).startsWith("base model: "), report.details().toString());
        assertTrue(report.summary().contains("agree") || report.summary().contains("NOT DETERMINED"), report.summary());
        double lp = report.averageLogProbability();
        assertTrue(lp < 0 && lp > 784 * Math.log(0.5) - 1, "a log-probability of 784 binary pixels: " + lp);
    }

    /** The README's IWAE example at a small size (the fixture's digits, 1 epoch, k = 5, L_50). */
    @Test
    void theIwaeExampleRuns() throws Exception {
        Path images = Path.of(ReadmeExampleTest.class.getResource("/fixtures/mnist-t10k-300-images-idx3-ubyte.gz").toURI());
        Dataset all = Datasets.fromFiles(images, null);
        Dataset mnist = all.subset(0, 200);
        Matrix test = Binarization.fixed(1).apply(all.subset(200, 220)).features();
        RandomStream random = new RandomStream(42);
        dgm4j.vae.VariationalAutoencoder iwae = dgm4j.vae.VariationalAutoencoder.paperArchitecture(1, 784, dgm4j.vae.StochasticLayer.Kind.BERNOULLI,
                random, dgm4j.vae.VariationalAutoencoder.columnMeans(mnist.features()));
        dgm4j.vae.VaeTrainingTask.Config config = dgm4j.vae.VaeTrainingTask.Config.defaults()
                .withObjective(dgm4j.vae.VariationalAutoencoder.Objective.IWAE, 5).withSchedule(dgm4j.optim.LearningRateSchedule.iwaePaper(1));
        dgm4j.vae.VaeTrainingTask task = new dgm4j.vae.VaeTrainingTask(iwae, config, dgm4j.train.TrainingData.of(mnist, 20),
                random.split(3), random.split(4));
        new dgm4j.train.TrainingRun(1).run(task, 0);
        double[] logP = dgm4j.vae.VaeEstimator.logMeanWeights(iwae, test, 50, random.split(5), 5000, Progress.NONE);
        for (double l : logP) assertTrue(l < 0 && l > -784, "log p(x) of a binary image: " + l);

        dgm4j.autodiff.Graph g = new dgm4j.autodiff.Graph();
        dgm4j.autodiff.Node x = g.input(20, 784), labels = g.input(20, 10);
        dgm4j.autodiff.Parameter w = new dgm4j.autodiff.Parameter("w", Matrix.zeros(784, 10)), b = new dgm4j.autodiff.Parameter("b", Matrix.zeros(1, 10));
        dgm4j.autodiff.Node loss = g.scale(g.mean(g.logSoftmaxLikelihood(g.affine(x, g.parameter(w), g.parameter(b)), labels)), -1f);
        x.value().copyFrom(test);
        for (int i = 0; i < 20; i++) labels.value().set(i, i % 10, 1f);
        g.forward();
        g.backward(loss);
        assertEquals(Math.log(10), loss.value().get(0, 0), 1e-5);
    }

    @Test
    void theReadmeDbmExampleRuns() throws Exception {
        Path images = Path.of(ReadmeExampleTest.class.getResource("/fixtures/mnist-t10k-300-images-idx3-ubyte.gz").toURI());
        Dataset all = Datasets.fromFiles(images, null);
        Dataset train = all.subset(0, 200);
        RandomStream random = new RandomStream(42);
        Minibatches batches = new Minibatches(train, 20, true, Binarization.dynamic(), random.split(1));
        DbmPretraining.Config pre = DbmPretraining.Config.defaults().withEpochs(1).withBatchSize(20);
        Dbm dbm = DbmPretraining.pretrain(train, new int[] {20, 10}, Binarization.dynamic(), pre, random.split(3), line -> { });
        DbmTrainer.Config config = DbmTrainer.Config.defaults().withChains(20);
        DbmTrainer sa = new DbmTrainer(dbm, config, random.split(4));
        while (batches.next()) sa.update(batches.features(), 0);
        Matrix test = Binarization.fixed(1).apply(all.subset(200, 300)).features();
        AisEvaluation.Result r = AisEvaluation.dbm(dbm, Binarization.fixed(1).apply(train).features(), test, sa.chains().cold(), 30,
                AisEvaluation.Settings.standard().withScale(0.05).withRuns(20), random.split(5), Progress.NONE, null);
        assertTrue(r.summary().contains("lower bound (mean field)"), r.summary());
        double bound = r.averageLogProbability();
        assertTrue(bound < 0 && bound > 784 * Math.log(0.5) - 50, "a bound on the log-probability of 784 pixels: " + bound);
        // the bound itself, as DbmAis computes it per example
        double[] perExample = dbm.logProbabilityLowerBound(test, r.verdict().logZ(), 30, 1e-6);
        double mean = 0;
        for (double b : perExample) mean += b / perExample.length;
        assertEquals(bound, mean, 1e-6);
    }
}
