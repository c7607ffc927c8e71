package dgm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.InputException;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.math.Matrix;
import dgm4j.math.RandomStream;
import dgm4j.rbm.RbmTest;
import dgm4j.train.TrainingData;
import dgm4j.train.TrainingRun;
import dgm4j.train.TrainingState;

/** Checkpoints of joint training: a resumed run is bitwise the uninterrupted one; files round-trip. */
class DbmTrainingTaskTest {

    private static DbmTrainer.Config config() {
        return DbmTrainer.Config.defaults().withLearningRate(0.01f).withChains(20).withTempering(3, 0.9)
                .withSparsity(new float[] {0.2f, Float.NaN}, 0.01f);
    }

    @Test
    void resumedRunIsBitwiseTheUninterruptedOne(@TempDir Path dir) {
        Dataset data = new Dataset("bars", RbmTest.bars(200, 31), null, 4, 4, 0);
        // uninterrupted: 3 epochs
        DbmTrainer straight = new DbmTrainer(Dbm.initialize(new int[] {16, 6, 4}, new RandomStream(1)), config(), new RandomStream(2));
        TrainingData bars = new TrainingData(data, data, 20, Binarization.none(), null);
        new TrainingRun(3).run(new DbmTrainingTask(straight, bars, new RandomStream(3)), 0);
        // 2 epochs, checkpoint, then resume for the third
        Path file = dir.resolve("dbm.safetensors");
        DbmTrainer first = new DbmTrainer(Dbm.initialize(new int[] {16, 6, 4}, new RandomStream(1)), config(), new RandomStream(2));
        new TrainingRun(2).checkpoint(file, 1, 0).run(new DbmTrainingTask(first, bars, new RandomStream(3)), 0);
        ModelFile checkpoint = ModelFiles.read(file, Dbm.KIND);
        TrainingState.requireSameHyperParameters(checkpoint, DbmTrainingTask.hyperParameters(config(), 20), "updates");
        Dbm dbm = DbmFiles.read(checkpoint);
        DbmTrainer resumed = new DbmTrainer(dbm, config(), TrainingState.randomStream(checkpoint, "train.random"));
        RandomStream dataRandom = DbmTrainingTask.restore(checkpoint, resumed);
        assertEquals(2, TrainingState.epochsDone(checkpoint));
        new TrainingRun(3).run(new DbmTrainingTask(resumed, bars, dataRandom), 2);
        for (int k = 0; k < dbm.parameters().size(); k++) {
            assertArrayEquals(straight.dbm().parameters().get(k).toArray(), dbm.parameters().get(k).toArray(), dbm.parameterNames().get(k));
        }
        DbmTrainer.Config other = config().withGibbsSteps(3);
        InputException e = assertThrows(InputException.class, 
                () -> TrainingState.requireSameHyperParameters(checkpoint, DbmTrainingTask.hyperParameters(other, 20), "updates"));
        assertTrue(e.getMessage().contains("algorithm"), e.getMessage());
    }

    @Test
    void modelFilesRoundTripAndRefuseOtherKinds(@TempDir Path dir) {
        Dbm dbm = DbmTest.randomDbm(new int[] {6, 4, 3, 2}, 1f, 5);
        Path file = dir.resolve("m.safetensors");
        ModelFiles.write(file, DbmFiles.builder(dbm, 2, 3).build());
        Dbm back = DbmFiles.read(ModelFiles.read(file, Dbm.KIND));
        for (int k = 0; k < dbm.parameters().size(); k++) assertArrayEquals(dbm.parameters().get(k).toArray(), back.parameters().get(k).toArray());
        assertThrows(InputException.class, () -> ModelFiles.read(file, "rbm"));
        Path bad = dir.resolve("bad.safetensors");
        ModelFiles.write(bad, ModelFile.builder(Dbm.KIND).config("{\"layers\": [6]}").floats("visible_bias", new float[6]).build());
        assertThrows(InputException.class, () -> DbmFiles.read(ModelFiles.read(bad, Dbm.KIND)));
        Matrix nan = Matrix.zeros(6, 4).fill(Float.NaN);
        dbm.weights(1).copyFrom(nan);
        ModelFiles.write(bad, DbmFiles.builder(dbm, 0, 0).build());
        assertThrows(InputException.class, () -> DbmFiles.read(ModelFiles.read(bad, Dbm.KIND)));
    }
}
