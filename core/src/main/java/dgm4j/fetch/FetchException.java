package dgm4j.fetch;

import dgm4j.InputException;
import dgm4j.data.DataException;

/**
 * Fetching a dataset failed: a download tool is missing, the tool failed (network, unknown package, timeout), or a
 * downloaded file does not match its recorded SHA-256. The message says what to do.
 *
 * <p>An {@link InputException} (not a plain RuntimeException) because every cause is in the user's environment, not
 * a bug in dgm4j: the user fixes it by installing a tool, updating the package index, restoring the network or
 * retrying, so callers report the message without a stack trace and the command line exits with status 2, like other
 * input problems. It is not a {@link DataException}: no user file is at fault.
 */
public class FetchException extends InputException {
    private static final long serialVersionUID = 1L;

    public FetchException(String message) {
        super(message);
    }

    public FetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
