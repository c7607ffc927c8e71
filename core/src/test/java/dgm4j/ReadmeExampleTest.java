package dgm4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.ais.AisEvaluation;
import dgm4j.ais.DbmAis;
import dgm4j.attention.AttentionGradients;
import dgm4j.attention.RamEvaluation;
import dgm4j.attention.RamFamily;
import dgm4j.attention.RamTrainingTask;
import dgm4j.attention.RecurrentAttention;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.dbm.Dbm;
import dgm4j.dbm.DbmFamily;
import dgm4j.dbm.DbmPretraining;
import dgm4j.dbm.DbmTrainer;
import dgm4j.dbm.DbmTrainingTask;
import dgm4j.draw.Draw;
import dgm4j.draw.DrawEstimator;
import dgm4j.draw.DrawFamily;
import dgm4j.draw.DrawTrainingTask;
import dgm4j.eval.Evaluation;
import dgm4j.eval.LikelihoodReport;
import dgm4j.helmholtz.HelmholtzEstimator;
import dgm4j.helmholtz.HelmholtzFamily;
import dgm4j.helmholtz.HelmholtzMachine;
import dgm4j.helmholtz.HelmholtzTrainingTask;
import dgm4j.helmholtz.WakeSleep;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.optim.LearningRateSchedule;
import dgm4j.rbm.Rbm;
import dgm4j.rbm.RbmFamily;
import dgm4j.rbm.RbmFiles;
import dgm4j.rbm.RbmTrainer;
import dgm4j.rbm.RbmTrainingTask;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingRun;
import dgm4j.train.TrainingSession;
import dgm4j.train.TrainingState;
import dgm4j.vae.StochasticLayer;
import dgm4j.vae.VaeEstimator;
import dgm4j.vae.VaeFamily;
import dgm4j.vae.VaeTrainingTask;
import dgm4j.vae.VariationalAutoencoder;

/** The README's library examples, call for call, on the committed MNIST fixture and at a small size. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleRuns(@TempDir Path dir) throws Exception {
        Path images = Path.of(ReadmeExampleTest.class.getResource("/fixtures/mnist-t10k-300-images-idx3-ubyte.gz").toURI());
        Path labels = Path.of(ReadmeExampleTest.class.getResource("/fixtures/mnist-t10k-300-labels-idx1-ubyte.gz").toURI());
        Dataset all = Datasets.fromFiles(images, labels);
        Dataset train = all.subset(0, 200);
        RandomStream random = new RandomStream(42);
        RbmTrainer.Config config = RbmTrainer.Config.defaults();
        TrainingRun epochs = new TrainingRun(3).checkpoint(dir.resolve("rbm.safetensors"), 1, 0);
        RbmTrainingTask task = new TrainingSession(epochs, 42)
                .train(RbmFamily.bernoulli(20, config, TrainingData.of(train, 20)));
        Rbm rbm = task.trainer().rbm();
        Matrix trainBits = Binarization.fixed(1).apply(train).features();
        Matrix test = Binarization.fixed(1).apply(all.subset(200, 300)).features();
        // the README's settings with a short schedule: standard() -> withScale(0.05), 20 runs
        AisEvaluation.Result r = AisEvaluation.rbm(rbm, trainBits, test, task.trainer().chains(), AisEvaluation.Settings.standard()
                .withScale(0.05).withRuns(20).withRounds(4, 1800), random.split(2), Progress.NONE, null);
        assertTrue(r.summary().contains("agree") || r.summary().contains("NOT DETERMINED"), r.summary());
        double meanLogP = r.averageLogProbability();
        assertTrue(meanLogP < 0 && meanLogP > 784 * Math.log(0.5) - 1, "a log-probability of 784 binary pixels: " + meanLogP);
        Rbm back = RbmFiles.read(ModelFiles.read(dir.resolve("rbm.safetensors"), Rbm.KIND));   // the last checkpoint
        assertEquals(rbm.weights().get(3, 4), back.weights().get(3, 4));
        // resuming the finished run with more epochs continues it
        RbmTrainingTask more = new TrainingSession(new TrainingRun(4).checkpoint(dir.resolve("rbm.safetensors"), 1, 0), 42)
                .resumeFrom(dir.resolve("rbm.safetensors")).train(RbmFamily.bernoulli(20, config, TrainingData.of(train, 20)));
        assertEquals(4, TrainingState.epochsDone(ModelFiles.read(dir.resolve("rbm.safetensors"), Rbm.KIND)));
        assertTrue(more.trainer().rbm().weights().get(3, 4) != rbm.weights().get(3, 4));
        // the one-call snippet on the saved file (the README's standard() with a short schedule and 20 runs)
        ModelFile saved = ModelFiles.read(dir.resolve("rbm.safetensors"), Rbm.KIND, Dbm.KIND);
        Dataset testSet = all.subset(200, 300);
        Evaluation.AisOptions standard = Evaluation.AisOptions.standard();
        LikelihoodReport report = Evaluation.undirected(saved, train, testSet,
                new Evaluation.AisOptions(standard.ais().withScale(0.05).withRuns(20), standard.binarization(),
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
        VaeTrainingTask.Config iwaeConfig = VaeTrainingTask.Config.defaults()
                .withObjective(VariationalAutoencoder.Objective.IWAE, 5).withSchedule(LearningRateSchedule.iwaePaper(1));
        VaeTrainingTask iwaeTask = new TrainingSession(iwaeConfig.schedule().epochs(), 3)
                .train(VaeFamily.paper(1, StochasticLayer.Kind.BERNOULLI, iwaeConfig, TrainingData.of(mnist, 20)));
        VariationalAutoencoder iwae = iwaeTask.model();
        double[] logP = VaeEstimator.logMeanWeights(iwae, test, 50, random.split(5), 5000, Progress.NONE);
        for (double l : logP) assertTrue(l < 0 && l > -784, "log p(x) of a binary image: " + l);

        HelmholtzTrainingTask.Config rws = HelmholtzTrainingTask.Config.defaults().withReweighted(5, WakeSleep.QUpdate.BOTH);
        HelmholtzMachine hm = new TrainingSession(1, 6)
                .train(HelmholtzFamily.of(new int[] {20, 10}, rws, TrainingData.of(mnist, 20))).model();
        double[] logPx = HelmholtzEstimator.logMeanWeights(hm, test, 50, random.split(8), 5000, Progress.NONE);
        for (double l : logPx) assertTrue(l < 0 && l > -784, "log p(x) of a binary image: " + l);

        Graph g = new Graph();
        Node x = g.input(20, 784), labels = g.input(20, 10);
        Parameter w = new Parameter("w", Matrix.zeros(784, 10)), b = new Parameter("b", Matrix.zeros(1, 10));
        Node loss = g.scale(g.mean(g.logSoftmaxLikelihood(g.affine(x, g.parameter(w), g.parameter(b)), labels)), -1f);
        x.value().copyFrom(test);
        for (int i = 0; i < 20; i++) labels.value().set(i, i % 10, 1f);
        g.forward();
        g.backward(loss);
        assertEquals(Math.log(10), loss.value().get(0, 0), 1e-5);
    }

    /** The README's DRAW and attention examples at a small size (the fixture's digits, 1 epoch, T = 4, 3 glimpses). */
    @Test
    void theDrawAndAttentionExamplesRun() throws Exception {
        Path images = Path.of(ReadmeExampleTest.class.getResource("/fixtures/mnist-t10k-300-images-idx3-ubyte.gz").toURI());
        Path labels = Path.of(ReadmeExampleTest.class.getResource("/fixtures/mnist-t10k-300-labels-idx1-ubyte.gz").toURI());
        Dataset all = Datasets.fromFiles(images, labels);
        Dataset mnist = all.subset(0, 200);
        Matrix test = Binarization.fixed(1).apply(all.subset(200, 220)).features();
        RandomStream random = new RandomStream(42);
        DrawTrainingTask drawTask = new TrainingSession(1, 7)
                .train(new DrawFamily(new Draw.Architecture(28, 28, 4, 16, 16, 5, true, 2, 3),
                        DrawTrainingTask.Settings.defaults(), TrainingData.of(mnist, 20)));
        double[] drawBound = DrawEstimator.bound(drawTask.model(), test, random.split(9), DrawEstimator.DEFAULT_ROWS_PER_PASS, Progress.NONE);
        double[] drawLogP = DrawEstimator.logMeanWeights(drawTask.model(), test, 50, random.split(10), DrawEstimator.DEFAULT_ROWS_PER_PASS,
                Progress.NONE);
        double bound = 0, logP = 0;
        for (int i = 0; i < test.rows(); i++) {
            assertTrue(drawLogP[i] < 0 && drawBound[i] > -784 * 2, "log p(x) of a binary image: " + drawLogP[i] + ", bound " + drawBound[i]);
            bound += drawBound[i];
            logP += drawLogP[i];
        }
        assertTrue(logP > bound, "L_50 (" + logP / test.rows() + ") is above the one-sample bound (" + bound / test.rows() + ") on average");

        RamTrainingTask.Settings wsRam = RamTrainingTask.Settings.defaults().withRule(AttentionGradients.Rule.WAKE_SLEEP, 2);
        assertEquals(AttentionGradients.Rule.REINFORCE, RamTrainingTask.Settings.defaults().estimator().rule());
        RecurrentAttention ram = new TrainingSession(1, 8).train(new RamFamily(
                RecurrentAttention.Architecture.standard(28, 28, 10, 3, 0.15, true),
                wsRam, new TrainingData(mnist, null, 20, Binarization.none(), null))).model();
        Dataset heldOut = all.subset(200, 300);
        RamEvaluation.Result error = new RamEvaluation(ram, 100, 1)
                .classify(heldOut.features(), heldOut.labels(), random.split(11), Progress.NONE);
        assertEquals(100, error.examples());
        assertTrue(error.errorRate() >= 0 && error.errorRate() <= 1, "an error rate: " + error.errorRate());
    }

    @Test
    void theReadmeDbmExampleRuns() throws Exception {
        Path images = Path.of(ReadmeExampleTest.class.getResource("/fixtures/mnist-t10k-300-images-idx3-ubyte.gz").toURI());
        Dataset all = Datasets.fromFiles(images, null);
        Dataset train = all.subset(0, 200);
        RandomStream random = new RandomStream(42);
        DbmPretraining.Config pre = DbmPretraining.Config.defaults().withEpochs(1).withBatchSize(20);
        DbmTrainer.Config sa = DbmTrainer.Config.defaults().withChains(20);
        List<String> said = new ArrayList<>();
        DbmTrainingTask dbmTask = new TrainingSession(1, 4)
                .train(DbmFamily.of(new int[] {20, 10}, sa, pre, TrainingData.of(train, 20)).withLog(said::add));
        Dbm dbm = dbmTask.trainer().dbm();
        assertTrue(said.get(said.size() - 1).startsWith("pretraining done"), said.toString());
        Matrix test = Binarization.fixed(1).apply(all.subset(200, 300)).features();
        AisEvaluation.Result r = AisEvaluation.dbm(dbm, Binarization.fixed(1).apply(train).features(), test, dbmTask.trainer().chains().cold(), 30,
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
