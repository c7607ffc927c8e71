package dgm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .npz export checked from Java against the .npy format spec (PythonReadTest checks it with NumPy itself). */
class NpzExportTest {
    @TempDir Path dir;

    @Test
    void exportsOneNpyPerTensorPlusMetadata() throws Exception {
        Path file = dir.resolve("m.safetensors");
        ModelFiles.write(file, TestFiles.allDtypes(21));
        ModelFile model = ModelFiles.read(file, "rbm"); // holds a tensor_sha256, which the export leaves out
        Path npz = dir.resolve("m.npz");
        ModelFiles.exportNpz(model, npz);
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            List<String> names = new ArrayList<>();
            zip.stream().forEach(e -> names.add(e.getName()));
            List<String> expected = new ArrayList<>();
            model.tensors().keySet().forEach(n -> expected.add(n + ".npy"));
            expected.add("metadata.json");
            assertEquals(expected, names);
            for (Map.Entry<String, Tensor> e : model.tensors().entrySet()) {
                ZipEntry entry = zip.getEntry(e.getKey() + ".npy");
                assertEquals(ZipEntry.STORED, entry.getMethod());
                byte[] npy = zip.getInputStream(entry).readAllBytes();
                Tensor t = e.getValue();
                assertEquals((byte) 0x93, npy[0]);
                assertEquals("NUMPY", new String(npy, 1, 5, StandardCharsets.US_ASCII));
                assertEquals(1, npy[6]);
                assertEquals(0, npy[7]);
                int headerLen = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
                assertEquals(0, (10 + headerLen) % 64, "data aligned to 64");
                String header = new String(npy, 10, headerLen, StandardCharsets.US_ASCII);
                assertTrue(header.endsWith("\n"));
                String shape = Arrays.toString(t.shape()).replace('[', '(').replace(']', ')');
                if (t.rank() == 1) shape = shape.replace(")", ",)");
                assertEquals("{'descr': '" + t.dtype().npyDescr() + "', 'fortran_order': False, 'shape': " + shape + ", }", header.strip());
                assertArrayEquals(t.littleEndianBytes(), Arrays.copyOfRange(npy, 10 + headerLen, npy.length), e.getKey());
            }
            String md = new String(zip.getInputStream(zip.getEntry("metadata.json")).readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> expectedMd = new LinkedHashMap<>(model.metadata());
            assertTrue(expectedMd.remove("tensor_sha256") != null);
            assertEquals(expectedMd, Json.parse(md));
        }
        // deterministic bytes; a second export keeps the first as .prev
        byte[] first = Files.readAllBytes(npz);
        ModelFiles.exportNpz(model, npz);
        assertArrayEquals(first, Files.readAllBytes(npz));
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("m.npz.prev")));
    }

    @Test
    void npyHeaderShapes() {
        assertTrue(new String(Npz.npyHeader(Tensor.of(new float[] {1})), StandardCharsets.US_ASCII).contains("'shape': (), }"));
        assertTrue(new String(Npz.npyHeader(Tensor.vector(new int[3])), StandardCharsets.US_ASCII).contains("'shape': (3,), }"));
        assertTrue(new String(Npz.npyHeader(Tensor.of(new byte[6], 1, 2, 3)), StandardCharsets.US_ASCII).contains("'shape': (1, 2, 3), }"));
    }

    @Test
    void rejectsTensorNamesUnsafeAsZipEntries() {
        for (String bad : new String[] {"/abs", "a/../b", "..", "a\\b", "a//b", "trailing/"}) {
            ModelFile m = ModelFile.builder("rbm").tensor(bad, Tensor.vector(new int[1])).build();
            assertThrows(IllegalArgumentException.class, () -> ModelFiles.exportNpz(m, dir.resolve("x.npz")), bad);
        }
        ModelFile ok = ModelFile.builder("rbm").tensor("layer0/w.x", Tensor.vector(new int[1])).build();
        ModelFiles.exportNpz(ok, dir.resolve("ok.npz"));
    }
}
