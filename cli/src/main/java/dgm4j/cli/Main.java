package dgm4j.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

import dgm4j.InputException;
import dgm4j.Version;
import dgm4j.math.Numerics;

/**
 * The {@code dgm} command. Exit codes: 0 success, 1 failure, 2 bad usage or bad input (an {@link InputException}).
 */
@Command(name = "dgm", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Deep generative models: train, evaluate, sample and inspect them.",
        subcommands = {DataCommand.class, TrainCommand.class, EvalCommand.class, RbmCommands.Sample.class,
                RbmCommands.Filters.class, RbmCommands.Complete.class, RbmCommands.Transform.class, RbmCommands.Topics.class, ModelCommands.Inspect.class, ModelCommands.Export.class, RamCommands.Attention.class, PlotCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;

    static {
        System.setProperty("java.awt.headless", "true");   // charts and pictures never need a display
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try 'dgm --help')");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams; returns the exit code (used by tests too). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean debug = System.getenv("DGM4J_DEBUG") != null;
            if (ex instanceof InputException || ex instanceof CommandLine.ParameterException) {
                err.println("dgm: error: " + ex.getMessage());
                if (debug) ex.printStackTrace(err);
                return BAD_INPUT;
            }
            err.println("dgm: failed: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (debug) {
                ex.printStackTrace(err);
            } else {
                err.println("(set DGM4J_DEBUG=1 for the stack trace)");
            }
            return FAILURE;
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("dgm: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return BAD_INPUT;
        });
        int code;
        try (Numerics.Scope numerics = Numerics.scope()) {   // --threads and --blas last for this command only
            code = cli.execute(args);
        }
        out.flush();
        err.flush();
        return code;
    }

    /** --version: dgm4j's version and the numeric backend this machine uses. */
    public static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"dgm4j " + Version.get(), "java " + System.getProperty("java.version"),
                    Numerics.describe()};
        }
    }
}
