package dgm4j.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.autodiff.Parameter;
import dgm4j.data.Dataset;
import dgm4j.train.TrainingRun;
import dgm4j.train.TrainingSession;

/**
 * A fixed-seed DRAW training pinned bit for bit: a digest of the parameters after 2 epochs, the CSV log (without its
 * wall-clock column) and the checkpoint file's bytes, so that refactoring the training code cannot change a run or
 * the checkpoint format unnoticed.
 */
class DrawFingerprintTest {
    private static final String DIGEST = "3eb88253b8557e9b6ad4bd0e40b363313c7c38edded875fd98c48b09a90c77cb";

    @Test
    void aFixedSeedRunIsUnchanged(@TempDir Path dir) throws Exception {
        Dataset all = DrawTest.bars(120, 8, 3);
        Draw.Architecture a = new Draw.Architecture(8, 8, 3, 12, 12, 4, true, 2, 3);
        Path log = dir.resolve("log.csv"), checkpoint = dir.resolve("c.safetensors");
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("test", true);
        provenance.put("binarization", "dynamic");
        TrainingSession s = new TrainingSession(new TrainingRun(2).csvLog(log).checkpoint(checkpoint, 1, 0), 17);
        DrawTrainingTask task = s.open(DrawTest.family(a, all.subset(0, 100), all.subset(100, 120), provenance));
        s.run();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (Parameter p : task.model().parameters()) {
            md.update(p.name().getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.allocate(4 * p.value().size());
            for (int k = 0; k < p.value().size(); k++) b.putFloat(p.value().getFlat(k));
            md.update(b.array());
        }
        List<String> rows = Files.readAllLines(log);
        int seconds = Arrays.asList(rows.get(0).split(",")).indexOf("seconds");
        for (String row : rows) {
            String[] cells = row.split(",");
            for (int c = 0; c < cells.length; c++) if (c != seconds) md.update((cells[c] + ",").getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
        }
        md.update(Files.readAllBytes(checkpoint));
        assertEquals(DIGEST, HexFormat.of().formatHex(md.digest()), String.join("\n", rows));
    }
}
