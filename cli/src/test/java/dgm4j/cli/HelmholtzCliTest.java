package dgm4j.cli;

import static dgm4j.cli.Cli.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dgm train helmholtz, and Helmholtz machines in dgm eval nll / sample / inspect, on the committed MNIST fixture; refusals. */
class HelmholtzCliTest {
    @Test
    void trainResumeMeasureAndSample(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("hm.safetensors"), log = dir.resolve("log.csv");
        String[] train = concat(new String[] {"train", "helmholtz"}, Cli.fixtureData(), new String[] {"--layers", "20,10", "--algorithm", "rws",
                "--k", "3", "--lr", "0.003", "--threads", "1", "--out", model.toString(), "--log", log.toString()});
        Cli t = Cli.run(concat(train, new String[] {"--epochs", "2"}));
        assertEquals(0, t.code, t.toString());
        assertTrue(t.out.contains("dgm eval nll"), t.out);
        Cli.assertLog(log, 2, "epoch,loss,learning_rate");

        Cli r = Cli.run(concat(train, new String[] {"--epochs", "3", "--resume", model.toString(), "--pictures", dir.resolve("pics").toString()}));
        assertEquals(0, r.code, r.toString());
        assertTrue(r.err.contains("resuming"), r.err);
        assertEquals(4, Files.readAllLines(log).size());
        assertTrue(ImageIO.read(dir.resolve("pics/samples.png").toFile()).getWidth() > 100);
        // resuming with another algorithm is refused
        Cli other = Cli.run(concat(new String[] {"train", "helmholtz"}, Cli.fixtureData(), new String[] {"--layers", "20,10", "--algorithm", "ws",
                "--lr", "0.003", "--epochs", "4", "--threads", "1", "--out", model.toString(), "--resume", model.toString()}));
        assertEquals(2, other.code, other.toString());
        assertTrue(other.err.contains("algorithm"), other.err);

        Path json = dir.resolve("nll.json");
        Cli n = Cli.run(concat(new String[] {"eval", "nll", model.toString()}, Cli.fixtureData(), new String[] {"--k", "200", "--bounds", "1,20",
                "--examples", "40", "--threads", "1", "--json", json.toString()}));
        assertEquals(0, n.code, n.toString());
        assertTrue(n.out.contains("NLL (k=200)") && n.out.contains("-L_1") && n.out.contains("-L_20"), n.out);
        assertFalse(n.out.contains("active units"), n.out);
        assertTrue(Files.readString(json).contains("\"bound_20\""));

        Cli s = Cli.run("sample", model.toString(), "--out", dir.resolve("s.png").toString(), "--count", "16");
        assertEquals(0, s.code, s.toString());
        assertTrue(ImageIO.read(dir.resolve("s.png").toFile()).getWidth() > 50);
        Cli i = Cli.run("inspect", model.toString());
        assertTrue(i.out.contains("kind:        helmholtz") && i.out.contains("p_x.weight") && i.out.contains("q_h2.weight")
                && i.out.contains("train.adam.m."), i.out);
    }

    @Test
    void badInputExitsWithTwoAndSaysWhy(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m.safetensors");
        String[][] bad = {
            {"--algorithm", "hmc"}, {"--k", "0"}, {"--algorithm", "ws", "--k", "5"}, {"--layers", "20,0"}, {"--q-update", "never"},
            {"--batch", "0"}, {"--lr", "0"}, {"--binarize", "sometimes"}, {"--train-split", "test"},
        };
        String[] expected = {"--algorithm", "--k", "--k", "--layers", "--q-update", "--batch", "--lr", "binariz", "--train-split"};
        for (int i = 0; i < bad.length; i++) {
            Cli c = Cli.run(concat(new String[] {"train", "helmholtz"}, Cli.fixtureData(), bad[i], new String[] {"--epochs", "1", "--out", out.toString()}));
            assertEquals(2, c.code, String.join(" ", bad[i]) + "\n" + c);
            assertTrue(c.err.contains(expected[i]), c.err);
        }
        assertFalse(Files.exists(out));
        Path hm = dir.resolve("hm.safetensors");
        Cli c = Cli.run(concat(new String[] {"train", "helmholtz"}, Cli.fixtureData(), new String[] {"--layers", "8", "--algorithm", "ws",
                "--epochs", "1", "--threads", "1", "--out", hm.toString()}));
        assertEquals(0, c.code, c.toString());
        // data of another width, non-binary data
        Cli.assertNllRefusesNarrowData(hm, dir);
        c = Cli.run(concat(new String[] {"eval", "nll", hm.toString()}, Cli.fixtureData(), new String[] {"--k", "2", "--binarize", "none"}));
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("0/1"), c.err);
        c = Cli.run(concat(new String[] {"eval", "nll", hm.toString()}, Cli.fixtureData(), new String[] {"--k", "0"}));
        assertEquals(2, c.code, c.toString());
        // a Helmholtz machine where another kind is needed, and another kind where a Helmholtz machine is needed
        c = Cli.run(concat(new String[] {"train", "vae"}, Cli.fixtureData(), new String[] {"--schedule", "constant:0.001:1", "--threads", "1",
                "--out", hm.toString(), "--resume", hm.toString()}));
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("helmholtz"), c.err);
        c = Cli.run("filters", hm.toString(), "--out", dir.resolve("f.png").toString());
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("helmholtz"), c.err);
        Path rbm = dir.resolve("rbm.safetensors");
        c = Cli.run(concat(new String[] {"train", "rbm"}, Cli.fixtureData(), new String[] {"--hidden", "5", "--epochs", "1", "--threads", "1",
                "--out", rbm.toString()}));
        assertEquals(0, c.code, c.toString());
        c = Cli.run(concat(new String[] {"train", "helmholtz"}, Cli.fixtureData(), new String[] {"--layers", "8", "--algorithm", "ws",
                "--epochs", "2", "--threads", "1", "--out", rbm.toString(), "--resume", rbm.toString()}));
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("rbm") && c.err.contains("helmholtz"), c.err);
        c = Cli.run(concat(new String[] {"eval", "nll", rbm.toString()}, Cli.fixtureData()));
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("rbm") && c.err.contains("helmholtz"), c.err);
    }
}
