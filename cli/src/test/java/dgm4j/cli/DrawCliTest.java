package dgm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dgm train draw, dgm eval nll and dgm sample of a DRAW on the committed MNIST fixture (tiny T and sizes), and refusals. */
class DrawCliTest {
    private static String[] data() { return Cli.fixtureData(); }

    private static String[] concat(String[]... parts) { return Cli.concat(parts); }

    private static final String[] TINY = {"--steps", "3", "--hidden", "8", "--latent", "3", "--read", "2", "--write", "3",
            "--batch", "50", "--threads", "1"};

    @Test
    void trainResumeMeasureAndSample(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("draw.safetensors"), log = dir.resolve("log.csv");
        String[] train = concat(new String[] {"train", "draw"}, data(), TINY, new String[] {"--out", model.toString(), "--log", log.toString()});
        Cli t = Cli.run(concat(train, new String[] {"--epochs", "2"}));
        assertEquals(0, t.code, t.toString());
        assertTrue(t.out.contains("dgm eval nll"), t.out);
        assertTrue(t.err.contains("T = 3") && t.err.contains("read 2x2, write 3x3"), t.err);
        Cli.assertLog(log, 2, "epoch,loss,reconstruction,kl,gradient_norm,clipped,learning_rate");

        Path pics = dir.resolve("pics");
        Cli r = Cli.run(concat(train, new String[] {"--epochs", "3", "--resume", model.toString(), "--pictures", pics.toString()}));
        assertEquals(0, r.code, r.toString());
        assertTrue(r.err.contains("resuming") && r.err.contains("epoch 3"), r.err);
        assertEquals(4, Files.readAllLines(log).size());
        assertTrue(ImageIO.read(pics.resolve("samples.png").toFile()).getWidth() > 100);
        assertTrue(ImageIO.read(pics.resolve("steps.png").toFile()).getWidth() > 100);
        assertEquals(4, gifFrames(pics.resolve("steps.gif")), "the canvas c_0 .. c_3");
        // resuming with another architecture or other training options is refused
        String[] fourSteps = TINY.clone();
        fourSteps[1] = "4";
        Cli other = Cli.run(concat(new String[] {"train", "draw"}, data(), fourSteps, new String[] {"--epochs", "4",
                "--out", model.toString(), "--resume", model.toString()}));
        assertEquals(2, other.code, other.toString());
        assertTrue(other.err.contains("T = 3") && other.err.contains("T = 4"), other.err);
        other = Cli.run(concat(train, new String[] {"--epochs", "4", "--clip", "5", "--resume", model.toString()}));
        assertEquals(2, other.code, other.toString());
        assertTrue(other.err.contains("clip_norm"), other.err);

        Path json = dir.resolve("nll.json");
        Cli n = Cli.run(concat(new String[] {"eval", "nll", model.toString()}, data(), new String[] {"--k", "10", "--bounds", "1",
                "--examples", "20", "--threads", "1", "--json", json.toString()}));
        assertEquals(0, n.code, n.toString());
        assertTrue(n.out.contains("NLL (k=10)") && n.out.contains("-L_1") && n.out.contains("-ELBO (KL exact)"), n.out);
        String results = Files.readString(json);
        assertTrue(results.contains("\"nll\"") && results.contains("\"bound_closed_form_kl\""), results);

        Path png = dir.resolve("s.png"), gif = dir.resolve("s.gif");
        Cli s = Cli.run("sample", model.toString(), "--out", png.toString(), "--count", "12", "--canvas-steps", "0,1,3",
                "--gif", gif.toString(), "--threads", "1");
        assertEquals(0, s.code, s.toString());
        assertTrue(ImageIO.read(png.toFile()).getWidth() > 50);
        assertTrue(ImageIO.read(dir.resolve("s-steps.png").toFile()).getWidth() > 3 * 56, "three steps side by side");
        assertEquals(4, gifFrames(gif));
        Cli i = Cli.run("inspect", model.toString());
        assertTrue(i.out.contains("kind:        draw") && i.out.contains("encoder.weight") && i.out.contains("write.patch.weight")
                && i.out.contains("train.adam.m."), i.out);
    }

    private static int gifFrames(Path gif) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            int n = reader.getNumImages(true);
            reader.dispose();
            return n;
        }
    }

    /** An idx3 file of n images of rows x cols pixels (all mid-grey). */
    private static Path idx3(Path dir, int n, int rows, int cols) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000803);
        out.writeInt(n);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int k = 0; k < n * rows * cols; k++) out.writeByte(k % 7 == 0 ? 200 : 0);
        Path p = dir.resolve("images-" + rows + "x" + cols + "-idx3-ubyte");
        Files.write(p, bytes.toByteArray());
        return p;
    }

    @Test
    void badInputExitsWithTwoAndSaysWhy(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m.safetensors");
        String[][] bad = {
            {"--steps", "0"}, {"--read", "29"}, {"--write", "0"}, {"--no-attention", "--read", "3"}, {"--hidden", "0"},
            {"--latent", "0"}, {"--batch", "0"}, {"--lr", "0"}, {"--clip", "-1"}, {"--binarize", "sometimes"},
        };
        String[] expected = {"--steps", "--read 29", "--write 0", "--no-attention", "--hidden", "--latent", "--batch", "--lr", "--clip", "binar"};
        for (int i = 0; i < bad.length; i++) {
            Cli c = Cli.run(concat(new String[] {"train", "draw"}, data(), bad[i], new String[] {"--epochs", "1", "--out", out.toString()}));
            assertEquals(2, c.code, String.join(" ", bad[i]) + "\n" + c);
            assertTrue(c.err.contains(expected[i]), String.join(" ", bad[i]) + ": " + c.err);
        }
        assertTrue(!Files.exists(out));
        Cli c = Cli.run(concat(new String[] {"train", "draw"}, data(), new String[] {"--read", "29"}, new String[] {"--out", out.toString()}));
        assertTrue(c.err.contains("28 x 28"), c.err);
        // CSV rows without an image shape and of a width that is not a square
        Path csv = dir.resolve("narrow.csv");
        Files.writeString(csv, "0,1,0,1,1,0\n1,0,1,0,0,1\n");
        c = Cli.run("train", "draw", "--csv", csv.toString(), "--epochs", "1", "--batch", "1", "--out", out.toString());
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("not a square"), c.err);

        // a model of 28 x 28 images, then images of another size
        Path model = dir.resolve("draw.safetensors");
        c = Cli.run(concat(new String[] {"train", "draw"}, data(), TINY, new String[] {"--epochs", "1", "--out", model.toString()}));
        assertEquals(0, c.code, c.toString());
        Path small = idx3(dir, 60, 20, 20);
        c = Cli.run("eval", "nll", model.toString(), "--images", small.toString(), "--k", "2");
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("20x20") && c.err.contains("28x28"), c.err);
        c = Cli.run(concat(new String[] {"train", "draw", "--images", small.toString()}, TINY,
                new String[] {"--epochs", "2", "--out", model.toString(), "--resume", model.toString()}));
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("20x20") && c.err.contains("28x28"), c.err);
        Path wide = dir.resolve("wide.csv");
        Files.writeString(wide, "0,1,0,1\n1,0,1,0\n");
        c = Cli.run("eval", "nll", model.toString(), "--csv", wide.toString(), "--k", "2", "--binarize", "none");
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("3 pixels") && c.err.contains("784"), c.err);   // the last column is the label
        c = Cli.run(concat(new String[] {"eval", "nll", model.toString()}, data(), new String[] {"--k", "2", "--binarize", "none"}));
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("0/1 data"), c.err);
        // sampling: steps outside 0..T, and DRAW options for other models
        c = Cli.run("sample", model.toString(), "--out", dir.resolve("x.png").toString(), "--canvas-steps", "4");
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("0..3"), c.err);
        c = Cli.run("sample", model.toString(), "--out", dir.resolve("x.png").toString(), "--steps", "10");
        assertEquals(2, c.code, c.toString());
        Path rbm = dir.resolve("rbm.safetensors");
        c = Cli.run(concat(new String[] {"train", "rbm"}, data(), new String[] {"--hidden", "5", "--epochs", "1", "--threads", "1",
                "--out", rbm.toString()}));
        assertEquals(0, c.code, c.toString());
        c = Cli.run("sample", rbm.toString(), "--out", dir.resolve("y.png").toString(), "--gif", dir.resolve("y.gif").toString());
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("DRAW"), c.err);
    }
}
