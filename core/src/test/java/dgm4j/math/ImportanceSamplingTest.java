package dgm4j.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dgm4j.Progress;

class ImportanceSamplingTest {
    /** A sampler handing out fixed log-weights per example, in passes of {@code kc} samples. */
    private static ImportanceSampling.SamplerFactory fixed(double[][] logWeights) {
        return (examples, samples) -> new ImportanceSampling.Sampler() {
            int start, count, drawn;

            @Override public void load(int s, int c) { start = s; count = c; drawn = 0; }

            @Override public void draw(double[] logW) {
                for (int i = 0; i < count; i++) {
                    for (int j = 0; j < samples; j++) {
                        double[] row = logWeights[start + i];
                        logW[i * samples + j] = drawn + j < row.length ? row[drawn + j] : Double.NEGATIVE_INFINITY;
                    }
                }
                drawn += samples;
            }
        };
    }

    @Test
    void zeroWeightsFirstOrLastGiveTheLogMeanNotNaN() {
        double ninf = Double.NEGATIVE_INFINITY;
        double[][] w = {
                {ninf, Math.log(2), Math.log(4)},      // a zero weight first: the case that gave NaN
                {Math.log(2), ninf, Math.log(4)},
                {ninf, ninf, ninf},                    // every weight zero: log 0
                {0, 0, 0}};
        for (int pass : new int[] {1, 2, 3, 12}) {   // rows per pass: samples streamed 1, 2 or 3 at a time
            double[] r = ImportanceSampling.logMeanWeights(4, 3, pass, fixed(w), Progress.NONE);
            assertEquals(Math.log(6.0 / 3), r[0], 1e-12, "pass " + pass);
            assertEquals(Math.log(6.0 / 3), r[1], 1e-12, "pass " + pass);
            assertEquals(ninf, r[2], "pass " + pass);
            assertEquals(0, r[3], 1e-12, "pass " + pass);
        }
        double[] nan = ImportanceSampling.logMeanWeights(1, 2, 2, fixed(new double[][] {{0, Double.NaN}}), Progress.NONE);
        assertTrue(Double.isNaN(nan[0]), "a NaN log-weight is not hidden");
    }
}
