package dgm4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.math.Matrix;

class ImageGridTest {

    @Test
    void tilesPixelsAndCaptionsWhereExpected(@TempDir Path dir) throws Exception {
        // two 2x3 tiles: the first all white, the second a gradient
        Matrix m = Matrix.of(2, 6, 1, 1, 1, 1, 1, 1, 0, 0.2f, 0.4f, 0.6f, 0.8f, 1f);
        ImageGrid grid = new ImageGrid(2, 3, 2).zoom(1);
        Path out = dir.resolve("sub/grid.png");
        grid.writePng(m, new String[] {"7", "A"}, out);
        BufferedImage img = ImageIO.read(out.toFile());
        // layout: 2 px border, cell = 3+2 wide, 2+2+caption(7) high
        assertEquals(2 * 5 + 2, img.getWidth());
        assertEquals(11 + 2, img.getHeight());
        assertEquals(0xFFFFFF, img.getRGB(2, 2) & 0xFFFFFF);   // first tile, white
        assertEquals(0x000000, img.getRGB(7, 2) & 0xFFFFFF);   // second tile, value 0
        assertEquals(0xFFFFFF, img.getRGB(9, 3) & 0xFFFFFF);   // second tile, value 1
        int captionPixels = 0;
        for (int y = 5; y < img.getHeight(); y++) for (int x = 2; x < 5; x++) if ((img.getRGB(x, y) & 0xFFFFFF) == 0xFFFF66) captionPixels++;
        assertEquals(7, captionPixels, "glyph 7 = rows 111,001,001,001,001: 7 lit pixels");
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void perTileScalingStretchesFilters() {
        Matrix m = Matrix.of(1, 4, -3f, -1f, 1f, 3f);
        BufferedImage img = new ImageGrid(1, 4, 1).zoom(1).scaling(ImageGrid.Scaling.PER_TILE).render(m, null);
        assertEquals(0x000000, img.getRGB(2, 2) & 0xFFFFFF);
        assertEquals(0xFFFFFF, img.getRGB(5, 2) & 0xFFFFFF);
        assertNotEquals(img.getRGB(3, 2), img.getRGB(4, 2));
    }

    @Test
    void wrongTileSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid(28, 28, 10).render(Matrix.zeros(3, 100), null));
    }
}
