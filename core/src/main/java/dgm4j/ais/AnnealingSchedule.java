package dgm4j.ais;

import java.util.Arrays;

import dgm4j.InputException;

/** Inverse temperatures 0 = beta_0 &lt; beta_1 &lt; ... &lt; beta_K = 1 for annealed importance sampling. */
public final class AnnealingSchedule {
    private final double[] betas;

    private AnnealingSchedule(double[] betas) {
        this.betas = betas;
    }

    /**
     * Salakhutdinov and Murray (2008): steps of 1e-3 on [0, 0.5), 1e-4 on [0.5, 0.9), 1e-5 on [0.9, 1]: 14,501 values.
     */
    public static AnnealingSchedule standard() {
        return piecewise(new double[] {0, 0.5, 0.9, 1}, new int[] {500, 4000, 10000});
    }

    /** Evenly spaced: K + 1 values from 0 to 1. */
    public static AnnealingSchedule linear(int steps) {
        if (steps < 1) throw new InputException("an annealing schedule needs at least one step, got " + steps);
        return piecewise(new double[] {0, 1}, new int[] {steps});
    }

    /** Segments [knots[i], knots[i+1]) split into counts[i] equal steps, ending at knots[last] = 1. */
    public static AnnealingSchedule piecewise(double[] knots, int[] counts) {
        if (knots.length != counts.length + 1 || knots[0] != 0 || knots[knots.length - 1] != 1) {
            throw new InputException("annealing knots must run from 0 to 1 with one count per segment");
        }
        int total = 1;
        for (int c : counts) {
            if (c < 1) throw new InputException("each annealing segment needs at least one step");
            total += c;
        }
        double[] b = new double[total];
        int k = 0;
        for (int s = 0; s < counts.length; s++) {
            if (!(knots[s + 1] > knots[s])) throw new InputException("annealing knots must increase");
            for (int i = 0; i < counts[s]; i++) b[k++] = knots[s] + (knots[s + 1] - knots[s]) * i / counts[s];
        }
        b[k] = 1.0;
        return new AnnealingSchedule(b);
    }

    /** Scales the standard schedule's step counts by {@code factor} (for quick estimates and tests). */
    public static AnnealingSchedule standardScaled(double factor) {
        if (!(factor > 0)) throw new InputException("schedule scale must be positive, got " + factor);
        return piecewise(new double[] {0, 0.5, 0.9, 1},
                new int[] {(int) Math.max(1, Math.round(500 * factor)), (int) Math.max(1, Math.round(4000 * factor)),
                        (int) Math.max(1, Math.round(10000 * factor))});
    }

    /** The betas, increasing from 0 to 1 (a copy). */
    public double[] betas() { return betas.clone(); }

    /** Number of intermediate distributions (betas strictly between 0 and 1, plus the end points). */
    public int size() { return betas.length; }

    @Override
    public String toString() {
        return betas.length + " betas" + (betas.length <= 6 ? " " + Arrays.toString(betas) : "");
    }
}
