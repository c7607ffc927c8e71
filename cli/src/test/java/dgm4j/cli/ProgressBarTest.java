package dgm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Progress in a log file or pipe: a line every few seconds, not one per 10 % step of every task. */
class ProgressBarTest {
    private long now;

    @Test
    void aLogGetsALineEveryFiveSecondsWhateverTheTasks() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), false, () -> now);
        // 30 epochs of 2 s, each reported in 100 steps: 60 s of work
        for (int epoch = 1; epoch <= 30; epoch++) {
            for (int step = 1; step <= 100; step++) {
                bar.update("epoch " + epoch + "/30", step, 100);
                now += 20_000_000L;
            }
            bar.finish("epoch " + epoch + "/30");
        }
        List<String> lines = text.toString().lines().toList();
        assertTrue(lines.size() >= 11 && lines.size() <= 13, "about one line per 5 s of 60 s:\n" + text);
        assertTrue(lines.get(0).startsWith("epoch 1/30 [") && lines.get(0).contains("1% 0.0s"), lines.get(0));
        assertTrue(lines.get(1).startsWith("epoch 3/30 [") && lines.get(1).endsWith("5.0s"), lines.get(1));
        assertFalse(text.toString().contains("\r") || text.toString().contains("\u001b"), "no terminal codes in a log");
    }

    @Test
    void aTerminalRedrawsInPlace() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), true, () -> now);
        for (int step = 1; step <= 100; step++) {
            bar.update("download", step, 100);
            now += 50_000_000L;
        }
        bar.finish("download");
        String s = text.toString();
        assertEquals(1, s.chars().filter(c -> c == '\n').count(), "one line, redrawn: " + s);
        assertTrue(s.contains("\r") && s.contains("100%"), s);
    }
}
