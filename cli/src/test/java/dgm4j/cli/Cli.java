package dgm4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;

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
