package trailhound.samples;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.recorder.RecorderProcess;
import trailhound.recorder.RecorderStory;
import trailhound.recorder.RecorderWriter;
import trailhound.schema.Field;

/**
 * Scripted processes and events of the attack stories, written in story order and merged into the
 * background stream by time. Process rows are kept consistent with their start and end events.
 */
final class Script {
    /** One scripted event; {@code details} alternates a {@link Field} and its value. */
    record Scripted(long ts, String type, String operation, String processKey, Object[] details) {}

    /** A process a script refers to: a background one or one it started. */
    record Ref(String key, int pid, String path, String commandLine) {
        static Ref of(Simulator.Proc p) {
            return new Ref(p.key, p.pid, p.program.path, p.commandLine);
        }
    }

    private final Simulator sim;
    private final List<Scripted> events = new ArrayList<>();
    private final Map<String, RecorderProcess> processes = new LinkedHashMap<>();
    private final List<RecorderStory> stories = new ArrayList<>();

    Script(Simulator sim) {
        this.sim = sim;
    }

    /** Starts a process (start event at {@code ts}); {@code signer} null means unsigned. */
    Ref start(long ts, Ref parent, String path, String commandLine, String user, String cwd, String signer) {
        String key = sim.newKey(ts);
        int pid = sim.reservePid();
        Hashes h = sim.hashesOf(path);
        String name = path.substring(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
        String status = signer != null ? "valid" : path.startsWith("/") && !path.startsWith("/Users") && !path.startsWith("/Volumes") ? null : "unsigned";
        processes.put(key, new RecorderProcess(key, pid, parent.pid(), parent.key(), path, name, commandLine, user, cwd,
                h.md5(), h.sha1(), h.sha256(), signer, status, ts, null));
        event(ts, key, "process", "start");
        return new Ref(key, pid, path, commandLine);
    }

    void end(long ts, Ref proc) {
        RecorderProcess p = processes.get(proc.key());
        processes.put(proc.key(), p.endedAt(ts));
        event(ts, proc.key(), "process", "end");
    }

    void event(long ts, String processKey, String type, String operation, Object... details) {
        events.add(new Scripted(ts, type, operation, processKey, details));
    }

    void event(long ts, Ref proc, String type, String operation, Object... details) {
        event(ts, proc.key(), type, operation, details);
    }

    void story(String id, String title, String description, Ref... procs) {
        stories.add(new RecorderStory(id, title, description, java.util.Arrays.stream(procs).map(Ref::key).toList()));
    }

    /** The events in time order (stable: same-time events keep script order). */
    List<Scripted> events() {
        List<Scripted> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(Scripted::ts));
        return sorted;
    }

    void writeProcessesAndStories(RecorderWriter writer) {
        processes.values().forEach(writer::addProcess);
        stories.forEach(writer::addStory);
    }

    static Object[] connect(String localIp, int localPort, String remoteIp, int remotePort) {
        return new Object[] {Field.LOCAL_IP, localIp, Field.LOCAL_PORT, localPort, Field.REMOTE_IP, remoteIp,
            Field.REMOTE_PORT, remotePort, Field.PROTOCOL, "tcp", Field.DIRECTION, "outbound"};
    }
}
