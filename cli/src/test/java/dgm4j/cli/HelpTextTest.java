package dgm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The help of every command: each option and parameter says what it is, and what it does for this command. */
class HelpTextTest {

    @Test
    void everyOptionAndParameterHasADescription() {
        List<String> missing = new ArrayList<>();
        walk(new CommandLine(new Main()).getCommandSpec(), missing);
        assertTrue(missing.isEmpty(), "without a description:\n" + String.join("\n", missing));
    }

    @Test
    void helpSaysWhatTheOptionsDoHere() {
        Cli vae = Cli.run("train", "vae", "--help");
        assertTrue(vae.out.contains("the first N of the --schedule") && !vae.out.contains("default: 10"), vae.out);
        assertFalse(vae.out.contains("--vocabulary"), "train vae reads images: " + vae.out);
        for (String[] images : new String[][] {{"complete"}, {"attention"}, {"eval", "nll"}, {"train", "draw"}}) {
            Cli h = Cli.run(Cli.concat(images, new String[] {"--help"}));
            assertFalse(h.out.contains("--vocabulary"), String.join(" ", images) + ": " + h.out);
        }
        Cli rbm = Cli.run("train", "rbm", "--help");
        assertTrue(rbm.out.contains("--vocabulary") && rbm.out.contains("default: 10"), "text data, and --epochs' default: " + rbm.out);
        for (String[] command : new String[][] {{"train", "rbm"}, {"data", "list"}}) {
            Cli h = Cli.run(Cli.concat(command, new String[] {"--help"}));
            assertTrue(h.out.replaceAll("\\s+", " ").contains("$XDG_CACHE_HOME/dgm4j"), String.join(" ", command) + ": " + h.out);
        }
        Cli refused = Cli.run("complete", "m.safetensors", "--data", "mnist", "--vocabulary", "300", "--out", "c.png");
        assertEquals(2, refused.code, refused.toString());
    }

    private static void walk(CommandSpec spec, List<String> missing) {
        for (ArgSpec arg : spec.args()) {
            if (arg.hidden()) continue;
            String text = String.join(" ", arg.description()).trim();
            if (text.isEmpty()) {
                String name = arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
                missing.add(spec.qualifiedName() + " " + name);
            }
        }
        for (CommandLine sub : spec.subcommands().values()) {
            if (!sub.getCommandSpec().name().equals("help")) walk(sub.getCommandSpec(), missing);
        }
    }
}
