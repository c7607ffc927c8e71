package dgm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;

/** dgm train vae|iwae, dgm eval nll and dgm sample on the committed MNIST fixture, and their refusals. */
class VaeCliTest {
    private static String[] data() { return Cli.fixtureData(); }

    private static String[] concat(String[]... parts) { return Cli.concat(parts); }

    @Test
    void trainMeasureSampleAndResumeAnIwae(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("iwae.safetensors"), log = dir.resolve("log.csv");
        String[] train = concat(new String[] {"train", "iwae"}, data(), new String[] {"--k", "3", "--schedule", "constant:0.001:3",
                "--threads", "1", "--out", model.toString(), "--log", log.toString()});
        Cli t = Cli.run(concat(train, new String[] {"--epochs", "2"}));
        assertEquals(0, t.code, t.toString());
        assertTrue(t.out.contains("dgm eval nll"), t.out);
        Cli.assertLog(log, 2, "epoch,loss,learning_rate");

        Cli r = Cli.run(concat(train, new String[] {"--resume", model.toString(), "--pictures", dir.resolve("pics").toString()}));
        assertEquals(0, r.code, r.toString());
        assertTrue(r.err.contains("resuming"), r.err);
        assertEquals(4, Files.readAllLines(log).size());
        for (String png : new String[] {"pics/samples.png", "pics/reconstructions.png", "pics/latent.png"}) {
            assertTrue(ImageIO.read(dir.resolve(png).toFile()).getWidth() > 100, png);
        }
        Cli other = Cli.run(concat(new String[] {"train", "vae"}, data(), new String[] {"--k", "3", "--schedule", "constant:0.001:3",
                "--threads", "1", "--out", model.toString(), "--resume", model.toString()}));
        assertEquals(2, other.code, other.toString());
        assertTrue(other.err.contains("objective"), other.err);

        Path json = dir.resolve("nll.json");
        Cli n = Cli.run(concat(new String[] {"eval", "nll", model.toString()}, data(), new String[] {"--k", "200", "--bounds", "1,20",
                "--examples", "40", "--threads", "1", "--json", json.toString()}));
        assertEquals(0, n.code, n.toString());
        assertTrue(n.out.contains("NLL (k=200)") && n.out.contains("-L_1") && n.out.contains("active units"), n.out);
        String results = Files.readString(json);
        assertTrue(results.contains("\"nll\"") && results.contains("\"bound_20\"") && results.contains("\"active_units\""), results);

        Cli s = Cli.run("sample", model.toString(), "--out", dir.resolve("s.png").toString(), "--count", "16");
        assertEquals(0, s.code, s.toString());
        assertTrue(ImageIO.read(dir.resolve("s.png").toFile()).getWidth() > 50);
        Cli i = Cli.run("inspect", model.toString());
        assertTrue(i.out.contains("kind:        vae") && i.out.contains("q_h1.mean.weight") && i.out.contains("train.adam.m."), i.out);
    }

    @Test
    void badInputExitsWithTwoAndSaysWhy(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m.safetensors");
        String[][] bad = {
            {"--k", "0"}, {"--layers", "3"}, {"--output", "poisson"}, {"--schedule", "paper:9"},
            {"--output", "gaussian", "--binarize", "dynamic"}, {"--batch", "0"}, {"--schedule", "constant:0.001:2", "--epochs", "5"},
        };
        String[] expected = {"--k", "--layers", "--output", "paper", "--binarize", "--batch", "--epochs"};
        for (int i = 0; i < bad.length; i++) {
            Cli c = Cli.run(concat(new String[] {"train", "iwae"}, data(), bad[i], new String[] {"--out", out.toString()}));
            assertEquals(2, c.code, String.join(" ", bad[i]) + "\n" + c);
            assertTrue(c.err.contains(expected[i]), c.err);
        }
        assertTrue(!Files.exists(out));
        // a model of another kind, and data of another width
        Path rbm = dir.resolve("rbm.safetensors");
        Cli t = Cli.run(concat(new String[] {"train", "rbm"}, data(), new String[] {"--hidden", "5", "--epochs", "1", "--threads", "1",
                "--out", rbm.toString()}));
        assertEquals(0, t.code, t.toString());
        Cli c = Cli.run(concat(new String[] {"eval", "nll", rbm.toString()}, data()));
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("rbm") && c.err.contains("vae"), c.err);
        Path vae = dir.resolve("vae.safetensors");
        c = Cli.run(concat(new String[] {"train", "vae"}, data(), new String[] {"--schedule", "constant:0.001:1", "--threads", "1",
                "--out", vae.toString()}));
        assertEquals(0, c.code, c.toString());
        Cli.assertNllRefusesNarrowData(vae, dir);
        c = Cli.run(concat(new String[] {"eval", "nll", vae.toString()}, data(), new String[] {"--k", "0"}));
        assertEquals(2, c.code, c.toString());
        c = Cli.run(concat(new String[] {"eval", "nll", vae.toString()}, data(), new String[] {"--k", "2", "--binarize", "none"}));
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("not binary"), c.err);
        // a Gaussian output takes the pixels as real values
        Path gaussian = dir.resolve("gaussian.safetensors");
        c = Cli.run(concat(new String[] {"train", "vae"}, data(), new String[] {"--output", "gaussian", "--schedule", "constant:0.001:1",
                "--threads", "1", "--out", gaussian.toString()}));
        assertEquals(0, c.code, c.toString());
        c = Cli.run(concat(new String[] {"eval", "nll", gaussian.toString()}, data(), new String[] {"--k", "10", "--examples", "20"}));
        assertEquals(0, c.code, c.toString());
        assertTrue(c.out.contains("NLL (k=10)"), c.out);
        Path vaeFile = dir.resolve("empty-vae.safetensors");
        ModelFiles.write(vaeFile, ModelFile.builder("vae").config("{\"data_dim\": 784}").build());
        c = Cli.run("sample", vaeFile.toString(), "--out", dir.resolve("x.png").toString());
        assertEquals(2, c.code, c.toString());
    }
}
