package trailhound.agent;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import trailhound.protocol.PathBytes;

/*
 * Why the real path: a request names a path as the analyst typed it, and `..`, a symbolic link or a
 * link in a parent folder can lead anywhere. toRealPath() follows every link and removes every `..`
 * the way the operating system will when the file is opened, so what is checked is what is touched.
 * The roots and the deny list are resolved the same way once, at start (a denied folder named through a
 * link is still denied). A small window remains between the check and the use (a link swapped in
 * between); the agent runs the operation on the resolved path, never on the text it was given, which
 * closes it for everything but a parent folder replaced by a link in that instant.
 */

/**
 * The agent's file system safety rules: allowed roots (default: every root of the file system) and
 * a deny list that always holds the agent's own state folder (its identity and store). A path is
 * resolved on the agent (symbolic links and {@code ..} followed) and then must lie under a root and
 * under no denied folder; anything else is refused with a reason. Immutable, thread-safe.
 */
final class FileRules {
    /** A path refused by the rules, or that does not exist; the message says which and why. */
    static final class Refused extends IOException {
        final boolean missing;

        Refused(String message, boolean missing) {
            super(message);
            this.missing = missing;
        }
    }

    private final List<Path> roots;
    private final List<Path> denied;

    private FileRules(List<Path> roots, List<Path> denied) {
        this.roots = List.copyOf(roots);
        this.denied = List.copyOf(denied);
    }

    /**
     * @param allowed the folders the server may reach (empty: the whole file system)
     * @param deny folders it may never reach, besides {@code state}
     * @param state the agent's own state folder, always denied
     * @throws IOException when an allowed root does not exist
     */
    static FileRules of(List<Path> allowed, List<Path> deny, Path state) throws IOException {
        List<Path> roots = new ArrayList<>();
        if (allowed.isEmpty()) {
            for (Path r : FileSystems.getDefault().getRootDirectories()) roots.add(r);
        } else {
            for (Path a : allowed) {
                if (!Files.isDirectory(a)) throw new IOException("--allow-root " + a + ": no such folder");
                roots.add(a.toRealPath());
            }
        }
        List<Path> denied = new ArrayList<>();
        denied.add(real(state));
        for (Path d : deny) denied.add(real(d));
        return new FileRules(roots, denied);
    }

    /** A folder's real path when it exists; else its absolute, normalised path (denied in case it appears). */
    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    List<Path> roots() {
        return roots;
    }

    List<Path> denied() {
        return denied;
    }

    /**
     * The real path {@code text} names, when the rules allow it.
     *
     * @throws Refused when it is not absolute, does not exist, or resolves outside the roots or into a denied folder
     */
    Path resolve(String text) throws Refused {
        return resolve(text == null ? null : text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The real path the exact {@code bytes} name (on Linux, any bytes: a name need not be UTF-8), when the
     * rules allow it. Messages show each byte that is not UTF-8 as {@code \xFF}.
     *
     * @throws Refused as {@link #resolve(String)}
     */
    Path resolve(byte[] bytes) throws Refused {
        String text = PathBytes.escaped(bytes);
        if (text == null || text.isBlank()) throw new Refused("no path given: give an absolute path such as " + roots.getFirst(), false);
        Path asked = asked(bytes, text);
        Path real;
        try {
            real = asked.toRealPath();
        } catch (NoSuchFileException e) {
            throw new Refused(text + ": no such file or folder", true);
        } catch (IOException e) {
            throw unresolvable(text, e);
        }
        check(text, real);
        return real;
    }

    /** The absolute path of {@code bytes} ({@code text} as people read it), or why it is none. */
    private Path asked(byte[] bytes, String text) throws Refused {
        try {
            return RawPaths.path(bytes);
        } catch (InvalidPathException e) {
            throw new Refused("'" + text + "' is not a path on this endpoint: " + e.getReason(), false);
        } catch (IllegalArgumentException e) {
            throw new Refused("'" + text + "' is not absolute: give the whole path, from " + roots.getFirst(), false);
        }
    }

    /**
     * The path {@code text} names with its folder resolved but not its last name, when the rules allow
     * it: a symbolic link is the link itself, not what it points to (what a delete must act on, or a
     * link planted towards /etc/passwd would delete that).
     *
     * @throws Refused as {@link #resolve}
     */
    Path resolveEntry(String text) throws Refused {
        return resolveEntry(text == null ? null : text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** As {@link #resolveEntry(String)}, of the exact {@code bytes}. */
    Path resolveEntry(byte[] bytes) throws Refused {
        String text = PathBytes.escaped(bytes);
        Path asked;
        try {
            asked = text == null || text.isBlank() ? null : asked(bytes, text);
        } catch (Refused e) {
            asked = null;
        }
        Path name = asked == null ? null : asked.getFileName();
        if (asked == null || !asked.isAbsolute() || asked.getParent() == null || name == null || name.toString().equals("..")
                || name.toString().equals(".")) {
            return resolve(bytes); // its refusals, or a root
        }
        Path entry;
        try {
            entry = asked.getParent().toRealPath().resolve(name); // the name's own bytes, not its text
        } catch (NoSuchFileException e) {
            throw new Refused(text + ": no such file or folder", true);
        } catch (IOException e) {
            throw unresolvable(text, e);
        }
        if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) throw new Refused(text + ": no such file or folder", true);
        check(text, entry);
        return entry;
    }

    /**
     * Why {@code text} cannot be resolved, naming the path once: a symbolic link loop (ELOOP, "Too many
     * levels of symbolic links") in words a user can act on, anything else by the system's reason.
     */
    private static Refused unresolvable(String text, IOException e) {
        String reason = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        if (reason != null && reason.startsWith("Too many levels of symbolic links")) {
            return new Refused(text + " is a symbolic link loop (its links lead to each other, never to a file or folder):"
                    + " open the folder that holds it to see where each link points", false);
        }
        return new Refused(text + ": cannot be resolved (" + reason + ")", false);
    }

    /** The real path of an entry found in an allowed folder, checked again: a link inside may lead out. */
    private void check(String text, Path real) throws Refused {
        String shown = RawPaths.shown(real);
        String via = shown.equals(text) ? "" : " (" + text + " resolves to it)";
        if (roots.stream().noneMatch(real::startsWith)) {
            throw new Refused(shown + " is outside the agent's allowed roots " + roots + via
                    + "; the agent's --allow-root options say where the server may reach", false);
        }
        for (Path d : denied) {
            if (real.startsWith(d)) {
                // one parenthesis at most: "(its --deny option)" after "(x resolves to it)" read badly
                throw new Refused(shown + " lies in " + d + ", which the agent denies"
                        + (d.equals(denied.getFirst()) ? " as its own state folder (identity and store)" : " by its --deny option")
                        + (via.isEmpty() ? "" : "; " + text + " resolves to it"), false);
            }
        }
    }

    /**
     * Whether a process running {@code executable} (its path as the operating system reports it, null when
     * unknown) may be killed: its executable must lie under an allowed root and in no denied folder, as a
     * file to delete must. An unknown executable is allowed only when the roots are the whole file system.
     *
     * @throws Refused saying which rule and what to do
     */
    void checkExecutable(long pid, String executable) throws Refused {
        if (executable == null) {
            if (roots.equals(wholeFileSystem())) return;
            throw new Refused("cannot tell which executable pid " + pid + " runs (the agent may lack the permission to see it), and this"
                    + " agent kills only processes whose executable lies under its allowed roots " + roots + "; nothing killed", false);
        }
        Path exe;
        try {
            exe = Path.of(executable.replaceFirst(" \\(deleted\\)$", "")).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new Refused("pid " + pid + " runs '" + executable + "', not a path on this endpoint; nothing killed", false);
        }
        try {
            check(exe.toString(), exe);
        } catch (Refused e) {
            throw new Refused("pid " + pid + " runs " + exe + ", which the agent may not kill: " + e.getMessage()
                    + " (kills obey the same roots and deny list as files); nothing killed", false);
        }
    }

    private static List<Path> wholeFileSystem() {
        List<Path> all = new ArrayList<>();
        for (Path r : FileSystems.getDefault().getRootDirectories()) all.add(r);
        return all;
    }

    /** Whether {@code p} (already real) is a file system root the listing may show as such. */
    boolean isRoot(Path p) {
        return roots.contains(p);
    }

    /** The folder above {@code folder} when it is still allowed, else null. */
    Path parent(Path folder) {
        if (isRoot(folder)) return null;
        Path parent = folder.getParent();
        if (parent == null) return null;
        try {
            check(parent.toString(), parent.toRealPath(LinkOption.NOFOLLOW_LINKS));
            return parent;
        } catch (IOException e) {
            return null;
        }
    }
}
