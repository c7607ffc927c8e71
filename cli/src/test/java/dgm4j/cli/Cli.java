package dgm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Runs the CLI in-process and captures what it prints; locates the committed MNIST fixture. */
final class Cli {
    final int code;
    final String out;
    final String err;

    private Cli(int code, String out, String err) {
        this.code = code;
        this.out = out;
        this.err = err;
    }

    static Cli run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    /** --images and --labels of the committed MNIST fixture. */
    static String[] fixtureData() {
        return new String[] {"--images", fixtureImages().toString(), "--labels", fixtureLabels().toString()};
    }

    /** The arrays one after another (command-line pieces). */
    static String[] concat(String[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
    }

    /** The CSV log of a run: the header starts with {@code header}, then one row per epoch. */
    static void assertLog(Path log, int epochs, String header) throws IOException {
        List<String> rows = Files.readAllLines(log);
        assertEquals(epochs + 1, rows.size(), rows.toString());
        assertTrue(rows.get(0).startsWith(header), rows.get(0));
    }

    /** {@code dgm eval nll MODEL} on CSV rows of 4 values (a model of other data) exits with 2 and names the columns. */
    static void assertNllRefusesNarrowData(Path model, Path dir) throws IOException {
        Path csv = dir.resolve("narrow.csv");
        Files.writeString(csv, "0,1,0,1\n1,0,1,0\n");
        Cli c = run("eval", "nll", model.toString(), "--csv", csv.toString(), "--k", "5");
        assertEquals(2, c.code, c.toString());
        assertTrue(c.err.contains("columns"), c.err);
    }

    /** The first 300 MNIST test images (core's test fixture), as a path. */
    static Path fixtureImages() {
        return fixture("mnist-t10k-300-images-idx3-ubyte.gz");
    }

    static Path fixtureLabels() {
        return fixture("mnist-t10k-300-labels-idx1-ubyte.gz");
    }

    private static Path fixture(String name) {
        Path p = Path.of("..", "core", "src", "test", "resources", "fixtures", name).toAbsolutePath().normalize();
        if (!p.toFile().isFile()) {
            try {
                p = Path.of(Cli.class.getResource("/").toURI()).resolve("../../../core/src/test/resources/fixtures/" + name).normalize();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return p;
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
}
