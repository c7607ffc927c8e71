package dgm4j.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dgm4j.autodiff.Parameter;
import dgm4j.math.Matrix;

/** What every optimizer keeps: its parameters, its step count and its named state buffers (one per parameter). */
abstract class AbstractOptimizer implements Optimizer {
    protected final List<Parameter> parameters;
    protected final Map<String, Matrix> state = new LinkedHashMap<>();
    protected long t;

    AbstractOptimizer(List<Parameter> parameters) {
        this.parameters = List.copyOf(parameters);
    }

    /** A zero buffer shaped like parameter i, registered in the state as PREFIX.NAME. */
    protected Matrix stateBuffer(String prefix, int i) {
        Matrix p = parameters.get(i).value();
        Matrix m = Matrix.zeros(p.rows(), p.cols());
        state.put(prefix + "." + parameters.get(i).name(), m);
        return m;
    }

    @Override
    public List<Parameter> parameters() { return parameters; }

    @Override
    public long steps() { return t; }

    @Override
    public void setSteps(long steps) { t = steps; }

    @Override
    public Map<String, Matrix> state() { return state; }
}
