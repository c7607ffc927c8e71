package dgm4j.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Row-wise softmax, per-row scaling and multinomial sampling (the replicated softmax model's visible layer). */
class SoftmaxMultinomialTest {

    @Test
    void softmaxRowsMatchesDoubleReferenceAndIsStable() {
        Matrix x = Matrix.of(3, 4, 1f, 2f, 3f, 4f, -1000f, 0f, 1000f, 999f, 0f, 0f, 0f, 0f);
        Matrix out = Elementwise.softmaxRows(x, Matrix.zeros(3, 4));
        for (int i = 0; i < 3; i++) {
            double max = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < 4; j++) max = Math.max(max, x.get(i, j));
            for (int j = 0; j < 4; j++) s += Math.exp(x.get(i, j) - max);
            double rowSum = 0;
            for (int j = 0; j < 4; j++) {
                assertEquals(Math.exp(x.get(i, j) - max) / s, out.get(i, j), 1e-6, "row " + i + " col " + j);
                rowSum += out.get(i, j);
            }
            assertEquals(1.0, rowSum, 1e-6);
        }
        Elementwise.softmaxRows(x, x); // in place
        assertEquals(out.get(1, 2), x.get(1, 2));
    }

    @Test
    void scaleRowsMultipliesEachRow() {
        Matrix x = Matrix.of(2, 2, 1f, 2f, 3f, 4f);
        Elementwise.scaleRows(x, new double[] {2, -1}, x);
        assertEquals(4f, x.get(0, 1));
        assertEquals(-3f, x.get(1, 0));
    }

    @Test
    void multinomialFrequenciesPassChiSquare() {
        float[] p = {0.5f, 0.25f, 0.125f, 0f, 0.1f, 0.025f};
        int rows = 200, draws = 500;
        Matrix prob = Matrix.zeros(rows, p.length);
        for (int i = 0; i < rows; i++) prob.setRow(i, p);
        double[] n = new double[rows];
        Arrays.fill(n, draws);
        Matrix counts = Matrix.zeros(rows, p.length);
        new RandomStream(7).multinomialRows(prob, n, counts);
        double[] totals = new double[p.length];
        for (int i = 0; i < rows; i++) {
            double rowSum = 0;
            for (int j = 0; j < p.length; j++) {
                float c = counts.get(i, j);
                assertEquals(Math.rint(c), c, 0.0, "integer counts");
                rowSum += c;
                totals[j] += c;
            }
            assertEquals(draws, rowSum, 0.0, "each row has exactly its number of draws");
        }
        assertEquals(0.0, totals[3], "a zero-probability word is never drawn");
        double chi2 = 0, all = (double) rows * draws;
        for (int j = 0; j < p.length; j++) {
            if (p[j] == 0) continue;
            double e = all * p[j];
            chi2 += (totals[j] - e) * (totals[j] - e) / e;
        }
        assertTrue(chi2 < 20.5, "chi-square with 4 degrees of freedom below its 0.9996 quantile: " + chi2);

        // per-row counts of one word are Binomial(500, 0.25): check their variance too
        double mean = 0, var = 0;
        for (int i = 0; i < rows; i++) mean += counts.get(i, 1) / rows;
        for (int i = 0; i < rows; i++) var += (counts.get(i, 1) - mean) * (counts.get(i, 1) - mean) / (rows - 1);
        assertEquals(draws * 0.25 * 0.75, var, 0.3 * draws * 0.25 * 0.75);
    }

    @Test
    void multinomialHandlesUnnormalisedRowsZeroDrawsAndBadInput() {
        Matrix prob = Matrix.of(2, 3, 2f, 0f, 2f, 1f, 1f, 1f);
        Matrix counts = Matrix.zeros(2, 3).fill(9f);
        RandomStream r = new RandomStream(1);
        r.multinomialRows(prob, new double[] {1000, 0}, counts);
        assertEquals(0f, counts.get(0, 1));
        assertEquals(1000f, counts.get(0, 0) + counts.get(0, 2));
        assertEquals(500f, counts.get(0, 0), 100f);
        for (int j = 0; j < 3; j++) assertEquals(0f, counts.get(1, j), "no draws, no counts");
        assertThrows(IllegalArgumentException.class, () -> r.multinomialRows(prob, new double[] {1.5, 1}, counts));
        assertThrows(IllegalArgumentException.class, () -> r.multinomialRows(Matrix.of(1, 2, -1f, 2f), new double[] {1}, Matrix.zeros(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> r.multinomialRows(Matrix.of(1, 2, 0f, 0f), new double[] {1}, Matrix.zeros(1, 2)));
    }

    @Test
    void multinomialIsReproducibleFromTheSeed() {
        Matrix prob = Matrix.zeros(4, 50).fill(1f);
        double[] n = {10, 200, 3000, 1};
        Matrix a = Matrix.zeros(4, 50), b = Matrix.zeros(4, 50);
        new RandomStream(3).multinomialRows(prob, n, a);
        new RandomStream(3).multinomialRows(prob, n, b);
        for (int k = 0; k < a.size(); k++) assertEquals(a.getFlat(k), b.getFlat(k));
    }
}
