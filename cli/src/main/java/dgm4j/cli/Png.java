package dgm4j.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import dgm4j.io.AtomicFiles;

/** Pictures drawn by the commands, written as PNG files. */
final class Png {
    private Png() {}

    /** Writes the image as a PNG atomically ({@link AtomicFiles}), creating its directory. */
    static void write(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        AtomicFiles.write(file, channel -> {
            OutputStream stream = Channels.newOutputStream(channel);
            if (!ImageIO.write(image, "png", stream)) throw new IOException("no PNG writer available");
            stream.flush();
        }, false);
    }
}
