package dgm4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dgm4j.InputException;

/**
 * Where the catalog datasets live once fetched: the data directory, and each dataset's files in DATA_DIR/NAME.
 * Reading only; {@code dgm4j.fetch} downloads and verifies them ({@code dgm data fetch NAME}).
 *
 * <p>Data directory: an explicit path wins, else the environment variable {@code DGM4J_DATA}, else
 * {@code $XDG_CACHE_HOME/dgm4j}, else {@code $HOME/.cache/dgm4j} (the account's home directory when {@code HOME} is unset).
 */
public final class DataDirectory {
    private static final Map<String, List<String>> FILES = new LinkedHashMap<>();

    static {
        FILES.put("mnist", idxFiles(""));
        FILES.put("fashion-mnist", idxFiles(".gz"));
        FILES.put("digits", List.of("digits.csv.gz"));
        FILES.put("reuters-grain", List.of(TextCorpus.REUTERS_TRAIN, TextCorpus.REUTERS_TEST));
        FILES.put("spam-assassin", List.of(EmailCorpus.SPAM_ASSASSIN_ARCHIVE));
    }

    /** The catalog datasets, in catalog order: mnist, fashion-mnist, digits, reuters-grain, spam-assassin. */
    public static final List<String> NAMES = List.copyOf(FILES.keySet());

    private DataDirectory() { }

    private static List<String> idxFiles(String suffix) {
        return List.of("train-images-idx3-ubyte" + suffix, "train-labels-idx1-ubyte" + suffix,
                "t10k-images-idx3-ubyte" + suffix, "t10k-labels-idx1-ubyte" + suffix);
    }

    /** The files of dataset {@code name} in its directory; an {@link InputException} listing the names otherwise. */
    public static List<String> files(String name) {
        List<String> f = FILES.get(name);
        if (f == null) {
            throw new InputException("unknown dataset \"" + name + "\": expected one of " + String.join(", ", NAMES));
        }
        return f;
    }

    /** The data directory from the environment: DGM4J_DATA, else $XDG_CACHE_HOME/dgm4j, else $HOME/.cache/dgm4j. */
    public static Path defaultDir() {
        return defaultDir(System.getenv(), System.getProperty("user.home"));
    }

    /**
     * {@link #defaultDir()} with the environment and the account's home directory given (for tests). Empty values are
     * unset; $HOME, like the shell's ~, wins over the account's home (Java's user.home, read from the password database).
     */
    public static Path defaultDir(Map<String, String> env, String userHome) {
        String explicit = env.get("DGM4J_DATA");
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        String xdg = env.get("XDG_CACHE_HOME");
        // the XDG base directory spec says relative paths are invalid and must be ignored
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "dgm4j");
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() && Path.of(home).isAbsolute() ? home : userHome, ".cache", "dgm4j");
    }

    /** {@code explicit} if not null, else {@link #defaultDir()}. */
    public static Path resolve(Path explicit) {
        return explicit != null ? explicit : defaultDir();
    }

    /**
     * The directory of dataset {@code name} in the data directory (null: {@link #defaultDir()}), checked to hold all
     * its files.
     *
     * @throws DataException if a file is missing (the message says to run {@code dgm data fetch NAME})
     */
    public static Path requireFetched(String name, Path dataDir) {
        Path dir = resolve(dataDir).resolve(name);
        for (String f : files(name)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new DataException("dataset " + name + " is not in " + dir.getParent() + " (no " + f
                        + "): run `dgm data fetch " + name + "` first");
            }
        }
        return dir;
    }
}
