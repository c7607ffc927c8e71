package dgm4j.dbm;

import java.util.List;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.RbmSampler;

/**
 * What a DBM has learned, made visible: fantasy samples from long Gibbs chains, pattern completion (observed pixels
 * clamped, the rest and every hidden layer resampled), and mean-field features q(h_l = 1 | v) for other models.
 */
public final class DbmSampler {
    private DbmSampler() {}

    /**
     * {@code chains} Gibbs chains started from v ~ sigmoid(b_0) and empty hidden layers, run {@code steps} sweeps;
     * returns p(v | h1) of the last state (smoother to look at than samples).
     */
    public static Matrix fantasies(Dbm dbm, int chains, int steps, RandomStream random) {
        return fantasies(dbm, chains, steps, random, Progress.NONE);
    }

    /** {@link #fantasies(Dbm, int, int, RandomStream)}, reporting the Gibbs sweeps done to {@code progress}. */
    public static Matrix fantasies(Dbm dbm, int chains, int steps, RandomStream random, Progress progress) {
        List<Matrix> x = gibbsChains(dbm, null, chains, steps, random, progress);
        Matrix p = Matrix.zeros(chains, dbm.visibleUnits());
        return Elementwise.sigmoid(dbm.layerInput(x, 0, p), p);
    }

    /**
     * {@code chains} Gibbs chains run {@code steps} sweeps; returns their states (one matrix per layer). They start
     * from the rows of {@code start} (states of every layer, e.g. a training run's persistent chains; cycled if fewer
     * than {@code chains}), or, if null, from v ~ sigmoid(b_0) with empty hidden layers.
     */
    public static List<Matrix> gibbsChains(Dbm dbm, List<Matrix> start, int chains, int steps, RandomStream random) {
        return gibbsChains(dbm, start, chains, steps, random, Progress.NONE);
    }

    private static List<Matrix> gibbsChains(Dbm dbm, List<Matrix> start, int chains, int steps, RandomStream random, Progress progress) {
        if (chains < 1 || steps < 1) throw new InputException("need at least one chain and one Gibbs step");
        List<Matrix> x = dbm.newLayers(chains);
        if (start == null) {
            random.sigmoidBernoulli(Elementwise.broadcastRow(dbm.bias(0), Matrix.zeros(chains, dbm.visibleUnits())), null, x.get(0));
        } else {
            int n = start.get(0).rows();
            if (start.size() != x.size() || n < 1) throw new InputException("start states need " + x.size() + " non-empty layers");
            for (int l = 0; l < x.size(); l++) {
                if (start.get(l).cols() != dbm.units(l) || start.get(l).rows() != n) {
                    throw new InputException("start states of layer " + l + " are " + start.get(l).shape() + ", expected " + n + "x" + dbm.units(l));
                }
                for (int m = 0; m < chains; m++) x.get(l).rows(m, m + 1).copyFrom(start.get(l).rows(m % n, m % n + 1));
            }
        }
        for (int t = 0; t < steps; t++) {
            dbm.gibbsSweep(x, null, null, random);
            progress.update("Gibbs sweeps", t + 1, steps);
        }
        progress.finish("Gibbs sweeps");
        return x;
    }

    /**
     * Pattern completion: where {@code observed} is 1 the rows of {@code data} are clamped; the other pixels start at
     * random, the hidden layers at the mean-field posterior's sample, and {@code steps} Gibbs sweeps resample them.
     * Returns p(v | h1) with the observed pixels put back.
     */
    public static Matrix complete(Dbm dbm, Matrix data, Matrix observed, int steps, RandomStream random) {
        dbm.requireVisible(data);
        Matrix.requireSameShape(data, observed, "complete");
        int n = data.rows();
        Dbm.Posterior q = dbm.newPosterior(n);
        List<Matrix> x = q.mu;
        Matrix v = Matrix.zeros(n, dbm.visibleUnits());
        random.uniforms(v);
        random.bernoulli(v, v);
        RbmSampler.clamp(v, data, observed);
        dbm.meanField(v, q, 10, 1e-5);
        for (int l = 1; l <= dbm.hiddenLayers(); l++) random.bernoulli(x.get(l), x.get(l));
        for (int t = 0; t < steps; t++) {
            dbm.gibbsSweep(x, null, null, random);
            RbmSampler.clamp(x.get(0), data, observed);
        }
        Matrix p = Elementwise.sigmoid(dbm.layerInput(x, 0, v), v);
        RbmSampler.clamp(p, data, observed);
        return p;
    }

    /**
     * Mean-field features of each row of v: q(h_l = 1 | v) of hidden layer {@code layer}, or of all hidden layers side
     * by side (h1 first) when {@code layer} is 0.
     */
    public static Matrix meanFieldFeatures(Dbm dbm, Matrix v, int layer, int iterations, double tolerance) {
        if (layer < 0 || layer > dbm.hiddenLayers()) {
            throw new InputException("the DBM has hidden layers 1.." + dbm.hiddenLayers() + ", not " + layer);
        }
        int n = v.rows();
        Dbm.Posterior q = dbm.newPosterior(n);
        dbm.meanField(v, q, iterations, tolerance);
        List<Matrix> mu = q.mu;
        return layer > 0 ? mu.get(layer) : sideBySide(mu.subList(1, mu.size()));
    }

    /** The matrices' columns side by side (all with the same rows), in order. */
    static Matrix sideBySide(List<Matrix> parts) {
        int rows = parts.get(0).rows(), width = 0;
        for (Matrix m : parts) width += m.cols();
        Matrix out = Matrix.zeros(rows, width);
        float[] row = new float[width], part = new float[width];
        for (int r = 0; r < rows; r++) {
            int at = 0;
            for (Matrix m : parts) {
                m.getRow(r, part);
                System.arraycopy(part, 0, row, at, m.cols());
                at += m.cols();
            }
            out.setRow(r, row);
        }
        return out;
    }
}
