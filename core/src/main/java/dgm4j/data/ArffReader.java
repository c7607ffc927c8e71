package dgm4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small reader for dense ARFF files (Weka's attribute-relation format): the {@code @attribute} names and types, then
 * one instance per line after {@code @data}, values separated by commas. Values may be quoted with ' or " and then
 * contain commas and backslash escapes (\n, \t, \r, \', \", \\; any other \x gives x), as Weka writes string
 * attributes. Lines starting with % are comments. Sparse instances ({...}) are refused.
 */
public final class ArffReader {
    private ArffReader() {}

    /** The attributes (name and declared type, e.g. "string", "numeric", "{0,1}") and the instances as strings. */
    public record ArffData(String relation, List<String> attributeNames, List<String> attributeTypes, List<List<String>> rows) {
        /** The column of attribute {@code name}. */
        public int column(String name) {
            int k = attributeNames.indexOf(name);
            if (k < 0) throw new DataException("ARFF data have no attribute \"" + name + "\" (attributes: " + attributeNames + ")");
            return k;
        }
    }

    public static ArffData read(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        } catch (IOException e) {
            throw new DataException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    public static ArffData parse(String text) {
        try {
            return parse(new StringReader(text), "<string>");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static ArffData parse(Reader reader, String source) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        String relation = "";
        List<String> names = new ArrayList<>(), types = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        boolean data = false;
        String line;
        long lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("%")) continue;
            if (!data) {
                String lower = t.toLowerCase(Locale.ROOT);
                if (lower.startsWith("@relation")) {
                    List<String> parts = split(t.substring(9).strip(), ' ', source, lineNo);
                    relation = parts.isEmpty() ? "" : parts.get(0);
                } else if (lower.startsWith("@attribute")) {
                    String rest = t.substring(10).strip();
                    String name;
                    int end;
                    if (rest.startsWith("'") || rest.startsWith("\"")) {
                        StringBuilder sb = new StringBuilder();
                        end = readQuoted(rest, 0, sb, source, lineNo);
                        name = sb.toString();
                    } else {
                        end = 0;
                        while (end < rest.length() && !Character.isWhitespace(rest.charAt(end))) end++;
                        name = rest.substring(0, end);
                    }
                    String type = rest.substring(end).strip();
                    if (name.isEmpty() || type.isEmpty()) throw bad(source, lineNo, "an @attribute needs a name and a type");
                    names.add(name);
                    types.add(type.toLowerCase(Locale.ROOT).startsWith("{") ? type : type.toLowerCase(Locale.ROOT));
                } else if (lower.startsWith("@data")) {
                    if (names.isEmpty()) throw bad(source, lineNo, "@data before any @attribute");
                    data = true;
                } else {
                    throw bad(source, lineNo, "expected @relation, @attribute or @data, found: " + abbreviate(t));
                }
                continue;
            }
            if (t.startsWith("{")) throw bad(source, lineNo, "sparse ARFF instances are not supported");
            List<String> values = split(t, ',', source, lineNo);
            if (values.size() != names.size()) {
                throw bad(source, lineNo, "instance has " + values.size() + " values, expected " + names.size());
            }
            rows.add(values);
        }
        if (!data) throw new DataException(source + ": no @data section (not an ARFF file?)");
        return new ArffData(relation, List.copyOf(names), List.copyOf(types), rows);
    }

    /** Splits at {@code sep} outside quotes, unquoting and unescaping quoted values; unquoted values are stripped. */
    static List<String> split(String line, char sep, String source, long lineNo) {
        List<String> out = new ArrayList<>();
        int i = 0, n = line.length();
        while (i <= n) {
            while (i < n && line.charAt(i) == ' ') i++;
            StringBuilder sb = new StringBuilder();
            if (i < n && (line.charAt(i) == '\'' || line.charAt(i) == '"')) {
                i = readQuoted(line, i, sb, source, lineNo);
                while (i < n && Character.isWhitespace(line.charAt(i))) i++;
                if (i < n && line.charAt(i) != sep) throw bad(source, lineNo, "text after a closing quote at column " + (i + 1));
                out.add(sb.toString());
            } else {
                int start = i;
                while (i < n && line.charAt(i) != sep) i++;
                out.add(line.substring(start, i).strip());
            }
            i++; // skip the separator (or step past the end)
        }
        return out;
    }

    /** Reads a quoted value starting at s[from] (the quote); returns the index after the closing quote. */
    private static int readQuoted(String s, int from, StringBuilder out, String source, long lineNo) {
        char quote = s.charAt(from);
        int i = from + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(i + 1);
                out.append(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        throw bad(source, lineNo, "unterminated quoted value starting at column " + (from + 1));
    }

    private static DataException bad(String source, long line, String problem) {
        return new DataException(source + ", line " + line + ": " + problem);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
