package dgm4j;

/**
 * Bad input from the user: a missing or corrupt file, a wrong shape, a value out of range, a bad option. The message
 * names the file or argument and says what was expected and what was found. Command-line tools exit with status 2.
 */
public class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
