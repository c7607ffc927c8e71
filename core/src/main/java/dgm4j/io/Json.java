package dgm4j.io;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal, strict JSON (RFC 8259) reader and writer, enough for safetensors headers and metadata values.
 *
 * <p>Values map to Java as: object - {@code Map<String, Object>} (insertion ordered, unmodifiable), array -
 * {@code List<Object>} (unmodifiable), string - {@code String}, number - {@code Long} when it is an integer that fits,
 * else {@code Double}, true/false - {@code Boolean}, null - {@code null}.
 *
 * <p>Strict: no comments, no trailing commas, no leading zeros or '+', no unescaped control characters, no invalid
 * escapes or unpaired surrogates, no duplicate object keys, nothing but whitespace after the value. Defensive: the text
 * length, the nesting depth and the number of values are bounded and parsing is a single linear pass, so hostile input
 * costs time and memory proportional to its length. Every problem is a {@link JsonException} with the offset.
 */
public final class Json {
    /** Default limits: 100 M characters, nesting depth 64, 1 M values. */
    public static final int DEFAULT_MAX_LENGTH = 100_000_000;
    public static final int DEFAULT_MAX_DEPTH = 64;
    public static final int DEFAULT_MAX_VALUES = 1_000_000;

    private final String text;
    private final int maxDepth;
    private final int maxValues;
    private int pos;
    private int values;

    private Json(String text, int maxDepth, int maxValues) {
        this.text = text;
        this.maxDepth = maxDepth;
        this.maxValues = maxValues;
    }

    /** Parses a JSON text with the default limits. */
    public static Object parse(String text) {
        return parse(text, DEFAULT_MAX_LENGTH, DEFAULT_MAX_DEPTH, DEFAULT_MAX_VALUES);
    }

    /** Parses a JSON text; longer, deeper or larger texts are rejected with a {@link JsonException}. */
    public static Object parse(String text, int maxLength, int maxDepth, int maxValues) {
        if (text == null) throw new JsonException("no JSON text (null)", -1);
        if (text.length() > maxLength) {
            throw new JsonException("JSON text of " + text.length() + " characters is over the limit of " + maxLength, -1);
        }
        Json p = new Json(text, maxDepth, maxValues);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos < text.length()) throw p.error("unexpected " + p.describe(p.pos) + " after the JSON value");
        return value;
    }

    /** Parses a JSON text that must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) throw new JsonException("expected a JSON object, found " + typeName(v), 0);
        return (Map<String, Object>) v;
    }

    /** Name of the JSON type of a parsed value, for messages. */
    public static String typeName(Object v) {
        if (v == null) return "null";
        if (v instanceof Map) return "an object";
        if (v instanceof List) return "an array";
        if (v instanceof String) return "a string";
        if (v instanceof Boolean) return "a boolean";
        if (v instanceof Number) return "a number";
        return v.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- reading

    private Object value(int depth) {
        if (pos >= text.length()) throw error("unexpected end of JSON text, expected a value");
        if (++values > maxValues) throw error("more than " + maxValues + " JSON values");
        char c = text.charAt(pos);
        switch (c) {
            case '{': return object(depth + 1);
            case '[': return array(depth + 1);
            case '"': return string();
            case 't': literal("true"); return Boolean.TRUE;
            case 'f': literal("false"); return Boolean.FALSE;
            case 'n': literal("null"); return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw error("unexpected " + describe(pos) + ", expected a value");
        }
    }

    private Map<String, Object> object(int depth) {
        if (depth > maxDepth) throw error("JSON nested deeper than " + maxDepth + " levels");
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a string key, found " + describe(pos));
            int keyPos = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth);
            if (map.containsKey(key)) {
                pos = keyPos;
                throw error("duplicate key \"" + abbreviate(key) + "\"");
            }
            map.put(key, v);
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return Collections.unmodifiableMap(map);
            } else {
                throw error("expected ',' or '}' in an object, found " + describe(pos));
            }
        }
    }

    private List<Object> array(int depth) {
        if (depth > maxDepth) throw error("JSON nested deeper than " + maxDepth + " levels");
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            } else {
                throw error("expected ',' or ']' in an array, found " + describe(pos));
            }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= text.length()) throw error("unterminated string");
            char c = text.charAt(pos);
            if (c == '"') {
                String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) throw error("unescaped control character U+" + hex4(c) + " in a string");
            if (Character.isSurrogate(c)) {
                // Only reachable if the caller's String holds a broken pair; a valid pair is consumed whole.
                if (Character.isHighSurrogate(c) && pos + 1 < text.length() && Character.isLowSurrogate(text.charAt(pos + 1))) {
                    pos += 2;
                    continue;
                }
                throw error("unpaired surrogate U+" + hex4(c) + " in a string");
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (sb == null) sb = new StringBuilder();
            sb.append(text, start, pos);
            pos++;
            if (pos >= text.length()) throw error("unterminated escape");
            char e = text.charAt(pos++);
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u': {
                    char u = hexEscape();
                    if (Character.isHighSurrogate(u)) {
                        if (!text.startsWith("\\u", pos)) throw error("unpaired surrogate \\u" + hex4(u));
                        pos += 2;
                        char low = hexEscape();
                        if (!Character.isLowSurrogate(low)) throw error("unpaired surrogate \\u" + hex4(u));
                        sb.append(u).append(low);
                    } else if (Character.isLowSurrogate(u)) {
                        throw error("unpaired surrogate \\u" + hex4(u));
                    } else {
                        sb.append(u);
                    }
                    break;
                }
                default:
                    pos--;
                    throw error("invalid escape \\" + describe(pos));
            }
            start = pos;
        }
    }

    /** Reads the 4 hex digits of a \\u escape. */
    private char hexEscape() {
        if (pos + 4 > text.length()) throw error("truncated \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos), 16);
            // Character.digit accepts non-ASCII digits: insist on ASCII
            if (d < 0 || text.charAt(pos) > 'f') throw error("invalid hex digit " + describe(pos) + " in a \\u escape");
            v = v * 16 + d;
            pos++;
        }
        return (char) v;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) throw error("leading zero in a number");
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw error("expected a digit, found " + describe(pos));
        }
        boolean integer = true;
        if (peek() == '.') {
            integer = false;
            pos++;
            if (!isDigit(peek())) throw error("expected a digit after '.', found " + describe(pos));
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw error("expected a digit in the exponent, found " + describe(pos));
            while (isDigit(peek())) pos++;
        }
        String s = text.substring(start, pos);
        if (integer && pos - start <= 20) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException overflow) {
                // falls through to double
            }
        }
        // Double.parseDouble is linear in the length, whatever the exponent (unlike BigDecimal/BigInteger)
        return Double.parseDouble(s);
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) throw error("unexpected " + describe(pos) + ", expected a value");
        pos += word.length();
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "', found " + describe(pos));
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\uFFFF';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String describe(int at) {
        if (at >= text.length()) return "end of text";
        char c = text.charAt(at);
        if (c >= 0x20 && c < 0x7f) return "'" + c + "'";
        return "character U+" + hex4(c);
    }

    private JsonException error(String message) {
        return new JsonException("invalid JSON: " + message, pos);
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes a value as compact JSON. Accepts Map (String keys), List, String, Number (finite), Boolean, null and
     * arrays of primitives. Strings with unpaired surrogates and non-finite numbers are rejected (they have no JSON
     * form).
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    /** Writes a string as a JSON string literal. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        writeString(sb, s);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        if (depth > DEFAULT_MAX_DEPTH) throw new IllegalArgumentException("value nested deeper than " + DEFAULT_MAX_DEPTH + " levels");
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            writeString(sb, (String) v);
        } else if (v instanceof Boolean) {
            sb.append(v.toString());
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof BigInteger) {
            sb.append(v.toString());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON has no form for " + d);
            // Java's shortest repr always has a '.' or an exponent, so it reads back as a Double
            sb.append(v instanceof Float ? Float.toString((Float) v) : Double.toString(d));
        } else if (v instanceof BigDecimal) {
            sb.append(v.toString());
        } else if (v instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!(e.getKey() instanceof String)) throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                if (!first) sb.append(',');
                first = false;
                writeString(sb, (String) e.getKey());
                sb.append(':');
                write(sb, e.getValue(), depth + 1);
            }
            sb.append('}');
        } else if (v instanceof Iterable) {
            sb.append('[');
            boolean first = true;
            for (Object o : (Iterable<?>) v) {
                if (!first) sb.append(',');
                first = false;
                write(sb, o, depth + 1);
            }
            sb.append(']');
        } else if (v.getClass().isArray() && v.getClass().getComponentType().isPrimitive()) {
            sb.append('[');
            int n = Array.getLength(v);
            for (int i = 0; i < n; i++) {
                if (i > 0) sb.append(',');
                write(sb, Array.get(v, i), depth + 1);
            }
            sb.append(']');
        } else if (v instanceof Object[]) {
            write(sb, Arrays.asList((Object[]) v), depth);
        } else {
            throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
        }
    }

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    if (c < 0x20) {
                        sb.append("\\u").append(hex4(c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new IllegalArgumentException("string has an unpaired surrogate U+" + hex4(c) + " at index " + i);
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
