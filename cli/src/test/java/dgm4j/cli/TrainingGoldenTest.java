package dgm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;

/**
 * Every family's training, from the same seed, gives the same model, checkpoint state and monitors as when these
 * digests were recorded (single thread, scalar products and kernels: the same on every machine). A refactoring of
 * configs or training code that changes a number changes a digest.
 */
class TrainingGoldenTest {
    private static final String[] FIXED = {"--threads", "1", "--blas", "scalar", "--seed", "5"};

    /** sha256 of the tensors' digest, config, training state and the CSV log without its timing column. */
    private static String digest(Path model, Path log) throws Exception {
        ModelFile f = ModelFiles.readAnyKind(model);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (String key : new String[] {ModelFile.KIND_KEY, ModelFile.TENSOR_SHA256_KEY, ModelFile.CONFIG_KEY, ModelFile.TRAINING_STATE_KEY}) {
            md.update((key + "=" + f.metadata().get(key) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        List<String> rows = Files.readAllLines(log);
        int seconds = Arrays.asList(rows.get(0).split(",")).indexOf("seconds");
        for (String row : rows) {
            List<String> cells = new ArrayList<>(Arrays.asList(row.split(",", -1)));
            cells.remove(seconds);
            md.update((String.join(",", cells) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    /** Trains with {@code args} (epochs included), then the same run split in two by a resume, which must agree. */
    private static String train(Path dir, String name, String epochs, String firstEpochs, String... args) throws Exception {
        Path model = dir.resolve(name + ".safetensors"), log = dir.resolve(name + ".csv");
        Cli t = Cli.run(Cli.concat(args, FIXED, new String[] {"--epochs", epochs, "--out", model.toString(), "--log", log.toString()}));
        assertEquals(0, t.code, t.toString());
        String straight = digest(model, log);
        if (firstEpochs != null) {
            Path m2 = dir.resolve(name + "-r.safetensors"), l2 = dir.resolve(name + "-r.csv");
            String[] out = {"--out", m2.toString(), "--log", l2.toString()};
            Cli a = Cli.run(Cli.concat(args, FIXED, out, new String[] {"--epochs", firstEpochs}));
            assertEquals(0, a.code, a.toString());
            Cli b = Cli.run(Cli.concat(args, FIXED, out, new String[] {"--epochs", epochs, "--resume", m2.toString()}));
            assertEquals(0, b.code, b.toString());
            assertEquals(straight, digest(m2, l2), name + ": resumed run");
        }
        return straight;
    }

    @Test
    void rbmsTrainAsRecorded(@TempDir Path dir) throws Exception {
        Path digits = CliTest.fakeDigits(dir), text = CliTest.tinyReuters(dir);
        String[] mnist = Cli.concat(new String[] {"train", "rbm"}, Cli.fixtureData(), new String[] {"--hidden", "10", "--batch", "20"});
        String[] dig = {"train", "rbm", "--data", "digits", "--data-dir", digits.toString(), "--hidden", "8", "--batch", "50"};
        List<String> got = List.of(
                train(dir, "cd", "2", "1", Cli.concat(mnist, new String[] {"--lr-final", "0.01"})),
                train(dir, "pcd", "3", "2", Cli.concat(dig, new String[] {"--pcd", "2", "--chains", "30", "--steps-final", "3",
                        "--sparsity-target", "0.1", "--momentum", "0.4"})),
                train(dir, "centered", "2", "1", Cli.concat(dig, new String[] {"--centered", "--weight-decay", "0.001"})),
                train(dir, "gaussian", "2", "1", Cli.concat(dig, new String[] {"--visible", "gaussian", "--learn-variance", "--lr", "0.005"})),
                train(dir, "softmax", "3", "1", "train", "rbm", "--visible", "softmax", "--data", "reuters-grain", "--data-dir",
                        text.toString(), "--hidden", "4", "--batch", "10", "--lr", "0.01", "--cd", "1", "--steps-final", "3"));
        assertEquals(List.of("f7a02e202fc83058", "671d00587fb80fcf", "74a398af1f8277cc", "0efcac594605ca10", "d9ce23c923e17360"), got);
    }

    @Test
    void dbmsTrainAsRecorded(@TempDir Path dir) throws Exception {
        Path digits = CliTest.fakeDigits(dir);
        String[] dig = {"train", "dbm", "--data", "digits", "--data-dir", digits.toString(), "--batch", "50", "--chains", "20"};
        List<String> got = List.of(
                train(dir, "pretrained", "2", "1", Cli.concat(dig, new String[] {"--hidden", "8,6", "--pretrain-epochs", "2",
                        "--top-gibbs-steps", "3", "--tempering", "2", "--sparsity-targets", "0.2,0.1"})),
                train(dir, "fresh", "2", "1", Cli.concat(dig, new String[] {"--hidden", "8,6,4", "--pretrain-epochs", "0",
                        "--lr-tau", "50", "--gibbs-steps", "2"})),
                train(dir, "mnist", "1", null, Cli.concat(new String[] {"train", "dbm"}, Cli.fixtureData(), new String[] {"--hidden", "12,8",
                        "--pretrain-epochs", "1", "--chains", "10", "--batch", "20", "--pretrain-lr", "0.02", "--pretrain-weight-decay", "0.0005"})));
        assertEquals(List.of("ee2a1fc0be0b41d2", "7b7605dcf532ce5d", "fe6e871e43cdddd0"), got);
    }

    @Test
    void directedModelsTrainAsRecorded(@TempDir Path dir) throws Exception {
        String[] vae = Cli.concat(new String[] {"train", "vae"}, Cli.fixtureData(), new String[] {"--schedule", "constant:0.001:2"});
        String[] iwae = Cli.concat(new String[] {"train", "iwae"}, Cli.fixtureData(), new String[] {"--k", "3", "--schedule", "paper:2"});
        String[] hm = Cli.concat(new String[] {"train", "helmholtz"}, Cli.fixtureData(), new String[] {"--layers", "20,10", "--lr", "0.003"});
        List<String> got = List.of(
                train(dir, "vae", "2", "1", vae),
                train(dir, "iwae", "2", "1", iwae),
                train(dir, "rws", "2", "1", Cli.concat(hm, new String[] {"--k", "3", "--q-update", "wake"})),
                train(dir, "ws", "2", "1", Cli.concat(hm, new String[] {"--algorithm", "ws", "--binarize", "fixed:3"})));
        assertEquals(List.of("91bcbccd74401c09", "c85431dfe6fdc1bd", "ad9030142e69fbf6", "0ac173870229f373"), got);
    }
}
