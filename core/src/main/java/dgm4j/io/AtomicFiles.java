package dgm4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file replacement: a reader of the target path sees either the complete old file or the complete new
 * one, never a partial write, even if the process or the machine dies midway.
 *
 * <p>Steps: write to a temporary file {@code .<name>.<random>.tmp} in the target's directory, flush and
 * {@link FileChannel#force force} it; if the target exists and a previous copy is wanted, keep it as
 * {@code <name>.prev} (a hard link, so the target never disappears; a rename where hard links are unsupported); then
 * rename the temporary file over the target with {@link StandardCopyOption#ATOMIC_MOVE} and fsync the directory so the
 * rename itself is durable (skipped silently where a directory cannot be opened, e.g. Windows).
 *
 * <p>On failure a {@link ModelSaveException} naming the target is thrown, the temporary file is deleted and the old
 * target is left as it was.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the whole content to the channel (looping until every buffer is written). */
    @FunctionalInterface
    public interface Content {
        void writeTo(WritableByteChannel out) throws IOException;
    }

    /** Test hook: called at named points of {@link #write}; may throw to simulate a failure there. */
    @FunctionalInterface
    interface FaultHook {
        void at(String stage) throws IOException;
    }

    static volatile FaultHook faultHook;

    /** Suffix of the kept previous version. */
    public static final String PREVIOUS_SUFFIX = ".prev";

    /**
     * Atomically replaces {@code target} with {@code content}.
     *
     * @param keepPrevious keep an existing target as {@code <target>.prev} (replacing an older .prev)
     * @throws ModelSaveException if anything fails; the target is then unchanged
     */
    public static void write(Path target, Content content, boolean keepPrevious) {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir == null || abs.getFileName() == null) {
            throw new ModelSaveException("cannot save " + abs + ": not a file path", new IOException("no file name"));
        }
        String name = abs.getFileName().toString();
        Path prev = dir.resolve(name + PREVIOUS_SUFFIX);
        Path tmp = null;
        boolean renamedAway = false;
        try {
            if (Files.isDirectory(abs)) throw new FileSystemException(abs.toString(), null, "it is a directory");
            if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "directory does not exist");
            tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                hook("temp-created");
                content.writeTo(ch);
                hook("temp-written");
                ch.force(true);
            }
            hook("temp-synced");
            if (keepPrevious && Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(prev);
                try {
                    hook("hard-link");
                    Files.createLink(prev, abs);
                } catch (UnsupportedOperationException | IOException noHardLinks) {
                    Files.move(abs, prev, StandardCopyOption.ATOMIC_MOVE);
                    renamedAway = true;
                }
                hook("previous-kept");
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            removeStaleTemporaries(dir, name);
        } catch (IOException e) {
            cleanUp(tmp, renamedAway, prev, abs, e);
            throw new ModelSaveException("cannot save " + abs + ": " + describe(e), e);
        } catch (RuntimeException | Error e) {
            cleanUp(tmp, renamedAway, prev, abs, e);
            throw e;
        }
        syncDirectory(dir);
    }

    /** Deletes temporary files of this target left by a process killed while writing (best effort). */
    private static void removeStaleTemporaries(Path dir, String name) {
        String prefix = "." + name + ".";
        try (var files = Files.newDirectoryStream(dir, f -> {
            String n = f.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp") && n.length() > prefix.length() + 4;
        })) {
            for (Path f : files) Files.deleteIfExists(f);
        } catch (IOException | RuntimeException ignored) {
            // a stale temporary file is harmless; the new file is already in place
        }
    }

    private static void hook(String stage) throws IOException {
        FaultHook h = faultHook;
        if (h != null) h.at(stage);
    }

    /** Deletes the temporary file and puts a renamed-away target back; never throws. */
    private static void cleanUp(Path tmp, boolean renamedAway, Path prev, Path target, Throwable failure) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        if (renamedAway && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.move(prev, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** fsync a directory so renames in it are durable; ignored where the platform cannot open directories. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException unsupported) {
            // e.g. Windows: directories cannot be opened as channels; the rename is still atomic there
        }
    }

    /** A readable reason for common I/O failures. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            FileSystemException f = (FileSystemException) e;
            return (f.getReason() != null ? f.getReason() : "no such file or directory") + " (" + f.getFile() + ")";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied (" + ((FileSystemException) e).getFile() + ")";
        }
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            return (f.getReason() != null ? f.getReason() : e.getClass().getSimpleName()) + " (" + f.getFile() + ")";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** Writes a whole buffer to a channel. */
    public static void writeFully(WritableByteChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) out.write(buf);
    }
}
