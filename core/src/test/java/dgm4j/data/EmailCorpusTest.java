package dgm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Email bodies (headers, MIME multipart, transfer encodings, HTML) and the tar.gz reader, on small inline examples. */
class EmailCorpusTest {
    @TempDir
    Path dir;

    private static List<String> tokens(String email) {
        return TextCorpus.tokenize(EmailCorpus.bodyText(email));
    }

    @Test
    void headersAreDroppedWithTheMboxLineAndFoldedFields() {
        String email = String.join("\n",
                "From exmh-workers-admin@redhat.com  Thu Aug 22 12:36:23 2002",
                "Return-Path: <exmh-workers-admin@spamassassin.taint.org>",
                "Received: from listman.spamassassin.taint.org",
                "    by dogma.slashnull.org with ESMTP",
                "Subject: mailing list digest",
                "",
                "Hello world, meeting tomorrow.",
                "Subject: this line is body text");
        assertEquals(List.of("hello", "world", "meeting", "tomorrow", "subject", "line", "body", "text"), tokens(email));
        assertEquals(List.of("crlf", "body"), tokens("Subject: x\r\nFrom: y\r\n\r\nCRLF body\r\n"));
        assertEquals(List.of(), tokens("Subject: headers only\nFrom: nobody\n"));
    }

    @Test
    void multipartKeepsTextPartsDecodedAndDropsAttachments() {
        String b64 = Base64.getMimeEncoder().encodeToString("encoded words inside".getBytes(StandardCharsets.US_ASCII));
        String email = String.join("\n",
                "Subject: parts",
                "MIME-Version: 1.0",
                "Content-Type: multipart/mixed;",
                "\tboundary=\"==outer==\"",
                "",
                "This is a multi-part message in MIME format (preamble).",
                "--==outer==",
                "Content-Type: text/plain; charset=us-ascii",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                "soft=",
                "break and caf=E9 =3D equals",
                "--==outer==",
                "Content-Type: multipart/alternative; boundary=inner",
                "",
                "--inner",
                "Content-Type: text/plain",
                "Content-Transfer-Encoding: base64",
                "",
                b64,
                "--inner--",
                "--==outer==",
                "Content-Type: image/gif; name=\"logo.gif\"",
                "Content-Transfer-Encoding: base64",
                "",
                "R0lGODlhAQABAIAAAAAAAP",
                "--==outer==--",
                "epilogue words");
        assertEquals(List.of("softbreak", "caf", "equals", "encoded", "words", "inside"), tokens(email));
    }

    @Test
    void htmlIsStrippedCrudely() {
        String email = String.join("\n",
                "Content-Type: text/html",
                "",
                "<html><head><style>p { color: red }</style><script>var hidden = 1;</script></head>",
                "<body bgcolor=\"white\"><!-- comment words --><p>Click&nbsp;<a href=\"http://x\">offer</a> now&#33;</p>",
                "</body></html>");
        assertEquals(List.of("click", "offer"), tokens(email));
        // HTML sent as plain text is stripped too; a plain "<" is left alone
        assertEquals(List.of("buy", "cheap"), tokens("Subject: x\n\n<BODY><FONT size=3>Buy</FONT> cheap</BODY>"));
        assertEquals(List.of("less", "greater"), tokens("\n\nif a < b is less and b > a greater"));
    }

    @Test
    void tarGzEntriesAreReadAndFiltered() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("package/README.md", "readme".getBytes(StandardCharsets.US_ASCII));
        files.put("package/data/spam-1/00001.abc.txt", "Subject: a\n\nbuy now".getBytes(StandardCharsets.US_ASCII));
        files.put("package/data/spam-1/00001.abc.json", "{}".getBytes(StandardCharsets.US_ASCII));
        byte[] big = new byte[1300];
        Arrays.fill(big, (byte) 'x');
        files.put("package/data/hard-ham-1/00002.def.txt", big);
        Path tgz = Files.write(dir.resolve("p.tgz"), tarGz(files));
        Map<String, byte[]> read = EmailCorpus.readTarGz(tgz, n -> n.endsWith(".txt"));
        assertEquals(List.of("package/data/hard-ham-1/00002.def.txt", "package/data/spam-1/00001.abc.txt"), List.copyOf(read.keySet()));
        assertArrayEquals(big, read.get("package/data/hard-ham-1/00002.def.txt"));

        // a tarball that is not the corpus: a clear message, not a silently smaller dataset
        Files.createDirectories(dir.resolve("spam-assassin"));
        Files.copy(tgz, dir.resolve("spam-assassin").resolve(EmailCorpus.SPAM_ASSASSIN_ARCHIVE));
        DataException e = assertThrows(DataException.class, () -> EmailCorpus.spamAssassin(dir, 100));
        assertTrue(e.getMessage().contains("holds 2 emails") && e.getMessage().contains("dgm data fetch spam-assassin"), e.getMessage());
    }

    @Test
    void theCorpusIsSplitEightyTwentyWithinEachGroupDeterministically() throws IOException {
        int[] sizes = {2500, 1400, 250, 500, 1396};   // the package's groups
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int g = 0; g < sizes.length; g++) {
            String group = EmailCorpus.SPAM_ASSASSIN_GROUPS.get(g);
            for (int i = 0; i < sizes[g]; i++) {
                String body = i == 7 ? "12345 ..." : "group" + (char) ('a' + g) + " word" + (char) ('a' + i % 7);   // one empty email per group
                files.put(String.format("package/data/%s/%05d.%032x.txt", group, i + 1, i),
                        ("Subject: s\n\n" + body).getBytes(StandardCharsets.US_ASCII));
            }
        }
        Path d = Files.createDirectories(dir.resolve("spam-assassin"));
        Files.write(d.resolve(EmailCorpus.SPAM_ASSASSIN_ARCHIVE), tarGz(files));
        TextCorpus.Split s = EmailCorpus.spamAssassin(dir, 20);
        assertEquals(12, s.vocabulary().size());
        // 20% of each group, rounded down, is test: 500 + 280 + 50 + 100 + 279 = 1,209 emails, 4,837 train
        assertEquals(4837, s.train().dataset().size() + s.train().droppedEmpty());
        assertEquals(1209, s.test().dataset().size() + s.test().droppedEmpty());
        assertEquals(5, s.train().droppedEmpty() + s.test().droppedEmpty(), "the 5 emails without a word");
        int[] perGroup = new int[5];
        for (int label : s.test().dataset().labels()) perGroup[label]++;
        for (int g = 0; g < 5; g++) {
            assertTrue(perGroup[g] == sizes[g] / 5 || perGroup[g] == sizes[g] / 5 - 1, "group " + g + ": " + perGroup[g]);
        }
        // deterministic: the same documents again
        TextCorpus.Split again = EmailCorpus.spamAssassin(dir, 20);
        assertArrayEquals(s.test().documentIndices(), again.test().documentIndices());
        assertEquals(s.testTokens(), again.testTokens());
    }

    @Test
    void corruptArchivesAreRefusedClearly() throws IOException {
        byte[] good = tarGz(Map.of("package/data/spam-1/1.txt", new byte[2000]));
        Path truncated = Files.write(dir.resolve("truncated.tgz"), Arrays.copyOf(good, good.length / 2));
        DataException e = assertThrows(DataException.class, () -> EmailCorpus.readTarGz(truncated, n -> true));
        assertTrue(e.getMessage().contains("truncated.tgz") && e.getMessage().contains("dgm data fetch"), e.getMessage());

        Path notGzip = Files.write(dir.resolve("plain.tgz"), "not gzip at all".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(DataException.class, () -> EmailCorpus.readTarGz(notGzip, n -> true));
        assertTrue(e.getMessage().contains("not a complete gzipped tar archive"), e.getMessage());

        byte[] tar = tar(Map.of("package/data/spam-1/1.txt", new byte[10]));
        tar[5] ^= 1;   // a damaged name: the header checksum no longer matches
        Path damaged = Files.write(dir.resolve("damaged.tgz"), gzip(tar));
        e = assertThrows(DataException.class, () -> EmailCorpus.readTarGz(damaged, n -> true));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());

        e = assertThrows(DataException.class, () -> EmailCorpus.spamAssassin(dir.resolve("nowhere"), 100));
        assertTrue(e.getMessage().contains("run `dgm data fetch spam-assassin` first"), e.getMessage());
    }

    /** A ustar archive of the files (name field only, mode 644), ended by two zero blocks. */
    static byte[] tar(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] h = new byte[512];
            put(h, 0, f.getKey());
            put(h, 100, "000644 ");
            put(h, 124, String.format("%011o ", f.getValue().length));
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            Arrays.fill(h, 148, 156, (byte) ' ');
            long sum = 0;
            for (byte b : h) sum += b & 0xff;
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            out.writeBytes(h);
            out.writeBytes(f.getValue());
            out.writeBytes(new byte[(512 - f.getValue().length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    static byte[] tarGz(Map<String, byte[]> files) throws IOException {
        return gzip(tar(files));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
