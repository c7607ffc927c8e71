package dgm4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Reading and writing {@link ModelFile}s as safetensors files, and exporting them to NumPy .npz.
 *
 * <p>Errors: reading throws only {@link ModelFileException} (bad input: missing, unreadable, malformed, corrupt, wrong
 * kind, newer format; the message names the file and the problem). Writing throws {@link ModelSaveException} (an
 * {@link java.io.UncheckedIOException}: an environment problem such as a missing or read-only directory or a full
 * disk); writes are atomic and leave an existing file intact on failure (see {@link AtomicFiles}).
 */
public final class ModelFiles {
    private ModelFiles() {}

    /**
     * Writes {@code model} to {@code file} atomically, keeping an existing file as {@code <file>.prev}. Adds
     * "tensor_sha256" (SHA-256 of the data section) to the metadata.
     *
     * @throws ModelSaveException if the file cannot be written; the previous file is then unchanged
     */
    public static void write(Path file, ModelFile model) {
        Safetensors.Encoded encoded = Safetensors.encode(model);
        AtomicFiles.write(file, encoded::writeTo, true);
    }

    /** The bytes {@link #write} would store. */
    public static byte[] toBytes(ModelFile model) {
        return Safetensors.encode(model).toBytes();
    }

    /**
     * Reads and validates a model file whose kind must be one of {@code acceptedKinds}.
     *
     * @throws ModelFileException on any problem with the file
     */
    public static ModelFile read(Path file, Set<String> acceptedKinds) {
        if (acceptedKinds == null || acceptedKinds.isEmpty()) throw new IllegalArgumentException("no accepted model kinds given");
        return readChecked(file, Set.copyOf(acceptedKinds));
    }

    /** Reads a model file of kind {@code kind} (or one of {@code moreKinds}). */
    public static ModelFile read(Path file, String kind, String... moreKinds) {
        Set<String> kinds = new HashSet<>(Arrays.asList(moreKinds));
        kinds.add(kind);
        return read(file, kinds);
    }

    /** Reads a model file of any kind (check {@link ModelFile#kind()} yourself). */
    public static ModelFile readAnyKind(Path file) {
        return readChecked(file, null);
    }

    /** Decodes model-file bytes; {@code name} is used in messages; {@code acceptedKinds} null accepts any kind. */
    public static ModelFile fromBytes(byte[] bytes, String name, Set<String> acceptedKinds) {
        Safetensors.Source src = new Safetensors.Source() {
            @Override
            public long size() { return bytes.length; }

            @Override
            public void readFully(long pos, byte[] dst, int off, int len) throws IOException {
                if (pos < 0 || pos + len > bytes.length) throw new IOException("read past the end");
                System.arraycopy(bytes, (int) pos, dst, off, len);
            }
        };
        try {
            return Safetensors.decode(src, name, acceptedKinds);
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw unexpected(name, e);
        }
    }

    private static ModelFile readChecked(Path file, Set<String> acceptedKinds) {
        String name = file.toString();
        if (Files.isDirectory(file)) throw new ModelFileException(name + ": is a directory, not a model file");
        // a FIFO or device could block or never end: only regular files are read
        if (Files.exists(file) && !Files.isRegularFile(file)) throw new ModelFileException(name + ": not a regular file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Safetensors.Source src = new Safetensors.Source() {
                @Override
                public long size() throws IOException { return ch.size(); }

                @Override
                public void readFully(long pos, byte[] dst, int off, int len) throws IOException {
                    ByteBuffer b = ByteBuffer.wrap(dst, off, len);
                    while (b.hasRemaining()) {
                        if (ch.read(b, pos + b.position() - off) < 0) throw new IOException("file ended early (changed while reading?)");
                    }
                }
            };
            return Safetensors.decode(src, name, acceptedKinds);
        } catch (ModelFileException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new ModelFileException(name + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new ModelFileException(name + ": permission denied", e);
        } catch (IOException e) {
            throw new ModelFileException(name + ": cannot read: " + AtomicFiles.describe(e), e);
        } catch (RuntimeException e) {
            throw unexpected(name, e);
        }
    }

    /** Anything not foreseen by the validation is still reported as a bad file, never as another exception type. */
    private static ModelFileException unexpected(String name, Exception e) {
        return new ModelFileException(name + ": malformed model file (" + e + ")", e);
    }

    /**
     * Exports the tensors as a NumPy .npz archive (one {@code <name>.npy} per tensor, dtypes &lt;f4, &lt;f8, &lt;i8,
     * &lt;i4, |u1, C order) plus {@code metadata.json}; {@code numpy.load(file)[name]} gives each tensor. Atomic like
     * {@link #write}, keeping an existing file as {@code <file>.prev}.
     *
     * @throws IllegalArgumentException if a tensor name cannot be a zip entry name (absolute, "..", backslash)
     * @throws ModelSaveException if the file cannot be written
     */
    public static void exportNpz(ModelFile model, Path file) {
        model.tensors().keySet().forEach(Npz::checkEntryName);
        AtomicFiles.write(file, ch -> Npz.write(model, ch), true);
    }
}
