package dgm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.dbm.Dbm;
import dgm4j.dbm.DbmFamily;
import dgm4j.dbm.DbmTrainer;
import dgm4j.helmholtz.HelmholtzFamily;
import dgm4j.helmholtz.HelmholtzTrainingTask;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.rbm.RbmFamily;
import dgm4j.rbm.RbmTest;
import dgm4j.rbm.RbmTrainer;
import dgm4j.vae.StochasticLayer;
import dgm4j.vae.VaeFamily;
import dgm4j.vae.VaeTrainingTask;
import dgm4j.vae.VariationalAutoencoder;

/** A session resumed from its checkpoint ends bitwise where the uninterrupted one does; the resume checks refuse. */
class TrainingSessionTest {
    private static final Dataset DATA = new Dataset("bars", RbmTest.bars(200, 31), null, 4, 4, 0);

    private static DbmTrainer.Config config(int gibbsSteps) {
        return DbmTrainer.Config.defaults().withLearningRate(0.01f).withChains(20).withGibbsSteps(gibbsSteps);
    }

    /** A DBM family without pretraining, on bars. */
    private static DbmFamily dbm(DbmTrainer.Config config) {
        return DbmFamily.of(new int[] {6, 4}, config, null, new TrainingData(DATA, DATA, 20, Binarization.none(), null));
    }

    @Test
    void resumedSessionIsBitwiseTheUninterruptedOne(@TempDir Path dir) throws Exception {
        TrainingSession straight = new TrainingSession(3, 7);
        Dbm expected = straight.open(dbm(config(5))).trainer().dbm();
        straight.run();

        Path file = dir.resolve("dbm.safetensors"), log = dir.resolve("log.csv");
        TrainingSession first = new TrainingSession(new TrainingRun(2).checkpoint(file, 1, 0).csvLog(log), 7);
        first.open(dbm(config(5)));
        first.run();
        Files.writeString(log, "3,0.5\n", StandardOpenOption.APPEND);   // a row past the checkpoint: dropped
        StringBuilder said = new StringBuilder();
        TrainingSession resumed = new TrainingSession(new TrainingRun(3).checkpoint(file, 1, 0).csvLog(log).log(said::append), 99).resumeFrom(file);
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

    /** The snapshot's tensors, as the file's checksum of them. */
    private static String tensors(TrainingTask task, Path file) {
        ModelFiles.write(file, task.snapshot(2));
        return ModelFiles.readAnyKind(file).metadata().get(ModelFile.TENSOR_SHA256_KEY);
    }

    /** Every family's run, interrupted after an epoch and resumed from its checkpoint, ends bitwise where the straight one does. */
    @Test
    void everyFamilyResumesBitwise(@TempDir Path dir) {
        TrainingData bars = new TrainingData(DATA, DATA, 20, Binarization.none(), null);
        List<TrainingSession.Family<?>> families = List.of(
                dbm(config(2)),
                RbmFamily.bernoulli(5, RbmTrainer.Config.defaults().withPersistent(true).withChains(10).withSparsity(0.2f, 0.1f), bars),
                RbmFamily.gaussian(5, true, 0.05f, RbmTrainer.Config.defaults().withLearningRate(0.01f), bars),
                VaeFamily.paper(1, StochasticLayer.Kind.BERNOULLI, VaeTrainingTask.Config.defaults()
                        .withObjective(VariationalAutoencoder.Objective.IWAE, 3), bars),
                HelmholtzFamily.of(new int[] {6, 3}, HelmholtzTrainingTask.Config.defaults(), bars));
        for (TrainingSession.Family<?> family : families) {
            String name = family.getClass().getSimpleName();
            String straight = tensors(new TrainingSession(2, 3).train(family), dir.resolve(name + "-a.safetensors"));
            Path file = dir.resolve(name + ".safetensors");
            new TrainingSession(new TrainingRun(1).checkpoint(file, 1, 0), 3).train(family);
            TrainingTask resumed = new TrainingSession(2, 3).resumeFrom(file).train(family);
            assertEquals(straight, tensors(resumed, dir.resolve(name + "-b.safetensors")), name);
        }
    }
}
