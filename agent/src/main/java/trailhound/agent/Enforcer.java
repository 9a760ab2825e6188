package trailhound.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import trailhound.protocol.PolicyRules;
import trailhound.schema.Event;
import trailhound.schema.Field;

/*
 * Why a scan of its own: the recorder reads /proc in full once a second (hashes, sockets, the store's
 * transaction), and a process that lives less than that is often never seen (docs/live-endpoints.md).
 * While policies are in force, this thread lists /proc every `interval` (100 ms by default) and reads
 * only the stat of each pid, looking for a (pid, start time) it has not seen or whose command name
 * changed (an execve: a process Java or a shell starts is first a copy of its parent); only those are
 * read further (exe, cmdline, parent's exe, the hash when a rule names one) and matched. So a block
 * happens within about one interval of the program's start, and nothing faster is possible by polling:
 * the kernel's proc connector (netlink, exec events as they happen) and fanotify's permission events
 * (which could refuse the exec itself) both need root and native code, which this Java agent does not
 * use. A process that starts and ends within one interval is not seen at all.
 *
 * Processes already running when the policies arrive (or when the agent starts) are not matched: a
 * policy stops what starts after it; the process page's Kill stops one that runs.
 *
 * The pid is checked again right before the kill: its start time must still be the one matched, so
 * a pid reused in between is never killed. (Between that read and the kill there is still a window of
 * microseconds; a pidfd would close it, Java offers none.)
 */

/**
 * Enforces {@link Protection}'s policies on this Linux machine: a new process that a rule matches is
 * recorded as a {@code policy} event, and with a block policy stopped first (SIGKILL). Runs on its own
 * thread while any policy is in force; {@link #close} stops it.
 */
final class Enforcer implements AutoCloseable {
    /** The process key of (pid, start ticks), as the recorder computes it. */
    interface Keys {
        String key(int pid, long startTicks);
    }

    private record Seen(long startTicks, String comm) {}

    private final Protection protection;
    private final LocalStore store;
    private final PrintWriter log;
    private final ProcFs proc;
    private final Path procRoot;
    private final Users users;
    private final ExecutableHashes hashes;
    private final Keys keys;
    private final long self = ProcessHandle.current().pid();
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("enforcer").unstarted(r));
    /** Confined to the scanner thread. */
    private Map<Integer, Seen> seen = new HashMap<>();
    private boolean baselined;
    private long counter;
    private final java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    private long scans;
    private long scanCpuNanos;

    Enforcer(Protection protection, LocalStore store, PrintWriter log, Path procRoot, Path passwd, ExecutableHashes hashes, Keys keys) {
        this.protection = protection;
        this.store = store;
        this.log = log;
        this.procRoot = procRoot;
        this.proc = new ProcFs(procRoot);
        this.users = new Users(passwd);
        this.hashes = hashes;
        this.keys = keys;
    }

    /** Scans every {@code interval} from now on; the first scan with policies in force only notes what runs. */
    void start(Duration interval) {
        scanner.scheduleWithFixedDelay(this::scanSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        protection.onChange(() -> {
            try {
                scanner.submit(this::scanSafely).get(10, TimeUnit.SECONDS); // what runs now is noted before "policies received"
            } catch (Exception e) {
                // the scheduled scans go on
            }
        });
    }

    private void scanSafely() {
        try {
            long before = cpu.getCurrentThreadCpuTime();
            scan();
            if (!protection.isEmpty() && ++scans <= 101) {
                if (scans > 1) scanCpuNanos += cpu.getCurrentThreadCpuTime() - before; // the first reads every process: left out
                if (scans == 101) log(String.format("CPU per policy scan: %.2f ms on average over 100 (%d processes)", scanCpuNanos / 100 / 1e6,
                        seen.size()));
            }
        } catch (IOException | RuntimeException e) {
            log("policy scan failed (trying again at the next): " + e);
        }
    }

    private void scan() throws IOException {
        if (protection.isEmpty()) {
            seen = new HashMap<>();
            baselined = false;
            return;
        }
        Map<Integer, ProcFs.Stat> fresh = new HashMap<>();
        Map<Integer, Seen> now = new HashMap<>();
        for (int pid : proc.pids()) {
            ProcFs.Stat s = proc.stat(pid);
            if (s == null || s.kernelThread()) continue;
            now.put(pid, new Seen(s.startTicks(), s.comm()));
            Seen before = seen.get(pid);
            if (before == null || before.startTicks() != s.startTicks() || !before.comm().equals(s.comm())) fresh.put(pid, s);
        }
        seen = now;
        if (!baselined) { // what ran before the policies (or the agent) is left alone
            baselined = true;
            return;
        }
        for (ProcFs.Stat s : fresh.values()) check(s, now);
    }

    private void check(ProcFs.Stat s, Map<Integer, Seen> now) throws IOException {
        int pid = s.pid();
        if (pid == self) return;
        String exe = proc.link(pid, "exe");
        if (exe == null) return; // gone already, or not ours to read (not root)
        String commandLine = proc.commandLine(pid);
        String parentPath = proc.link(s.ppid(), "exe");
        String sha256 = null;
        String hashStatus = null;
        if (protection.needsHash()) {
            ExecutableHashes.Result r;
            try {
                r = hashes.hash(procRoot.resolve(pid + "/exe")).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                r = new ExecutableHashes.Result(null, ExecutableHashes.TIMEOUT);
            }
            sha256 = r.sha256();
            hashStatus = r.status();
        }
        List<Protection.Hit> hits = protection.hits(new PolicyRules.Process(exe, commandLine, sha256, parentPath));
        if (hits.isEmpty()) return;
        String stopped = null;
        long ts = System.currentTimeMillis();
        Integer uid = proc.realUid(pid);
        Seen parent = now.get(s.ppid());
        Event.Builder fields = Event.builder().set(Field.PROCESS_KEY, keys.key(pid, s.startTicks())).set(Field.PID, pid)
                .set(Field.PPID, s.ppid()).set(Field.PARENT_KEY, parent == null ? null : keys.key(s.ppid(), parent.startTicks()))
                .set(Field.PROCESS_PATH, exe).set(Field.PROCESS_NAME, exe.substring(exe.lastIndexOf('/') + 1))
                .set(Field.COMMAND_LINE, commandLine).set(Field.USER, uid == null ? null : users.name(uid))
                .set(Field.HASH_SHA256, sha256).set(Field.HASH_STATUS, hashStatus).set(Field.PARENT_PATH, parentPath);
        List<Event> events = new java.util.ArrayList<>();
        for (Protection.Hit hit : hits) {
            String outcome;
            if (hit.block()) {
                if (stopped == null) stopped = stop(s);
                outcome = stopped;
            } else {
                outcome = "alerted";
            }
            events.add(Protection.event("pol" + Long.toHexString(ts) + "-" + pid + "-" + counter++, ts, hit, fields, outcome));
            log("policy '" + hit.policy().name() + "' (" + hit.policy().action() + ", rule " + hit.rule().id() + ") matched pid " + pid
                    + " " + exe + ": " + outcome);
        }
        store.append(events, -1);
        protection.recorded(events); // sent at once, streaming or not, so the alert does not wait for an analyst
    }

    /** Stops the process if it is still the one matched: {@code stopped}, or {@code failed: <reason>}. */
    private String stop(ProcFs.Stat s) {
        if (s.pid() == 1) return "failed: the agent never stops pid 1 (init)";
        ProcFs.Stat again = proc.stat(s.pid());
        if (again == null || again.startTicks() != s.startTicks()) return "failed: the process ended before it could be stopped";
        Optional<ProcessHandle> handle = ProcessHandle.of(s.pid());
        if (handle.isEmpty()) return "failed: the process ended before it could be stopped";
        try {
            if (!handle.get().destroyForcibly()) {
                return "failed: the operating system refused to stop it (the agent runs as " + System.getProperty("user.name") + ")";
            }
        } catch (SecurityException e) {
            return "failed: " + e.getMessage();
        }
        return "stopped";
    }

    private void log(String line) {
        synchronized (log) {
            log.println(Instant.now() + " agent: " + line);
            log.flush();
        }
    }

    @Override
    public void close() {
        scanner.shutdownNow();
        try {
            scanner.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
