package dgm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./dgm launcher's first build, with stand-ins for mvn and java: what it builds is shown, Maven's noise is not. */
class LauncherTest {
    /** Maven's output for a build of the three modules, with the colour codes a quiet Maven 3.8 leaves behind. */
    private static final String MAVEN = """
            echo "[INFO] Scanning for projects..."
            printf '\\033[0m\\033[0m'
            echo "[INFO] Building dgm4j 0.1.0-SNAPSHOT                                      [1/3]"
            echo "[INFO] Building dgm4j core library 0.1.0-SNAPSHOT                         [2/3]"
            echo "[INFO] Compiling 156 source files with javac [debug release 17] to target/classes"
            echo "[INFO] Building jar: $PWD/core/target/dgm4j-core-0.1.0-SNAPSHOT.jar"
            echo "[INFO] Building dgm4j command line 0.1.0-SNAPSHOT                         [3/3]"
            if [ -n "${FAKE_MVN_FAIL:-}" ]; then echo "[ERROR] /x/Main.java:[3,1] class, interface, enum, or record expected"; exit 1; fi
            echo "[INFO] Compiling 17 source files with javac [debug release 17] to target/classes"
            mkdir -p cli/target && touch cli/target/dgm4j-cli.jar
            echo "[INFO] BUILD SUCCESS"
            """;

    @Test
    void theFirstBuildSaysWhatItCompilesWithoutMavensNoise(@TempDir Path dir) throws Exception {
        Result r = launch(dir, false);
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.startsWith("dgm: building dgm4j with Maven"), r.err);
        assertTrue(r.err.contains("dgm:   [2/3] dgm4j core library 0.1.0-SNAPSHOT\ndgm:         compiling 156 source files\n"), r.err);
        assertTrue(r.err.contains("dgm:   [3/3] dgm4j command line") && r.err.contains("dgm: built in "), r.err);
        assertFalse(r.err.contains("\u001b") || r.err.contains("[INFO]") || r.err.contains("Building jar"), r.err);
        assertTrue(r.out.startsWith("java --add-modules jdk.incubator.vector") && r.out.contains("dgm4j.cli.Main --version"), r.out);
    }

    @Test
    void aFailedBuildShowsMavensErrorsAndKeepsItsLog(@TempDir Path dir) throws Exception {
        Result r = launch(dir, true);
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("[ERROR] /x/Main.java:[3,1]") && r.err.contains("the build failed; Maven's full output is in "), r.err);
        Path log = Path.of(r.err.substring(r.err.lastIndexOf(" in ") + 4).trim());
        assertTrue(Files.readString(log).contains("[INFO] Scanning for projects"), "the log keeps all of Maven's output");
        Files.delete(log);
        assertEquals("", r.out, "java does not run after a failed build");
    }

    private record Result(int code, String out, String err) {}

    /** Runs a copy of ./dgm in {@code dir} (no jar yet) with stand-in mvn and java first on the PATH. */
    private static Result launch(Path dir, boolean failBuild) throws IOException, InterruptedException {
        Path bash = Path.of("/bin/bash");
        Path script = Path.of("..", "dgm").toAbsolutePath().normalize();
        assumeTrue(Files.isExecutable(bash) && Files.isRegularFile(script), "needs bash and the dgm script");
        Path home = Files.createDirectories(dir.resolve("dgm4j"));
        Files.copy(script, home.resolve("dgm"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        executable(bin.resolve("mvn"), "#!/bin/bash\n" + MAVEN);
        executable(bin.resolve("java"), "#!/bin/bash\necho \"java $*\"\n");
        ProcessBuilder pb = new ProcessBuilder(bash.toString(), home.resolve("dgm").toString(), "--version");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("TMPDIR", dir.toString());
        if (failBuild) pb.environment().put("FAKE_MVN_FAIL", "1");
        pb.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher finished");
        return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
