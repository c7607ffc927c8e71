package dgm4j.viz;

import java.awt.image.BufferedImage;
import java.util.Locale;

/** A 3x5 pixel font for digits, upper-case letters and a few signs: captions without depending on system fonts. */
final class PixelFont {
    static final int HEIGHT = 5;
    static final int WIDTH = 3;
    private static final String CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:=/ ";
    // each glyph: 5 rows of 3 bits, most significant bit on the left
    private static final int[][] GLYPHS = {
        {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1},
        {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7},
        {2, 5, 7, 5, 5}, {6, 5, 6, 5, 6}, {7, 4, 4, 4, 7}, {6, 5, 5, 5, 6}, {7, 4, 6, 4, 7},
        {7, 4, 6, 4, 4}, {7, 4, 5, 5, 7}, {5, 5, 7, 5, 5}, {7, 2, 2, 2, 7}, {1, 1, 1, 5, 7},
        {5, 5, 6, 5, 5}, {4, 4, 4, 4, 7}, {5, 7, 7, 5, 5}, {7, 5, 5, 5, 5}, {7, 5, 5, 5, 7},
        {7, 5, 7, 4, 4}, {7, 5, 5, 7, 1}, {7, 5, 6, 5, 5}, {7, 4, 7, 1, 7}, {7, 2, 2, 2, 2},
        {5, 5, 5, 5, 7}, {5, 5, 5, 5, 2}, {5, 5, 7, 7, 5}, {5, 5, 2, 5, 5}, {5, 5, 7, 2, 2},
        {7, 1, 2, 4, 7}, {0, 0, 7, 0, 0}, {0, 0, 0, 0, 2}, {0, 2, 0, 2, 0}, {0, 7, 0, 7, 0},
        {1, 1, 2, 4, 4}, {0, 0, 0, 0, 0},
    };

    private PixelFont() {}

    /** Draws text at (x, y), each font pixel {@code scale} x {@code scale}, clipped to maxWidth; unknown characters are blanks. */
    static void draw(BufferedImage img, String text, int x, int y, int rgb, int maxWidth, int scale) {
        String s = text.toUpperCase(Locale.ROOT);
        int cx = x;
        for (int c = 0; c < s.length(); c++) {
            if (cx + WIDTH * scale > x + maxWidth) break;
            int g = CHARS.indexOf(s.charAt(c));
            if (g >= 0) {
                for (int r = 0; r < HEIGHT; r++) {
                    for (int b = 0; b < WIDTH; b++) {
                        if ((GLYPHS[g][r] >> (WIDTH - 1 - b) & 1) != 0) {
                            for (int dy = 0; dy < scale; dy++) {
                                for (int dx = 0; dx < scale; dx++) {
                                    int px = cx + b * scale + dx, py = y + r * scale + dy;
                                    if (px < img.getWidth() && py < img.getHeight()) img.setRGB(px, py, rgb);
                                }
                            }
                        }
                    }
                }
            }
            cx += (WIDTH + 1) * scale;
        }
    }
}
