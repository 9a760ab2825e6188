package trailhound.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/*
 * Reading Linux's /proc. Every read may fail because the process ended in between (ENOENT, ESRCH) or
 * because the agent may not look (EACCES when not root): such reads return null and the caller leaves
 * the field out rather than guessing.
 */
final class ProcFs {
    /** PF_KTHREAD in /proc/<pid>/stat's flags: a kernel thread, which runs no program. */
    static final long PF_KTHREAD = 0x00200000L;
    private static final int AT_CLKTCK = 17;
    /** Longest command line read; /proc allows up to the argument limit (megabytes). */
    static final int MAX_COMMAND_LINE = 64 * 1024;

    private final Path root;

    ProcFs(Path root) {
        this.root = root;
    }

    /** One process's /proc/<pid>/stat: {@code startTicks} is clock ticks after boot (field 22). */
    record Stat(int pid, String comm, int ppid, long flags, long startTicks) {
        boolean kernelThread() {
            return (flags & PF_KTHREAD) != 0 || pid == 2 || ppid == 2;
        }
    }

    /** The pids now in /proc (thread-group leaders: threads are not listed). */
    List<Integer> pids() throws IOException {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() < 10) out.add(Integer.parseInt(name));
            }
        }
        return out;
    }

    Stat stat(int pid) {
        String text = readSmall(root.resolve(pid + "/stat"));
        return text == null ? null : parseStat(text);
    }

    /**
     * Parses a stat line. The command name (field 2) is in parentheses and may itself hold spaces and
     * parentheses ({@code 12 (a) b) S 1 ...}), so the fields after it are counted from the last ')'.
     */
    static Stat parseStat(String text) {
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open) return null;
        String[] rest = text.substring(close + 2).trim().split(" ");
        // rest[0] is field 3 (state): ppid is field 4, flags field 9, starttime field 22
        if (rest.length < 20) return null;
        try {
            return new Stat(Integer.parseInt(text.substring(0, open).trim()), text.substring(open + 1, close),
                    Integer.parseInt(rest[1]), Long.parseUnsignedLong(rest[6]), Long.parseLong(rest[19]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Arguments joined with spaces, as auditd's import joins EXECVE's; null when unreadable or empty. */
    String commandLine(int pid) {
        byte[] raw = readBytes(root.resolve(pid + "/cmdline"), MAX_COMMAND_LINE);
        if (raw == null) return null;
        int end = raw.length;
        while (end > 0 && raw[end - 1] == 0) end--;
        if (end == 0) return null;
        for (int i = 0; i < end; i++) {
            if (raw[i] == 0) raw[i] = ' ';
        }
        return new String(raw, 0, end, StandardCharsets.UTF_8);
    }

    /** The target of /proc/<pid>/<link> (exe, cwd); null when it cannot be read. */
    String link(int pid, String link) {
        try {
            return Files.readSymbolicLink(root.resolve(pid + "/" + link)).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The real uid (first of the four on the Uid: line of /proc/<pid>/status), as auditd's {@code uid}. */
    Integer realUid(int pid) {
        String status = readSmall(root.resolve(pid + "/status"));
        if (status == null) return null;
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).trim().split("\\s+");
                try {
                    return Integer.parseInt(f[0]);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The socket inodes a process holds ({@code socket:[N]} fd links); empty when unreadable. */
    List<Long> socketInodes(int pid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root.resolve(pid + "/fd"))) {
            for (Path fd : dir) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed in between
                }
                if (target.startsWith("socket:[") && target.endsWith("]")) {
                    out.add(Long.parseLong(target, 8, target.length() - 1, 10));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // ended, or not ours to read: no sockets known
        }
        return out;
    }

    /** Boot time (the {@code btime} line of /proc/stat) in epoch seconds. */
    long bootTimeSeconds() throws IOException {
        for (String line : Files.readAllLines(root.resolve("stat"))) {
            if (line.startsWith("btime ")) return Long.parseLong(line.substring(6).trim());
        }
        throw new IOException(root.resolve("stat") + " has no btime line: is this Linux's /proc?");
    }

    /** The kernel's boot id: another value after every boot. */
    String bootId() {
        String id = readSmall(root.resolve("sys/kernel/random/boot_id"));
        return id == null ? "unknown" : id.trim();
    }

    /**
     * Clock ticks per second (the unit of starttime), from AT_CLKTCK in this process's auxiliary vector,
     * which is what sysconf(_SC_CLK_TCK) answers; 100 (Linux's USER_HZ on every common architecture) if
     * it cannot be read.
     */
    long clockTicks() {
        byte[] auxv = readBytes(root.resolve("self/auxv"), 64 * 1024);
        if (auxv != null && auxv.length % 16 == 0) {
            ByteBuffer b = ByteBuffer.wrap(auxv).order(ByteOrder.nativeOrder());
            while (b.remaining() >= 16) {
                long type = b.getLong();
                long value = b.getLong();
                if (type == AT_CLKTCK && value > 0) return value;
            }
        }
        return 100;
    }

    Path root() {
        return root;
    }

    static String readSmall(Path file) {
        byte[] b = readBytes(file, 64 * 1024);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** A whole /proc file (the socket tables grow with the machine's connections); null when unreadable. */
    static String readSmallUnbounded(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** Up to {@code max} bytes of a /proc file (whose size reads as 0, so it is read to its end). */
    static byte[] readBytes(Path file, int max) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(max);
        } catch (IOException e) {
            return null;
        }
    }
}
