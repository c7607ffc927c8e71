package dgm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.TestEnvironment;

/**
 * Interoperability: bench/scripts/read_dgm4j_file.py reads a dgm4j file with NumPy only (and plain torch if present)
 * and the .npz export with numpy.load. Needs /usr/bin/python3 with NumPy (see {@link TestEnvironment}).
 */
class PythonReadTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("..", "bench", "scripts", "read_dgm4j_file.py"); // from core/

    @TempDir Path dir;

    @Test
    void numpyAndTorchReadWhatDgm4jWrites() throws Exception {
        assertTrue(Files.isRegularFile(SCRIPT), "script not found from " + Path.of("").toAbsolutePath());
        TestEnvironment.require(Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c", "import numpy")).exit == 0,
                "NumPy for /usr/bin/python3 (Debian python3-numpy)");

        ModelFile model = TestFiles.allDtypes(31);
        Path file = dir.resolve("model.safetensors");
        Path npz = dir.resolve("model.npz");
        ModelFiles.write(file, model);
        ModelFiles.exportNpz(model, npz);
        Result r = run(List.of(PYTHON.toString(), SCRIPT.toString(), file.toString(), npz.toString()));
        assertEquals(0, r.exit, r.output);

        Map<String, String[]> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        List<String> other = new ArrayList<>();
        for (String line : r.output.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("tensor")) tensors.put(f[1], f);
            else if (f[0].equals("meta")) meta.put(f[1], (String) Json.parse(f[2]));
            else other.add(line);
        }
        assertEquals(List.copyOf(model.tensors().keySet()), List.copyOf(tensors.keySet()), r.output);
        for (Map.Entry<String, String[]> e : tensors.entrySet()) {
            Tensor t = model.tensor(e.getKey());
            String[] f = e.getValue();
            assertEquals(t.dtype().name(), f[2]);
            assertEquals(Json.write(t.shape()), f[3].replace(" ", ""), e.getKey());
            String[] values = f[4].isEmpty() ? new String[0] : f[4].split(" ");
            assertEquals(Math.min(8, t.elementCount()), values.length, e.getKey());
            for (int i = 0; i < values.length; i++) {
                String label = e.getKey() + "[" + i + "] = " + values[i];
                switch (t.dtype()) {
                    case F32: assertEquals(Double.doubleToLongBits(t.floats()[i]), Double.doubleToLongBits(py(values[i])), label); break;
                    case F64: assertEquals(Double.doubleToLongBits(t.doubles()[i]), Double.doubleToLongBits(py(values[i])), label); break;
                    case I64: assertEquals(t.longs()[i], Long.parseLong(values[i]), label); break;
                    case I32: assertEquals(t.ints()[i], Long.parseLong(values[i]), label); break;
                    case U8: assertEquals(t.bytes()[i] & 0xff, Long.parseLong(values[i]), label); break;
                    default: throw new AssertionError(t);
                }
            }
        }
        Map<String, String> expected = new LinkedHashMap<>(model.metadata());
        expected.put("tensor_sha256", ModelFiles.readAnyKind(file).metadata().get("tensor_sha256"));
        assertEquals(expected, meta);
        assertTrue(other.contains("npz\tok\t" + tensors.size()), r.output);
        assertTrue(other.contains("torch\tok\t" + tensors.size()) || other.contains("torch\tunavailable"), r.output);
        System.out.println("read_dgm4j_file.py: " + String.join(", ", other));
    }

    /** A Python float repr as a Java double. */
    private static double py(String s) {
        switch (s) {
            case "nan": return Double.NaN;
            case "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default: return Double.parseDouble(s);
        }
    }

    private static final class Result {
        final int exit;
        final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }

    private static Result run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes(); // ends when the process exits
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timeout: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
