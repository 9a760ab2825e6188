package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand registered under {@link Main} answers {@code --help} and {@code -h} with its usage, exit 0. */
class HelpTest {

    @Test
    void everyCommand_help_exit0WithUsage() {
        List<List<String>> paths = new ArrayList<>();
        walk(new CommandLine(new Main()), new ArrayList<>(), paths);
        assertTrue(paths.size() > 14, "the whole tree was walked: " + paths);
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                Cli help = Cli.run(args.toArray(String[]::new));
                assertEquals(0, help.status(), args + ": " + help.err());
                assertTrue(help.out().contains("Usage: trailhound" + (path.isEmpty() ? "" : " " + String.join(" ", path))),
                        args + ": " + help.out() + help.err());
                assertFalse(help.err().contains("Unknown option"), args + ": " + help.err());
            }
        }
    }

    private static void walk(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandName())) {
                return; // an alias: the command is walked under its name
            }
            List<String> deeper = new ArrayList<>(path);
            deeper.add(name);
            walk(sub, deeper, paths);
        });
    }
}
