package trailhound.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import trailhound.schema.Event;
import trailhound.schema.Field;

/*
 * How it works. Every poll lists /proc, reads each process's stat (pid, ppid, comm, starttime) and
 * compares (pid, starttime) with the processes it has already reported: a new pair is a process start
 * (details read now: exe, cmdline, cwd, uid), a vanished pair a process end, seen at the poll. A
 * process's start time is starttime (clock ticks after boot) + the boot time, so its process_key is
 * the same at every poll and after an agent restart. The boot time is kept with the state: the btime
 * the kernel reports can move by a second when the clock is adjusted, which would change every key.
 *
 * A start event waits, at most HASH_GIVE_UP, for its executable's hash (computed off this thread), so
 * the poll never blocks on a large file; a process that ends first is reported started and ended.
 *
 * Then the socket tables: a new established or listening socket (by inode) is an event; its owner is
 * found through /proc/<pid>/fd, walked only when a socket's inode is not known yet.
 *
 * Exactly once: what has been reported (live processes, sockets, counters) is written in the store's
 * transaction with the events (LocalStore.record), which makes each event a row of the agent's recorder
 * database and gives it that row's uid (r<recorder>-<id>, as a snapshot of the database gives it): the
 * uids set here only tell events apart before they are stored. A restart therefore reports nothing
 * twice, and reports the processes that ended while it was down as ended at its first poll.
 */

/**
 * The Linux recorder: records this machine's process starts and ends, established and listening
 * sockets with their owning process (polling {@code /proc} every {@code poll}) and file changes under
 * the watched folders ({@link FileWatcher}) into the agent's local store, from where they stream to
 * the server. See docs/live-endpoints.md for the events, their fields and what it cannot see.
 * Thread-confined: the poll runs on its own thread, the file watcher on another; {@link #close()}
 * stops both.
 */
final class LinuxRecorder implements AutoCloseable {
    static final Duration HASH_WAIT_PER_POLL = Duration.ofMillis(200);
    static final Duration HASH_GIVE_UP = Duration.ofSeconds(30);
    static final long MAX_HASH_BYTES = 256L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code endpoint} goes into every process key; {@code proc} is {@code /proc}. */
    record Settings(String endpoint, Duration poll, List<Path> watch, Path proc, Path passwd) {}

    /** A process as reported: the fields its events carry. Kept (as JSON) in the store while it runs. */
    record Proc(String id, int pid, int ppid, long startTicks, long startMs, String key, String parentKey, String comm, String path,
            String commandLine, String cwd, String user, String sha256, String hashStatus, String parentPath,
            String parentCommandLine) {}

    /** A process seen but not yet reported: its hash is on the way. {@code exec}: a new program in a known process. */
    private record Pending(Proc proc, CompletableFuture<ExecutableHashes.Result> hash, long seenAt, boolean exec) {}

    private final Settings settings;
    private final LocalStore store;
    private final PrintWriter log;
    private final ProcFs proc;
    private final Users users;
    private final ExecutableHashes hashes = new ExecutableHashes(MAX_HASH_BYTES, 4096);
    /** Processes reported and running, by id; read by the enforcer's thread too ({@link #key}). */
    private final Map<String, Proc> live = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Set<String> sockets = new HashSet<>();
    private Map<Long, Integer> socketOwners = Map.of();
    private long bootMs;
    private long ticksPerSecond;
    private String bootTag;
    private String recorderId;
    private long fileSeq;
    private ScheduledExecutorService poller;
    private FileWatcher watcher;
    private Enforcer enforcer;
    private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    private long polls;
    private long pollCpuNanos;
    private long firstPollCpuNanos;

    LinuxRecorder(Settings settings, LocalStore store, PrintWriter log) {
        this.settings = settings;
        this.store = store;
        this.log = log;
        this.proc = new ProcFs(settings.proc());
        this.users = new Users(settings.passwd());
    }

    /** Checks that this is Linux with a readable /proc before the agent connects. */
    static void check(Path proc) throws IOException {
        if (!Files.isReadable(proc.resolve("stat")) || !Files.isDirectory(proc.resolve("self"))) {
            throw new IOException("recording needs Linux's /proc (" + proc + "/stat is not readable): on another system use --replay");
        }
    }

    /** Loads what was reported before, then polls every {@code poll} and watches the folders, until closed. */
    void start() throws IOException {
        start(null, null);
    }

    /**
     * As {@link #start()}, and enforces {@code protection}'s policies on new processes, scanning every
     * {@code enforceInterval} while any is in force ({@link Enforcer}); null: none.
     */
    void start(Protection protection, Duration enforceInterval) throws IOException {
        load();
        if (protection != null) {
            enforcer = new Enforcer(protection, store, log, settings.proc(), settings.passwd(), hashes, this::key);
            enforcer.start(enforceInterval);
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("recorder").unstarted(r));
        poller.scheduleWithFixedDelay(this::pollSafely, 0, settings.poll().toMillis(), TimeUnit.MILLISECONDS);
        if (!settings.watch().isEmpty()) {
            watcher = new FileWatcher(settings.watch(), this::fileChanges, this::log);
            watcher.start();
        }
        log("recording this machine: processes and sockets from " + settings.proc() + " every " + settings.poll().toMillis()
                + " ms" + (settings.watch().isEmpty() ? "" : ", files under " + settings.watch()));
    }

    private void load() throws IOException {
        long btime = proc.bootTimeSeconds() * 1000;
        ticksPerSecond = proc.clockTicks();
        String bootId = proc.bootId();
        List<Event> ended = new ArrayList<>();
        store.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS recorder_processes (id TEXT PRIMARY KEY, fields TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS recorder_sockets (id TEXT PRIMARY KEY)");
            }
            return null;
        });
        recorderId = store.meta("recorder_id");
        String seq = store.meta("recorder_file_seq");
        fileSeq = seq == null ? 0 : Long.parseLong(seq);
        boolean sameBoot = bootId.equals(store.meta("recorder_boot_id"));
        bootMs = sameBoot ? Long.parseLong(store.meta("recorder_boot_ms")) : btime;
        bootTag = HexFormat.of().formatHex(sha256(bootId), 0, 8);
        store.inTransaction(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT fields FROM recorder_processes")) {
                while (rs.next()) {
                    Proc p = JSON.readValue(rs.getString(1), Proc.class);
                    if (sameBoot) {
                        live.put(p.id(), p);
                    } else {
                        ended.add(end(p, bootMs)); // the machine restarted: it ended at the latest then
                    }
                }
            }
            if (sameBoot) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM recorder_sockets")) {
                    while (rs.next()) sockets.add(rs.getString(1));
                }
            }
            return null;
        });
        if (recorderId == null) recorderId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        store.record(ended, c -> {
            if (!sameBoot) {
                try (Statement s = c.createStatement()) {
                    s.execute("DELETE FROM recorder_processes");
                    s.execute("DELETE FROM recorder_sockets");
                }
            }
            putMeta(c, "recorder_boot_id", bootId);
            putMeta(c, "recorder_boot_ms", Long.toString(bootMs));
            putMeta(c, "recorder_id", recorderId);
            return null;
        });
    }

    private void pollSafely() {
        try {
            long before = cpu.getCurrentThreadCpuTime();
            pollOnce();
            long used = cpu.getCurrentThreadCpuTime() - before;
            if (polls++ == 0) {
                firstPollCpuNanos = used;
            } else {
                pollCpuNanos += used;
            }
            if (polls == 61) { // once, for the operator and docs/live-endpoints.md: the first poll reads every process in full
                log(String.format("CPU per poll: %.1f ms the first (%d processes read in full), then %.2f ms on average over 60",
                        firstPollCpuNanos / 1e6, live.size(), pollCpuNanos / 60 / 1e6));
            }
        } catch (IOException | RuntimeException e) {
            log("poll failed (trying again at the next): " + e);
        }
    }

    /** One poll: processes, then sockets; their events and the state they change in one transaction. */
    void pollOnce() throws IOException {
        long now = System.currentTimeMillis();
        Map<Integer, ProcFs.Stat> scan = new HashMap<>();
        for (int pid : proc.pids()) {
            ProcFs.Stat s = proc.stat(pid);
            if (s != null && !s.kernelThread()) scan.put(pid, s);
        }
        List<Event> events = new ArrayList<>();
        Map<String, Proc> changed = new HashMap<>();
        Set<String> gone = new HashSet<>();

        for (ProcFs.Stat s : scan.values()) {
            String id = id(s.pid(), s.startTicks());
            Proc known = live.get(id);
            if (known == null && !pending.containsKey(id)) {
                pending.put(id, seen(s, scan, now, false));
            } else if (known != null && !s.comm().equals(known.comm()) && !pending.containsKey(id)) {
                execCheck(known, s, scan, now, changed);
            }
        }
        awaitHashes();
        for (var it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            ProcFs.Stat s = scan.get(p.proc().pid());
            boolean running = s != null && s.startTicks() == p.proc().startTicks();
            if (!p.hash().isDone() && running && now - p.seenAt() < HASH_GIVE_UP.toMillis()) continue;
            ExecutableHashes.Result r = p.hash().getNow(new ExecutableHashes.Result(null, running ? ExecutableHashes.TIMEOUT
                    : ExecutableHashes.UNREADABLE));
            Proc done = withHash(p.proc(), r);
            Proc before = p.exec() ? live.get(done.id()) : null;
            if (before != null) events.add(end(before, now)); // the old program ended: execve replaced it
            events.add(start(done, p.exec() ? now : done.startMs()));
            live.put(done.id(), done);
            changed.put(done.id(), done);
            it.remove();
        }
        for (var it = live.values().iterator(); it.hasNext(); ) {
            Proc p = it.next();
            ProcFs.Stat s = scan.get(p.pid());
            if (s == null || s.startTicks() != p.startTicks()) {
                events.add(end(p, now));
                it.remove();
                changed.remove(p.id());
                gone.add(p.id());
            }
        }
        Set<String> socketsAdded = new HashSet<>();
        Set<String> socketsGone = new HashSet<>();
        sockets(scan, now, events, socketsAdded, socketsGone);
        if (events.isEmpty() && changed.isEmpty() && gone.isEmpty() && socketsGone.isEmpty()) return;
        store.record(events, c -> {
            try (PreparedStatement put = c.prepareStatement("INSERT OR REPLACE INTO recorder_processes(id, fields) VALUES (?, ?)");
                 PreparedStatement del = c.prepareStatement("DELETE FROM recorder_processes WHERE id = ?");
                 PreparedStatement sockPut = c.prepareStatement("INSERT OR IGNORE INTO recorder_sockets(id) VALUES (?)");
                 PreparedStatement sockDel = c.prepareStatement("DELETE FROM recorder_sockets WHERE id = ?")) {
                for (Proc p : changed.values()) {
                    put.setString(1, p.id());
                    put.setString(2, JSON.writeValueAsString(p));
                    put.executeUpdate();
                }
                for (String id : gone) {
                    del.setString(1, id);
                    del.executeUpdate();
                }
                for (String id : socketsAdded) {
                    sockPut.setString(1, id);
                    sockPut.executeUpdate();
                }
                for (String id : socketsGone) {
                    sockDel.setString(1, id);
                    sockDel.executeUpdate();
                }
            }
            return null;
        });
    }

    /** A process seen for the first time (or with a new program): its details now, its hash on the way. */
    private Pending seen(ProcFs.Stat s, Map<Integer, ProcFs.Stat> scan, long now, boolean exec) {
        int pid = s.pid();
        String exe = proc.link(pid, "exe");
        Integer uid = proc.realUid(pid);
        ProcFs.Stat parent = scan.get(s.ppid());
        String parentKey = null;
        Proc parentProc = null;
        if (parent != null) {
            parentKey = key(parent.pid(), parent.startTicks());
            String parentId = id(parent.pid(), parent.startTicks());
            parentProc = live.containsKey(parentId) ? live.get(parentId)
                    : pending.containsKey(parentId) ? pending.get(parentId).proc() : null;
        }
        long startMs = startMs(s.startTicks());
        // a new program in a known process is a new process key, as the auditd import keys each execve (the key of
        // the time it was seen): the old program's start and its rows stay as they were reported
        String key = exec ? LinuxProcessKey.of(settings.endpoint(), pid, now) : key(pid, s.startTicks());
        Proc p = new Proc(id(pid, s.startTicks()), pid, s.ppid(), s.startTicks(), startMs, key, parentKey, s.comm(),
                exe, proc.commandLine(pid), proc.link(pid, "cwd"), uid == null ? null : users.name(uid), null, null,
                parentProc == null ? null : parentProc.path(), parentProc == null ? null : parentProc.commandLine());
        CompletableFuture<ExecutableHashes.Result> hash = exe == null
                ? CompletableFuture.completedFuture(new ExecutableHashes.Result(null, ExecutableHashes.UNREADABLE))
                : hashes.hash(settings.proc().resolve(pid + "/exe"));
        return new Pending(p, hash, now, exec);
    }

    /**
     * The command name changed: the process may have run execve without forking (a shell's last
     * command, {@code exec prog}); a new program is a new start event of the same process. A changed
     * name alone (prctl PR_SET_NAME) only updates what is kept.
     */
    private void execCheck(Proc known, ProcFs.Stat s, Map<Integer, ProcFs.Stat> scan, long now, Map<String, Proc> changed) {
        String exe = proc.link(s.pid(), "exe");
        String commandLine = proc.commandLine(s.pid());
        if (exe != null && (!exe.equals(known.path()) || commandLine != null && !commandLine.equals(known.commandLine()))) {
            pending.put(known.id(), seen(s, scan, now, true));
        } else {
            Proc renamed = new Proc(known.id(), known.pid(), known.ppid(), known.startTicks(), known.startMs(), known.key(),
                    known.parentKey(), s.comm(), known.path(), known.commandLine(), known.cwd(), known.user(), known.sha256(),
                    known.hashStatus(), known.parentPath(), known.parentCommandLine());
            live.put(known.id(), renamed);
            changed.put(known.id(), renamed);
        }
    }

    private void awaitHashes() {
        if (pending.isEmpty()) return;
        CompletableFuture<?> all = CompletableFuture.allOf(pending.values().stream().map(Pending::hash).toArray(CompletableFuture[]::new));
        try {
            all.get(HASH_WAIT_PER_POLL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // the slow ones are reported at a later poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sockets(Map<Integer, ProcFs.Stat> scan, long now, List<Event> events, Set<String> added, Set<String> gone) {
        List<ProcNet.Socket> all = ProcNet.read(settings.proc());
        Set<Integer> listening = new HashSet<>();
        for (ProcNet.Socket s : all) {
            if (s.protocol().equals("tcp") && s.state().equals("listen")) listening.add(s.localPort());
        }
        Set<String> present = new HashSet<>();
        boolean walked = false;
        for (ProcNet.Socket s : all) {
            if (s.inode() == 0) continue; // no process holds it any more
            String operation = s.state().equals("listen") ? "listen"
                    : s.protocol().equals("tcp") && listening.contains(s.localPort()) ? "accept" : "connect";
            String id = s.inode() + ":" + operation;
            present.add(id);
            if (sockets.contains(id)) continue;
            Integer owner = socketOwners.get(s.inode());
            if (owner == null && !walked) {
                socketOwners = owners(scan);
                walked = true;
                owner = socketOwners.get(s.inode());
            }
            Event.Builder e = Event.builder().set(Field.EVENT_UID, "ln" + bootTag + ":" + id).ts(now).set(Field.TYPE, "network")
                    .set(Field.OPERATION, operation).set(Field.PROTOCOL, s.protocol())
                    .set(Field.LOCAL_IP, s.localIp()).set(Field.LOCAL_PORT, s.localPort());
            if (!operation.equals("listen")) {
                e.set(Field.REMOTE_IP, s.remoteIp()).set(Field.REMOTE_PORT, s.remotePort())
                        .set(Field.DIRECTION, operation.equals("accept") ? "inbound" : "outbound");
            }
            ProcFs.Stat ownerStat = owner == null ? null : scan.get(owner);
            String ownerId = ownerStat == null ? null : id(owner, ownerStat.startTicks());
            Proc p = ownerId == null ? null : live.containsKey(ownerId) ? live.get(ownerId)
                    : pending.containsKey(ownerId) ? pending.get(ownerId).proc() : null; // its start waits for a hash
            if (p != null) {
                processFields(e, p);
            } else if (owner != null) {
                e.set(Field.PID, owner);
            }
            events.add(e.build());
            sockets.add(id);
            added.add(id);
        }
        for (var it = sockets.iterator(); it.hasNext(); ) {
            String id = it.next();
            if (!present.contains(id)) {
                it.remove();
                gone.add(id);
            }
        }
    }

    /** Socket inode -> the process holding it; when several do (inherited), the one started last, usually the child serving it. */
    private Map<Long, Integer> owners(Map<Integer, ProcFs.Stat> scan) {
        Map<Long, Integer> out = new HashMap<>();
        for (ProcFs.Stat s : scan.values()) {
            for (long inode : proc.socketInodes(s.pid())) {
                Integer other = out.get(inode);
                if (other == null || scan.get(other).startTicks() < s.startTicks()) out.put(inode, s.pid());
            }
        }
        return out;
    }

    /** File changes from the watcher: events with uids from a counter kept in the same transaction. */
    private void fileChanges(List<FileWatcher.Change> changes) throws IOException {
        synchronized (this) {
            List<Event> events = new ArrayList<>();
            long seq = fileSeq;
            for (FileWatcher.Change ch : changes) {
                Event.Builder e = Event.builder().set(Field.EVENT_UID, "lf" + recorderId + ":" + ++seq).ts(ch.ts());
                if (ch.operation().equals("gap")) {
                    e.set(Field.TYPE, "agent").set(Field.OPERATION, "gap").set(Field.FILE_PATH, ch.path().toString())
                            .set(Field.COMMAND_LINE, ch.text());
                } else {
                    e.set(Field.TYPE, "file").set(Field.OPERATION, ch.operation()).set(Field.FILE_PATH, ch.path().toString())
                            .set(Field.FILE_NEW_PATH, ch.newPath() == null ? null : ch.newPath().toString());
                }
                events.add(e.build());
            }
            long next = seq;
            store.record(events, c -> {
                putMeta(c, "recorder_file_seq", Long.toString(next));
                return null;
            });
            fileSeq = next;
        }
    }

    private Event start(Proc p, long ts) {
        String uid = p.key() + ":start";
        Event.Builder e = Event.builder().set(Field.EVENT_UID, uid).ts(ts).set(Field.TYPE, "process").set(Field.OPERATION, "start");
        return processFields(e, p).set(Field.PARENT_PATH, p.parentPath()).set(Field.PARENT_COMMAND_LINE, p.parentCommandLine())
                .set(Field.HASH_STATUS, p.hashStatus()).build();
    }

    private static Event end(Proc p, long ts) {
        Event.Builder e = Event.builder().set(Field.EVENT_UID, p.key() + ":end").ts(ts).set(Field.TYPE, "process").set(Field.OPERATION, "end");
        return processFields(e, p).build();
    }

    /** The acting process's fields, on every event it is known for. */
    private static Event.Builder processFields(Event.Builder e, Proc p) {
        return e.set(Field.PROCESS_KEY, p.key()).set(Field.PID, p.pid()).set(Field.PPID, p.ppid()).set(Field.PARENT_KEY, p.parentKey())
                .set(Field.PROCESS_PATH, p.path()).set(Field.PROCESS_NAME, p.path() == null ? p.comm() : baseName(p.path()))
                .set(Field.COMMAND_LINE, p.commandLine()).set(Field.USER, p.user()).set(Field.CWD, p.cwd())
                .set(Field.HASH_SHA256, p.sha256());
    }

    private static Proc withHash(Proc p, ExecutableHashes.Result r) {
        return new Proc(p.id(), p.pid(), p.ppid(), p.startTicks(), p.startMs(), p.key(), p.parentKey(), p.comm(), p.path(), p.commandLine(),
                p.cwd(), p.user(), r.sha256(), r.status(), p.parentPath(), p.parentCommandLine());
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String id(int pid, long startTicks) {
        return pid + ":" + startTicks;
    }

    private long startMs(long ticks) {
        return bootMs + ticks * 1000 / ticksPerSecond;
    }

    /** The process key of (pid, start ticks): that of the program it runs now (one that ran execve has a new key). */
    String key(int pid, long startTicks) {
        Proc known = live.get(id(pid, startTicks));
        if (known != null) return known.key();
        return LinuxProcessKey.of(settings.endpoint(), pid, startMs(startTicks));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void putMeta(java.sql.Connection c, String key, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
        }
    }

    private void log(String line) {
        synchronized (log) {
            log.println(Instant.now() + " agent: " + line);
            log.flush();
        }
    }

    @Override
    public void close() {
        if (enforcer != null) enforcer.close();
        if (watcher != null) watcher.close();
        if (poller != null) {
            poller.shutdownNow();
            try {
                poller.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        hashes.close();
    }
}
