package trailhound.app;

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

/**
 * Every command and subcommand registered under {@link Main} answers {@code --help} and {@code -h} with its usage, exit 0;
 * every option and parameter says what it is; every description paragraph is whole sentences.
 */
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

    @Test
    void everyOptionAndParameter_hasADescription() {
        List<String> missing = new ArrayList<>();
        for (CommandSpec command : commands()) {
            List<ArgSpec> args = new ArrayList<>(command.options());
            args.addAll(command.positionalParameters());
            for (ArgSpec arg : args) {
                if (String.join("", arg.description()).isBlank()) missing.add(command.qualifiedName() + " " + name(arg));
            }
        }
        assertEquals(List.of(), missing, "options and parameters without a description");
    }

    /** picocli's default label is the Java field's name ({@code --format=<format>}); the house style is upper case ({@code --format=FORMAT}). */
    @Test
    void everyOptionTakingAValue_hasAnUpperCaseLabel() {
        List<String> lower = new ArrayList<>();
        for (CommandSpec command : commands()) {
            for (OptionSpec o : command.options()) {
                if (o.arity().max() > 0 && !o.paramLabel().matches("[A-Z][A-Z0-9_,-]*")) {
                    lower.add(command.qualifiedName() + " " + o.longestName() + "=" + o.paramLabel());
                }
            }
        }
        assertEquals(List.of(), lower, "options labelled with a field name");
    }

    /**
     * picocli prints each element of a description array as a paragraph of its own, and lists a subcommand by its
     * first element: one sentence split over two elements wraps oddly and is cut short in the command list.
     */
    @Test
    void everyDescriptionParagraph_endsASentence() {
        List<String> broken = new ArrayList<>();
        for (CommandSpec command : commands()) {
            for (String paragraph : command.usageMessage().description()) {
                if (!endsASentence(paragraph)) broken.add(command.qualifiedName() + ": \"" + paragraph + "\"");
            }
            List<ArgSpec> args = new ArrayList<>(command.options());
            args.addAll(command.positionalParameters());
            for (ArgSpec arg : args) {
                for (String paragraph : arg.description()) {
                    if (!endsASentence(paragraph)) broken.add(command.qualifiedName() + " " + name(arg) + ": \"" + paragraph + "\"");
                }
            }
        }
        assertEquals(List.of(), broken, "description elements that stop mid-sentence");
    }

    @Test
    void endsASentence_aSplitSentence_isCaught() {
        assertFalse(endsASentence("Merge an endpoint into another, e.g. a host's short name into its fully qualified one;"));
        assertFalse(endsASentence("List the audit trail, newest first: who did or looked at what, when (UTC),"));
        assertFalse(endsASentence("the merged"));
        assertTrue(endsASentence("Exit status 0 when it holds, 1 naming the first broken link."));
    }

    private static boolean endsASentence(String paragraph) {
        return paragraph.replaceAll("(%n)+$", "").strip().matches("(?s).*[.!?]"); // %n: picocli's line break
    }

    private static String name(ArgSpec arg) {
        return arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
    }

    private static List<CommandSpec> commands() {
        List<List<String>> paths = new ArrayList<>();
        CommandLine main = new CommandLine(new Main());
        walk(main, new ArrayList<>(), paths);
        List<CommandSpec> specs = new ArrayList<>();
        for (List<String> path : paths) {
            CommandLine c = main;
            for (String name : path) c = c.getSubcommands().get(name);
            specs.add(c.getCommandSpec());
        }
        return specs;
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
