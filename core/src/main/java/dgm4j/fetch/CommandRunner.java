package dgm4j.fetch;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external tools that fetch datasets (npm, apt-get, tar, dpkg-deb). An interface so that tests can simulate
 * a missing tool, a failing tool or a corrupt download without network; {@link #system()} runs real processes.
 */
public interface CommandRunner {
    /** Outcome of one command: exit code (-1 if killed), the tail of its standard error, and whether it timed out. */
    record Result(int exitCode, String stderrTail, boolean timedOut) {
        public boolean ok() { return exitCode == 0 && !timedOut; }
    }

    /** Whether {@code tool} can be run (for real processes: an executable of that name on PATH). */
    boolean isAvailable(String tool);

    /**
     * Runs {@code command} in {@code workDir}, waiting at most {@code timeout} (then killing it and its children).
     *
     * @throws IOException if the process cannot be started
     */
    Result run(List<String> command, Path workDir, Duration timeout) throws IOException;

    /** Real processes: stdout discarded, stderr kept (its last 4,000 characters). */
    static CommandRunner system() {
        return new SystemRunner();
    }

    /** The {@link ProcessBuilder} implementation. */
    final class SystemRunner implements CommandRunner {
        static final int TAIL = 4000;

        @Override
        public boolean isAvailable(String tool) {
            String path = System.getenv("PATH");
            if (path == null) return false;
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) continue;
                Path p = Path.of(dir, tool);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) return true;
            }
            return false;
        }

        @Override
        public Result run(List<String> command, Path workDir, Duration timeout) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("npm_config_update_notifier", "false");
            pb.environment().put("npm_config_fund", "false");
            Process p = pb.start();
            StringBuilder tail = new StringBuilder();
            // drain stderr on a thread so a chatty tool cannot block on a full pipe
            Thread drain = new Thread(() -> drainTail(p.getErrorStream(), tail), "fetch-stderr");
            drain.setDaemon(true);
            drain.start();
            boolean finished;
            try {
                finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
            }
            if (!finished) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            try {
                drain.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (tail) {
                return new Result(finished ? p.exitValue() : -1, tail.toString(), !finished);
            }
        }

        private static void drainTail(InputStream err, StringBuilder tail) {
            byte[] buf = new byte[8192];
            try (err) {
                int r;
                while ((r = err.read(buf)) > 0) {
                    synchronized (tail) {
                        tail.append(new String(buf, 0, r, StandardCharsets.UTF_8));
                        if (tail.length() > 2 * TAIL) tail.delete(0, tail.length() - TAIL);
                    }
                }
            } catch (IOException e) {
                // the process was killed: keep what we have
            }
            synchronized (tail) {
                if (tail.length() > TAIL) tail.delete(0, tail.length() - TAIL);
            }
        }
    }
}
