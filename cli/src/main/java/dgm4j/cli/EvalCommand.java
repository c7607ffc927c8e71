package dgm4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dgm eval}: measure a trained model. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model.",
        subcommands = {RbmCommands.Ais.class, VaeCommands.Nll.class, DbmCommands.Classify.class})
final class EvalCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing evaluation: ais, nll or classify");
    }
}
