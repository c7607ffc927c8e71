package dgm4j.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.autodiff.GradientCheck;
import dgm4j.autodiff.Graph;
import dgm4j.autodiff.Node;
import dgm4j.autodiff.Parameter;
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

/**
 * DRAW end to end: the gradient of the whole unrolled loss against central differences (with and without attention),
 * importance weights against the closed-form bound, generation, model files, training through a
 * {@link TrainingSession} (the loss falls; a resumed run equals the uninterrupted one bit for bit), and bad input.
 */
class DrawTest {
    static Dataset fixture() throws Exception {
        Path images = Path.of(DrawTest.class.getResource("/fixtures/mnist-t10k-300-images-idx3-ubyte.gz").toURI());
        Path labels = Path.of(DrawTest.class.getResource("/fixtures/mnist-t10k-300-labels-idx1-ubyte.gz").toURI());
        return Datasets.fromFiles(images, labels);
    }

    /** n binary side x side images of one bar each, horizontal or vertical at a random position, 2 pixels wide. */
    static Dataset bars(int n, int side, long seed) {
        RandomStream r = new RandomStream(seed);
        Matrix x = Matrix.zeros(n, side * side);
        for (int i = 0; i < n; i++) {
            boolean horizontal = r.nextInt(2) == 0;
            int at = r.nextInt(side - 1);
            for (int a = 0; a < side; a++) {
                for (int w = 0; w < 2; w++) x.set(i, horizontal ? (at + w) * side + a : a * side + at + w, 1f);
            }
        }
        return new Dataset("bars", x, null, side, side, 0);
    }

    private static Matrix bits(int rows, int cols, long seed) {
        Matrix m = Matrix.zeros(rows, cols);
        new RandomStream(seed).uniforms(m);
        for (int k = 0; k < m.size(); k++) m.setFlat(k, m.getFlat(k) < 0.4f ? 1f : 0f);
        return m;
    }

    private static Draw tiny(boolean attention, long seed) {
        Draw.Architecture a = new Draw.Architecture(5, 6, 3, 4, 3, 2, attention, 2, 3);
        Draw d = Draw.initialize(a, new RandomStream(seed), Draw.columnMeans(bits(10, 30, seed + 1)));
        for (Parameter p : d.parameters()) {   // no parameter exactly at its initial zero, so every path carries gradient
            if (p.value().rows() == 1) {
                Matrix noise = AttentionTest.random(1, p.value().cols(), 0.2f, p.name().hashCode());
                for (int k = 0; k < noise.size(); k++) p.value().setFlat(k, p.value().getFlat(k) + noise.getFlat(k));
            }
        }
        return d;
    }

    @Test
    void theGradientOfTheUnrolledLossMatchesFiniteDifferences() {
        for (boolean attention : new boolean[] {true, false}) {
            Draw d = tiny(attention, 3);
            Graph g = new Graph();
            Draw.Unrolled u = d.unroll(g, 2, false);
            u.x().value().copyFrom(bits(2, 30, 5));
            u.fillNoise(new RandomStream(6));
            Node loss = Draw.loss(g, u);
            List<Node> wrt = new ArrayList<>();
            for (Parameter p : d.parameters()) wrt.add(g.parameter(p));
            for (double eps : new double[] {1e-2, 3e-3}) {
                GradientCheck.Result r = GradientCheck.check(g, loss, wrt, eps, 2e-3, 2e-2, 25, 11);
                assertTrue(r.passed(), (attention ? "attention" : "no attention") + ", eps " + eps + ": " + r);
            }
        }
    }

    @Test
    void importanceWeightsAverageToTheClosedFormBound() {
        Draw d = tiny(true, 4);
        Matrix x = bits(1, 30, 8);
        int n = 4000;
        Matrix repeated = Matrix.zeros(n, 30);
        for (int i = 0; i < n; i++) repeated.rows(i, i + 1).copyFrom(x);
        double[] bound = DrawEstimator.bound(d, repeated, new RandomStream(1), n, Progress.NONE);
        double[] l1 = DrawEstimator.logMeanWeights(d, repeated, 1, new RandomStream(2), n, Progress.NONE);
        double mb = 0, m1 = 0, v1 = 0;
        for (int i = 0; i < n; i++) {
            mb += bound[i] / n;
            m1 += l1[i] / n;
        }
        for (int i = 0; i < n; i++) v1 += (l1[i] - m1) * (l1[i] - m1) / (n - 1);
        assertEquals(mb, m1, 4 * Math.sqrt(v1 / n), "E[log w] (sampled KL) against the bound with the KL in closed form");
        double[] l50 = DrawEstimator.logMeanWeights(d, repeated.rows(0, 100), 50, new RandomStream(3), 1000, Progress.NONE);
        double m50 = 0;
        for (double v : l50) m50 += v / l50.length;
        assertTrue(m50 >= m1 - 0.05, "L_50 " + m50 + " below L_1 " + m1);
    }

    @Test
    void generationDrawsTheCanvasStepByStep() {
        Draw d = tiny(true, 5);
        List<Matrix> canvases = d.generate(7, new RandomStream(1));
        assertEquals(4, canvases.size());
        for (Matrix c : canvases) {
            assertEquals("7x30", c.shape());
            for (int k = 0; k < c.size(); k++) assertTrue(c.getFlat(k) > 0f && c.getFlat(k) < 1f);
        }
        Parameter canvas0 = d.parameters().stream().filter(p -> p.name().equals("canvas0")).findFirst().orElseThrow();
        assertEquals(1 / (1 + Math.exp(-canvas0.value().get(0, 4))), canvases.get(0).get(3, 4), 1e-6);
        assertTrue(Math.abs(canvases.get(3).get(0, 0) - canvases.get(0).get(0, 0)) > 1e-6, "the decoder writes");
    }

    @Test
    void modelFilesRoundTrip() {
        for (boolean attention : new boolean[] {true, false}) {
            Draw d = tiny(attention, 6);
            ModelFile file = ModelFiles.fromBytes(ModelFiles.toBytes(DrawFiles.builder(d).build()), "draw", Set.of(Draw.KIND));
            Draw back = DrawFiles.read(file);
            assertEquals(d.architecture(), back.architecture());
            for (int p = 0; p < d.parameters().size(); p++) {
                Matrix a = d.parameters().get(p).value(), b = back.parameters().get(p).value();
                assertEquals(d.parameters().get(p).name(), back.parameters().get(p).name());
                for (int k = 0; k < a.size(); k++) assertEquals(a.getFlat(k), b.getFlat(k), 0f);
            }
            Matrix x = bits(3, 30, 9);
            double[] b1 = DrawEstimator.bound(d, x, new RandomStream(1), 10, Progress.NONE);
            double[] b2 = DrawEstimator.bound(back, x, new RandomStream(1), 10, Progress.NONE);
            for (int i = 0; i < 3; i++) assertEquals(b1[i], b2[i], 0.0);
        }
        assertThrows(ModelFileException.class, () -> DrawFiles.read(ModelFile.builder("vae").config("{}").build()));
        ModelFile bad = ModelFile.builder(Draw.KIND).config("{\"height\": 5, \"width\": 6, \"steps\": 0, \"encoder_size\": 4, "
                + "\"decoder_size\": 3, \"latent\": 2, \"attention\": false, \"read_n\": 0, \"write_n\": 0}").build();
        assertTrue(assertThrows(ModelFileException.class, () -> DrawFiles.read(bad)).getMessage().contains("steps"));
    }

    private static final DrawTrainingTask.Settings SETTINGS = new DrawTrainingTask.Settings(3e-3, 100, 0.9, 0.999, 1e-8);

    /** {@code train} (and held-out images, may be null) in minibatches of 25, binarized afresh for every minibatch. */
    private static TrainingData data(Dataset train, Dataset validation) {
        return TrainingData.of(train, 25).withValidation(validation);
    }

    /** DRAW's part of a session: batch 25, Adam lr 3e-3, gradients clipped to norm 1, binarized per minibatch. */
    static DrawFamily family(Draw.Architecture a, Dataset train, Dataset validation, Map<String, Object> provenance) {
        return new DrawFamily(a, new DrawTrainingTask.Settings(3e-3, 1, 0.9, 0.999, 1e-8),
                data(train, validation).withProvenance(provenance));
    }

    private static final Draw.Architecture SMALL = new Draw.Architecture(28, 28, 4, 32, 32, 8, true, 2, 3);

    @Test
    void trainingLowersTheLossOnATinyProblem(@TempDir Path dir) throws Exception {
        // 8 x 8 images of one bar each: with attention (2 x 2 read, 3 x 3 write) and without, T = 4, 16 units
        Dataset all = bars(300, 8, 1);
        for (boolean attention : new boolean[] {true, false}) {
            Draw.Architecture a = new Draw.Architecture(8, 8, 4, 16, 16, 8, attention, 2, 3);
            List<String> lines = new ArrayList<>();
            Path log = dir.resolve("log-" + attention + ".csv");
            TrainingSession s = new TrainingSession(new TrainingRun(25).csvLog(log).log(lines::add), 1);
            s.open(new DrawFamily(a, SETTINGS, data(all.subset(0, 250), all.subset(250, 300)).withProvenance(Map.of("test", true))));
            s.run();
            List<String> rows = Files.readAllLines(log);
            assertEquals(26, rows.size());
            assertTrue(rows.get(0).startsWith("epoch,loss,reconstruction,kl,gradient_norm,clipped,learning_rate,heldout_bound"), rows.get(0));
            double first = Double.parseDouble(rows.get(1).split(",")[1]), last = Double.parseDouble(rows.get(25).split(",")[1]);
            assertTrue(last < first - 5, a + ": the loss should fall by more than 5 nats: " + first + " -> " + last + "\n" + String.join("\n", lines));
            double bound = Double.parseDouble(rows.get(25).split(",")[7]);
            assertTrue(bound > -last - 10 && bound < 0, "held-out bound " + bound + " beside the training loss " + last);
        }
    }

    @Test
    void aResumedRunEqualsTheUninterruptedOne(@TempDir Path dir) throws Exception {
        Dataset train = fixture().subset(0, 100);
        // 2 epochs uninterrupted against 1 epoch, then a resumed session of 2
        Path a = dir.resolve("a.safetensors"), b = dir.resolve("b.safetensors");
        TrainingSession sa = new TrainingSession(new TrainingRun(2).checkpoint(a, 1, 0), 5);
        DrawTrainingTask ta = sa.open(new DrawFamily(SMALL, SETTINGS, data(train, null)));
        sa.run();
        TrainingSession sb = new TrainingSession(new TrainingRun(1).checkpoint(b, 1, 0), 5);
        sb.open(new DrawFamily(SMALL, SETTINGS, data(train, null)));
        sb.run();
        TrainingSession sc = new TrainingSession(new TrainingRun(2).checkpoint(b, 1, 0), 99).resumeFrom(b);
        DrawTrainingTask tc = sc.open(new DrawFamily(SMALL, SETTINGS, data(train, null)));
        assertEquals(1, sc.startEpoch());
        sc.run();
        for (int p = 0; p < ta.model().parameters().size(); p++) {
            Matrix x = ta.model().parameters().get(p).value(), y = tc.model().parameters().get(p).value();
            for (int k = 0; k < x.size(); k++) assertEquals(x.getFlat(k), y.getFlat(k), 0f, ta.model().parameters().get(p).name());
        }
        // another architecture or other hyper-parameters are refused on resume
        Draw.Architecture other = new Draw.Architecture(28, 28, 5, 32, 32, 8, true, 2, 3);
        String m = assertThrows(InputException.class, () -> new TrainingSession(3, 5).resumeFrom(b)
                .open(new DrawFamily(other, SETTINGS, data(train, null)))).getMessage();
        assertTrue(m.contains("T = 4") && m.contains("T = 5"), m);
        DrawTrainingTask.Settings clip = new DrawTrainingTask.Settings(3e-3, 5, 0.9, 0.999, 1e-8);
        m = assertThrows(InputException.class, () -> new TrainingSession(3, 5).resumeFrom(b)
                .open(new DrawFamily(SMALL, clip, data(train, null)))).getMessage();
        assertTrue(m.contains("clip_norm"), m);
    }

    @Test
    void badInputIsRefusedAndANanLossStopsTraining() throws Exception {
        Dataset train = fixture().subset(0, 50);
        assertTrue(assertThrows(InputException.class, () -> new Draw.Architecture(28, 28, 0, 8, 8, 2, true, 2, 3)).getMessage().contains("T"));
        String m = assertThrows(InputException.class, () -> new Draw(new Draw.Architecture(28, 28, 2, 8, 8, 2, true, 29, 3))).getMessage();
        assertTrue(m.contains("29 x 29") && m.contains("28 x 28"), m);
        Draw small = new Draw(new Draw.Architecture(20, 20, 2, 8, 8, 2, true, 2, 3));
        m = assertThrows(InputException.class, () -> new DrawTrainingTask(small, SETTINGS, data(train, null), new RandomStream(1),
                new RandomStream(2))).getMessage();
        assertTrue(m.contains("28x28") && m.contains("20x20"), m);
        Draw d = Draw.initialize(SMALL, new RandomStream(1), null);
        m = assertThrows(InputException.class, () -> DrawEstimator.bound(d, train.features(), new RandomStream(1), 10, Progress.NONE)).getMessage();
        assertTrue(m.contains("binar"), m);
        m = assertThrows(InputException.class, () -> DrawEstimator.logMeanWeights(d, bits(2, 100, 1), 5, new RandomStream(1), 10, Progress.NONE)).getMessage();
        assertTrue(m.contains("100 pixels") && m.contains("784"), m);
        // NaN in a parameter: the divergence guard stops the run and writes no checkpoint
        Draw broken = Draw.initialize(SMALL, new RandomStream(1), null);
        broken.parameters().get(0).value().set(0, 0, Float.NaN);
        DrawTrainingTask t = new DrawTrainingTask(broken, SETTINGS, data(train, null), new RandomStream(1), new RandomStream(2));
        assertThrows(TrainingDivergedException.class, () -> new TrainingRun(1).run(t, 0));
    }
}
