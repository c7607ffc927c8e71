package dgm4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import dgm4j.autodiff.Parameter;
import dgm4j.math.Matrix;

/** Clipping by global norm: scaled to the bound when above it (direction kept), untouched below it or when not finite. */
class GradientClippingTest {
    private static Parameter withGradient(String name, float... g) {
        Parameter p = new Parameter(name, Matrix.zeros(1, g.length));
        p.gradient().copyFrom(Matrix.of(1, g.length, g));
        return p;
    }

    @Test
    void scalesAllGradientsTogetherToTheBound() {
        Parameter a = withGradient("a", 3f, 0f), b = withGradient("b", 0f, 4f);   // ||g|| = 5
        assertEquals(5.0, GradientClipping.clipGlobalNorm(List.of(a, b), 2.5), 1e-6);
        assertEquals(1.5f, a.gradient().get(0, 0), 1e-6f);
        assertEquals(2.0f, b.gradient().get(0, 1), 1e-6f);
        assertEquals(2.5, GradientClipping.globalNorm(List.of(a, b)), 1e-6);
        assertEquals(2.5, GradientClipping.clipGlobalNorm(List.of(a, b), 10), 1e-6);   // below the bound: unchanged
        assertEquals(1.5f, a.gradient().get(0, 0), 1e-6f);
        Parameter nan = withGradient("n", Float.NaN, 1f);
        assertEquals(Double.NaN, GradientClipping.clipGlobalNorm(List.of(nan), 1));       // left for the divergence guard
        assertEquals(1f, nan.gradient().get(0, 1));
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipGlobalNorm(List.of(a), 0));
    }
}
