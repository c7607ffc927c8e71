package dgm4j.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link CommandRunner} that imitates npm/apt-get and tar/dpkg-deb without network: "download" drops an empty
 * archive into the working directory (or fails as told), "extract" writes {@link #packageFiles} into the target.
 */
final class FakeRunner implements CommandRunner {
    final Set<String> available = new HashSet<>(Set.of("npm", "tar", "apt-get", "dpkg-deb"));
    final List<List<String>> calls = new ArrayList<>();
    /** Path inside the package -> content written on extraction. */
    final Map<String, byte[]> packageFiles = new LinkedHashMap<>();
    /** Content of the downloaded archive. */
    byte[] archive = new byte[0];
    int downloadExit = 0;
    String downloadStderr = "";
    boolean downloadTimesOut = false;

    @Override
    public boolean isAvailable(String tool) {
        return available.contains(tool);
    }

    @Override
    public Result run(List<String> command, Path workDir, Duration timeout) throws IOException {
        calls.add(command);
        String tool = command.get(0);
        if (tool.equals("npm") || tool.equals("apt-get")) {
            if (downloadTimesOut) return new Result(-1, "fetching...\n", true);
            if (downloadExit != 0) return new Result(downloadExit, downloadStderr, false);
            Files.write(workDir.resolve(tool.equals("npm") ? "pkg-1.0.tgz" : "pkg_1.0_all.deb"), archive);
            return new Result(0, "", false);
        }
        // tar -xzf ARCHIVE -C DIR | dpkg-deb -x ARCHIVE DIR
        Path dir = Path.of(command.get(command.size() - 1));
        if (!Files.exists(Path.of(command.get(2)))) return new Result(2, "no archive", false);
        for (Map.Entry<String, byte[]> f : packageFiles.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        return new Result(0, "", false);
    }
}
