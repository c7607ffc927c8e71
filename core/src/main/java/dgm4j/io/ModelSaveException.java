package dgm4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Saving a file failed (directory missing or not writable, target is a directory, disk full, ...). Not bad input: an
 * environment problem, so it is an {@link UncheckedIOException} (the cause is always an {@link IOException}), not a
 * {@link dgm4j.InputException}. The message names the file. When it is thrown the temporary file has been deleted and
 * a previous file at the target path is unchanged.
 */
public final class ModelSaveException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    public ModelSaveException(String message, IOException cause) {
        super(message, cause);
    }
}
