package dgm4j.math;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * OpenBLAS's cblas_sgemm, bundled from Maven Central (org.bytedeco:openblas), called on the matrices' off-heap storage
 * without copying. Loading may fail (no native library for the platform); {@link #load()} then throws and
 * {@link Numerics} falls back to a Java backend.
 */
final class NativeBlas extends Blas {
    private static final int ROW_MAJOR = openblas.CblasRowMajor;
    private static final int NO_TRANS = openblas.CblasNoTrans;
    private static final int TRANS = openblas.CblasTrans;

    private NativeBlas() {}

    /** Loads the native library; throws if it is unavailable. */
    static NativeBlas load() {
        Loader.load(openblas.class);
        return new NativeBlas();
    }

    @Override
    public String name() { return "native"; }

    @Override
    protected void gemmKernel(boolean transA, boolean transB, int m, int n, int k,
                              float alpha, Matrix a, Matrix b, float beta, Matrix c) {
        openblas.cblas_sgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                alpha, pointer(a), a.cols(), pointer(b), b.cols(), beta, pointer(c), c.cols());
    }

    @Override
    protected void setThreads(int threads) {
        openblas.blas_set_num_threads(threads);
    }

    /** The matrix's storage as a native pointer, created once per matrix (no copy: the buffer is direct). */
    private static FloatPointer pointer(Matrix m) {
        Object handle = m.nativeHandle;
        if (handle == null) {
            FloatPointer p = new FloatPointer(m.floats);
            p.position(m.offset);
            m.nativeHandle = p;
            return p;
        }
        return (FloatPointer) handle;
    }
}
