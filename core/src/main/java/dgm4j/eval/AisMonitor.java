package dgm4j.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.ais.AisEvaluation;
import dgm4j.ais.AisVerdict;
import dgm4j.dbm.Dbm;
import dgm4j.dbm.DbmTrainingTask;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.Rbm;
import dgm4j.rbm.RbmTrainingTask;

/**
 * The validation log-likelihood during training (`--ais-every`), measured the way {@code dgm eval ais} measures it
 * (base fitted to the model's own chains, forward and reverse AIS, the verdict) on a short schedule, so that a
 * training curve carries its own check: a CSV column says whether each point is determined. On the short schedules
 * monitors use, many points are not; their forward figure is a trend, flattered when ln Z is underestimated.
 */
public final class AisMonitor {
    /** Gibbs steps of the chains that fit the base and start reverse AIS (doubled while they have not mixed). */
    public static final int BURN_IN = 200;

    /**
     * One point: CSV columns (ais_log_z and ais_log_z_reverse, ais_effective_runs of forward AIS, ais_determined 1 or 0,
     * and {@code likelihoodColumn} with the verdict's ln Z) and the verdict's summary line.
     */
    public record Point(Map<String, Double> columns, boolean determined, String summary) {}

    private AisMonitor() {}

    static AisEvaluation.Settings settings(double scale) {
        return new AisEvaluation.Settings(100, scale, AisVerdict.DEFAULT_TOLERANCE, true, 1, 0, BURN_IN, AisEvaluation.Base.MODEL,
                AisEvaluation.Start.GIBBS);
    }

    /** A binary or Gaussian RBM on {@code monitored} rows (model space), its chains (null: from training rows). */
    public static Point rbm(Rbm rbm, Matrix train, Matrix monitored, Matrix chains, double scale, RandomStream random) {
        AisEvaluation.Result r = AisEvaluation.rbm(rbm, train, monitored, chains, settings(scale), random, Progress.NONE, null);
        return point(r, "ais_validation_log_likelihood");
    }

    /** A DBM's mean-field lower bound on {@code monitored} binary rows, its persistent chains (null: from the biases). */
    public static Point dbm(Dbm dbm, Matrix trainBits, Matrix monitored, List<Matrix> chains, int meanFieldIterations, double scale,
                            RandomStream random) {
        AisEvaluation.Result r = AisEvaluation.dbm(dbm, trainBits, monitored, chains, meanFieldIterations, settings(scale), random,
                Progress.NONE, null);
        return point(r, "ais_validation_lower_bound");
    }

    /**
     * Adds {@link #rbm} points to a binary or Gaussian RBM task's epoch-end monitors, after the first epoch and every
     * {@code every} epochs ({@code dgm train rbm --ais-every}): the task's held-out rows scored, the base fitted to its
     * training rows (binarized once with {@code seed}) and to the trainer's chains, epoch e's randomness from
     * {@code seed}. {@code onPoint} sees each point and its 0-based epoch.
     */
    public static RbmTrainingTask attach(RbmTrainingTask task, int every, double scale, long seed, ObjIntConsumer<Point> onPoint) {
        if (task.trainer().rbm().countsWords()) {
            throw new InputException("the AIS monitor is implemented for bernoulli and gaussian visible units, not softmax");
        }
        Matrix train = task.data().fixedTrainRows(seed), monitored = requireHeldOut(task.monitorValidation());
        return task.withMonitor(every, (model, epoch) -> report(rbm(model, train, monitored, task.trainer().chains(), scale,
                new RandomStream(seed).split(1000 + epoch)), epoch, onPoint));
    }

    /** {@link #attach(RbmTrainingTask, int, double, long, ObjIntConsumer)} for a DBM task: {@link #dbm} points. */
    public static DbmTrainingTask attach(DbmTrainingTask task, int every, double scale, long seed, ObjIntConsumer<Point> onPoint) {
        Matrix train = task.data().fixedTrainRows(seed), monitored = requireHeldOut(task.monitorValidation());
        int meanField = task.trainer().config().meanFieldIterations();
        return task.withMonitor(every, (model, epoch) -> report(dbm(model, train, monitored, task.trainer().chains().cold(), meanField,
                scale, new RandomStream(seed).split(1000 + epoch)), epoch, onPoint));
    }

    private static Matrix requireHeldOut(Matrix monitored) {
        if (monitored == null) throw new InputException("the AIS monitor needs held-out data to score");
        return monitored;
    }

    private static Map<String, Double> report(Point p, int epoch, ObjIntConsumer<Point> onPoint) {
        onPoint.accept(p, epoch);
        return p.columns();
    }

    private static Point point(AisEvaluation.Result r, String likelihoodColumn) {
        AisVerdict v = r.verdict();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("ais_log_z", v.forward().logZ());
        m.put("ais_log_z_reverse", v.reverse().logZ());
        m.put("ais_effective_runs", v.forward().effectiveRuns());
        m.put("ais_determined", v.determined() ? 1.0 : 0.0);
        m.put(likelihoodColumn, r.averageLogProbability());
        return new Point(m, v.determined(), r.summary());
    }
}
