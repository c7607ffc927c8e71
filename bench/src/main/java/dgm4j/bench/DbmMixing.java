package dgm4j.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.data.Datasets;
import dgm4j.dbm.Dbm;
import dgm4j.dbm.DbmChains;
import dgm4j.dbm.DbmFiles;
import dgm4j.io.ModelFiles;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.Numerics;
import dgm4j.math.RandomStream;

/**
 * How well the persistent chains of a trained DBM mix, Gibbs sampling against parallel tempering (the lecture's
 * "key insight"): M chains start at M test digits (hidden layers at a sample of their mean-field posterior) and run
 * {@code --steps} sweeps; every {@code --every} sweeps the cold chain's p(v | h1) is labelled by the nearest class mean
 * of the training images. Reported per chain and per 1,000 sweeps: the number of distinct digit classes visited and of
 * class changes, and for tempering the exchange rates and the cost. Usage:
 * {@code DbmMixing MODEL.safetensors [--chains 100] [--steps 1000] [--every 10] [--temperatures 1,10] [--min-beta 0.9]}.
 * Output: one JSON object per line on stdout.
 */
public final class DbmMixing {
    private DbmMixing() {}

    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        int chains = 100, steps = 1000, every = 10;
        String temperatures = "1,10";
        double minBeta = 0.9;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--chains": chains = Integer.parseInt(args[++i]); break;
                case "--steps": steps = Integer.parseInt(args[++i]); break;
                case "--every": every = Integer.parseInt(args[++i]); break;
                case "--temperatures": temperatures = args[++i]; break;
                case "--min-beta": minBeta = Double.parseDouble(args[++i]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Numerics.setThreads(1);
        Dbm dbm = DbmFiles.read(ModelFiles.read(model, Dbm.KIND));
        Dataset train = Datasets.load("mnist", "train", null), test = Datasets.load("mnist", "test", null);
        Matrix means = classMeans(train);
        Matrix start = Binarization.fixed(1).apply(test.subset(0, chains)).features();
        for (String k : temperatures.split(",")) {
            int temps = Integer.parseInt(k.trim());
            DbmChains c = new DbmChains(dbm, chains, DbmChains.ladder(temps, minBeta));
            RandomStream random = new RandomStream(5);
            Dbm.Posterior q = dbm.newPosterior(chains);
            dbm.meanField(start, q, 30, 1e-6);
            List<Matrix> s = dbm.newLayers(chains);
            s.get(0).copyFrom(start);
            for (int l = 1; l < s.size(); l++) random.bernoulli(q.mu.get(l), s.get(l));
            c.start(s);
            int[] last = label(dbm, c.cold(), means);
            boolean[][] seen = new boolean[chains][10];
            int changes = 0;
            for (int m = 0; m < chains; m++) seen[m][last[m]] = true;
            long t0 = System.nanoTime();
            for (int t = every; t <= steps; t += every) {
                c.advance(every, random);
                int[] now = label(dbm, c.cold(), means);
                for (int m = 0; m < chains; m++) {
                    if (now[m] != last[m]) changes++;
                    seen[m][now[m]] = true;
                }
                last = now;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            int distinct = 0;
            for (boolean[] row : seen) for (boolean b : row) if (b) distinct++;
            double per1000 = 1000.0 / steps;
            RbmBenchmark.emit(String.format(Locale.ROOT, "{\"kind\": \"mixing\", \"temperatures\": %d, \"min_beta\": %s, \"chains\": %d, "
                    + "\"steps\": %d, \"classes_visited_per_chain\": %.2f, \"class_changes_per_chain_per_1000\": %.2f, "
                    + "\"swap_rate\": %s, \"seconds\": %.1f}", temps, temps > 1 ? Double.toString(minBeta) : "null", chains, steps,
                    (double) distinct / chains, changes * per1000 / chains, temps > 1 ? String.format(Locale.ROOT, "%.3f", c.meanSwapRate()) : "null", secs));
            RbmBenchmark.log((temps > 1 ? "tempering K=" + temps + ": " + c.swapReport() : "Gibbs") + String.format(Locale.ROOT,
                    ": %.2f classes per chain in %d sweeps, %.1f s", (double) distinct / chains, steps, secs));
        }
    }

    /** The mean training image of each digit class (10 x D). */
    static Matrix classMeans(Dataset train) {
        Matrix means = Matrix.zeros(10, train.dim());
        int[] count = new int[10];
        float[] row = new float[train.dim()], acc = new float[train.dim()];
        for (int c = 0; c < 10; c++) {
            Arrays.fill(acc, 0f);
            for (int i = 0; i < train.size(); i++) {
                if (train.label(i) != c) continue;
                train.features().getRow(i, row);
                for (int j = 0; j < row.length; j++) acc[j] += row[j];
                count[c]++;
            }
            for (int j = 0; j < acc.length; j++) acc[j] /= Math.max(1, count[c]);
            means.setRow(c, acc);
        }
        return means;
    }

    /** The class whose mean image is nearest (Euclidean) to each chain's p(v | h1). */
    static int[] label(Dbm dbm, List<Matrix> cold, Matrix means) {
        int m = cold.get(0).rows(), d = dbm.visibleUnits();
        Matrix p = Elementwise.sigmoid(dbm.layerInput(cold, 0, Matrix.zeros(m, d)), Matrix.zeros(m, d));
        // |p - mu_c|^2 = |p|^2 - 2 p.mu_c + |mu_c|^2: argmin over c of |mu_c|^2 - 2 p.mu_c
        Matrix dot = Matrix.zeros(m, 10);
        Numerics.blas().gemm(false, true, 1f, p, means, 0f, dot);
        double[] norms = Elementwise.rowSums(Elementwise.square(means, means.copy()));
        int[] out = new int[m];
        for (int r = 0; r < m; r++) {
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < 10; c++) {
                double score = norms[c] - 2.0 * dot.get(r, c);
                if (score < best) {
                    best = score;
                    out[r] = c;
                }
            }
        }
        return out;
    }
}
