package dgm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import dgm4j.ais.ExactPartition;
import dgm4j.io.Json;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.RbmFiles;

/** The dgm command end to end, in-process, on the committed MNIST fixture: help, exit codes, bad input, a whole run. */
class CliTest {

    @Test
    void everyCommandHasHelpAndVersionWorks() {
        Cli v = Cli.run("--version");
        assertEquals(0, v.code, v.toString());
        assertTrue(v.out.contains("dgm4j") && v.out.contains("blas="), v.out);
        List<String[]> paths = new ArrayList<>();
        collect(new CommandLine(new Main()), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 12, "commands found: " + paths.size());
        for (String[] p : paths) {
            String[] args = new String[p.length + 1];
            System.arraycopy(p, 0, args, 0, p.length);
            args[p.length] = "--help";
            Cli h = Cli.run(args);
            assertEquals(0, h.code, String.join(" ", args) + "\n" + h);
            assertTrue(h.out.contains("Usage:"), String.join(" ", args) + "\n" + h.out);
        }
    }

    private static void collect(CommandLine c, List<String> prefix, List<String[]> out) {
        out.add(prefix.toArray(new String[0]));
        for (var e : c.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) continue;
            List<String> p = new ArrayList<>(prefix);
            p.add(e.getKey());
            collect(e.getValue(), p, out);
        }
    }

    @Test
    void badUsageAndBadInputExitWithTwoAndSayWhy(@TempDir Path dir) throws Exception {
        Cli c = Cli.run("frobnicate");
        assertEquals(2, c.code, c.toString());
        c = Cli.run("train", "rbm", "--data", "mnist");
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("--out"), c.err);
        c = Cli.run("data", "show", "mnist", "--out", dir.resolve("x.png").toString(), "--data-dir", dir.toString());
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("dgm data fetch mnist"), c.err);
        c = Cli.run("train", "rbm", "--images", Cli.fixtureImages().toString(), "--hidden", "0", "--out", dir.resolve("m.safetensors").toString());
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("--hidden"), c.err);
        c = Cli.run("train", "rbm", "--images", Cli.fixtureImages().toString(), "--binarize", "sometimes", "--out", dir.resolve("m.safetensors").toString());
        assertEquals(2, c.code, c.toString());
        c = Cli.run("inspect", dir.resolve("missing.safetensors").toString());
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("missing.safetensors"), c.err);
        Path garbage = dir.resolve("garbage.safetensors");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        c = Cli.run("sample", garbage.toString(), "--out", dir.resolve("s.png").toString());
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("garbage.safetensors"), c.err);
        Path other = dir.resolve("vae.safetensors");
        ModelFiles.write(other, ModelFile.builder("vae").floats("x", new float[] {1}).build());
        c = Cli.run("filters", other.toString(), "--out", dir.resolve("f.png").toString());
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("rbm") && c.err.contains("vae"), c.err);
        c = Cli.run("train", "rbm", "--images", Cli.fixtureImages().toString(), "--threads", "0", "--out", dir.resolve("m.safetensors").toString());
        assertEquals(2, c.code, c.toString());
        c = Cli.run("train", "rbm", "--images", Cli.fixtureImages().toString(), "--cd", "3", "--steps-final", "2", "--out", dir.resolve("m.safetensors").toString());
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("--steps-final"), c.err);
    }

    @Test
    void trainInspectExportSampleAndMeasureAnRbmOnRealDigits(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("rbm.safetensors");
        Path log = dir.resolve("log.csv");
        Cli t = Cli.run("train", "rbm", "--images", Cli.fixtureImages().toString(), "--labels", Cli.fixtureLabels().toString(),
                "--hidden", "12", "--epochs", "4", "--batch", "20", "--lr", "0.05", "--threads", "1", "--out", model.toString(),
                "--log", log.toString(), "--pictures", dir.resolve("pics").toString());
        assertEquals(0, t.code, t.toString());
        assertTrue(Files.exists(model) && Files.exists(dir.resolve("rbm.safetensors.prev")), "model and previous checkpoint");
        List<String> rows = Files.readAllLines(log);
        assertEquals(5, rows.size(), rows.toString());
        assertTrue(rows.get(0).startsWith("epoch,reconstruction_error,free_energy_train"), rows.get(0));
        for (String png : new String[] {"pics/filters.png", "pics/samples.png", "pics/reconstructions.png"}) {
            assertTrue(ImageIO.read(dir.resolve(png).toFile()).getWidth() > 100, png);
        }

        Cli i = Cli.run("inspect", model.toString());
        assertEquals(0, i.code, i.toString());
        assertTrue(i.out.contains("kind:        rbm") && i.out.contains("weights") && i.out.contains("[784, 12]")
                && i.out.contains("\"epochs_done\":4") && i.out.contains("provenance"), i.out);

        Path npz = dir.resolve("rbm.npz");
        Cli e = Cli.run("export", model.toString(), "--format", "npz", "--out", npz.toString(), "--weights-only");
        assertEquals(0, e.code, e.toString());
        assertTrue(Files.size(npz) > 784 * 12 * 4);

        Cli s = Cli.run("sample", model.toString(), "--out", dir.resolve("s.png").toString(), "--count", "9", "--steps", "50");
        assertEquals(0, s.code, s.toString());
        assertTrue(s.err.contains("sampling 9 chains ["), "the Gibbs chains show their progress: " + s.err);
        Cli c = Cli.run("complete", model.toString(), "--images", Cli.fixtureImages().toString(), "--out", dir.resolve("c.png").toString(), "--count", "4");
        assertEquals(0, c.code, c.toString());
        BufferedImage completions = ImageIO.read(dir.resolve("c.png").toFile());
        assertEquals(6 * (28 * 2 + 2) + 2, completions.getWidth(), "4 triples, 2 side by side");
        assertEquals(14 + 2 * (28 * 2 + 2) + 2, completions.getHeight(), "column titles above 2 rows of tiles");
        int titlePixels = 0, red = 0;
        for (int y = 0; y < completions.getHeight(); y++) {
            for (int x = 0; x < completions.getWidth(); x++) {
                int rgb = completions.getRGB(x, y), r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF;
                if (y < 14 && g > 0x80) titlePixels++;
                if (r > 200 && g < 120) red++;
            }
        }
        assertTrue(titlePixels > 50, "titles drawn above the columns");
        assertTrue(red >= 2 * 4 * 28 * 2, "the hidden half's edge marked on every input and completion: " + red);

        Path csv = dir.resolve("features.csv");
        Cli f = Cli.run("transform", model.toString(), "--images", Cli.fixtureImages().toString(), "--labels",
                Cli.fixtureLabels().toString(), "--out", csv.toString());
        assertEquals(0, f.code, f.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(300, lines.size());
        String[] first = lines.get(0).split(",");
        assertEquals(13, first.length, "12 features and the label");
        assertEquals("7", first[12], "MNIST test labels start with 7");
        for (int j = 0; j < 12; j++) {
            double p = Double.parseDouble(first[j]);
            assertTrue(p > 0 && p < 1, "p(h|v) in (0, 1): " + p);
        }
        assertEquals(2, Cli.run("transform", model.toString(), "--images", Cli.fixtureImages().toString(), "--out",
                dir.resolve("features.txt").toString()).code);

        // AIS against exact enumeration of the 12 hidden units, through the CLI
        Cli a = Cli.run("eval", "ais", model.toString(), "--images", Cli.fixtureImages().toString(), "--runs", "100",
                "--exact", "--threads", "1");
        assertEquals(0, a.code, a.toString());
        double ais = number(a.out, "forward AIS: ln Z = ([-0-9.]+)");
        double exact = number(a.out, "exact ln Z = ([-0-9.]+)");
        assertEquals(exact, ais, 0.1, a.out);
    }

    @Test
    void gaussianRbmOnStandardisedPixelsTrainsAndIsMeasured(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("g.safetensors");
        Cli t = Cli.run("train", "rbm", "--visible", "gaussian", "--images", Cli.fixtureImages().toString(), "--hidden", "10",
                "--epochs", "3", "--batch", "20", "--lr", "0.002", "--threads", "1", "--out", model.toString(),
                "--pictures", dir.resolve("pics").toString());
        assertEquals(0, t.code, t.toString());
        Cli i = Cli.run("inspect", model.toString());
        assertTrue(i.out.contains("\"visible_type\":\"gaussian\"") && i.out.contains("data_mean") && i.out.contains("log_variance"), i.out);
        Cli a = Cli.run("eval", "ais", model.toString(), "--images", Cli.fixtureImages().toString(), "--runs", "100", "--exact", "--threads", "1");
        assertEquals(0, a.code, a.toString());
        assertEquals(number(a.out, "exact ln Z = ([-0-9.]+)"), number(a.out, "forward AIS: ln Z = ([-0-9.]+)"), 0.1, a.out);
        assertTrue(a.out.contains("in the data's own units"), a.out);
        Cli bad = Cli.run("train", "rbm", "--visible", "gaussian", "--binarize", "dynamic", "--images", Cli.fixtureImages().toString(),
                "--out", dir.resolve("x.safetensors").toString());
        assertEquals(2, bad.code, bad.toString());
        Cli complete = Cli.run("complete", model.toString(), "--images", Cli.fixtureImages().toString(), "--out", dir.resolve("c.png").toString());
        assertEquals(2, complete.code, complete.toString());
        Cli wrongType = Cli.run("train", "rbm", "--images", Cli.fixtureImages().toString(), "--hidden", "10", "--epochs", "4",
                "--out", model.toString(), "--resume", model.toString());
        assertEquals(2, wrongType.code, wrongType.toString());
        assertTrue(wrongType.err.contains("--visible gaussian"), wrongType.err);
    }

    /** A tiny Reuters-like corpus in the catalog's layout: two topics of words, in ARFF as Debian's weka ships it. */
    static Path tinyReuters(Path dir) throws Exception {
        Path data = dir.resolve("data"), corpus = data.resolve("reuters-grain");
        Files.createDirectories(corpus);
        String[][] topics = {{"wheat", "grain", "corn", "tonnes", "export", "harvest"}, {"oil", "crude", "opec", "barrels", "prices", "energy"}};
        Random r = new Random(3);
        for (String split : new String[] {"train", "test"}) {
            StringBuilder sb = new StringBuilder("@relation 'tiny'\n\n@attribute Text string\n@attribute class-att {0,1}\n\n@data\n\n");
            for (int d = 0; d < (split.equals("train") ? 60 : 20); d++) {
                int t = r.nextInt(2);
                sb.append('\'');
                for (int w = 0; w < 5 + r.nextInt(10); w++) sb.append(topics[r.nextDouble() < 0.9 ? t : 1 - t][r.nextInt(6)]).append(' ');
                sb.append("\\nReuter\',").append(t == 0 ? 1 : 0).append('\n');
            }
            Files.writeString(corpus.resolve("ReutersGrain-" + split + ".arff"), sb.toString());
        }
        return data;
    }

    @Test
    void replicatedSoftmaxOnTextTrainsAndGivesPerplexityAndTopics(@TempDir Path dir) throws Exception {
        Path data = tinyReuters(dir);
        Path model = dir.resolve("rs.safetensors");
        Cli t = Cli.run("train", "rbm", "--visible", "softmax", "--data", "reuters-grain", "--data-dir", data.toString(),
                "--hidden", "4", "--epochs", "30", "--batch", "10", "--lr", "0.01", "--threads", "1", "--out", model.toString());
        assertEquals(0, t.code, t.toString());
        Path json = dir.resolve("rs.json");
        Cli a = Cli.run("eval", "ais", model.toString(), "--data", "reuters-grain", "--data-dir", data.toString(), "--runs", "20",
                "--betas", "0.05", "--exact", "--threads", "1", "--json", json.toString());
        assertEquals(0, a.code, a.toString());
        Map<String, Object> r = Json.parseObject(Files.readString(json));
        double forward = ((Number) r.get("perplexity_forward")).doubleValue();
        double reverse = ((Number) r.get("perplexity_reverse")).doubleValue();
        double unigram = ((Number) r.get("unigram_perplexity")).doubleValue();
        double exact = ((Number) r.get("exact_perplexity")).doubleValue();
        assertEquals(20, ((Number) r.get("documents")).intValue());
        assertTrue(forward < unigram, "two clear topics: the model beats unigram: " + a.out);
        assertEquals(exact, forward, 0.02 * exact, a.out);
        assertEquals(exact, reverse, 0.02 * exact, a.out);
        if ((Boolean) r.get("determined")) {
            assertTrue(a.out.contains("forward and reverse AIS agree"), a.out);
            assertEquals(exact, forward, 0.01 * exact, a.out);
        } else {
            assertTrue(a.out.contains("NOT DETERMINED"), a.out);
        }
        Cli topics = Cli.run("topics", model.toString(), "--units", "2", "--words", "3");
        assertEquals(0, topics.code, topics.toString());
        assertEquals(2, topics.out.lines().count(), topics.out);
        assertEquals(2, Cli.run("sample", model.toString(), "--out", dir.resolve("s.png").toString()).code);
        assertEquals(2, Cli.run("filters", model.toString(), "--out", dir.resolve("f.png").toString()).code);
        Cli noVocabulary = Cli.run("topics", dir.resolve("none.safetensors").toString());
        assertEquals(2, noVocabulary.code);
        // CD with the Gibbs steps rising over the epochs, as Salakhutdinov & Hinton (2009) train replicated softmax
        Cli ramp = Cli.run("train", "rbm", "--visible", "softmax", "--data", "reuters-grain", "--data-dir", data.toString(),
                "--hidden", "4", "--epochs", "3", "--batch", "10", "--cd", "1", "--steps-final", "5", "--threads", "1",
                "--out", dir.resolve("ramp.safetensors").toString());
        assertEquals(0, ramp.code, ramp.toString());
        assertTrue(ramp.err.contains("by CD-1..5"), ramp.err);
    }

    /** A stand-in for the catalog's 8x8 digits (1,797 rows of 64 values in 0..16 and a label), in its layout. */
    static Path fakeDigits(Path dir) throws Exception {
        Path data = dir.resolve("data"), digits = data.resolve("digits");
        Files.createDirectories(digits);
        Random r = new Random(5);
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < 1797; n++) {
            int label = r.nextInt(2);
            for (int i = 0; i < 64; i++) {
                boolean on = label == 0 ? (i % 8) < 4 : (i / 8) < 4;   // two "shapes": left half or top half
                sb.append(on ? 8 + r.nextInt(9) : r.nextInt(3)).append(',');
            }
            sb.append(label).append('\n');
        }
        try (var out = new GZIPOutputStream(Files.newOutputStream(digits.resolve("digits.csv.gz")))) {
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return data;
    }

    @Test
    void aisEveryEpochMonitorsTheValidationLikelihoodForBinaryAndGaussianUnits(@TempDir Path dir) throws Exception {
        Path data = fakeDigits(dir);
        for (String visible : new String[] {"bernoulli", "gaussian"}) {
            Path log = dir.resolve(visible + ".csv");
            Cli t = Cli.run("train", "rbm", "--data", "digits", "--data-dir", data.toString(), "--visible", visible, "--hidden", "8",
                    "--epochs", "3", "--batch", "20", "--lr", visible.equals("gaussian") ? "0.005" : "0.05", "--threads", "1",
                    "--ais-every", "2", "--ais-betas", "0.05", "--out", dir.resolve(visible + ".safetensors").toString(), "--log", log.toString());
            assertEquals(0, t.code, t.toString());
            List<String> rows = Files.readAllLines(log);
            assertTrue(rows.get(0).contains("ais_validation_log_likelihood"), rows.get(0));
            int column = Arrays.asList(rows.get(0).split(",")).indexOf("ais_validation_log_likelihood");
            String[] epoch1 = rows.get(1).split(",", -1), epoch2 = rows.get(2).split(",", -1), epoch3 = rows.get(3).split(",", -1);
            assertTrue(Double.parseDouble(epoch1[column]) < 0 || visible.equals("gaussian"), rows.toString());
            assertTrue(!epoch2[column].isEmpty() && epoch3[column].isEmpty(), "after epoch 1 and every 2nd epoch: " + rows);
            int determined = Arrays.asList(rows.get(0).split(",")).indexOf("ais_determined");
            double d = Double.parseDouble(epoch1[determined]);
            assertTrue(d == 0 || d == 1, rows.toString());
        }
    }

    @Test
    void aMonitorPointCalledDeterminedHoldsAgainstEnumeration(@TempDir Path dir) throws Exception {
        Path data = fakeDigits(dir), log = dir.resolve("m.csv"), model = dir.resolve("m.safetensors");
        Cli t = Cli.run("train", "rbm", "--data", "digits", "--data-dir", data.toString(), "--hidden", "8", "--epochs", "2",
                "--batch", "20", "--threads", "1", "--ais-every", "1", "--ais-betas", "0.3", "--out", model.toString(), "--log", log.toString());
        assertEquals(0, t.code, t.toString());
        List<String> rows = Files.readAllLines(log);
        List<String> header = Arrays.asList(rows.get(0).split(","));
        String[] last = rows.get(2).split(",", -1);
        double exact = ExactPartition.logZ((BernoulliRbm) RbmFiles.read(ModelFiles.read(model, "rbm")));
        double forward = Double.parseDouble(last[header.indexOf("ais_log_z")]), reverse = Double.parseDouble(last[header.indexOf("ais_log_z_reverse")]);
        if (Double.parseDouble(last[header.indexOf("ais_determined")]) == 1) {
            assertEquals(exact, 0.5 * (forward + reverse), 0.1, rows.toString());
        } else {
            assertTrue(t.err.contains("epoch 2 AIS monitor (--ais-betas 0.3): "), t.err);
        }
    }

    @Test
    void divergenceStopsTrainingAndLeavesTheCheckpointUntouched(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("rbm.safetensors");
        String[] base = {"train", "rbm", "--images", Cli.fixtureImages().toString(), "--hidden", "10", "--batch", "20",
                "--threads", "1", "--out", model.toString()};
        Cli first = Cli.run(concat(base, "--epochs", "1"));
        assertEquals(0, first.code, first.toString());
        byte[] good = Files.readAllBytes(model);
        Cli bad = Cli.run(concat(base, "--epochs", "3", "--force", "--lr", "1e38", "--momentum", "0.99", "--final-momentum", "0.99"));
        assertEquals(1, bad.code, bad.toString());
        assertTrue(bad.err.contains("diverged at epoch 1, step"), bad.err);
        assertArrayEquals(good, Files.readAllBytes(model), "the last good checkpoint is untouched");
    }

    @Test
    void resumingKeepsTheRunConsistentOrRefuses(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("rbm.safetensors"), log = dir.resolve("log.csv");
        String[] base = {"train", "rbm", "--images", Cli.fixtureImages().toString(), "--hidden", "10", "--batch", "20",
                "--pcd", "1", "--threads", "1", "--out", model.toString(), "--log", log.toString()};
        assertEquals(0, Cli.run(concat(base, "--epochs", "2")).code);
        Cli again = Cli.run(concat(base, "--epochs", "2"));
        assertEquals(2, again.code, "an existing --out is not replaced without --force: " + again);
        assertTrue(again.err.contains("--resume") && again.err.contains("--force"), again.err);
        Cli asCd = Cli.run("train", "rbm", "--images", Cli.fixtureImages().toString(), "--hidden", "10", "--batch", "20",
                "--cd", "1", "--epochs", "4", "--out", model.toString(), "--resume", model.toString());
        assertEquals(2, asCd.code, asCd.toString());
        assertTrue(asCd.err.contains("algorithm") && asCd.err.contains("PCD-1"), asCd.err);
        Cli otherBatch = Cli.run(concat(base, "--epochs", "4", "--resume", model.toString(), "--batch", "30"));
        assertEquals(2, otherBatch.code, otherBatch.toString());
        Cli done = Cli.run(concat(base, "--epochs", "2", "--resume", model.toString()));
        assertEquals(2, done.code, done.toString());
        assertTrue(done.err.contains("already done 2 epochs"), done.err);
        Cli more = Cli.run(concat(base, "--epochs", "4", "--resume", model.toString()));
        assertEquals(0, more.code, more.toString());
        List<String> rows = Files.readAllLines(log);
        assertEquals(5, rows.size(), "header and epochs 1-4 once each: " + rows);
        for (int e = 1; e <= 4; e++) assertEquals(e, Double.parseDouble(rows.get(e).split(",")[0]), 0.0);
    }

    static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
