package dgm4j.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The numeric core stays offline: only {@code dgm4j.fetch} spawns processes or names network classes, and no other
 * core package uses {@code dgm4j.fetch}. Scans the main sources as text, comments and string literals left out.
 */
class FetchIsolationTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path FETCH = SOURCES.resolve("dgm4j/fetch");
    private static final Pattern USES_FETCH = Pattern.compile("\\bdgm4j\\.fetch\\b");
    private static final Pattern SPAWNS_OR_CONNECTS = Pattern.compile(
            "\\b(ProcessBuilder|ProcessHandle|Runtime\\s*\\.\\s*getRuntime\\s*\\(\\s*\\)\\s*\\.\\s*exec|HttpClient|URLConnection|URL|Socket)\\b|\\bjava\\.net\\b");

    @Test
    void onlyTheFetchPackageSpawnsProcessesAndNoCorePackageImportsIt() throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(SOURCES)) {
            files = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(files.size() > 100, "scanned " + files.size() + " files under " + SOURCES.toAbsolutePath());
        int fetchHits = 0;
        for (Path f : files) {
            String code = codeOnly(Files.readString(f));
            if (f.startsWith(FETCH)) {
                if (SPAWNS_OR_CONNECTS.matcher(code).find()) fetchHits++;
                continue;
            }
            Matcher m = USES_FETCH.matcher(code);
            if (m.find()) problems.add(f + " uses dgm4j.fetch (line " + line(code, m.start()) + ")");
            m = SPAWNS_OR_CONNECTS.matcher(code);
            if (m.find()) problems.add(f + " uses " + m.group() + " (line " + line(code, m.start()) + "): only dgm4j.fetch may");
        }
        assertEquals(List.of(), problems);
        assertTrue(fetchHits > 0, "the scan should see CommandRunner's ProcessBuilder");
    }

    @Test
    void codeOnlyDropsCommentsAndStrings() {
        String code = codeOnly("a /* ProcessBuilder */ b // URL\nc \"java.net\" '\"' d");
        assertTrue(SPAWNS_OR_CONNECTS.matcher("Runtime.getRuntime().exec(cmd)").find());
        assertFalse(SPAWNS_OR_CONNECTS.matcher("Runtime.getRuntime().availableProcessors()").find());
        assertEquals("a   b \nc     d", code);
        assertEquals(2, line(code, code.indexOf('c')));
    }

    /** The source with comments, string and char literals blanked (newlines kept, so line numbers hold). */
    static String codeOnly(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int n = src.length();
        for (int i = 0; i < n; i++) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') i++;
                if (i < n) out.append('\n');
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                src.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                out.append(' ');
                i = end - 1;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && src.charAt(j) != c) j += src.charAt(j) == '\\' ? 2 : 1;
                out.append(' ');
                i = j;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int line(String code, int index) {
        return (int) code.substring(0, index).chars().filter(ch -> ch == '\n').count() + 1;
    }
}
