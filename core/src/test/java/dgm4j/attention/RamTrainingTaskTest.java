package dgm4j.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;
import dgm4j.io.ModelFiles;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingDivergedException;
import dgm4j.train.TrainingRun;
import dgm4j.train.TrainingSession;

/** Training under a TrainingSession (errors fall; resume is bit for bit), model files, and bad input. */
class RamTrainingTaskTest {
    /**
     * 16 x 16 images of one of three small shapes at a random place: a horizontal bar, a vertical bar, a square; the
     * class is the shape, so the glimpses must find it.
     */
    static Dataset shapes(int n, long seed) {
        RandomStream r = new RandomStream(seed);
        Matrix x = Matrix.zeros(n, 256);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
            int h = y[i] == 0 ? 1 : y[i] == 1 ? 5 : 3, w = y[i] == 0 ? 5 : y[i] == 1 ? 1 : 3;
            int top = r.nextInt(16 - h + 1), left = r.nextInt(16 - w + 1);
            for (int a = 0; a < h; a++) for (int b = 0; b < w; b++) x.set(i, (top + a) * 16 + left + b, 1f);
        }
        return new Dataset("shapes", x, y, 16, 16, 3);
    }

    static RecurrentAttention.Architecture small(boolean inference) {
        return new RecurrentAttention.Architecture(16, 16, 3, 3, 4, 2, 3, 0, 0.2, 32, 16, 32, 32, inference, 32, 4);
    }

    static RamTrainingTask.Settings settings(AttentionGradients.Rule rule, int samples, int varianceRepeats) {
        return new RamTrainingTask.Settings(new AttentionGradients.Settings(rule, samples, true, true), 3e-3, 10, 0.9, 0.999, 1e-8,
                varianceRepeats);
    }

    /** Minibatches of 20 images as they are. */
    static TrainingData data(Dataset train, Dataset heldOut) {
        return new TrainingData(train, heldOut, 20, Binarization.none(), null);
    }

    @Test
    void everyRuleLowersTheErrorOnATinyTask(@TempDir Path dir) throws Exception {
        Dataset all = shapes(600, 1);
        Dataset train = all.subset(0, 500), heldOut = all.subset(500, 600);
        for (AttentionGradients.Rule rule : AttentionGradients.Rule.values()) {
            Path log = dir.resolve(rule + ".csv");
            List<String> lines = new ArrayList<>();
            TrainingSession s = new TrainingSession(new TrainingRun(20).csvLog(log).log(lines::add), 3);
            RamTrainingTask task = s.open(new RamFamily(small(rule == AttentionGradients.Rule.WAKE_SLEEP),
                    settings(rule, rule == AttentionGradients.Rule.WAKE_SLEEP ? 2 : 1, 3), data(train, heldOut).withProvenance(Map.of("test", true))));
            s.run();
            List<String> rows = Files.readAllLines(log);
            assertEquals(21, rows.size());
            List<String> header = List.of(rows.get(0).split(","));
            assertTrue(header.contains("train_error") && header.contains("heldout_error") && header.contains("gradient_variance")
                    && header.contains("policy_gradient_variance"), rows.get(0));
            assertEquals(rule == AttentionGradients.Rule.WAKE_SLEEP, header.contains("effective_samples"), rows.get(0));
            int error = header.indexOf("heldout_error");
            double first = Double.parseDouble(rows.get(1).split(",")[error]), last = Double.parseDouble(rows.get(20).split(",")[error]);
            System.out.println(rule + ": held-out error " + first + " -> " + last);
            assertTrue(last < 0.4 && last < first - 0.15, rule + ": held-out error " + first + " -> " + last + "\n" + String.join("\n", lines));
            double measured = new RamEvaluation(task.model(), 50, 1).classify(heldOut.features(), heldOut.labels(), new RandomStream(9),
                    Progress.NONE).errorRate();
            assertTrue(measured < 0.4, rule + ": " + measured);
        }
    }

    @Test
    void aResumedRunEqualsTheUninterruptedOne(@TempDir Path dir) {
        Dataset train = shapes(100, 2);
        for (AttentionGradients.Rule rule : new AttentionGradients.Rule[] {AttentionGradients.Rule.REINFORCE, AttentionGradients.Rule.WAKE_SLEEP}) {
            RecurrentAttention.Architecture a = small(true);
            RamTrainingTask.Settings s = settings(rule, 2, 2);
            Path one = dir.resolve(rule + "-a.safetensors"), two = dir.resolve(rule + "-b.safetensors");
            TrainingSession sa = new TrainingSession(new TrainingRun(2).checkpoint(one, 1, 0), 5);
            RamTrainingTask ta = sa.open(new RamFamily(a, s, data(train, null)));
            sa.run();
            new TrainingSession(new TrainingRun(1).checkpoint(two, 1, 0), 5).train(new RamFamily(a, s, data(train, null)));
            TrainingSession sc = new TrainingSession(new TrainingRun(2).checkpoint(two, 1, 0), 99).resumeFrom(two);
            RamTrainingTask tc = sc.open(new RamFamily(a, s, data(train, null)));
            assertEquals(1, sc.startEpoch());
            sc.run();
            for (int p = 0; p < ta.model().parameters().size(); p++) {
                Matrix x = ta.model().parameters().get(p).value(), y = tc.model().parameters().get(p).value();
                for (int k = 0; k < x.size(); k++) assertEquals(x.getFlat(k), y.getFlat(k), 0f, rule + " " + ta.model().parameters().get(p).name());
            }
            // another rule, or another architecture, is refused on resume
            String m = assertThrows(InputException.class, () -> new TrainingSession(3, 5).resumeFrom(two)
                    .open(new RamFamily(a, settings(AttentionGradients.Rule.PRIOR, 2, 2), data(train, null)))).getMessage();
            assertTrue(m.contains("rule"), m);
            RecurrentAttention.Architecture other = new RecurrentAttention.Architecture(16, 16, 3, 4, 4, 2, 3, 0, 0.2, 32, 16, 32, 32, true, 32, 4);
            m = assertThrows(InputException.class, () -> new TrainingSession(3, 5).resumeFrom(two).open(new RamFamily(other, s, data(train, null))))
                    .getMessage();
            assertTrue(m.contains("N = 3") && m.contains("N = 4"), m);
        }
    }

    @Test
    void modelFilesRoundTrip(@TempDir Path dir) {
        for (boolean q : new boolean[] {true, false}) {
            RecurrentAttention m = RecurrentAttention.initialize(small(q), new RandomStream(3));
            Path f = dir.resolve("m" + q + ".safetensors");
            ModelFiles.write(f, RamFiles.builder(m).build());
            RecurrentAttention back = RamFiles.read(ModelFiles.read(f, RecurrentAttention.KIND));
            assertEquals(m.architecture(), back.architecture());
            assertEquals(m.parameters().size(), back.parameters().size());
            for (int p = 0; p < m.parameters().size(); p++) {
                assertEquals(m.parameters().get(p).name(), back.parameters().get(p).name());
                float[] x = m.parameters().get(p).value().toArray(), y = back.parameters().get(p).value().toArray();
                for (int k = 0; k < x.length; k++) assertEquals(x[k], y[k], 0f);
            }
        }
        ModelFile bad = ModelFile.builder(RecurrentAttention.KIND).config("{\"height\": 16, \"width\": 16, \"classes\": 3, \"glimpses\": 0, "
                + "\"glimpse_size\": 4, \"patches\": 2, \"scales\": 3, \"location_grid\": 0, \"location_std\": 0.2, \"glimpse_hidden\": 8, "
                + "\"location_hidden\": 8, \"glimpse_features\": 8, \"core_size\": 8, \"inference\": false}").build();
        assertTrue(assertThrows(ModelFileException.class, () -> RamFiles.read(bad)).getMessage().contains("glimpses"));
    }

    @Test
    void badInputIsRefusedAndANanStopsTraining() {
        Dataset train = shapes(50, 4);
        RecurrentAttention m = RecurrentAttention.initialize(small(false), new RandomStream(1));
        RamTrainingTask.Settings s = settings(AttentionGradients.Rule.REINFORCE, 1, 0);
        Dataset mnist = Datasets.fromFiles(Path.of("src/test/resources/fixtures/mnist-t10k-300-images-idx3-ubyte.gz"),
                Path.of("src/test/resources/fixtures/mnist-t10k-300-labels-idx1-ubyte.gz"));
        String msg = assertThrows(InputException.class, () -> new RamTrainingTask(m, s, data(mnist, null), new RandomStream(1),
                new RandomStream(2))).getMessage();
        assertTrue(msg.contains("28x28") && msg.contains("16x16"), msg);
        Dataset unlabelled = new Dataset("u", train.features(), null, 16, 16, 0);
        msg = assertThrows(InputException.class, () -> new RamTrainingTask(m, s, data(unlabelled, null), new RandomStream(1),
                new RandomStream(2))).getMessage();
        assertTrue(msg.contains("labels"), msg);
        msg = assertThrows(InputException.class, () -> new RamFamily(small(false), settings(AttentionGradients.Rule.WAKE_SLEEP, 2, 0),
                data(train, null))).getMessage();
        assertTrue(msg.contains("inference network"), msg);
        assertThrows(InputException.class, () -> settings(AttentionGradients.Rule.REINFORCE, 1, 1));
        RecurrentAttention broken = RecurrentAttention.initialize(small(false), new RandomStream(1));
        broken.parameters().get(0).value().set(0, 0, Float.NaN);
        RamTrainingTask t = new RamTrainingTask(broken, s, data(train, null), new RandomStream(1), new RandomStream(2));
        assertThrows(TrainingDivergedException.class, () -> new TrainingRun(1).run(t, 0));
    }
}
