package dgm4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dgm4j.InputException;
import dgm4j.io.Json;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.io.Tensor;

/** {@code dgm inspect} and {@code dgm export}: model files for people and for other tools. */
final class ModelCommands {
    private ModelCommands() {}

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Print a model file's kind, configuration, tensors, provenance and training state.")
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL", description = "a .safetensors model file written by dgm4j") Path model;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            ModelFile f = ModelFiles.readAnyKind(model);
            PrintWriter out = spec.commandLine().getOut();
            out.println("file:        " + model);
            out.println("kind:        " + f.kind());
            out.println("dgm4j:       " + f.metadata(ModelFile.DGM4J_VERSION_KEY).orElse("?"));
            out.println("config:      " + f.config());
            out.println("tensors:");
            long params = 0;
            for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
                out.printf("  %-30s %s%n", e.getKey(), e.getValue());
                if (!e.getKey().startsWith("train.")) params += e.getValue().elementCount();
            }
            out.println("parameters:  " + params + " (tensors named train.* are training state, not parameters)");
            out.println("training:    " + f.metadata(ModelFile.TRAINING_STATE_KEY).orElse("(none)"));
            out.println("provenance:  " + f.metadata(ModelFile.PROVENANCE_KEY).orElse("(none)"));
            out.println("checksum:    sha256 " + f.metadata(ModelFile.TENSOR_SHA256_KEY).orElse("?"));
            return Main.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a model's tensors for other tools: NumPy .npz, or a safetensors copy.")
    static final class Export implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL", description = "a .safetensors model file written by dgm4j") Path model;
        @Option(names = "--format", required = true, description = "npz or safetensors") String format;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "the file to write") Path out;
        @Option(names = "--weights-only", description = "leave out the training state (tensors named train.*)") boolean weightsOnly;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            ModelFile f = ModelFiles.readAnyKind(model);
            if (weightsOnly) f = withoutTrainingState(f);
            switch (format) {
                case "npz": ModelFiles.exportNpz(f, out); break;
                case "safetensors": ModelFiles.write(out, f); break;
                default: throw new InputException("--format must be npz or safetensors, got " + format);
            }
            spec.commandLine().getOut().println("wrote " + out + " (" + f.tensors().size() + " tensors)");
            return Main.OK;
        }

        private static ModelFile withoutTrainingState(ModelFile f) {
            ModelFile.Builder b = ModelFile.builder(f.kind()).config(f.config());
            for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
                if (!e.getKey().startsWith("train.")) b.tensor(e.getKey(), e.getValue());
            }
            f.metadata(ModelFile.PROVENANCE_KEY).ifPresent(p -> b.metadata(ModelFile.PROVENANCE_KEY, p));
            return b.build();
        }
    }

    static String json(Object o) { return Json.write(o); }
}
