package dgm4j.io;

import dgm4j.InputException;

/**
 * A model file that cannot be read: missing, unreadable, truncated, malformed, corrupt (checksum mismatch), of another
 * model kind, written by a newer dgm4j, or lacking a tensor the model needs. The message names the file and the
 * problem. This is bad input ({@link InputException}: command-line tools exit with status 2). It is the only exception
 * type {@link ModelFiles#read} throws for any file content.
 */
public final class ModelFileException extends InputException {
    private static final long serialVersionUID = 1L;

    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
