package dgm4j.autodiff;

import dgm4j.math.Elementwise;
import dgm4j.math.Matrix;

/**
 * A value in a recorded {@link Graph}: its matrix (refilled on every forward pass) and, when it depends on a parameter,
 * its gradient buffer. Inputs are filled by the caller before {@link Graph#forward()}.
 */
public final class Node {
    final Matrix value;
    /** d loss / d value; null unless the node depends on a parameter (or is an input asked to carry a gradient). */
    final Matrix grad;
    /** True once a backward contribution has been written this pass (later ones are added). */
    boolean gradWritten;
    /** Where a second contribution is computed before it is added to grad; allocated when first needed. */
    private Matrix scratch;

    Node(Matrix value, boolean requiresGrad) {
        this(value, requiresGrad ? Matrix.zeros(value.rows(), value.cols()) : null);
    }

    Node(Matrix value, Matrix grad) {
        this.value = value;
        this.grad = grad;
    }

    /** The node's value: read it after forward(), or fill it before forward() if this is an input. */
    public Matrix value() { return value; }

    /** d loss / d value after backward() (null if the node does not need one). */
    public Matrix gradient() { return grad; }

    public boolean requiresGrad() { return grad != null; }

    public int rows() { return value.rows(); }

    public int cols() { return value.cols(); }

    public String shape() { return value.shape(); }

    /** The buffer a backward contribution is written to: the gradient itself if this is the first, else scratch. */
    Matrix target() {
        if (!gradWritten) return grad;
        if (scratch == null) scratch = Matrix.zeros(grad.rows(), grad.cols());
        return scratch;
    }

    /** Completes a contribution written to {@link #target()}: adds scratch into the gradient if it was used. */
    void done() {
        if (gradWritten) Elementwise.add(grad, scratch, grad);
        gradWritten = true;
    }

    /** BLAS beta for a product accumulated straight into the gradient: 0 for the first contribution, then 1. */
    float beta() { return gradWritten ? 1f : 0f; }
}
