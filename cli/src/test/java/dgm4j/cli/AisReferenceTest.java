package dgm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.io.Json;

/**
 * dgm4j's AIS against an independent NumPy implementation written from the equations
 * ({@code bench/scripts/ais_reference.py}) and against exact enumeration, on an RBM trained on MNIST images with a high
 * learning rate (a sharp model). CI installs NumPy ({@code .ci/run}); elsewhere the test is skipped without it.
 */
class AisReferenceTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }

    private static double num(Object o) { return ((Number) o).doubleValue(); }

    @Test
    void dgm4jAndAnIndependentNumpyAisAgreeWithExactLogZ(@TempDir Path dir) throws Exception {
        Path script = Path.of("..", "bench", "scripts", "ais_reference.py").toAbsolutePath().normalize();
        boolean numpy = new ProcessBuilder("/usr/bin/python3", "-c", "import numpy").start().waitFor() == 0;
        if (!numpy) assertTrue(System.getenv("CI") == null, "CI must have NumPy (.ci/run installs python3-numpy)");
        assumeTrue(numpy, "NumPy not installed");
        Path model = dir.resolve("sharp.safetensors"), json = dir.resolve("ais.json");
        Cli t = Cli.run(Cli.concat(new String[] {"train", "rbm"}, Cli.fixtureData(), new String[] {"--hidden", "12", "--epochs", "20",
                "--batch", "10", "--lr", "0.5", "--threads", "1", "--seed", "4", "--out", model.toString()}));
        assertEquals(0, t.code, t.toString());
        Cli a = Cli.run(Cli.concat(new String[] {"eval", "ais", model.toString()}, Cli.fixtureData(), new String[] {"--betas", "0.3",
                "--exact", "--threads", "1", "--json", json.toString()}));
        assertEquals(0, a.code, a.toString());
        Map<String, Object> ours = Json.parseObject(Files.readString(json));
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), model.toString(), "--scale", "0.3", "--runs", "100",
                "--seed", "1", "--exact").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0, "reference failed: " + out);
        Map<String, Object> ref = Json.parseObject(out.trim());
        double exact = num(ours.get("exact_log_z"));
        assertEquals(exact, num(ref.get("exact_log_z")), 1e-3, "two enumerations of the same model");
        Map<String, Object> v = map(ours.get("verdict"));
        double f = num(map(v.get("forward")).get("log_z")), r = num(map(v.get("reverse")).get("log_z"));
        double rf = num(map(ref.get("forward")).get("log_z")), rr = num(map(ref.get("reverse")).get("log_z"));
        String report = String.format("exact %.4f; dgm4j forward %.4f reverse %.4f (%s); numpy forward %.4f reverse %.4f", exact, f, r,
                ours.get("summary"), rf, rr);
        System.out.println("AIS reference: " + report);
        assertEquals(exact, rf, 0.1, "the NumPy reference itself: " + report);
        assertEquals(exact, rr, 0.1, "the NumPy reference itself: " + report);
        if ((Boolean) ours.get("determined")) {
            assertEquals(exact, f, 0.1, report);
            assertEquals(exact, r, 0.1, report);
        }
        assertEquals(rf, f, 0.2, "the two implementations, forward: " + report);
    }
}
