package dgm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dgm plot: training curves of --log CSVs as a PNG, and its refusals of bad input. */
class PlotCliTest {
    private static final String LOG = "epoch,reconstruction_error,free_energy_gap,ais_log_z,seconds\n"
            + "1,0.06,0.7,,11.2\n2,0.045,1.1,310.5,7.4\n3,0.04,1.3,,7.1\n4,0.037,1.6,312.0,7.0\n";

    @Test
    void plotsRunsAsAPngOfTheRequestedSize(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.csv"), LOG);
        Path b = Files.writeString(dir.resolve("b.csv"), "epoch,reconstruction_error,learning_rate\n1,0.07,0.01\n2,0.05,0.005\n3,0.045,0\n");
        Path png = dir.resolve("out/curves.png");
        Cli c = Cli.run("plot", a.toString(), b.toString(), "--out", png.toString(), "--width", "640", "--height", "480", "--log-x");
        assertEquals(0, c.code, c.toString());
        assertTrue(c.out.contains("5 panels, 2 runs"), c.out);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
        assertFalse(blank(img), "the picture has nothing drawn");
        assertTrue(pixels(img, 0x4E79A7) > 100 && pixels(img, 0xF28E2B) > 100, "both runs' curves are drawn in their colours");
        try (var files = Files.list(png.getParent())) {
            assertEquals(1, files.count(), "no temporary file left beside the PNG");
        }

        Cli chosen = Cli.run("plot", a.toString(), "--columns", "free_energy_gap,ais_log_z", "--out", png.toString());
        assertEquals(0, chosen.code, chosen.toString());
        assertTrue(chosen.out.contains("2 panels, 1 run,"), chosen.out);
        assertEquals(80 + 2 * 200, ImageIO.read(png.toFile()).getHeight(), "default height: 80 + 200 per panel");
    }

    @Test
    void refusesBadInputNamingTheFileAndTheProblem(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("c.png");
        Path good = Files.writeString(dir.resolve("good.csv"), LOG);
        assertRefused(png, "no such file", dir.resolve("missing.csv").toString());
        assertRefused(png, "is empty", Files.writeString(dir.resolve("empty.csv"), "").toString());
        assertRefused(png, "no rows", Files.writeString(dir.resolve("header.csv"), "epoch,loss\n").toString());
        assertRefused(png, "no log has a column 'heldout_bound' (columns: reconstruction_error, free_energy_gap, ais_log_z, seconds)",
                good.toString(), "--columns", "heldout_bound");
        assertRefused(png, "bad.csv:3: loss is not a number: 'abc'",
                Files.writeString(dir.resolve("bad.csv"), "epoch,loss\n1,0.5\n2,abc\n").toString());
        assertRefused(png, "short.csv:2: 1 cells, the header has 2 columns",
                Files.writeString(dir.resolve("short.csv"), "epoch,loss\n1\n").toString());
        assertRefused(png, "--log-x needs positive x values",
                Files.writeString(dir.resolve("zero.csv"), "epoch,loss\n0,0.5\n1,0.4\n").toString(), "--log-x");
        assertFalse(Files.exists(png), "nothing written on bad input");
    }

    private static void assertRefused(Path png, String message, String... args) {
        Cli c = Cli.run(Cli.concat(new String[] {"plot"}, args, new String[] {"--out", png.toString()}));
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains(message), "expected '" + message + "' in\n" + c.err);
    }

    private static int pixels(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) n++;
        }
        return n;
    }

    /** True if every row of pixels is the same. */
    private static boolean blank(BufferedImage img) {
        int[] first = img.getRGB(0, 0, img.getWidth(), 1, null, 0, img.getWidth());
        for (int y = 1; y < img.getHeight(); y++) {
            int[] row = img.getRGB(0, y, img.getWidth(), 1, null, 0, img.getWidth());
            if (!Arrays.equals(first, row)) return false;
        }
        return true;
    }
}
