package dgm4j.train;

import java.util.List;

import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;

/**
 * A {@link MinibatchTrainingTask} whose step is one {@link MomentumTrainer} update (the RBM and DBM tasks): the
 * trainer's random stream is the task's model stream, and its parameters are the ones checked for finiteness. The
 * family's task adds its monitors and checkpoint tensors.
 *
 * @param <T> the family's trainer
 */
public abstract class MomentumTrainingTask<T extends MomentumTrainer> extends MinibatchTrainingTask {
    private final T trainer;

    protected MomentumTrainingTask(T trainer, TrainingData data, RandomStream dataRandom, int monitorExamples) {
        super(data, trainer.random(), dataRandom, monitorExamples);
        this.trainer = trainer;
    }

    public T trainer() { return trainer; }

    /** One {@link MomentumTrainer#update}; the estimate has no loss to log (NaN). */
    @Override
    protected final double update(Matrix batch, int epoch) {
        trainer.update(batch, epoch);
        return Double.NaN;
    }

    @Override
    protected final List<Matrix> parameterValues() { return trainer.parameterValues(); }
}
