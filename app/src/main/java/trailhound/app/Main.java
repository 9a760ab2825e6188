package trailhound.app;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code trailhound} command line: one subcommand per job. Exit 0 on success, 2 on bad input. */
@Command(name = "trailhound", mixinStandardHelpOptions = true, version = "Trailhound 0.1.0",
        description = "Endpoint forensics and threat-response workbench.",
        subcommands = {
            DemoCommand.class, ServeCommand.class, SamplesCommand.class, IngestCommand.class,
            EndpointsCommand.class, SearchCommand.class, DistributionCommand.class, ProcessCommand.class,
            SourcesCommand.class, VerifyCommand.class, ReindexCommand.class, RetentionCommand.class,
            UsersCommand.class, GroupsCommand.class, TokensCommand.class, AgentsCommand.class, AuditCommand.class, BenchCommand.class,
            trailhound.agent.AgentCommand.class, CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Exit status for bad input: a bad query, an unknown endpoint, an unreadable file; nothing was done. */
    static final int BAD_INPUT = 2;

    /** Exit status of an ingest that imported what it could, but rejected some records (or some files of several). */
    static final int PARTLY = 3;

    /** Held so the level set on it sticks: java.util.logging keeps loggers only weakly. */
    private static final java.util.logging.Logger LUCENE = java.util.logging.Logger.getLogger("org.apache.lucene");

    public static void main(String[] args) {
        // Lucene announces its vector support at INFO through java.util.logging: not ours to print on stderr
        LUCENE.setLevel(java.util.logging.Level.WARNING);
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams and returns the exit status (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new Errors());
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
