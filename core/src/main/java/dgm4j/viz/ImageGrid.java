package dgm4j.viz;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

import dgm4j.math.Matrix;

/**
 * Tiles the rows of a matrix as small grey images (examples, samples, filters, reconstructions) into one PNG, with an
 * optional caption per tile drawn in a built-in pixel font (no system fonts needed, so it works headless on a bare
 * machine). Values are mapped to grey levels either from a fixed range ([0, 1] for pixels) or per tile from its own
 * minimum and maximum (for filters, whose scale varies).
 */
public final class ImageGrid {
    /** How values become grey levels. */
    public enum Scaling { UNIT_RANGE, PER_TILE }

    private final int height;
    private final int width;
    private final int columns;
    private int zoom = 2;
    private Scaling scaling = Scaling.UNIT_RANGE;

    /**
     * @param height  tile height in pixels
     * @param width   tile width in pixels (height * width must equal the matrix's column count)
     * @param columns tiles per row of the grid
     */
    public ImageGrid(int height, int width, int columns) {
        if (height < 1 || width < 1 || columns < 1) {
            throw new IllegalArgumentException("tile size and columns must be positive: " + height + "x" + width + ", " + columns);
        }
        this.height = height;
        this.width = width;
        this.columns = columns;
    }

    /** Each image pixel becomes zoom x zoom screen pixels (default 2). */
    public ImageGrid zoom(int zoom) {
        if (zoom < 1 || zoom > 16) throw new IllegalArgumentException("zoom must be in 1..16, got " + zoom);
        this.zoom = zoom;
        return this;
    }

    public ImageGrid scaling(Scaling scaling) {
        this.scaling = scaling;
        return this;
    }

    /** Renders the rows of {@code tiles}; {@code captions} may be null or hold one short string per row. */
    public BufferedImage render(Matrix tiles, String[] captions) {
        if (tiles.cols() != height * width) {
            throw new IllegalArgumentException("rows have " + tiles.cols() + " values, tiles are " + height + "x" + width);
        }
        int n = tiles.rows();
        int rowsOfTiles = Math.max(1, (n + columns - 1) / columns);
        int captionHeight = captions == null ? 0 : PixelFont.HEIGHT * zoom + 2;
        int cellW = width * zoom + 2;
        int cellH = height * zoom + 2 + captionHeight;
        BufferedImage img = new BufferedImage(columns * cellW + 2, rowsOfTiles * cellH + 2, BufferedImage.TYPE_INT_RGB);
        int background = 0x404040;
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, background);
        float[] row = new float[tiles.cols()];
        for (int t = 0; t < n; t++) {
            tiles.getRow(t, row);
            float lo = 0f, hi = 1f;
            if (scaling == Scaling.PER_TILE) {
                lo = Float.POSITIVE_INFINITY;
                hi = Float.NEGATIVE_INFINITY;
                for (float v : row) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
                if (!(hi > lo)) { hi = lo + 1f; }
            }
            int x0 = 2 + (t % columns) * cellW;
            int y0 = 2 + (t / columns) * cellH;
            for (int i = 0; i < height; i++) {
                for (int j = 0; j < width; j++) {
                    float v = (row[i * width + j] - lo) / (hi - lo);
                    int g = Float.isNaN(v) ? 0 : Math.max(0, Math.min(255, Math.round(v * 255f)));
                    int rgb = Float.isNaN(v) ? 0xFF0000 : (g << 16) | (g << 8) | g;
                    for (int dy = 0; dy < zoom; dy++) {
                        for (int dx = 0; dx < zoom; dx++) img.setRGB(x0 + j * zoom + dx, y0 + i * zoom + dy, rgb);
                    }
                }
            }
            if (captions != null && t < captions.length && captions[t] != null) {
                PixelFont.draw(img, captions[t], x0, y0 + height * zoom + 1, 0xFFFF66, width * zoom, zoom);
            }
        }
        return img;
    }

    /**
     * The top-left screen pixel of tile {@code tile}'s image in a {@link #render} with or without captions (to draw
     * over it; one image pixel is zoom x zoom screen pixels from there).
     */
    public int[] tileOrigin(int tile, boolean captioned) {
        int captionHeight = captioned ? PixelFont.HEIGHT * zoom + 2 : 0;
        return new int[] {2 + (tile % columns) * (width * zoom + 2), 2 + (tile / columns) * (height * zoom + 2 + captionHeight)};
    }

    /** Renders and writes a PNG atomically (temporary file, then rename), creating parent directories. */
    public void writePng(Matrix tiles, String[] captions, Path out) throws IOException {
        BufferedImage img = render(tiles, captions);
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".grid", ".png.tmp");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer available");
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A square-ish number of columns for n tiles. */
    public static int columnsFor(int n) {
        return Math.max(1, (int) Math.ceil(Math.sqrt(n)));
    }
}
