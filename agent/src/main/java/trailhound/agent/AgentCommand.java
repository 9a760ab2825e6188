package trailhound.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trailhound agent}: runs the endpoint agent (see {@link Agent}). Exit 0 when stopped, 2 when
 * the server refuses it for good or an option is wrong.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, subcommands = SnapshotCommand.class, version = "Trailhound agent " + Agent.VERSION,
        description = {"Runs the endpoint agent: connects out to a Trailhound server, enrols once with an enrolment token"
                + " (bin/trailhound tokens create), then streams this endpoint's events in acknowledged batches.",
            "Its identity (agent id, secret, the server's key pin) is kept owner-only in --state; keep that folder across upgrades.",
            "Without --replay it records this machine (Linux): process starts and ends, sockets, and file changes under --watch"
                + " folders (docs/live-endpoints.md), into its recorder database (store.db in --state).",
            "`agent snapshot --state DIR --out FILE` copies that database while the agent runs."})
public final class AgentCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    // not required by picocli: `agent snapshot` would then ask for it too
    @Option(names = "--server", paramLabel = "URL", description = "The server, e.g. https://trailhound.example:7070.")
    URI server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "An enrolment token (te_...), needed until the agent is enrolled.")
    String token;

    @Option(names = "--name", paramLabel = "NAME", description = "The endpoint name to enrol as (default: this machine's host name).")
    String name;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = "trailhound-agent",
            description = "The agent's own folder: identity and local store (default: ${DEFAULT-VALUE}).")
    Path state;

    @Option(names = "--server-pin", paramLabel = "SHA256", description = "The server's key pin (sha256/<base64> or hex, as serve prints"
            + " it); without it the key seen at enrolment is pinned.")
    String serverPin;

    @Option(names = "--replay", paramLabel = "FILE", description = "Stream this recorder database, Sysmon JSON/XML/.evtx or audit"
            + " log at --rate, in the file's order, each event stamped with the moment it is replayed.")
    Path replay;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "100", description = "Replay rate (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--store-cap", paramLabel = "EVENTS", defaultValue = "1000000",
            description = "Most unsent events kept; beyond it the oldest are dropped, with a gap event (default: ${DEFAULT-VALUE}).")
    long storeCap;

    @Option(names = "--recorder-max-events", paramLabel = "EVENTS", defaultValue = "5000000", description = "Most events the"
            + " recorder database keeps, sent or not; beyond it the oldest are removed, with a gap event (default: ${DEFAULT-VALUE}).")
    long recorderMaxEvents;

    @Option(names = "--recorder-max-bytes", paramLabel = "BYTES", defaultValue = "2147483648", description = "About the most"
            + " bytes the recorder database uses; beyond it the oldest events are removed, with a gap event; 0: no byte limit"
            + " (default: ${DEFAULT-VALUE}).")
    long recorderMaxBytes;

    @Option(names = "--batch", paramLabel = "EVENTS", defaultValue = "500", description = "Events per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--watch", paramLabel = "DIR", description = "Record file changes under this folder and its subfolders"
            + " (repeatable; not with --replay).")
    java.util.List<Path> watch = new java.util.ArrayList<>();

    @Option(names = "--poll-interval", paramLabel = "MS", defaultValue = "1000", description = "How often the recorder reads"
            + " /proc for processes and sockets, in milliseconds (default: ${DEFAULT-VALUE}).")
    long pollInterval;

    @Option(names = "--enforce-interval", paramLabel = "MS", defaultValue = "100", description = "While protection policies are in"
            + " force, how often new processes are looked for in /proc, in milliseconds: a block stops a matching process within"
            + " about this long of its start (default: ${DEFAULT-VALUE}).")
    long enforceInterval;

    @Option(names = "--allow-root", paramLabel = "DIR", description = "A folder the server may browse, read and delete in"
            + " (repeatable; default: the whole file system). Paths are resolved on the agent, links and .. followed, then checked.")
    java.util.List<Path> allowRoots = new java.util.ArrayList<>();

    @Option(names = "--deny", paramLabel = "DIR", description = "A folder the server may never reach (repeatable); the agent's"
            + " own --state folder is always denied.")
    java.util.List<Path> deny = new java.util.ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (server == null) {
            err.println("trailhound agent: --server URL is required (or `agent snapshot` to copy the recorder database)");
            return 2;
        }
        if (recorderMaxEvents < 2 || recorderMaxBytes < 0) {
            err.println("trailhound agent: --recorder-max-events must be at least 2 and --recorder-max-bytes at least 0");
            return 2;
        }
        String scheme = server.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || server.getHost() == null) {
            err.println("trailhound agent: --server must be an http(s)://host:port URL, not " + server);
            return 2;
        }
        String pin;
        try {
            pin = serverPin == null ? null : ServerPin.normalise(serverPin);
        } catch (IllegalArgumentException e) {
            err.println("trailhound agent: --server-pin: " + e.getMessage());
            return 2;
        }
        if (batch < 1 || batch > 10_000) {
            err.println("trailhound agent: --batch must be 1 to 10000 events, not " + batch);
            return 2;
        }
        if (replay != null) Replay.check(replay);
        if (enforceInterval < 10 || enforceInterval > 60_000) {
            err.println("trailhound agent: --enforce-interval must be 10 to 60000 ms, not " + enforceInterval);
            return 2;
        }
        if (pollInterval < 50 || pollInterval > 3_600_000) {
            err.println("trailhound agent: --poll-interval must be 50 to 3600000 ms, not " + pollInterval);
            return 2;
        }
        if (replay == null) {
            try {
                LinuxRecorder.check(Path.of("/proc"));
                for (Path w : watch) {
                    if (!java.nio.file.Files.isDirectory(w)) throw new IOException("--watch " + w + ": no such folder");
                }
            } catch (IOException e) {
                err.println("trailhound agent: " + e.getMessage());
                return 2;
            }
        } else if (!watch.isEmpty()) {
            err.println("trailhound agent: --watch records this machine, which --replay does not: give one or the other");
            return 2;
        }
        fileNameEncoding().ifPresent(warning -> {
            err.println(java.time.Instant.now() + " agent: " + warning);
            err.flush();
        });
        String endpoint = name != null ? name : Agent.hostname();
        try (LocalStore store = LocalStore.open(state, storeCap, endpoint,
                new LocalStore.RecorderLimits(recorderMaxEvents, recorderMaxBytes))) {
            FileRules rules; // after the store made the state folder: it is denied by its real path
            try {
                rules = FileRules.of(allowRoots, deny, state);
            } catch (IOException e) {
                err.println("trailhound agent: " + e.getMessage());
                return 2;
            }
            Protection protection = new Protection(store, err);
            FileService files;
            try {
                files = new FileService(rules, store, endpoint, new Captures(state), state.resolve("copies"));
            } catch (IOException e) {
                err.println("trailhound agent: cannot prepare " + state.resolve("copies") + " for copies of /proc files: " + e.getMessage());
                return 2;
            }
            Agent agent = new Agent(new Agent.Settings(server, token, endpoint, state, pin, batch), store, err, files, protection);
            Thread replaying = null;
            if (replay != null) {
                Replay r = new Replay(replay, rate, store, protection);
                replaying = Thread.ofPlatform().daemon().name("replay").start(() -> {
                    try {
                        long n = r.run();
                        err.println(java.time.Instant.now() + " agent: replay of " + replay + " complete (" + n + " events)");
                    } catch (IOException | RuntimeException e) {
                        err.println(java.time.Instant.now() + " agent: replay of " + replay + " stopped: " + e.getMessage());
                    }
                    err.flush();
                });
            }
            LinuxRecorder recorder = null;
            if (replay == null) {
                recorder = new LinuxRecorder(new LinuxRecorder.Settings(endpoint, java.time.Duration.ofMillis(pollInterval), watch,
                        Path.of("/proc"), Path.of("/etc/passwd")), store, err);
                recorder.start(protection, java.time.Duration.ofMillis(enforceInterval));
            }
            LinuxRecorder recording = recorder;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> { // SIGTERM: the JVM exits when this returns
                if (recording != null) recording.close();
                try {
                    agent.stopAndWait(Agent.STOP_GRACE.plusSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                closeQuietly(files, err);
            }));
            try {
                agent.run();
                return 0;
            } catch (Agent.Refused r) {
                err.println("trailhound agent: " + r.getMessage());
                return 2;
            } finally {
                if (replaying != null) replaying.interrupt();
                if (recorder != null) recorder.close();
                closeQuietly(files, err);
            }
        }
    }

    /*
     * Java encodes file names with sun.jnu.encoding, which it takes from the locale at start and which
     * -Dsun.jnu.encoding cannot change (JDK 17 to 25 ignore it on Linux). Under LC_ALL=C (a systemd unit
     * without LANG) it is ASCII: a name with any other character turns into U+FFFD wherever it becomes text
     * (recorded events, link targets, the command line's folders). Browsing, keeping and deleting files work
     * on the names' bytes (RawPaths) and are not affected. The launcher and the unit set LC_ALL=C.UTF-8;
     * this says so when the agent was started some other way.
     */

    /** A warning when this JVM cannot represent every file name (its file name encoding is not UTF-8), else empty. */
    static java.util.Optional<String> fileNameEncoding() {
        String jnu = System.getProperty("sun.jnu.encoding", "");
        if (jnu.replace("-", "").equalsIgnoreCase("UTF8")) return java.util.Optional.empty();
        return java.util.Optional.of("file names are encoded as " + jnu + " (from the locale: LC_ALL=" + System.getenv("LC_ALL") + ", LANG="
                + System.getenv("LANG") + "), so names holding other characters (non-ASCII) are misread in the events it records, in link"
                + " targets and in --allow-root, --deny, --state and --watch (browsing, keeping and deleting files reach them by their bytes);"
                + " start the agent with LC_ALL=C.UTF-8 in its environment (bin/trailhound and the systemd unit do; -Dsun.jnu.encoding"
                + " does not work)");
    }

    private static void closeQuietly(FileService files, PrintWriter err) {
        try {
            files.close();
        } catch (IOException e) {
            err.println(java.time.Instant.now() + " agent: cannot remove its copies of /proc files: " + e.getMessage());
            err.flush();
        }
    }
}
