package dgm4j.data;

import java.nio.file.Path;

import dgm4j.InputException;

/** A data file that cannot be used: missing, corrupt, truncated, or holding values out of range. */
public class DataException extends InputException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "FILE: PROBLEM". */
    public DataException(Path file, String problem) {
        super(file + ": " + problem);
    }

    /** "FILE: PROBLEM", keeping the cause (e.g. an IOException). */
    public DataException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }

    /** "FILE line N: PROBLEM", for text formats. */
    public static DataException atLine(Path file, long line, String problem) {
        return new DataException(file + " line " + line + ": " + problem);
    }
}
