package dgm4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import dgm4j.autodiff.Parameter;
import dgm4j.math.Matrix;

class OptimizerTest {
    /** Adam against the update rule written out in double (PyTorch's form), several steps on a fixed gradient sequence. */
    @Test
    void adamFollowsTheBiasCorrectedUpdate() {
        Parameter p = new Parameter("p", Matrix.of(1, 3, 0.5f, -1f, 2f));
        Adam adam = new Adam(List.of(p), 0.9, 0.999, 1e-4);
        double[] theta = {0.5, -1, 2}, m = new double[3], v = new double[3];
        for (int t = 1; t <= 5; t++) {
            for (int j = 0; j < 3; j++) p.gradient().set(0, j, (float) (theta[j] * theta[j] - 0.3 * t));
            for (int j = 0; j < 3; j++) {
                double g = p.gradient().get(0, j);
                m[j] = 0.9 * m[j] + 0.1 * g;
                v[j] = 0.999 * v[j] + 0.001 * g * g;
                double mh = m[j] / (1 - Math.pow(0.9, t)), vh = v[j] / (1 - Math.pow(0.999, t));
                theta[j] -= 0.01 * mh / (Math.sqrt(vh) + 1e-4);
            }
            adam.step(0.01);
            for (int j = 0; j < 3; j++) assertEquals(theta[j], p.value().get(0, j), 1e-5);
        }
        assertEquals(5, adam.steps());
        assertEquals(2, adam.state().size());
    }

    @Test
    void sgdWithMomentumMinimisesAQuadratic() {
        Parameter p = new Parameter("p", Matrix.of(1, 2, 3f, -4f));
        Sgd sgd = new Sgd(List.of(p), 0.9, 0.0);
        for (int t = 0; t < 300; t++) {
            for (int j = 0; j < 2; j++) p.gradient().set(0, j, 2 * (p.value().get(0, j) - 1f)); // d/dx (x - 1)^2
            sgd.step(0.05);
        }
        assertEquals(1f, p.value().get(0, 0), 1e-4);
        assertEquals(1f, p.value().get(0, 1), 1e-4);
    }

    /**
     * Maximising g is descending on -g, to the bit, with the same velocities; decay touches only the selected
     * parameters; a momentum change applies from the next step.
     */
    @Test
    void sgdMaximizingIsDescentOnTheNegatedGradient() {
        Parameter w = new Parameter("w", Matrix.of(1, 3, 0.3f, -0.7f, 1.1f)), b = new Parameter("b", Matrix.of(1, 2, 0.2f, -0.4f));
        Parameter w2 = new Parameter("w", w.value().copy()), b2 = new Parameter("b", b.value().copy());
        Sgd up = new Sgd(List.of(w, b), 0.5, 0.01, p -> p == w, true);
        Sgd down = new Sgd(List.of(w2, b2), 0.5, 0.01, p -> p == w2, false);
        for (int t = 0; t < 6; t++) {
            if (t == 3) {
                up.setMomentum(0.9);
                down.setMomentum(0.9);
            }
            for (Parameter[] pair : new Parameter[][] {{w, w2}, {b, b2}}) {
                for (int j = 0; j < pair[0].value().cols(); j++) {
                    float g = (float) Math.sin(7 * t + j) - pair[0].value().get(0, j);
                    pair[0].gradient().set(0, j, g);
                    pair[1].gradient().set(0, j, -g);
                }
            }
            up.step(0.1);
            down.step(0.1);
            for (int k = 0; k < 2; k++) {
                Matrix x = up.parameters().get(k).value(), y = down.parameters().get(k).value();
                Matrix u = up.velocities().get(k), v = down.velocities().get(k);
                for (int j = 0; j < x.cols(); j++) {
                    assertEquals(Float.floatToIntBits(x.get(0, j)), Float.floatToIntBits(y.get(0, j)));
                    assertEquals(Float.floatToIntBits(u.get(0, j)), Float.floatToIntBits(v.get(0, j)));
                }
            }
        }
        // the undecayed bias: theta += u with u = m u + lr g, written out for its first step
        Parameter c = new Parameter("c", Matrix.of(1, 1, 2f));
        Sgd one = new Sgd(List.of(c), 0.9, 0.5, p -> false, true);
        c.gradient().set(0, 0, 1f);
        one.step(0.25);
        assertEquals(2.25f, c.value().get(0, 0));
        assertThrows(IllegalArgumentException.class, () -> one.setMomentum(1.0));
    }

    @Test
    void thePapersScheduleHasStagesOfThreeToTheI() {
        LearningRateSchedule s = LearningRateSchedule.iwaePaper(8);
        assertEquals(3280, s.epochs());
        assertEquals(1e-3, s.rate(0), 1e-15);
        for (int e = 1; e <= 3; e++) assertEquals(1e-3 * Math.pow(10, -1 / 7.0), s.rate(e), 1e-15);
        for (int e = 4; e <= 12; e++) assertEquals(1e-3 * Math.pow(10, -2 / 7.0), s.rate(e), 1e-15);
        assertEquals(1e-3 * Math.pow(10, -3 / 7.0), s.rate(13), 1e-15);
        assertEquals(1e-4, s.rate(3279), 1e-15);
        assertEquals(13, LearningRateSchedule.parse("paper:3").epochs());
        assertEquals(0.5 * 0.25, LearningRateSchedule.parse("exponential:0.5:0.5:4").rate(2), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("paper:9"));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("constant:-1:3"));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("fast"));
    }
}
