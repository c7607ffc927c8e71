package dgm4j.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class NumericsTest {
    /** A scope restores the backend, kernels and threads it saw, also after nested changes. */
    @Test
    void aScopeRestoresTheConfiguration() {
        Blas blas = Numerics.blas();
        String kernels = Numerics.kernelsName();
        int threads = Numerics.threads();
        try (Numerics.Scope outer = Numerics.scope()) {
            Numerics.setThreads(threads + 1);
            Numerics.useBlas("scalar");
            try (Numerics.Scope inner = Numerics.scope()) {
                Numerics.setThreads(1);
                Numerics.useVectorKernels(false);
            }
            assertEquals(threads + 1, Numerics.threads());
            assertEquals("scalar", Numerics.blas().name());
            assertEquals(kernels, Numerics.kernelsName());
        }
        assertSame(blas, Numerics.blas());
        assertEquals(kernels, Numerics.kernelsName());
        assertEquals(threads, Numerics.threads());
    }
}
