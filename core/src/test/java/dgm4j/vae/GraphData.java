package dgm4j.vae;

import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

final class GraphData {
    private GraphData() {}

    static Matrix gaussian(int rows, int cols, long seed) {
        Matrix m = Matrix.zeros(rows, cols);
        new RandomStream(seed).gaussian(m);
        return m;
    }
}
