package dgm4j.io;

import dgm4j.InputException;

/** Malformed JSON text (RFC 8259) or text over one of the {@link Json} limits; the message gives the offset. */
public final class JsonException extends InputException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    public JsonException(String message, long offset) {
        super(offset >= 0 ? message + " (at offset " + offset + ")" : message);
        this.offset = offset;
    }

    /** Character offset of the problem in the text, or -1 if not tied to a position. */
    public long offset() { return offset; }
}
