package dgm4j.dbm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.io.ModelFile;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingSession;
import dgm4j.train.TrainingState;

/**
 * DBMs in a {@link TrainingSession}: a new run starts from greedy pretraining ({@link DbmPretraining}) or, without it,
 * from small random weights with the visible biases at the data's log-odds; a resumed one from its checkpoint's model,
 * velocities, chains, update count and random streams.
 */
public final class DbmFamily implements TrainingSession.Family<DbmTrainingTask> {
    private final int[] hidden;
    private final DbmTrainer.Config config;
    private final DbmPretraining.Config pretraining;
    private final TrainingData data;
    private final Consumer<String> log;

    private DbmFamily(int[] hidden, DbmTrainer.Config config, DbmPretraining.Config pretraining, TrainingData data, Consumer<String> log) {
        this.hidden = hidden;
        this.config = config;
        this.pretraining = pretraining;
        this.data = data;
        this.log = log;
    }

    /**
     * A DBM with hidden layers of {@code hidden} units, bottom first, on data in [0, 1]; {@code pretraining} null: none.
     * Provenance, if given, also records the pretraining epochs.
     */
    public static DbmFamily of(int[] hidden, DbmTrainer.Config config, DbmPretraining.Config pretraining, TrainingData data) {
        if (hidden.length < 1) throw new InputException("a DBM needs at least one hidden layer");
        for (int h : hidden) if (h < 1) throw new InputException("hidden layer sizes must be at least 1, got " + h);
        Binarization.requireUnitRange(data.train().features(), data.train().name());
        if (data.provenance() != null) {
            Map<String, Object> p = new LinkedHashMap<>(data.provenance());
            p.put("pretrain_epochs", pretraining == null ? 0 : pretraining.epochs());
            data = data.withProvenance(p);
        }
        return new DbmFamily(hidden.clone(), config, pretraining, data, s -> { });
    }

    /** Receives pretraining's lines (one per RBM epoch, and its time). */
    public DbmFamily withLog(Consumer<String> sink) {
        return new DbmFamily(hidden, config, pretraining, data, sink);
    }

    @Override
    public String kind() { return Dbm.KIND; }

    @Override
    public Map<String, Object> hyperParameters() { return DbmTrainingTask.hyperParameters(config, data.batchSize()); }

    @Override
    public List<String> uncompared() { return List.of("updates"); }

    @Override
    public DbmTrainingTask start(RandomStream root) {
        Dbm dbm;
        if (pretraining != null) {
            long t0 = System.nanoTime();
            dbm = DbmPretraining.pretrain(data.train(), hidden, data.binarization(), pretraining, root.split(2), log);
            log.accept(String.format(Locale.ROOT, "pretraining done (%.1f s)", (System.nanoTime() - t0) / 1e9));
        } else {
            int[] units = new int[hidden.length + 1];
            units[0] = data.train().dim();
            System.arraycopy(hidden, 0, units, 1, hidden.length);
            dbm = Dbm.initialize(units, root.split(2));
            dbm.bias(0).copyFrom(BernoulliRbm.baseRateBias(data.train().features()));   // visible biases at the data's log-odds
        }
        return new DbmTrainingTask(new DbmTrainer(dbm, config, root.split(0)), data, root.split(1));
    }

    @Override
    public void requireFits(ModelFile checkpoint) {
        Dbm dbm = DbmFiles.read(checkpoint);
        if (dbm.visibleUnits() != data.train().dim()) {
            throw new InputException(checkpoint.source() + " has " + dbm.visibleUnits() + " visible units but the data have "
                    + data.train().dim() + " columns");
        }
    }

    @Override
    public DbmTrainingTask resume(ModelFile checkpoint) {
        DbmTrainer trainer = new DbmTrainer(DbmFiles.read(checkpoint), config, TrainingState.randomStream(checkpoint, TrainingState.RANDOM));
        return new DbmTrainingTask(trainer, data, DbmTrainingTask.restore(checkpoint, trainer));
    }
}
