package dgm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dgm train dbm and the DBM side of eval ais, sample, complete, transform, on the committed MNIST fixture. */
class DbmCliTest {

    private static String[] images() {
        return new String[] {"--images", Cli.fixtureImages().toString(), "--labels", Cli.fixtureLabels().toString()};
    }

    private static String[] join(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainResumeSampleCompleteTransformAndMeasureADbm(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("dbm.safetensors"), log = dir.resolve("log.csv");
        String[] train = join(new String[] {"train", "dbm"}, images());
        train = join(train, "--hidden", "12,8", "--pretrain-epochs", "2", "--chains", "10", "--batch", "20", "--lr", "0.005",
                "--tempering", "3", "--threads", "1", "--out", model.toString(), "--log", log.toString());
        Cli t = Cli.run(join(train, "--epochs", "2", "--pictures", dir.resolve("pics").toString()));
        assertEquals(0, t.code, t.toString());
        assertTrue(t.err.contains("pretraining RBM 1 (784-12, CD-1, upward input doubled)")
                && t.err.contains("pretraining RBM 2 (12-8, CD-10, downward input doubled): epoch 2/2"), t.err);
        assertTrue(t.err.contains("parallel tempering: swap rates"), t.err);
        assertTrue(ImageIO.read(dir.resolve("pics/samples.png").toFile()).getWidth() > 100);
        Cli.assertLog(log, 2, "epoch,reconstruction_error,mean_field_train,swap_rate");

        Cli resumed = Cli.run(join(train, "--epochs", "3", "--resume", model.toString()));
        assertEquals(0, resumed.code, resumed.toString());
        assertEquals(4, Files.readAllLines(log).size());
        Cli changed = Cli.run(join(train, "--epochs", "4", "--resume", model.toString(), "--gibbs-steps", "2"));
        assertEquals(2, changed.code, changed.toString());
        assertTrue(changed.err.contains("resume with the options of the original run"), changed.err);

        Cli i = Cli.run("inspect", model.toString());
        assertTrue(i.out.contains("kind:        dbm") && i.out.contains("weights_2") && i.out.contains("[12, 8]")
                && i.out.contains("\"epochs_done\":3"), i.out);

        assertEquals(0, Cli.run("sample", model.toString(), "--out", dir.resolve("s.png").toString(), "--count", "4", "--steps", "20").code);
        Cli c = Cli.run(join(new String[] {"complete", model.toString()}, join(images(), "--out", dir.resolve("c.png").toString(), "--count", "3")));
        assertEquals(0, c.code, c.toString());
        assertTrue(ImageIO.read(dir.resolve("c.png").toFile()).getWidth() > 50);

        Path csv = dir.resolve("f.csv");
        Cli f = Cli.run(join(new String[] {"transform", model.toString()}, join(images(), "--out", csv.toString())));
        assertEquals(0, f.code, f.toString());
        String[] first = Files.readAllLines(csv).get(0).split(",");
        assertEquals(12 + 8 + 1, first.length, "q(h1), q(h2) and the label");
        assertEquals("7", first[20]);
        Cli top = Cli.run(join(new String[] {"transform", model.toString()}, join(images(), "--layer", "2", "--out", csv.toString())));
        assertEquals(0, top.code, top.toString());
        assertEquals(9, Files.readAllLines(csv).get(0).split(",").length);

        Cli cl = Cli.run(join(new String[] {"eval", "classify", model.toString()}, join(images(), "--epochs", "3", "--batch", "20",
                "--lr", "0.01", "--threads", "1")));
        assertEquals(0, cl.code, cl.toString());
        double error = number(cl.out, "test error after 3 epochs of fine-tuning: ([0-9.]+)% of 100 examples");
        assertTrue(error < 90, cl.out);
        assertTrue(cl.err.contains("fine-tuning the 792-12-8-10 network"), cl.err);
        assertTrue(cl.err.contains("fine-tune epoch 3/3") && !cl.err.contains("epoch 1/1"), cl.err);
        Cli a = Cli.run(join(new String[] {"eval", "ais", model.toString()}, join(images(), "--runs", "20", "--betas", "0.02", "--threads", "1")));
        assertEquals(0, a.code, a.toString());
        double logZ = number(a.out, "ln Z = ([-0-9.]+)");
        double bound = number(a.out, "lower bound \\(mean field\\) of 300 examples(?: NOT DETERMINED)?: ([-0-9.]+)");
        assertTrue(Double.isFinite(logZ) && bound < 0 && bound > -600, a.out);
    }

    @Test
    void dbmAndRbmFilesGivenToTheOtherKindsCommandsAreRefused(@TempDir Path dir) {
        Path dbm = dir.resolve("dbm.safetensors"), rbm = dir.resolve("rbm.safetensors");
        assertEquals(0, Cli.run(join(join(new String[] {"train", "dbm"}, images()), "--hidden", "5,4", "--pretrain-epochs", "1",
                "--epochs", "1", "--chains", "5", "--batch", "50", "--threads", "1", "--out", dbm.toString())).code);
        assertEquals(0, Cli.run(join(join(new String[] {"train", "rbm"}, images()), "--hidden", "5", "--epochs", "1",
                "--threads", "1", "--out", rbm.toString())).code);
        for (String[] args : new String[][] {
                {"filters", dbm.toString(), "--out", dir.resolve("f.png").toString()},
                {"topics", dbm.toString()},
                join(join(new String[] {"train", "rbm"}, images()), "--epochs", "3", "--out", dbm.toString(), "--resume", dbm.toString()),
                join(join(new String[] {"train", "dbm"}, images()), "--epochs", "3", "--out", rbm.toString(), "--resume", rbm.toString())}) {
            Cli c = Cli.run(args);
            assertEquals(2, c.code, String.join(" ", args) + "\n" + c);
            assertTrue(c.err.contains("expected a") && c.err.contains("holds a"), c.err);
        }
        Cli rbmClassify = Cli.run(join(new String[] {"eval", "classify", rbm.toString()}, images()));
        assertEquals(2, rbmClassify.code, rbmClassify.toString());
        assertTrue(rbmClassify.err.contains("expected a dbm model, file holds a rbm"), rbmClassify.err);
        Cli unlabelled = Cli.run("eval", "classify", dbm.toString(), "--images", Cli.fixtureImages().toString());
        assertEquals(2, unlabelled.code, unlabelled.toString());
        Cli split = Cli.run(join(new String[] {"eval", "classify", dbm.toString()}, join(images(), "--train-split", "test")));
        assertEquals(2, split.code, split.toString());
        assertTrue(split.err.contains("--train-split must be train or train+validation, got test"), split.err);
        Cli badBase = Cli.run(join(new String[] {"eval", "ais", dbm.toString()}, join(images(), "--base", "uniform")));
        assertEquals(2, badBase.code, badBase.toString());
        assertTrue(badBase.err.contains("--base must be model, data or paper, got uniform"), badBase.err);
        Cli forwardOnlyRounds = Cli.run(join(new String[] {"eval", "ais", rbm.toString()}, join(images(), "--forward-only", "--until-agree", "0.1")));
        assertEquals(2, forwardOnlyRounds.code, forwardOnlyRounds.toString());
        assertTrue(forwardOnlyRounds.err.contains("--until-agree needs reverse AIS"), forwardOnlyRounds.err);
        Cli budgetAlone = Cli.run(join(new String[] {"eval", "ais", rbm.toString()}, join(images(), "--budget", "10m")));
        assertEquals(2, budgetAlone.code, budgetAlone.toString());
        assertTrue(budgetAlone.err.contains("--budget applies to --until-agree"), budgetAlone.err);
        Cli noDir = Cli.run(join(new String[] {"eval", "ais", dbm.toString()}, join(images(), "--trace", dir.resolve("no/such/path.csv").toString())));
        assertEquals(2, noDir.code, noDir.toString());
        assertTrue(noDir.err.contains("--trace: directory") && noDir.err.contains("does not exist"), noDir.err);
        Cli layer = Cli.run(join(new String[] {"transform", rbm.toString()}, join(images(), "--layer", "1", "--out", dir.resolve("x.csv").toString())));
        assertEquals(2, layer.code, layer.toString());
        Cli deep = Cli.run(join(new String[] {"transform", dbm.toString()}, join(images(), "--layer", "3", "--out", dir.resolve("x.csv").toString())));
        assertEquals(2, deep.code, deep.toString());
        Cli bad = Cli.run(join(join(new String[] {"train", "dbm"}, images()), "--hidden", "5,0", "--out", dir.resolve("b.safetensors").toString()));
        assertEquals(2, bad.code, bad.toString());
        Cli temp = Cli.run(join(join(new String[] {"train", "dbm"}, images()), "--tempering", "3", "--tempering-min-beta", "1.5",
                "--pretrain-epochs", "0", "--out", dir.resolve("t.safetensors").toString()));
        assertEquals(2, temp.code, temp.toString());
        Cli ais = Cli.run(join(join(new String[] {"train", "dbm"}, images()), "--ais-every", "1", "--pretrain-epochs", "0",
                "--out", dir.resolve("a.safetensors").toString()));
        assertEquals(2, ais.code, ais.toString());
        assertTrue(ais.err.contains("validation split"), ais.err);
    }

    /** Bars on a 4x4 grid as CSV (16 pixels, then the label 0 = horizontal, 1 = vertical). */
    private static Path bars(Path dir) throws Exception {
        Random r = new Random(5);
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < 400; n++) {
            boolean vertical = r.nextBoolean();
            int[] img = new int[16];
            for (int line = 0; line < 4; line++) {
                if (r.nextDouble() < 0.3) for (int t = 0; t < 4; t++) img[vertical ? t * 4 + line : line * 4 + t] = 1;
            }
            for (int v : img) sb.append(v).append(',');
            sb.append(vertical ? 1 : 0).append('\n');
        }
        Path csv = dir.resolve("bars.csv");
        Files.writeString(csv, sb.toString());
        return csv;
    }

    @Test
    void trainSplitsAndTheAisMonitorOnCatalogData(@TempDir Path dir) throws Exception {
        Path data = CliTest.fakeDigits(dir);   // digits layout: train 1,197 rows, validation 200, test 400
        String[] common = {"train", "dbm", "--data", "digits", "--data-dir", data.toString(), "--hidden", "8,4", "--pretrain-epochs", "2",
                "--epochs", "2", "--batch", "20", "--chains", "20", "--lr", "0.01", "--threads", "1"};
        Path log = dir.resolve("m.csv");
        Cli monitored = Cli.run(join(common, "--ais-every", "1", "--ais-betas", "0.05", "--out", dir.resolve("m.safetensors").toString(),
                "--log", log.toString()));
        assertEquals(0, monitored.code, monitored.toString());
        assertTrue(monitored.err.contains("(1197 examples"), monitored.err);
        List<String> rows = Files.readAllLines(log);
        List<String> header = Arrays.asList(rows.get(0).split(","));
        String[] epoch1 = rows.get(1).split(",", -1);
        double logZ = Double.parseDouble(epoch1[header.indexOf("ais_log_z")]);
        double effective = Double.parseDouble(epoch1[header.indexOf("ais_effective_runs")]);
        double bound = Double.parseDouble(epoch1[header.indexOf("ais_validation_lower_bound")]);
        assertTrue(Double.isFinite(logZ) && effective >= 1 && effective <= 100 && bound < 0 && bound > 64 * Math.log(0.5) - 20, rows.toString());

        Cli all = Cli.run(join(common, "--train-split", "train+validation", "--out", dir.resolve("a.safetensors").toString()));
        assertEquals(0, all.code, all.toString());
        assertTrue(all.err.contains("(1397 examples"), all.err);
        Cli noHeldOut = Cli.run(join(common, "--train-split", "train+validation", "--ais-every", "1", "--out", dir.resolve("b.safetensors").toString()));
        assertEquals(2, noHeldOut.code, noHeldOut.toString());
        assertTrue(noHeldOut.err.contains("--ais-every needs a held-out validation split"), noHeldOut.err);
        Cli test = Cli.run(join(common, "--train-split", "test", "--out", dir.resolve("c.safetensors").toString()));
        assertEquals(2, test.code, test.toString());
        assertTrue(test.err.contains("--train-split must be train or train+validation, got test"), test.err);
    }

    @Test
    void aisThroughTheCliMatchesExactEnumerationOnASmallDbm(@TempDir Path dir) throws Exception {
        Path csv = bars(dir), model = dir.resolve("small.safetensors");
        Cli t = Cli.run("train", "dbm", "--csv", csv.toString(), "--hidden", "8,4", "--pretrain-epochs", "5", "--epochs", "5",
                "--batch", "20", "--chains", "20", "--lr", "0.01", "--pretrain-lr", "0.1", "--threads", "1", "--out", model.toString());
        assertEquals(0, t.code, t.toString());
        Path trace = dir.resolve("path.csv");
        Cli a = Cli.run("eval", "ais", model.toString(), "--csv", csv.toString(), "--runs", "100", "--betas", "0.3", "--exact",
                "--reverse", "--threads", "1", "--trace", trace.toString());
        assertEquals(0, a.code, a.toString());
        // the path file: a header, then forward rows from beta 0 up to 1 and reverse rows from 1 down to 0
        List<String> rows = Files.readAllLines(trace);
        assertEquals("direction,beta,log_z_beta,effective_runs,sd_log_w", rows.get(0));
        long forward = rows.stream().filter(r -> r.startsWith("forward,")).count(), backward = rows.stream().filter(r -> r.startsWith("reverse,")).count();
        assertTrue(forward > 100 && forward == backward && forward + backward == rows.size() - 1, rows.size() + " rows");
        assertTrue(rows.get(1).startsWith("forward,0.00000000,") && rows.get(rows.size() - 1).startsWith("reverse,0.00000000,"), rows.get(1));
        // ... from ln Z_base to the forward estimate, then from the reverse estimate back to ln Z_base
        IntFunction<Double> logZAt = i -> Double.parseDouble(rows.get(i).split(",")[2]);
        double base = number(a.out, "ln Z_base = ([-0-9.]+)");
        assertEquals(base, logZAt.apply(1), 1e-3);
        assertEquals(number(a.out, "forward AIS: ln Z = ([-0-9.]+)"), logZAt.apply((int) forward), 1e-3);
        assertEquals(number(a.out, "reverse AIS: ln Z = ([-0-9.]+)"), logZAt.apply((int) forward + 1), 1e-3);
        assertEquals(base, logZAt.apply(rows.size() - 1), 1e-3);
        double ais = number(a.out, "forward AIS: ln Z = ([-0-9.]+)"), exact = number(a.out, "exact ln Z = ([-0-9.]+)");
        assertEquals(exact, ais, 0.1, a.out);
        // reverse AIS from the checkpoint's persistent chains (+1,000 sweeps): the small model mixes, so it agrees too
        double reverse = number(a.out, "reverse AIS: ln Z = ([-0-9.]+)");
        assertEquals(exact, reverse, 0.1, a.out);
        assertTrue(a.out.contains("from the checkpoint's") && a.out.contains("persistent chains"), a.out);
        double bound = number(a.out, "exact ln Z = [-0-9.]+ \\([^)]*\\); lower bound ([-0-9.]+) nats");
        double logp = number(a.out, "exact average log-probability ([-0-9.]+) nats");
        assertTrue(bound <= logp && logp - bound < 1.0, a.out);
        // the paper's base (hidden layers uniform) agrees with the exact ln Z too
        Cli uniform = Cli.run("eval", "ais", model.toString(), "--csv", csv.toString(), "--runs", "100", "--betas", "0.3",
                "--base", "paper", "--threads", "1");
        assertEquals(0, uniform.code, uniform.toString());
        assertTrue(uniform.out.contains("uniform hidden units"), uniform.out);
        assertEquals(exact, number(uniform.out, "forward AIS: ln Z = ([-0-9.]+)"), 0.1, uniform.out);
    }
}
