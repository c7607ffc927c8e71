package dgm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.dbm.Dbm;
import dgm4j.dbm.DbmFiles;
import dgm4j.dbm.DbmTrainer;
import dgm4j.dbm.DbmTrainingTask;
import dgm4j.io.ModelFile;
import dgm4j.math.RandomStream;
import dgm4j.rbm.RbmTest;

/** A session resumed from its checkpoint ends bitwise where the uninterrupted one does; the resume checks refuse. */
class TrainingSessionTest {
    private static final Dataset DATA = new Dataset("bars", RbmTest.bars(200, 31), null, 4, 4, 0);

    private static DbmTrainer.Config config(int gibbsSteps) {
        return DbmTrainer.Config.defaults().withLearningRate(0.01f).withChains(20).withGibbsSteps(gibbsSteps);
    }

    /** A DBM family, as a command line would give it. */
    private static TrainingSession.Family<DbmTrainingTask> dbm(DbmTrainer.Config config) {
        return new TrainingSession.Family<>() {
            @Override public String kind() { return Dbm.KIND; }

            @Override public Map<String, Object> hyperParameters() { return DbmTrainingTask.hyperParameters(config, 20); }

            @Override public List<String> uncompared() { return List.of("updates"); }

            @Override public DbmTrainingTask start(RandomStream root) {
                DbmTrainer trainer = new DbmTrainer(Dbm.initialize(new int[] {16, 6, 4}, root.split(2)), config, root.split(0));
                return new DbmTrainingTask(trainer, DATA, DATA, 20, Binarization.none(), root.split(1), null);
            }

            @Override public void requireFits(ModelFile checkpoint) {
                if (DbmFiles.read(checkpoint).visibleUnits() != DATA.dim()) throw new InputException("does not fit");
            }

            @Override public DbmTrainingTask resume(ModelFile checkpoint) {
                DbmTrainer trainer = new DbmTrainer(DbmFiles.read(checkpoint), config, TrainingState.randomStream(checkpoint, "train.random"));
                return new DbmTrainingTask(trainer, DATA, DATA, 20, Binarization.none(), DbmTrainingTask.restore(checkpoint, trainer), null);
            }
        };
    }

    @Test
    void resumedSessionIsBitwiseTheUninterruptedOne(@TempDir Path dir) throws Exception {
        TrainingSession straight = new TrainingSession(3, 7);
        Dbm expected = straight.open(dbm(config(5))).trainer().dbm();
        straight.run();

        Path file = dir.resolve("dbm.safetensors"), log = dir.resolve("log.csv");
        TrainingSession first = new TrainingSession(2, 7).checkpoint(file, 1, 0).csvLog(log);
        first.open(dbm(config(5)));
        first.run();
        Files.writeString(log, "3,0.5\n", java.nio.file.StandardOpenOption.APPEND);   // a row past the checkpoint: dropped
        StringBuilder said = new StringBuilder();
        TrainingSession resumed = new TrainingSession(3, 99).resumeFrom(file).checkpoint(file, 1, 0).csvLog(log).log(said::append);
        Dbm actual = resumed.open(dbm(config(5))).trainer().dbm();
        assertEquals(2, resumed.startEpoch());
        assertTrue(said.toString().startsWith("resuming " + file + " from epoch 2"), said.toString());
        resumed.run();
        for (int k = 0; k < expected.parameters().size(); k++) {
            assertArrayEquals(expected.parameters().get(k).toArray(), actual.parameters().get(k).toArray(), expected.parameterNames().get(k));
        }
        List<String> rows = Files.readAllLines(log);
        assertEquals(4, rows.size(), rows.toString());
        assertEquals(3, Double.parseDouble(rows.get(3).split(",")[0]), 0.0);

        InputException done = assertThrows(InputException.class, () -> new TrainingSession(3, 7).resumeFrom(file).open(dbm(config(5))));
        assertTrue(done.getMessage().contains("already done 3 epochs"), done.getMessage());
        InputException other = assertThrows(InputException.class, () -> new TrainingSession(4, 7).resumeFrom(file).open(dbm(config(2))));
        assertTrue(other.getMessage().contains("algorithm"), other.getMessage());
    }
}
