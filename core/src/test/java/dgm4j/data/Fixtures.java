package dgm4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Paths and bytes of the committed MNIST fixture (first 300 test images), and gzip helpers. */
public final class Fixtures {
    static final int COUNT = 300;
    /** The first MNIST test labels. */
    public static final int[] FIRST_LABELS = {7, 2, 1, 0, 4, 1, 4, 9, 5, 9};

    private Fixtures() { }

    static Path images() { return resource("/fixtures/mnist-t10k-300-images-idx3-ubyte.gz"); }

    static Path labels() { return resource("/fixtures/mnist-t10k-300-labels-idx1-ubyte.gz"); }

    public static Dataset mnist300() { return Datasets.fromFiles(images(), labels()); }

    /** Decompressed bytes of a fixture file. */
    static byte[] raw(Path gz) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] data) {
        try {
            return Files.write(dir.resolve(name), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " missing", e);
        }
    }
}
