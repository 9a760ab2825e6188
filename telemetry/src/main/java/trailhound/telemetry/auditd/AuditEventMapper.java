package trailhound.telemetry.auditd;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import trailhound.telemetry.ValueInterner;
import trailhound.schema.Event;
import trailhound.schema.Field;

/*
 * Turns one audit event (the records sharing msg=audit(time:serial)) into one canonical event.
 * The syscall decides the type (see docs/telemetry-import.md); a failed syscall is not the thing
 * it attempted (a failed execve started nothing), so it stays type "other". connect is the
 * exception: a non-blocking connect reports EINPROGRESS (-115) and still connects.
 *
 * Process identity: a pid is reused, so process_key hashes (host, pid, start), start being the
 * time of the execve seen in this file; before one is seen, the start is "unknown". The mapper
 * remembers the starts, so it is per file and not thread-safe.
 */
final class AuditEventMapper {
    private static final Set<String> EXEC = Set.of("execve", "execveat");
    private static final Set<String> EXIT = Set.of("exit", "exit_group");
    private static final Set<String> CONNECT = Set.of("connect");
    private static final Set<String> ACCEPT = Set.of("accept", "accept4");
    private static final Set<String> DELETE = Set.of("unlink", "unlinkat");
    private static final Set<String> RENAME = Set.of("rename", "renameat", "renameat2");
    private static final int O_CREAT = 0x40;
    private static final String UNSET_ID = "4294967295";

    private final Map<String, Long> startByHostPid = new HashMap<>();
    private final MessageDigest sha256;

    AuditEventMapper() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    Event map(List<AuditRecord> group, String endpoint) {
        AuditRecord first = group.getFirst();
        AuditRecord syscall = find(group, "SYSCALL");
        Map<String, String> f = syscall != null ? syscall.fields() : merged(group);
        String name = syscall == null ? null : Syscalls.name(f.get("arch"), f.get("syscall"));
        Event.Builder e = Event.builder()
                .set(Field.ENDPOINT, endpoint)
                .set(Field.EVENT_UID, "a" + first.epochMillis() + ":" + first.serial())
                .ts(first.epochMillis())
                .set(Field.EVENT_ID, syscall != null ? "SYSCALL" : first.type());
        boolean success = !"no".equals(f.get("success"));
        String pid = number(f.get("pid"));
        String ppid = number(f.get("ppid"));
        AuditRecord cwd = find(group, "CWD");
        e.set(Field.PID, pid).set(Field.PPID, ppid)
                .set(Field.PROCESS_PATH, f.get("exe"))
                .set(Field.PROCESS_NAME, f.get("exe") != null ? baseName(f.get("exe")) : f.get("comm"))
                .set(Field.USER, user(f))
                .set(Field.CWD, cwd == null ? null : cwd.get("cwd"));
        if (name != null && EXEC.contains(name) && success) {
            startByHostPid.put(endpoint + "|" + pid, first.epochMillis());
            kind(e, "process", "start").set(Field.COMMAND_LINE, commandLine(group));
            AuditRecord path = find(group, "PATH");
            if (f.get("exe") == null && path != null) {
                e.set(Field.PROCESS_PATH, path.get("name")).set(Field.PROCESS_NAME, baseName(path.get("name")));
            }
        } else if (name != null && EXIT.contains(name)) {
            kind(e, "process", "end");
        } else if (name != null && (CONNECT.contains(name) || ACCEPT.contains(name))
                && find(group, "SOCKADDR") != null && (success || "-115".equals(f.get("exit")))) {
            network(e, CONNECT.contains(name), SocketAddress.decode(find(group, "SOCKADDR").get("saddr")));
        } else if (name != null && success && creates(name, f)) {
            kind(e, "file", "create").set(Field.FILE_PATH, path(group, "CREATE", cwd));
        } else if (name != null && success && DELETE.contains(name)) {
            kind(e, "file", "delete").set(Field.FILE_PATH, path(group, "DELETE", cwd));
        } else if (name != null && success && RENAME.contains(name)) {
            kind(e, "file", "rename").set(Field.FILE_PATH, path(group, "DELETE", cwd))
                    .set(Field.FILE_NEW_PATH, path(group, "CREATE", cwd));
        } else {
            kind(e, "other", name != null ? name : first.type().toLowerCase(Locale.ROOT));
        }
        if (pid != null) {
            e.set(Field.PROCESS_KEY, processKey(endpoint, pid));
        }
        if (ppid != null) {
            e.set(Field.PARENT_KEY, processKey(endpoint, ppid));
        }
        return ValueInterner.internValues(e).build();
    }

    private String processKey(String host, String pid) {
        Long start = startByHostPid.get(host + "|" + pid);
        String identity = host + '\u0000' + pid + '\u0000' + (start == null ? "unknown" : start.toString());
        return "l" + HexFormat.of().formatHex(sha256.digest(identity.getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    private static void network(Event.Builder e, boolean connect, SocketAddress address) {
        kind(e, "network", connect ? "connect" : "accept")
                .set(Field.DIRECTION, connect ? "outbound" : "inbound");
        if (address == null) {
            return;
        }
        e.set(Field.PROTOCOL, address.family());
        if (address.family().equals("unix")) {
            e.set(Field.FILE_PATH, address.address());
        } else if (address.address() != null) {
            e.set(Field.REMOTE_IP, address.address()).set(Field.REMOTE_PORT, address.port());
        }
    }

    /** open and openat with O_CREAT in their flags argument (hex), and creat. */
    private static boolean creates(String name, Map<String, String> f) {
        String flags = switch (name) {
            case "creat" -> "";
            case "open" -> f.get("a1");
            case "openat" -> f.get("a2");
            default -> null;
        };
        if (flags == null) {
            return false;
        }
        if (flags.isEmpty()) {
            return true; // creat always creates
        }
        try {
            return (Long.parseUnsignedLong(flags, 16) & O_CREAT) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The PATH item of this nametype, made absolute against CWD; else the last item. */
    private static String path(List<AuditRecord> group, String nametype, AuditRecord cwd) {
        String name = null;
        for (AuditRecord r : group) {
            if (r.type().equals("PATH")) {
                String type = r.get("nametype") != null ? r.get("nametype") : r.get("objtype");
                if (nametype.equals(type)) {
                    name = r.get("name");
                    break;
                }
                if (!"PARENT".equals(type)) {
                    name = r.get("name");
                }
            }
        }
        if (name != null && !name.startsWith("/") && cwd != null && cwd.get("cwd") != null) {
            String dir = cwd.get("cwd");
            name = dir.endsWith("/") ? dir + name : dir + "/" + name;
        }
        return name;
    }

    /** EXECVE a0..a(argc-1) joined with spaces (long arguments come as aN[0], aN[1]...); else PROCTITLE. */
    private static String commandLine(List<AuditRecord> group) {
        Map<String, String> args = new HashMap<>();
        for (AuditRecord r : group) {
            if (r.type().equals("EXECVE")) {
                args.putAll(r.fields());
            }
        }
        if (!args.isEmpty()) {
            int argc = parseInt(args.get("argc"), 0);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < argc; i++) {
                String arg = args.get("a" + i);
                if (arg == null) {
                    arg = pieces(args, i);
                }
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(arg);
            }
            return sb.toString();
        }
        AuditRecord title = find(group, "PROCTITLE");
        return title == null ? null : title.get("proctitle");
    }

    private static String pieces(Map<String, String> args, int i) {
        TreeMap<Integer, String> parts = new TreeMap<>();
        String prefix = "a" + i + "[";
        args.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.endsWith("]")) {
                parts.put(parseInt(k.substring(prefix.length(), k.length() - 1), 0), v);
            }
        });
        return String.join("", parts.values());
    }

    /** The enriched user name (UID="root") if present, else the numeric uid; auid when uid is absent. */
    private static String user(Map<String, String> f) {
        if (f.get("UID") != null) {
            return f.get("UID");
        }
        String uid = f.get("uid");
        if (uid == null || uid.equals(UNSET_ID)) {
            uid = f.get("auid");
        }
        return uid == null || uid.equals(UNSET_ID) ? null : uid;
    }

    private static Event.Builder kind(Event.Builder e, String type, String operation) {
        return e.set(Field.TYPE, type).set(Field.OPERATION, operation);
    }

    private static AuditRecord find(List<AuditRecord> group, String type) {
        for (AuditRecord r : group) {
            if (r.type().equals(type)) {
                return r;
            }
        }
        return null;
    }

    private static Map<String, String> merged(List<AuditRecord> group) {
        Map<String, String> all = new HashMap<>();
        for (int i = group.size() - 1; i >= 0; i--) {
            all.putAll(group.get(i).fields());
        }
        return all;
    }

    private static String number(String v) {
        return v != null && !v.isEmpty() && v.chars().allMatch(Character::isDigit) ? v : null;
    }

    private static int parseInt(String v, int otherwise) {
        try {
            return v == null ? otherwise : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static String baseName(String path) {
        return path == null ? null : path.substring(path.lastIndexOf('/') + 1);
    }
}
