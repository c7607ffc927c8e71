package dgm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dgm train ram, dgm eval classify and dgm attention on the committed MNIST fixture (tiny sizes), and refusals. */
class RamCliTest {
    private static String[] data() { return Cli.fixtureData(); }

    private static String[] concat(String[]... parts) { return Cli.concat(parts); }

    private static final String[] TINY = {"--glimpses", "2", "--hidden", "16", "--glimpse-hidden", "8", "--glimpse-features", "16",
            "--batch", "50", "--variance-repeats", "2", "--threads", "1"};

    @Test
    void trainResumeClassifyAndDrawTheGlimpses(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("ram.safetensors"), log = dir.resolve("log.csv");
        String[] train = concat(new String[] {"train", "ram", "--rule", "reinforce"}, data(), TINY,
                new String[] {"--out", model.toString(), "--log", log.toString()});
        Cli t = Cli.run(concat(train, new String[] {"--epochs", "2"}));
        assertEquals(0, t.code, t.toString());
        assertTrue(t.out.contains("dgm eval classify"), t.out);
        assertTrue(t.err.contains("N = 2 glimpses") && t.err.contains("REINFORCE with a learned baseline"), t.err);
        Cli.assertLog(log, 2, "epoch,loss,objective,sampled_error,gradient_norm,clipped,train_error,gradient_variance,"
                + "policy_gradient_variance,learning_rate");

        Path pics = dir.resolve("pics");
        Cli r = Cli.run(concat(train, new String[] {"--epochs", "3", "--resume", model.toString(), "--pictures", pics.toString()}));
        assertEquals(0, r.code, r.toString());
        assertTrue(r.err.contains("resuming") && r.err.contains("epoch 3"), r.err);
        assertEquals(4, Files.readAllLines(log).size());
        assertTrue(ImageIO.read(pics.resolve("glimpses.png").toFile()).getWidth() > 500);
        // resuming with another rule is refused, and so is a run that would overwrite the model
        Cli other = Cli.run(concat(new String[] {"train", "ram", "--rule", "prior"}, data(), TINY,
                new String[] {"--out", model.toString(), "--resume", model.toString(), "--epochs", "4"}));
        assertEquals(2, other.code, other.toString());
        assertTrue(other.err.contains("rule"), other.err);
        Cli again = Cli.run(concat(train, new String[] {"--epochs", "1"}));
        assertEquals(2, again.code, again.toString());
        assertTrue(again.err.contains("exists"), again.err);

        Cli c = Cli.run(concat(new String[] {"eval", "classify", model.toString()}, data(), new String[] {"--samples", "2", "--threads", "1"}));
        assertEquals(0, c.code, c.toString());
        assertTrue(c.out.contains("test error of the attention model") && c.out.contains("of 300") && c.out.contains("2 sequences"), c.out);
        Cli fineTune = Cli.run(concat(new String[] {"eval", "classify", model.toString()}, data(), new String[] {"--epochs", "3"}));
        assertEquals(2, fineTune.code, fineTune.toString());
        assertTrue(fineTune.err.contains("--epochs applies to fine-tuning a DBM"), fineTune.err);

        Path png = dir.resolve("g.png");
        Cli a = Cli.run(concat(new String[] {"attention", model.toString()}, data(), new String[] {"--out", png.toString(), "--count", "5", "--threads", "1"}));
        assertEquals(0, a.code, a.toString());
        assertTrue(a.out.contains("wrote the glimpses of 5"), a.out);
        assertTrue(ImageIO.read(png.toFile()).getWidth() > 5 * 28 * 2, "five tiles side by side");
        Cli i = Cli.run("inspect", model.toString());
        assertTrue(i.out.contains("kind:        ram") && i.out.contains("policy.location.weight") && i.out.contains("baseline.weight")
                && i.out.contains("train.adam.m."), i.out);
    }

    @Test
    void wakeSleepTrainsAndItsOptionsAreChecked(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("ws.safetensors"), log = dir.resolve("ws.csv");
        Cli t = Cli.run(concat(new String[] {"train", "ram", "--rule", "ws", "--samples", "2", "--inference-hidden", "8"}, data(), TINY,
                new String[] {"--epochs", "1", "--out", model.toString(), "--log", log.toString()}));
        assertEquals(0, t.code, t.toString());
        assertTrue(t.err.contains("WS-RAM, control variates") && t.err.contains("inference network 8"), t.err);
        assertTrue(Files.readAllLines(log).get(0).contains("effective_samples"), Files.readAllLines(log).get(0));
        Cli i = Cli.run("inspect", model.toString());
        assertTrue(i.out.contains("inference.hidden.weight"), i.out);

        String[] base = {"--hidden", "16", "--glimpse-hidden", "8", "--glimpse-features", "16", "--threads", "1", "--epochs", "1"};
        String[][] bad = {
            {"--rule", "vimco"}, {"--rule", "ws", "--samples", "0"}, {"--rule", "reinforce", "--control-variates"},
            {"--rule", "ws", "--no-baseline"}, {"--rule", "prior", "--inference-hidden", "4"}, {"--variance-repeats", "1"},
            {"--glimpses", "0"}, {"--location-std", "0"}, {"--scales", "9"}, {"--lr", "-1"}, {"--batch", "0"}, {"--clip", "0"},
            {"--batch", "400"},
        };
        String[] expected = {"unknown learning rule \"vimco\"", "--samples must be at least 1", "--control-variates applies to --rule ws",
            "--baseline and --no-baseline apply", "--inference-hidden applies to --rule ws", "--variance-repeats must be 0",
            "--glimpses must be at least 1", "standard deviation", "scale action", "learning rate must be positive", "--batch must be at least 1",
            "clipping norm must be positive", "fewer than one batch of 400"};
        for (int k = 0; k < bad.length; k++) {
            Cli b = Cli.run(concat(new String[] {"train", "ram"}, data(), base, bad[k],
                    new String[] {"--out", dir.resolve("bad" + k + ".safetensors").toString()}));
            assertEquals(2, b.code, b.toString());
            assertTrue(b.err.contains(expected[k]), String.join(" ", bad[k]) + ": " + b.err);
            assertTrue(!Files.exists(dir.resolve("bad" + k + ".safetensors")), "nothing written");
        }
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Cli missing = Cli.run("train", "ram", "--data", "mnist-translated", "--data-dir", empty.toString(), "--out",
                dir.resolve("m.safetensors").toString(), "--threads", "1");
        assertEquals(2, missing.code, missing.toString());
        assertTrue(missing.err.contains("dgm data fetch mnist"), missing.err);
        Cli unlabelled = Cli.run(concat(new String[] {"train", "ram", "--images", Cli.fixtureImages().toString()}, TINY,
                new String[] {"--out", dir.resolve("u.safetensors").toString()}));
        assertEquals(2, unlabelled.code, unlabelled.toString());
        assertTrue(unlabelled.err.contains("no labels"), unlabelled.err);
    }
}
