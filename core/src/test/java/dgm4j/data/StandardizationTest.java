package dgm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

class StandardizationTest {

    @Test
    void columnsGetMeanZeroAndUnitStdAndConstantColumnsStayFinite() {
        int n = 1000;
        Matrix x = Matrix.zeros(n, 3);
        RandomStream r = new RandomStream(1);
        for (int i = 0; i < n; i++) x.setRow(i, new float[] {(float) (5 + 2 * r.nextGaussian()), (float) (-1 + 0.1 * r.nextGaussian()), 7f});
        Standardization s = Standardization.fit(x, 1e-3f);
        assertEquals(7f, s.mean().get(0, 2), 1e-5);
        assertEquals(1e-3f, s.std().get(0, 2), 0f);               // the floor, not zero
        Matrix y = s.apply(x);
        for (int j = 0; j < 3; j++) {
            double m = 0, v = 0;
            for (int i = 0; i < n; i++) m += y.get(i, j);
            m /= n;
            for (int i = 0; i < n; i++) v += (y.get(i, j) - m) * (y.get(i, j) - m);
            v /= n;
            assertEquals(0, m, 1e-4, "mean of column " + j);
            assertEquals(j < 2 ? 1 : 0, v, 1e-3, "variance of column " + j);
        }
        Matrix back = s.invert(y);
        for (int k = 0; k < x.size(); k++) assertEquals(x.getFlat(k), back.getFlat(k), 1e-4 * Math.max(1, Math.abs(x.getFlat(k))));
        Dataset d = s.apply(new Dataset("t", x, null, 0, 0, 0));
        assertEquals(y.get(3, 1), d.features().get(3, 1), 0f);
        assertThrows(InputException.class, () -> s.apply(Matrix.zeros(2, 4)));
        assertThrows(InputException.class, () -> Standardization.fit(Matrix.of(1, 2, 1f, Float.NaN), 1e-3f));
        assertThrows(InputException.class, () -> Standardization.fit(x, 0f));
    }
}
