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
 * reaches Java as a delete of the old name and a create of the new: a delete and a create in one batch
 * whose file is the same (device and inode) are reported as one rename. A queue overflow loses events;
 * it is reported as a gap event and the tree is registered again, never passed over in silence.
 *
 * inotify does not say which process changed a file, so file events carry no process: a guess (the
 * process holding the file open) would be wrong as often as right.
 */

/** Watches folders recursively and hands batches of changes to a sink, on its own thread. */
final class FileWatcher implements AutoCloseable {
    /** Most files whose identity is remembered for pairing renames; beyond it a rename reads as delete + create. */
    static final int MAX_REMEMBERED = 200_000;
    private static final long QUIET_MS = 50;
    private static final long BATCH_MS = 500;

    /** {@code operation}: create, modify, delete, rename ({@code newPath}) or gap ({@code text} says what was lost). */
    record Change(String operation, Path path, Path newPath, long ts, String text) {}

    interface Sink {
        void accept(List<Change> changes) throws IOException;
    }

    private record Raw(WatchEvent.Kind<?> kind, Path path, Path root, long ts) {}

    private final List<Path> roots;
    private final Sink sink;
    private final Consumer<String> log;
    private final WatchService service;
    private final Map<WatchKey, Path> folders = new HashMap<>();
    private final Map<WatchKey, Path> rootOf = new HashMap<>();
    private final Map<Path, Object> fileKeys = new HashMap<>();
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
        Map<Object, Integer> deletedByKey = new HashMap<>(); // file identity -> index in out of its delete
        java.util.Set<Path> modified = new java.util.HashSet<>();
        java.util.Set<Path> overflowed = new java.util.HashSet<>();
        for (Raw r : raw) {
            Path p = r.path();
            if (r.kind() == StandardWatchEventKinds.OVERFLOW) {
                Path root = r.root() != null ? r.root() : p;
                if (!overflowed.add(root)) continue; // the JDK signals an overflow on every key: one gap a watched tree
                out.add(new Change("gap", root, null, r.ts(), "file events under " + root + " were lost at " + Instant.ofEpochMilli(r.ts())
                        + ": the kernel's event queue overflowed (fs.inotify.max_queued_events); the folders are watched again, but"
                        + " what changed in between is not known"));
                if (root != null) register(root, root, out);
            } else if (r.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
                Object key = fileKeys.remove(p);
                out.add(new Change("delete", p, null, r.ts(), null));
                if (key != null) deletedByKey.put(key, out.size() - 1);
            } else {
                BasicFileAttributes a = attributes(p);
                if (a == null) continue; // gone again: its delete follows
                Object key = a.fileKey();
                boolean create = r.kind() == StandardWatchEventKinds.ENTRY_CREATE;
                if (create && key != null && key.equals(fileKeys.get(p))) continue; // already reported when its folder was walked
                remember(p, key);
                Integer renamed = create && key != null ? deletedByKey.remove(key) : null;
                if (renamed != null) {
                    Change old = out.get(renamed);
                    out.set(renamed, new Change("rename", old.path(), p, old.ts(), null));
                } else if (create) {
                    out.add(new Change("create", p, null, r.ts(), null));
                    modified.add(p); // its writes in the same batch are part of making it
                } else if (!a.isDirectory() && modified.add(p)) {
                    // one modify a file a batch (a write is many); a folder's modify is its entries changing: reported by them
                    out.add(new Change("modify", p, null, r.ts(), null));
                }
                if (a.isDirectory() && create) register(p, r.root(), renamed != null ? null : out);
            }
        }
        return out;
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
                    if (created != null && !dir.equals(folder) && !attrs.fileKey().equals(fileKeys.get(dir))) {
                        created.add(new Change("create", dir, null, now, null));
                    }
                    remember(dir, attrs.fileKey());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (created != null && !attrs.fileKey().equals(fileKeys.get(file))) {
                        created.add(new Change("create", file, null, now, null));
                    }
                    remember(file, attrs.fileKey());
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

    private void remember(Path p, Object key) {
        if (key != null && (fileKeys.size() < MAX_REMEMBERED || fileKeys.containsKey(p))) fileKeys.put(p, key);
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
