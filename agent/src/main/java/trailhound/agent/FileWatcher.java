package trailhound.agent;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/*
 * The JDK's WatchService (inotify on Linux) watches one folder per key, so every folder of the tree is
 * registered, and a folder created later is registered when its creation is seen; what was created in
 * it before that is found by walking it and reported as created. inotify's rename (IN_MOVED_FROM/TO)
 * reaches Java as a delete of the old name and a create of the new: a delete followed by a create in the
 * same folder whose file is the same (device and inode, size, modification time) are reported as one rename. A queue overflow loses events;
 * it is reported as a gap event and the tree is registered again, never passed over in silence.
 *
 * inotify does not say which process changed a file, so file events carry no process: a guess (the
 * process holding the file open) would be wrong as often as right.
 */

/** Watches folders recursively and hands batches of changes to a sink, on its own thread. */
final class FileWatcher implements AutoCloseable {
    /** Most files whose identity is remembered for recognising renames; beyond it a rename reads as delete + create. */
    static final int MAX_REMEMBERED = 200_000;
    private static final long QUIET_MS = 50;
    private static final long BATCH_MS = 500;

    /** {@code operation}: create, modify, delete, rename ({@code newPath}) or gap ({@code text} says what was lost). */
    record Change(String operation, Path path, Path newPath, long ts, String text) {}

    interface Sink {
        void accept(List<Change> changes) throws IOException;
    }

    /** One event as the WatchService gave it, with the watched tree it is under and when it was read. */
    private record Raw(WatchEvent.Kind<?> kind, Path path, Path root, long ts) {}

    /** What identifies a file's content across a rename: device and inode ({@code key}), size and modification time. */
    private record Identity(Object key, long size, long modified, boolean folder) {
        static Identity of(BasicFileAttributes a) {
            return new Identity(a.fileKey(), a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.isDirectory());
        }

        /** Whether {@code now} is this very file, unchanged: a folder's size and time move with its entries, so only its inode counts. */
        boolean same(Identity now) {
            return key != null && key.equals(now.key) && folder == now.folder && (folder || size == now.size && modified == now.modified);
        }
    }

    private final List<Path> roots;
    private final Sink sink;
    private final Consumer<String> log;
    private final WatchService service;
    private final Map<WatchKey, Path> folders = new HashMap<>();
    private final Map<WatchKey, Path> rootOf = new HashMap<>();
    private final Map<Path, Identity> known = new HashMap<>();
    private final List<Change> failures = new ArrayList<>();
    private Thread thread;

    FileWatcher(List<Path> roots, Sink sink, Consumer<String> log) throws IOException {
        this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.sink = sink;
        this.log = log;
        this.service = FileSystems.getDefault().newWatchService();
        for (Path root : this.roots) {
            if (!Files.isDirectory(root)) throw new IOException("--watch " + root + ": no such folder");
        }
    }

    void start() throws IOException {
        for (Path root : roots) register(root, root, null);
        if (!failures.isEmpty()) emit(new ArrayList<>(failures));
        failures.clear();
        thread = Thread.ofPlatform().daemon().name("file-watch").start(this::run);
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                List<Raw> raw = new ArrayList<>();
                collect(key, raw);
                long until = System.currentTimeMillis() + BATCH_MS;
                while (System.currentTimeMillis() < until && (key = service.poll(QUIET_MS, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
                    collect(key, raw);
                }
                List<Change> changes = changes(raw);
                if (!changes.isEmpty()) emit(changes);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private void emit(List<Change> changes) {
        try {
            sink.accept(changes);
        } catch (IOException | RuntimeException e) {
            log.accept("could not store " + changes.size() + " file events: " + e.getMessage());
        }
    }

    private void collect(WatchKey key, List<Raw> raw) {
        Path folder = folders.get(key);
        long now = System.currentTimeMillis();
        for (WatchEvent<?> e : key.pollEvents()) {
            if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
                raw.add(new Raw(e.kind(), folder, rootOf.get(key), now));
            } else if (folder != null) {
                raw.add(new Raw(e.kind(), folder.resolve((Path) e.context()), rootOf.get(key), now));
            }
        }
        if (!key.reset()) { // the folder is gone
            folders.remove(key);
            rootOf.remove(key);
        }
    }

    private List<Change> changes(List<Raw> raw) {
        List<Change> out = new ArrayList<>();
        java.util.Set<Path> modified = new java.util.HashSet<>();
        java.util.Set<Path> overflowed = new java.util.HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            Raw r = raw.get(i);
            Path p = r.path();
            if (r.kind() == StandardWatchEventKinds.OVERFLOW) {
                Path root = r.root() != null ? r.root() : p;
                if (!overflowed.add(root)) continue; // the JDK signals an overflow on every key: one gap a watched tree
                out.add(new Change("gap", root, null, r.ts(), "file events under " + root + " were lost at " + Instant.ofEpochMilli(r.ts())
                        + ": the kernel's event queue overflowed (fs.inotify.max_queued_events); the folders are watched again, but"
                        + " what changed in between is not known"));
                if (root != null) register(root, root, out);
            } else if (r.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
                Identity old = known.remove(p);
                Raw next = i + 1 < raw.size() ? raw.get(i + 1) : null;
                BasicFileAttributes moved = renameOf(old, r, next);
                if (moved != null) {
                    i++; // the create is the rename's other half
                    remember(next.path(), Identity.of(moved));
                    out.add(new Change("rename", p, next.path(), r.ts(), null));
                    if (moved.isDirectory()) register(next.path(), next.root(), null);
                } else {
                    out.add(new Change("delete", p, null, r.ts(), null));
                }
            } else {
                BasicFileAttributes a = attributes(p);
                boolean create = r.kind() == StandardWatchEventKinds.ENTRY_CREATE;
                if (a == null) { // gone already (its delete follows): what the WatchService saw is reported, no attribute guessed
                    if (create || modified.add(p)) out.add(new Change(create ? "create" : "modify", p, null, r.ts(), null));
                    if (create) modified.add(p);
                    continue;
                }
                Identity now = Identity.of(a);
                Identity before = known.get(p);
                if (create && before != null && before.key() != null && before.key().equals(now.key())) {
                    remember(p, now);
                    continue; // already reported when its folder was walked
                }
                remember(p, now);
                if (create) {
                    out.add(new Change("create", p, null, r.ts(), null));
                    modified.add(p); // its writes in the same batch are part of making it
                } else if (!a.isDirectory() && modified.add(p)) {
                    // one modify a file a batch (a write is many); a folder's modify is its entries changing: reported by them
                    out.add(new Change("modify", p, null, r.ts(), null));
                }
                if (a.isDirectory() && create) register(p, r.root(), out);
            }
        }
        return out;
    }

    /**
     * The new name's attributes when the delete {@code gone} and the event {@code next} are certainly one
     * rename (the class comment says when), else null.
     */
    private static BasicFileAttributes renameOf(Identity old, Raw gone, Raw next) {
        // the two halves come from one folder, one after the other; under load a poll can fall between them (a suite run
        // saw `mv a b` as a delete and a create), so the same file (inode, size, modification time) decides, not the poll
        if (old == null || next == null || next.kind() != StandardWatchEventKinds.ENTRY_CREATE
                || !java.util.Objects.equals(next.path().getParent(), gone.path().getParent())) return null;
        if (Files.exists(gone.path(), LinkOption.NOFOLLOW_LINKS)) return null; // the old name is back: two files, not one moved
        BasicFileAttributes a = attributes(next.path());
        return a != null && old.same(Identity.of(a)) ? a : null;
    }

    /**
     * Registers {@code folder} and every folder under it; with {@code created} non-null, reports every
     * file and folder found in it (made before it was registered) as created.
     */
    private void register(Path folder, Path root, List<Change> created) {
        long now = System.currentTimeMillis();
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    try {
                        WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                                StandardWatchEventKinds.ENTRY_MODIFY);
                        folders.put(key, dir);
                        rootOf.put(key, root);
                    } catch (IOException e) {
                        List<Change> to = created != null ? created : failures;
                        to.add(new Change("gap", dir, null, now, "folder " + dir + " is not watched: " + e.getMessage()
                                + " (at the inotify watch limit, raise fs.inotify.max_user_watches)"));
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (created != null && !dir.equals(folder) && !reported(dir, attrs)) {
                        created.add(new Change("create", dir, null, now, null));
                    }
                    remember(dir, Identity.of(attrs));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (created != null && !reported(file, attrs)) {
                        created.add(new Change("create", file, null, now, null));
                    }
                    remember(file, Identity.of(attrs));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // deleted while walking, or not readable
                }
            });
        } catch (IOException e) {
            log.accept("cannot watch " + folder + ": " + e.getMessage());
        }
    }

    private void remember(Path p, Identity id) {
        if (id.key() != null && (known.size() < MAX_REMEMBERED || known.containsKey(p))) known.put(p, id);
    }

    /** Whether this file, under this name, was reported already (its create seen before its folder was walked). */
    private boolean reported(Path p, BasicFileAttributes a) {
        Identity before = known.get(p);
        return before != null && a.fileKey() != null && a.fileKey().equals(before.key());
    }

    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // closing anyway
        }
        if (thread != null) thread.interrupt();
    }
}
