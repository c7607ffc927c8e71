package dgm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesAllValueTypes() {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, -0.25e2, 1E+3, true, false, null], \"b\": {\"c\": \"x\"}, \"d\": {}, \"e\": []} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("a", "b", "d", "e"), List.copyOf(m.keySet()));
        assertEquals(Arrays.asList(1L, -2L, 3.5, -25.0, 1000.0, true, false, null), m.get("a"));
        assertEquals(Map.of("c", "x"), m.get("b"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(9.223372036854775808E18, Json.parse("9223372036854775808")); // overflow -> double
        assertEquals(Double.POSITIVE_INFINITY, Json.parse("1e999999999999"));
        assertEquals(0L, Json.parse("-0"));
    }

    @Test
    void parsesEscapes() {
        assertEquals("a\"b\\c/d\b\f\n\r\t\u00e9\u20ac\uD83D\uDE00",
                Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00\""));
        assertEquals("\u00e9\uD83D\uDE00", Json.parse("\"\u00e9\uD83D\uDE00\"")); // raw non-ASCII
    }

    @Test
    void writesAndReadsBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "quote\" backslash\\ newline\n ctrl\u0001 unicode\u00e9\uD83D\uDE00");
        m.put("l", 42L);
        m.put("neg", -7L);
        m.put("d", 0.1);
        m.put("big", 1e300);
        m.put("tiny", -4.9e-324);
        m.put("list", Arrays.asList(1L, "x", null, true, List.of()));
        m.put("nested", Map.of("k", Map.of()));
        String text = Json.write(m);
        assertEquals(m, Json.parse(text));
        assertEquals("[1,2,3]", Json.write(new long[] {1, 2, 3}));
        assertEquals("{\"a\":1.5}", Json.write(Map.of("a", 1.5f)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write("\uD800x"));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    @Test
    void rejectsMalformedInput() {
        String[] bad = {
            "", " ", "{", "}", "[", "]", "[1,]", "[,1]", "{\"a\":1,}", "{,}", "{\"a\"}", "{\"a\" 1}", "{a:1}", "{'a':1}",
            "{\"a\":1 \"b\":2}", "[1 2]", "01", "-", "+1", "1.", ".5", "1e", "1e+", "-a", "0x10", "NaN", "Infinity",
            "tru", "nul", "True", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\uD800\"", "\"\\uDC00\"",
            "\"\\uD800\\u0041\"", "\"a\nb\"", "\"tab\there\"", "\"\u0000\"", "{\"a\":1}x", "1 2", "[1]]", "//c\n1",
            "/*c*/1", "{\"a\":1,\"a\":2}", "\uFEFF{}", "\"\\u0٣00\"", "\"\uD800\"", "[\"a\"\u00A0]",
        };
        for (String s : bad) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(s), () -> "accepted " + s);
            assertTrue(e.getMessage().startsWith("invalid JSON") || e.getMessage().contains("limit"), e.getMessage());
        }
        assertThrows(JsonException.class, () -> Json.parse(null));
        assertThrows(JsonException.class, () -> Json.parseObject("[1]"));
    }

    @Test
    void enforcesLimitsWithoutBlowingUp() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            // deep nesting: a clear error, not a StackOverflowError
            String deep = "[".repeat(1_000_000);
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
            assertTrue(e.getMessage().contains("deeper than 64"), e.getMessage());
            Json.parse("[".repeat(64) + "]".repeat(64));
            assertThrows(JsonException.class, () -> Json.parse("{\"a\":".repeat(65) + "1" + "}".repeat(65)));
            // too many values
            String many = "[" + "0,".repeat(999) + "0]";
            assertThrows(JsonException.class, () -> Json.parse(many, 1 << 20, 8, 1000));
            assertEquals(1000, ((List<?>) Json.parse(many, 1 << 20, 8, 1001)).size());
            // too long
            assertThrows(JsonException.class, () -> Json.parse("\"" + "x".repeat(100) + "\"", 50, 8, 10));
            // long numbers and strings stay linear
            Json.parse("1" + "0".repeat(2_000_000) + ".5e-999999999");
            Json.parse("\"" + "\\u00e9".repeat(500_000) + "\"");
            assertThrows(JsonException.class, () -> Json.parse("\"" + "\\\"".repeat(500_000)));
        });
    }

    @Test
    void errorsGiveTheOffset() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\"a\": [1, 2,, 3]}"));
        assertEquals(12, e.offset());
        assertTrue(e.getMessage().contains("offset 12"), e.getMessage());
    }
}
