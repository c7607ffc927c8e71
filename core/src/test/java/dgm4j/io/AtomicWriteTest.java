package dgm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dgm4j.InputException;

class AtomicWriteTest {
    @TempDir Path dir;

    private final ModelFile v1 = TestFiles.small("rbm", 10, 1);
    private final ModelFile v2 = TestFiles.small("rbm", 20, 2);
    private final ModelFile v3 = TestFiles.small("rbm", 30, 3);

    @AfterEach
    void noHook() {
        AtomicFiles.faultHook = null;
    }

    private Set<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void keepsThePreviousVersion() throws Exception {
        Path file = dir.resolve("m.safetensors");
        ModelFiles.write(file, v1);
        assertEquals(Set.of("m.safetensors"), names());
        ModelFiles.write(file, v2);
        assertEquals(Set.of("m.safetensors", "m.safetensors.prev"), names(), "no temp files left");
        assertArrayEquals(ModelFiles.toBytes(v2), Files.readAllBytes(file));
        assertArrayEquals(ModelFiles.toBytes(v1), Files.readAllBytes(dir.resolve("m.safetensors.prev")));
        ModelFiles.write(file, v3);
        assertArrayEquals(ModelFiles.toBytes(v3), Files.readAllBytes(file));
        assertArrayEquals(ModelFiles.toBytes(v2), Files.readAllBytes(dir.resolve("m.safetensors.prev")));
        assertEquals(20, ModelFiles.read(dir.resolve("m.safetensors.prev"), "rbm").floats("bias").length);
        assertEquals(Set.of("m.safetensors", "m.safetensors.prev"), names());
    }

    @Test
    void missingDirectory() {
        Path file = dir.resolve("nope/m.safetensors");
        ModelSaveException e = assertThrows(ModelSaveException.class, () -> ModelFiles.write(file, v1));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("directory does not exist"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("nope")));
    }

    @Test
    void parentIsAFile() throws Exception {
        Files.writeString(dir.resolve("plain"), "x");
        assertThrows(ModelSaveException.class, () -> ModelFiles.write(dir.resolve("plain/m.safetensors"), v1));
        assertEquals("x", Files.readString(dir.resolve("plain")));
    }

    @Test
    void targetIsADirectory() throws Exception {
        Path target = Files.createDirectory(dir.resolve("m.safetensors"));
        Files.writeString(target.resolve("inside"), "keep");
        ModelSaveException e = assertThrows(ModelSaveException.class, () -> ModelFiles.write(target, v1));
        assertTrue(e.getMessage().contains("it is a directory"), e.getMessage());
        assertEquals("keep", Files.readString(target.resolve("inside")));
        assertEquals(Set.of("m.safetensors"), names());
        assertThrows(ModelSaveException.class, () -> ModelFiles.exportNpz(v1, target));
    }

    @Test
    void readOnlyDirectory() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("m.safetensors");
        ModelFiles.write(file, v1);
        byte[] before = Files.readAllBytes(file);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(dir), "running as root: permissions are not enforced (fault injection covers this)");
            ModelSaveException e = assertThrows(ModelSaveException.class, () -> ModelFiles.write(file, v2));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("permission denied"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(Set.of("m.safetensors"), names());
    }

    /** A failure at each step (disk full while writing, fsync error, ...) leaves the old file byte-identical. */
    @ParameterizedTest
    @ValueSource(strings = {"temp-created", "temp-written", "temp-synced", "hard-link+previous-kept", "previous-kept"})
    void failureAtEveryStepLeavesTheOldFile(String stages) throws Exception {
        Path file = dir.resolve("m.safetensors");
        ModelFiles.write(file, v1);
        byte[] before = Files.readAllBytes(file);
        List<String> failAt = List.of(stages.split("\\+"));
        String last = failAt.get(failAt.size() - 1);
        AtomicFiles.faultHook = stage -> {
            if (failAt.contains(stage)) throw new IOException(stage.equals(last) ? "No space left on device" : "no hard links here");
        };
        ModelSaveException e = assertThrows(ModelSaveException.class, () -> ModelFiles.write(file, v2));
        AtomicFiles.faultHook = null;
        assertTrue(e.getMessage().startsWith("cannot save " + file), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "old file intact");
        assertTrue(names().stream().noneMatch(n -> n.endsWith(".tmp")), "temp file deleted: " + names());
        assertEquals(1, ModelFiles.read(file, "rbm").tensors().size() - 1);
    }

    @Test
    void aBugInTheContentWriterPropagatesAndCleansUp() throws Exception {
        Path file = dir.resolve("out.bin");
        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> AtomicFiles.write(file, ch -> { throw bug; }, true)));
        assertEquals(Set.of(), names());
        AtomicFiles.write(file, ch -> AtomicFiles.writeFully(ch, ByteBuffer.wrap(new byte[] {1, 2})), false);
        AtomicFiles.write(file, ch -> AtomicFiles.writeFully(ch, ByteBuffer.wrap(new byte[] {3})), false);
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(file));
        assertEquals(Set.of("out.bin"), names(), "keepPrevious=false keeps no .prev");
    }

    @Test
    void saveFailuresAreIoErrorsNotBadInput() {
        ModelSaveException e = assertThrows(ModelSaveException.class, () -> ModelFiles.write(dir.resolve("x/y"), v1));
        assertInstanceOf(UncheckedIOException.class, e);
        assertInstanceOf(IOException.class, e.getCause());
        assertFalse(InputException.class.isInstance(e));
    }
}
