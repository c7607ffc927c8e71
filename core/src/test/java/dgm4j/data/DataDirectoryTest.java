package dgm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.InputException;

/** The data directory's location and the files each dataset is expected to have there. */
class DataDirectoryTest {
    @Test
    void dataDirectoryPrecedence() {
        String home = "/home/u";
        assertEquals(Path.of("/d"), DataDirectory.defaultDir(Map.of("DGM4J_DATA", "/d", "XDG_CACHE_HOME", "/x"), home));
        assertEquals(Path.of("/x/dgm4j"), DataDirectory.defaultDir(Map.of("XDG_CACHE_HOME", "/x"), home));
        assertEquals(Path.of("/x/dgm4j"), DataDirectory.defaultDir(Map.of("DGM4J_DATA", "", "XDG_CACHE_HOME", "/x"), home));
        assertEquals(Path.of("/home/u/.cache/dgm4j"), DataDirectory.defaultDir(Map.of("XDG_CACHE_HOME", "rel"), home));
        assertEquals(Path.of("/home/u/.cache/dgm4j"), DataDirectory.defaultDir(Map.of(), home));
        assertEquals(Path.of("/tmp/h/.cache/dgm4j"), DataDirectory.defaultDir(Map.of("HOME", "/tmp/h"), home), "$HOME, not the passwd entry");
        assertEquals(Path.of("/x/dgm4j"), DataDirectory.defaultDir(Map.of("HOME", "/tmp/h", "XDG_CACHE_HOME", "/x"), home));
        assertEquals(Path.of("/home/u/.cache/dgm4j"), DataDirectory.defaultDir(Map.of("HOME", ""), home));
        assertEquals(Path.of("/explicit"), DataDirectory.resolve(Path.of("/explicit")));
        assertEquals(DataDirectory.defaultDir(), DataDirectory.resolve(null));
    }

    @Test
    void requireFetchedNamesTheMissingFileAndTheCommand(@TempDir Path dataDir) throws Exception {
        assertEquals(List.of("mnist", "fashion-mnist", "digits", "reuters-grain", "spam-assassin"), DataDirectory.NAMES);
        InputException unknown = assertThrows(InputException.class, () -> DataDirectory.files("cifar"));
        assertTrue(unknown.getMessage().contains("expected one of mnist, fashion-mnist, digits"), unknown.getMessage());
        Path dir = Files.createDirectories(dataDir.resolve("reuters-grain"));
        Files.writeString(dir.resolve("ReutersGrain-train.arff"), "");
        DataException e = assertThrows(DataException.class, () -> DataDirectory.requireFetched("reuters-grain", dataDir));
        assertTrue(e.getMessage().contains("(no ReutersGrain-test.arff): run `dgm data fetch reuters-grain` first"), e.getMessage());
        Files.writeString(dir.resolve("ReutersGrain-test.arff"), "");
        assertEquals(dir, DataDirectory.requireFetched("reuters-grain", dataDir));
    }
}
