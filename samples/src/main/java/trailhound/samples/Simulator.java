package trailhound.samples;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import trailhound.recorder.RecorderProcess;
import trailhound.recorder.RecorderWriter;
import trailhound.schema.Field;

/*
 * Background activity of one host, as a recorder would have captured it.
 *
 * Boot programs run from before the window (no start event; start_ts before the first event).
 * Each step either starts a program (a start event, the process joins the live set with a budget
 * of actions) or lets a random live process act once (one file/registry/image/network/dns/driver/
 * logon event from its program's mix and the host's pools). A short-lived process whose budget is
 * spent ends (an end event) and its pid returns to the pool, so pids are reused the way the OS
 * would: Windows picks a free multiple of 4, Linux and macOS count up and wrap.
 *
 * Scripted (story) events are merged in by time, so ids stay in time order like a real sequence.
 * Everything draws from one SplittableRandom and ordered collections: the same seed gives the
 * same rows.
 */
final class Simulator {
    /** A running process. */
    static final class Proc {
        final String key;
        final int pid;
        final Proc parent;
        final Program program;
        final String commandLine;
        final long startTs;
        final boolean bootProcess;
        int remaining;

        Proc(String key, int pid, Proc parent, Program program, String commandLine, long startTs, boolean bootProcess, int remaining) {
            this.key = key;
            this.pid = pid;
            this.parent = parent;
            this.program = program;
            this.commandLine = commandLine;
            this.startTs = startTs;
            this.bootProcess = bootProcess;
            this.remaining = remaining;
        }
    }

    private static final int MAX_SHORT_LIVED = 400;
    private static final Kind[] KINDS = Kind.values();

    private final HostSpec host;
    private final Catalog catalog;
    private final RecorderWriter writer;
    private final SplittableRandom rng;
    private final long windowStart;
    private final long windowEnd;
    private final int hostTag;
    private final RecorderWriter.Row row;
    private final Map<String, Hashes> hashes = new HashMap<>();
    private final List<Proc> actors = new ArrayList<>();
    private final Map<String, List<Proc>> liveByName = new LinkedHashMap<>();
    private final BitSet pidsInUse = new BitSet();
    private final List<Program> spawnable = new ArrayList<>();
    private final int[] spawnCumulative;
    private long keySeq;
    private int nextPid = 300;
    private int shortLived;
    private long lastTs;

    Simulator(HostSpec host, Catalog catalog, RecorderWriter writer, SplittableRandom rng, long windowStart, long windowEnd) {
        this.host = host;
        this.catalog = catalog;
        this.writer = writer;
        this.rng = rng;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.hostTag = host.host().hashCode();
        this.row = writer.row();
        int total = 0;
        List<Integer> cumulative = new ArrayList<>();
        for (Program p : catalog.programs) {
            if (p.spawnWeight > 0) {
                spawnable.add(p);
                total += p.spawnWeight;
                cumulative.add(total);
            }
        }
        spawnCumulative = cumulative.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Starts the boot programs, before the window (the recorder came up after them). */
    void boot() {
        long boot = windowStart - 3_600_000L * (1 + rng.nextInt(48)) - rng.nextInt(3_600_000);
        for (Program p : catalog.programs) {
            if (p.spawnWeight > 0) {
                continue;
            }
            boot += 200 + rng.nextInt(3_000);
            int pid = switch (p.name) {
                case "System" -> 4;
                case "systemd", "launchd" -> 1;
                default -> allocatePid();
            };
            pidsInUse.set(pid);
            Proc parent = p.parent == null ? null : firstLive(p.parent);
            Proc proc = new Proc(newKey(boot), pid, parent, p, p.commandLine(rng.nextInt(8)), boot, true, Integer.MAX_VALUE);
            register(proc);
        }
    }

    /** The first running process with this file name (for stories to attach to), or null. */
    Proc firstLive(String name) {
        List<Proc> procs = liveByName.get(name);
        return procs == null || procs.isEmpty() ? null : procs.get(0);
    }

    /** The first running process with this file name whose command line contains {@code part}, or null. */
    Proc liveWithCommand(String name, String part) {
        List<Proc> procs = liveByName.getOrDefault(name, List.of());
        return procs.stream().filter(p -> p.commandLine.contains(part)).findFirst().orElse(null);
    }

    Hashes hashesOf(String path) {
        return hashes.computeIfAbsent(path, Hashes::of);
    }

    String newKey(long startTs) {
        long sec = startTs / 1000;
        return String.format("%08x-%04x-%04x-%04x-%012x", hostTag, (sec >>> 16) & 0xffff, sec & 0xffff,
                host.os().equals("windows") ? 0x0100 : 0x0200, ++keySeq);
    }

    /** A pid for a scripted process: reserved so background processes never collide with it. */
    int reservePid() {
        int pid = allocatePid();
        pidsInUse.set(pid);
        return pid;
    }

    /** Emits {@code count} background events spread over the window, merging the script by time. */
    void run(long count, List<Script.Scripted> script, LongConsumer progress) {
        long span = windowEnd - windowStart;
        int cursor = 0;
        long emitted = 0;
        lastTs = windowStart;
        long step = Math.max(1, span / Math.max(1, count));
        int jitter = (int) Math.min(Integer.MAX_VALUE, Math.max(1, step));
        for (long i = 0; i < count; i++) {
            long ts = Math.max(lastTs, windowStart + (long) ((double) i / count * span) + rng.nextInt(jitter));
            while (cursor < script.size() && script.get(cursor).ts() <= ts) {
                emitScripted(script.get(cursor++));
                emitted++;
            }
            lastTs = ts;
            if (rng.nextInt(1000) < 30 && shortLived < MAX_SHORT_LIVED && spawnCumulative.length > 0) {
                spawn(ts);
            } else {
                act(ts);
            }
            if (++emitted % 100_000 == 0) {
                progress.accept(100_000);
            }
        }
        while (cursor < script.size()) {
            emitScripted(script.get(cursor++));
            emitted++;
        }
        progress.accept(emitted % 100_000);
    }

    /** Writes the processes still running (end_ts empty). */
    void finish() {
        for (List<Proc> procs : liveByName.values()) {
            for (Proc p : procs) {
                writer.addProcess(record(p));
            }
        }
    }

    private void emitScripted(Script.Scripted s) {
        row.clear().ts(Math.max(s.ts(), lastTs)).type(s.type()).operation(s.operation()).processKey(s.processKey());
        for (int i = 0; i < s.details().length; i += 2) {
            Field f = (Field) s.details()[i];
            Object v = s.details()[i + 1];
            if (v instanceof Number n) {
                row.set(f, n.longValue());
            } else {
                row.set(f, (String) v);
            }
        }
        lastTs = Math.max(s.ts(), lastTs);
        writer.addEvent(row);
    }

    private void spawn(long ts) {
        int r = rng.nextInt(spawnCumulative[spawnCumulative.length - 1]);
        int i = 0;
        while (spawnCumulative[i] <= r) {
            i++;
        }
        Program p = spawnable.get(i);
        List<Proc> parents = p.parent == null ? null : liveByName.get(p.parent);
        Proc parent = parents == null || parents.isEmpty() ? actors.get(0) : parents.get(rng.nextInt(parents.size()));
        int pid = allocatePid();
        pidsInUse.set(pid);
        String cmd = Catalog.expand(p.commandLine(rng.nextInt(64)), rng);
        int acts = p.minActs + (p.maxActs > p.minActs ? rng.nextInt(p.maxActs - p.minActs + 1) : 0);
        Proc proc = new Proc(newKey(ts), pid, parent, p, cmd, ts, false, acts);
        register(proc);
        shortLived++;
        writer.addEvent(row.clear().ts(ts).type("process").operation("start").processKey(proc.key));
    }

    private void act(long ts) {
        Proc p = actors.get(rng.nextInt(actors.size()));
        if (p.remaining <= 0) {
            end(p, ts);
            return;
        }
        p.remaining--;
        int[] mix = p.program.mix;
        int total = 0;
        for (int w : mix) {
            total += w;
        }
        if (total == 0) {
            end(p, ts);
            return;
        }
        int r = rng.nextInt(total);
        int k = 0;
        while (r >= mix[k]) {
            r -= mix[k++];
        }
        row.clear().ts(ts).processKey(p.key);
        switch (KINDS[k]) {
            case FILE_CREATE -> row.type("file").operation("create").set(Field.FILE_PATH, pick(catalog.files(p.program.filePool)));
            case FILE_DELETE -> row.type("file").operation("delete").set(Field.FILE_PATH, pick(catalog.files(p.program.filePool)));
            case FILE_RENAME -> {
                String path = pick(catalog.files(p.program.filePool));
                row.type("file").operation("rename").set(Field.FILE_PATH, path + ".tmp").set(Field.FILE_NEW_PATH, path);
            }
            case REG_SET -> {
                String[] reg = pickArray(catalog.registry);
                row.type("registry").operation("set_value").set(Field.REGISTRY_KEY, reg[0])
                        .set(Field.REGISTRY_VALUE_NAME, reg[1]).set(Field.REGISTRY_VALUE_DATA, reg[2]);
            }
            case REG_CREATE -> row.type("registry").operation("create_key").set(Field.REGISTRY_KEY, pickArray(catalog.registry)[0]);
            case IMAGE_LOAD -> row.type("image").operation("load").set(Field.IMAGE_PATH,
                    catalog.dlls.isEmpty() ? p.program.path : pick(catalog.dlls));
            case CONNECT -> {
                String[] d = pickArray(catalog.domains);
                int port = d[1].startsWith("10.") ? new int[] {445, 389, 443, 5432, 6379}[rng.nextInt(5)] : rng.nextInt(10) == 0 ? 80 : 443;
                network(row.type("network").operation("connect").set(Field.DIRECTION, "outbound"), host.ip(), ephemeralPort(), d[1], port);
            }
            case ACCEPT -> {
                String client = catalog.clientIps.isEmpty() ? "10.10.1.10" : pick(catalog.clientIps);
                network(row.type("network").operation("accept").set(Field.DIRECTION, "inbound"), host.ip(),
                        p.program.listenPort == 0 ? 445 : p.program.listenPort, client, ephemeralPort());
            }
            case DNS -> {
                String[] d = pickArray(catalog.domains);
                row.type("dns").operation("query").set(Field.DNS_QUERY, d[0]).set(Field.DNS_ANSWER, d[1]);
            }
            case DRIVER_LOAD -> row.type("driver").operation("load").set(Field.IMAGE_PATH, pick(catalog.drivers));
            case LOGON -> {
                String[] l = pickArray(catalog.logons);
                boolean failed = l[0].endsWith("_failed");
                row.type("security").operation(failed ? "logon_failed" : "logon")
                        .set(Field.LOGON_TYPE, failed ? l[0].substring(0, l[0].length() - 7) : l[0])
                        .set(Field.TARGET_USER, l[1]).set(Field.LOGON_SOURCE_IP, l[2]);
            }
        }
        writer.addEvent(row);
    }

    private void network(RecorderWriter.Row r, String localIp, int localPort, String remoteIp, int remotePort) {
        r.set(Field.LOCAL_IP, localIp).set(Field.LOCAL_PORT, localPort).set(Field.REMOTE_IP, remoteIp)
                .set(Field.REMOTE_PORT, remotePort).set(Field.PROTOCOL, "tcp");
    }

    private void end(Proc p, long ts) {
        if (p.bootProcess) {
            return;
        }
        writer.addEvent(row.clear().ts(ts).type("process").operation("end").processKey(p.key));
        writer.addProcess(record(p).endedAt(ts));
        int i = actors.indexOf(p);
        actors.set(i, actors.get(actors.size() - 1));
        actors.remove(actors.size() - 1);
        liveByName.get(p.program.name).remove(p);
        pidsInUse.clear(p.pid);
        shortLived--;
    }

    private void register(Proc p) {
        actors.add(p);
        liveByName.computeIfAbsent(p.program.name, k -> new ArrayList<>()).add(p);
    }

    private RecorderProcess record(Proc p) {
        Program prog = p.program;
        Hashes h = prog.path.equals("System") ? null : hashesOf(prog.path);
        String user = prog.user.equals("$user") ? host.user() : prog.user;
        return new RecorderProcess(p.key, p.pid, p.parent == null ? null : p.parent.pid, p.parent == null ? null : p.parent.key,
                prog.path, prog.name, p.commandLine, user, prog.cwd, h == null ? null : h.md5(), h == null ? null : h.sha1(),
                h == null ? null : h.sha256(), prog.signer, prog.signatureStatus(), p.startTs, null);
    }

    private int allocatePid() {
        if (host.os().equals("windows")) {
            while (true) {
                int pid = 4 * (25 + rng.nextInt(4_000));
                if (!pidsInUse.get(pid)) {
                    return pid;
                }
            }
        }
        int max = host.os().equals("linux") ? 32_768 : 99_999;
        while (true) {
            int pid = nextPid++;
            if (nextPid >= max) {
                nextPid = 300;
            }
            if (!pidsInUse.get(pid)) {
                return pid;
            }
        }
    }

    private int ephemeralPort() {
        return catalog.ephemeralLow + rng.nextInt(catalog.ephemeralHigh - catalog.ephemeralLow + 1);
    }

    private String pick(List<String> pool) {
        return pool.get(rng.nextInt(pool.size()));
    }

    private String[] pickArray(List<String[]> pool) {
        return pool.get(rng.nextInt(pool.size()));
    }
}
