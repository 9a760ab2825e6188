package trailhound.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trailhound agent snapshot --state DIR --out FILE|FOLDER}: {@link AgentSnapshot} from the command line. Exit 0 or 2. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = {"Copies this endpoint's recorder database consistently, while the agent runs, for taking it off by hand:"
                + " ingest the copy on the server (bin/trailhound ingest, or Saved evidence > Upload snapshot)."})
final class SnapshotCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = "trailhound-agent",
            description = "The agent's state folder (default: ${DEFAULT-VALUE}; the systemd unit's is /var/lib/trailhound-agent).")
    Path state;

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "The copy to write; a folder gets"
            + " <host>_YYYY_MM_DDTHH.MM.SS.mmmZ.db, named from the capture time (UTC); a trailing / means a folder.")
    String out;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Path target = Path.of(out);
            // Path drops a trailing separator: without this, "snaps/" for a missing folder became a file named snaps
            if ((out.endsWith("/") || out.endsWith(java.io.File.separator)) && !Files.isDirectory(target)) {
                throw new IOException("cannot write into " + out + ": the folder " + target + (Files.exists(target) ? " is not a folder"
                        : " does not exist") + "; create it first, or give --out an existing folder or a file in one");
            }
            AgentSnapshot.Captured c = AgentSnapshot.capture(state, target);
            stdout.printf("%s: %,d bytes, %,d events of %s, captured %s%n", c.file(), c.size(), c.events(), c.host(),
                    Instant.ofEpochMilli(c.capturedAt()));
            stdout.flush();
            return 0;
        } catch (IOException e) {
            err.println("trailhound agent snapshot: " + e.getMessage());
            err.flush();
            return 2;
        }
    }
}
