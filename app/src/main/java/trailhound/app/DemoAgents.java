package trailhound.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import trailhound.access.Access;
import trailhound.access.Caller;
import trailhound.agent.AgentMain;

/*
 * Why child JVMs: the agent is its own program (its own jar, no web app), and the demo should show
 * the real thing, enrolment and reconnects included. Their cost on the shared 2-core budget is kept
 * small: a 128 MB heap at most, the C1 compiler only and the serial collector (about 60-90 MB resident each,
 * a second of one core to start), and a modest replay rate. Each agent's state folder (identity,
 * local store) and log live under the demo's data folder, so a demo run again resumes them where
 * they were, without new tokens.
 */

/**
 * The demo's live agents: replay agents on loopback, each streaming one of the demo's generated
 * recorder databases at {@value #RATE} events/s under its own endpoint name, so that Live Endpoints
 * shows endpoints online and events arriving. The first ({@code demo-live-1}) is in group
 * {@value #STREAMING_GROUP}, set to stream always; the second ({@code demo-live-2}) sends only while
 * an analyst's live connection is open on it. Their output goes to {@code demo-agents/NAME.log} in
 * the data folder; {@link #close} stops them (the demo's shutdown hook calls it). Not thread-safe:
 * started and closed once.
 */
final class DemoAgents implements AutoCloseable {
    static final String FOLDER = "demo-agents";
    static final String STREAMING_GROUP = "Demo streaming";
    static final double RATE = 20;
    /**
     * The third agent records this machine (no --replay: the agent's /proc recorder, Linux only) and
     * sends while an analyst is connected to it, so a demo on a laptop streams nothing unasked.
     */
    static final boolean RECORD_THIS_MACHINE = System.getProperty("os.name", "").startsWith("Linux");
    static final String THIS_MACHINE = "demo-live-this-machine";
    // 128 MB: an agent lists a quarter of its heap's worth of entries (Listings: 129,761 here, so a folder of 100,000 whole,
    // 17.9 MB of heap); with 48 MB a folder was cut at ~30,000
    private static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-Xss512k", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:CICompilerCount=1", "--enable-native-access=ALL-UNNAMED");
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);

    private final List<Process> processes = new ArrayList<>();

    private DemoAgents() {}

    /**
     * Starts the demo's agents against the server at {@code serverUrl} (plain HTTP on loopback),
     * enrolling those not enrolled yet with enrolment tokens made here (audited as made by the
     * command line). Replays the first two {@code samples/*.db} of the data folder; none when the
     * folder has no generated samples (said on {@code out}).
     *
     * @throws IOException when a state folder or log cannot be made or a JVM cannot be started
     */
    static DemoAgents start(Path root, Access access, String serverUrl, PrintWriter out) throws IOException {
        DemoAgents agents = new DemoAgents();
        List<Path> samples = samples(root.resolve("samples"));
        if (samples.size() < 2) {
            out.println("No generated samples in " + root.resolve("samples") + ": the demo starts no live agents.");
            return agents;
        }
        try {
            ensureStreamingGroup(access);
            agents.add(root, access, serverUrl, "demo-live-1", STREAMING_GROUP, samples.get(0), out);
            agents.add(root, access, serverUrl, "demo-live-2", null, samples.get(1), out);
            if (RECORD_THIS_MACHINE) agents.add(root, access, serverUrl, THIS_MACHINE, null, null, out);
        } catch (IOException | RuntimeException e) {
            agents.close();
            throw e;
        }
        out.println("Live agents: demo-live-1 (streams always, group '" + STREAMING_GROUP + "') and demo-live-2 (sends while connected),"
                + " replaying generated samples at " + (int) RATE + " events/s" + (RECORD_THIS_MACHINE ? "; " + THIS_MACHINE
                        + " records this machine (sends while connected)" : "") + "; logs in " + root.resolve(FOLDER));
        return agents;
    }

    /** The running agent processes (for tests). */
    List<ProcessHandle> processes() {
        return processes.stream().map(Process::toHandle).toList();
    }

    private void add(Path root, Access access, String serverUrl, String name, String group, Path replay, PrintWriter out)
            throws IOException {
        if (access.agents().agents().stream().anyMatch(a -> a.endpoint().equals(name) && a.revoked() != null)) {
            out.println("The demo's agent " + name + " was revoked: not started (its endpoint and events stay).");
            return;
        }
        Path folder = root.resolve(FOLDER);
        Files.createDirectories(folder);
        Path state = folder.resolve(name);
        stopLeftOver(state);
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of("--server", serverUrl, "--state", state.toString(), "--name", name));
        // the server's data folder (server.db, sessions, the initial admin password) is never an analyst's to browse or keep
        command.addAll(List.of("--deny", root.toAbsolutePath().toString()));
        if (!Files.exists(state.resolve("identity.properties"))) {
            // one use, short-lived: made for this agent now, useless to anyone once it enrolled
            command.addAll(List.of("--token", access.agents().create(Caller.commandLine(), group, Duration.ofHours(1), 1).secret()));
        }
        if (replay != null) command.addAll(List.of("--replay", replay.toString(), "--rate", Double.toString(RATE), "--batch", "100"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve(name + ".log").toFile())).start();
        processes.add(p);
        Files.writeString(folder.resolve(name + ".pid"), Long.toString(p.pid()));
    }

    /**
     * Stops each agent (SIGTERM: its shutdown hook closes its store cleanly), waits up to
     * {@link #STOP_PATIENCE} in all, then kills what is left.
     */
    @Override
    public void close() {
        for (Process p : processes) p.destroy();
        long deadline = System.nanoTime() + STOP_PATIENCE.toNanos();
        for (Process p : processes) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) p.destroyForcibly().waitFor();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }

    /**
     * An agent a killed demo (kill -9: no shutdown hook) left running still holds its state folder:
     * stopped, when the recorded pid is still an agent of that folder.
     */
    private static void stopLeftOver(Path state) throws IOException {
        Path pidFile = state.resolveSibling(state.getFileName() + ".pid");
        if (!Files.exists(pidFile)) return;
        Optional<ProcessHandle> old;
        try {
            old = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (NumberFormatException e) {
            old = Optional.empty();
        }
        old.filter(h -> h.info().arguments().map(a -> List.of(a).contains(state.toString())).orElse(false)).ifPresent(h -> {
            h.destroy();
            h.onExit().orTimeout(STOP_PATIENCE.toSeconds(), TimeUnit.SECONDS).exceptionally(t -> null).join();
            if (h.isAlive()) h.destroyForcibly();
        });
        Files.delete(pidFile);
    }

    private static void ensureStreamingGroup(Access access) {
        if (access.groups().find(STREAMING_GROUP).isEmpty()) {
            access.groups().create(Caller.commandLine(), STREAMING_GROUP, null, List.of());
            access.groups().setStream(Caller.commandLine(), STREAMING_GROUP, true);
        }
    }

    private static List<Path> samples(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".db")).sorted().toList();
        }
    }

    /**
     * How to run the agent: its own jar ({@code agent/target/trailhound-agent.jar} beside the app's
     * build) when there is one, else the agent's classes on this JVM's own class path.
     */
    static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JVM_OPTIONS);
        Optional<Path> jar = agentJar();
        if (jar.isPresent()) {
            command.addAll(List.of("-jar", jar.get().toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentMain.class.getName()));
        }
        return command;
    }

    private static Optional<Path> agentJar() {
        try {
            // app/target/trailhound.jar or app/target/classes: the source tree's root is three levels up
            Path app = Path.of(DemoAgents.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            Path root = app.getParent() == null || app.getParent().getParent() == null ? null : app.getParent().getParent().getParent();
            Path jar = root == null ? null : root.resolve("agent/target/trailhound-agent.jar");
            return jar != null && Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
