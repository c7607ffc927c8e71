package dgm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.io.Json;

/** `dgm eval ais`: forward and reverse by default, the verdict, --until-agree, --forward-only, --json, bad input. */
class AisVerdictCliTest {
    private static Path smallRbm(Path dir) {
        Path model = dir.resolve("rbm.safetensors");
        Cli t = Cli.run(Cli.concat(new String[] {"train", "rbm"}, Cli.fixtureData(), new String[] {"--hidden", "10", "--epochs", "3",
                "--batch", "20", "--threads", "1", "--seed", "2", "--out", model.toString()}));
        assertEquals(0, t.code, t.toString());
        return model;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }

    @Test
    void untilAgreeDoublesTheBetasAndWritesEveryRoundAsJson(@TempDir Path dir) throws Exception {
        Path model = smallRbm(dir), json = dir.resolve("ais.json");
        Cli a = Cli.run(Cli.concat(new String[] {"eval", "ais", model.toString()}, Cli.fixtureData(), new String[] {"--betas", "0.002",
                "--runs", "50", "--until-agree", "0.1", "--max-rounds", "6", "--exact", "--threads", "1", "--json", json.toString()}));
        assertEquals(0, a.code, a.toString());
        Map<String, Object> r = Json.parseObject(Files.readString(json));
        List<Object> rounds = (List<Object>) r.get("rounds");
        assertTrue(rounds.size() >= 1, r.toString());
        // each round doubles the schedule's steps (the standard schedule's 14,500 x 0.002 = 29 steps, then 58, ...)
        for (int i = 0; i < rounds.size(); i++) {
            Map<String, Object> f = map(map(rounds.get(i)).get("forward"));
            assertEquals(1 + 29 * (1 << i), ((Number) f.get("betas")).intValue(), "round " + i);
        }
        assertEquals(rounds.size(), a.err.lines().filter(l -> l.startsWith("round with ")).count(), a.err);
        double exact = ((Number) r.get("exact_log_z")).doubleValue();
        Map<String, Object> verdict = map(r.get("verdict"));
        if ((Boolean) r.get("determined")) {
            assertEquals("forward and reverse agree", r.get("stopped_because"));
            assertEquals(exact, ((Number) map(verdict.get("forward")).get("log_z")).doubleValue(), 0.1, a.out);
            assertEquals(exact, ((Number) map(verdict.get("reverse")).get("log_z")).doubleValue(), 0.1, a.out);
            assertTrue(a.out.contains("forward and reverse AIS agree within"), a.out);
        } else {
            assertTrue(a.out.contains("NOT DETERMINED"), a.out);
            assertFalse(((List<Object>) verdict.get("problems")).isEmpty(), r.toString());
        }
        double ll = ((Number) r.get("average_log_probability")).doubleValue();
        assertEquals(((Number) r.get("mean_log_unnormalized")).doubleValue() - ((Number) verdict.get("log_z")).doubleValue(), ll, 1e-9);
        assertTrue(((String) r.get("reverse_start")).contains("fair coins"), r.toString());
    }

    @Test
    void temperedReverseStartsAreDeterminedOnlyWhenRight(@TempDir Path dir) throws Exception {
        Path model = smallRbm(dir), json = dir.resolve("t.json");
        Cli a = Cli.run(Cli.concat(new String[] {"eval", "ais", model.toString()}, Cli.fixtureData(), new String[] {"--betas", "0.3",
                "--reverse-start", "tempered", "--burn-in", "200", "--exact", "--threads", "1", "--json", json.toString()}));
        assertEquals(0, a.code, a.toString());
        Map<String, Object> r = Json.parseObject(Files.readString(json));
        assertTrue(((String) r.get("reverse_start")).contains("parallel tempering"), r.toString());
        double exact = ((Number) r.get("exact_log_z")).doubleValue();
        Map<String, Object> verdict = map(r.get("verdict"));
        if ((Boolean) r.get("determined")) assertEquals(exact, ((Number) verdict.get("log_z")).doubleValue(), 0.1, a.out);
        else assertTrue(a.out.contains("NOT DETERMINED"), a.out);
    }

    @Test
    void forwardOnlyIsNeverCalledDetermined(@TempDir Path dir) throws Exception {
        Path model = smallRbm(dir), json = dir.resolve("f.json");
        Cli a = Cli.run(Cli.concat(new String[] {"eval", "ais", model.toString()}, Cli.fixtureData(), new String[] {"--betas", "0.05",
                "--forward-only", "--threads", "1", "--json", json.toString()}));
        assertEquals(0, a.code, a.toString());
        assertTrue(a.out.contains("NOT CHECKED"), a.out);
        Map<String, Object> r = Json.parseObject(Files.readString(json));
        assertEquals(false, r.get("determined"));
        assertNull(map(r.get("verdict")).get("reverse"));
        assertNull(r.get("average_log_probability_reverse"));
    }

    @Test
    void badFlagsAndMismatchedDataGetClearErrorsAndWriteNothing(@TempDir Path dir) throws Exception {
        Path model = smallRbm(dir), json = dir.resolve("never.json");
        String[][] bad = {
                {"--until-agree", "0"},
                {"--until-agree", "0.1", "--budget", "soon"},
                {"--until-agree", "0.1", "--max-rounds", "0"},
                {"--tolerance", "-1"},
                {"--runs", "1"},
                {"--burn-in", "1"},
                {"--betas", "0"},
                {"--base", "uniform"},
                {"--reverse-start", "data"},
        };
        for (String[] flags : bad) {
            Cli c = Cli.run(Cli.concat(new String[] {"eval", "ais", model.toString()}, Cli.fixtureData(), flags,
                    new String[] {"--json", json.toString()}));
            assertEquals(2, c.code, String.join(" ", flags) + "\n" + c);
            assertFalse(c.err.isBlank(), c.toString());
            assertFalse(Files.exists(json), "nothing written for " + String.join(" ", flags));
        }
        Cli noDir = Cli.run(Cli.concat(new String[] {"eval", "ais", model.toString()}, Cli.fixtureData(),
                new String[] {"--json", dir.resolve("no/such/dir/x.json").toString()}));
        assertEquals(2, noDir.code, noDir.toString());
        assertTrue(noDir.err.contains("--json: directory"), noDir.err);
        // a model of 784 pixels given 16-pixel data
        Path csv = dir.resolve("narrow.csv");
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < 20; n++) sb.append("0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,").append(n % 2).append('\n');
        Files.writeString(csv, sb.toString());
        Cli narrow = Cli.run("eval", "ais", model.toString(), "--csv", csv.toString(), "--threads", "1");
        assertEquals(2, narrow.code, narrow.toString());
        assertTrue(narrow.err.contains("784") && narrow.err.contains("16"), narrow.err);
    }
}
