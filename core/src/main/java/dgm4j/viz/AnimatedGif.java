package dgm4j.viz;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * An animated GIF from frames of equal size, with the JDK's own GIF writer (javax.imageio): each frame carries a
 * graphic control extension (its delay) and the first the NETSCAPE2.0 application extension that makes viewers loop.
 * Written atomically (temporary file, then rename), like {@link ImageGrid#writePng}.
 */
public final class AnimatedGif {
    private AnimatedGif() {}

    /**
     * @param delayCentiseconds how long each frame shows (GIF time unit: 1/100 s)
     * @param lastDelayCentiseconds how long the last frame shows before the loop starts again
     */
    public static void write(List<BufferedImage> frames, int delayCentiseconds, int lastDelayCentiseconds, Path out) throws IOException {
        if (frames.isEmpty()) throw new IllegalArgumentException("an animation needs at least one frame");
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
        if (!writers.hasNext()) throw new IOException("no GIF writer in this Java runtime");
        ImageWriter writer = writers.next();
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".anim", ".gif.tmp");
        try {
            Files.delete(tmp);   // recreated by the stream with the usual permissions (a temporary file is private)
            try (ImageOutputStream stream = ImageIO.createImageOutputStream(tmp.toFile())) {
                writer.setOutput(stream);
                writer.prepareWriteSequence(null);
                for (int i = 0; i < frames.size(); i++) {
                    BufferedImage frame = frames.get(i);
                    int delay = i == frames.size() - 1 ? lastDelayCentiseconds : delayCentiseconds;
                    writer.writeToSequence(new IIOImage(frame, null, metadata(writer, frame, delay, i == 0)), null);
                }
                writer.endWriteSequence();
            } finally {
                writer.dispose();
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static IIOMetadata metadata(ImageWriter writer, BufferedImage frame, int delay, boolean first) throws IOException {
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
        String format = metadata.getNativeMetadataFormatName();   // javax_imageio_gif_image_1.0
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(Math.max(0, delay)));
        control.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode extensions = child(root, "ApplicationExtensions");
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            loop.setUserObject(new byte[] {1, 0, 0});   // sub-block 1: loop count 0 = forever
            extensions.appendChild(loop);
        }
        metadata.setFromTree(format, root);
        return metadata;
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(i);
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
