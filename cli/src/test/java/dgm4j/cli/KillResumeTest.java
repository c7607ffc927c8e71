package dgm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.io.Tensor;

/**
 * Crash safety for real: a training run in a child JVM is killed with SIGKILL at random moments and resumed from its
 * checkpoint until it finishes; the result must be bitwise the run that was never interrupted (same seed, one thread).
 */
class KillResumeTest {
    static final int EPOCHS = 60;

    private static List<String> command(Path out, boolean resume) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), "dgm4j.cli.Main",
                "train", "rbm", "--images", Cli.fixtureImages().toString(), "--hidden", "64", "--batch", "10",
                "--pcd", "1", "--binarize", "dynamic", "--centered", "--sparsity-target", "0.1", "--epochs", Integer.toString(EPOCHS), "--checkpoint-every", "1",
                "--threads", "1", "--seed", "5", "--out", out.toString()));
        if (resume) {
            cmd.add("--resume");
            cmd.add(out.toString());
        }
        return cmd;
    }

    private static Process start(Path out, boolean resume, Path dir) throws Exception {
        return new ProcessBuilder(command(out, resume)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + System.nanoTime() + ".log").toFile()).start();
    }

    @Test
    void killedAndResumedRunsEndBitwiseEqualToAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Path reference = dir.resolve("reference.safetensors");
        long t0 = System.nanoTime();
        Process p = start(reference, false, dir);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "reference run timed out");
        assertEquals(0, p.exitValue(), "reference run failed: " + logs(dir));
        long fullMillis = (System.nanoTime() - t0) / 1_000_000;
        Map<String, Tensor> expected = ModelFiles.read(reference, "rbm").tensors();

        Random random = new Random(20261127);
        int kills = 0;
        for (int trial = 0; trial < 2; trial++) {
            Path out = dir.resolve("killed-" + trial + ".safetensors");
            boolean finished = false;
            int attempts = 0;
            while (!finished) {
                assertTrue(attempts++ < 40, "did not finish after 40 restarts");
                if (Files.exists(out) && epochsDone(out) == EPOCHS) break;   // killed after its last checkpoint
                Process child = start(out, Files.exists(out), dir);
                // kill somewhere between JVM start-up and the end of a full run; after 3 kills, let it finish
                long wait = attempts <= 3 ? 300 + (long) (random.nextDouble() * fullMillis) : Long.MAX_VALUE;
                if (wait != Long.MAX_VALUE && !child.waitFor(wait, TimeUnit.MILLISECONDS)) {
                    child.destroyForcibly();     // SIGKILL on Linux
                    child.waitFor();
                    kills++;
                    continue;
                }
                assertTrue(child.waitFor(300, TimeUnit.SECONDS), "child timed out");
                assertEquals(0, child.exitValue(), "child failed: " + logs(dir));
                finished = true;
            }
            ModelFile result = ModelFiles.read(out, "rbm");
            assertEquals(EPOCHS, ((Number) ((Map<?, ?>) result.metadataJson(ModelFile.TRAINING_STATE_KEY).get()).get("epochs_done")).intValue());
            for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                assertEquals(e.getValue(), result.tensor(e.getKey()), "tensor " + e.getKey() + " after kills (trial " + trial + ")");
            }
            try (var files = Files.list(dir)) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
            }
        }
        assertTrue(kills >= 4, "only " + kills + " kills happened");
        System.out.println("kill-and-resume: " + kills + " SIGKILLs, full run " + fullMillis + " ms");
    }

    private static int epochsDone(Path file) {
        return ((Number) ((Map<?, ?>) ModelFiles.read(file, "rbm").metadataJson(ModelFile.TRAINING_STATE_KEY).get()).get("epochs_done")).intValue();
    }

    private static String logs(Path dir) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (File f : dir.toFile().listFiles((d, n) -> n.endsWith(".log"))) sb.append(Files.readString(f.toPath())).append('\n');
        return sb.toString();
    }
}
