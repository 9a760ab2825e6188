package trailhound.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import trailhound.index.IndexBackend;
import trailhound.index.Indexes;
import trailhound.store.Catalogue;
import trailhound.store.Store;
import trailhound.store.StoreException;

/**
 * A Trailhound data folder ({@code --data DIR}): {@code server.db} (the catalogue), per-endpoint
 * folders with snapshots and indexes, evidence and exports. See DESIGN.md "Data directory".
 *
 * <p>Thread-safe. One instance per process and folder; close it to close every open index.
 */
public final class DataDir implements Closeable {
    /** Open indexes kept at once; the rest are closed least-recently-used first. */
    static final int MAX_OPEN_INDEXES = 64;

    private final Path root;
    private final Store store;
    private final IndexBackend indexes;
    private final EndpointLocks endpointLocks = new EndpointLocks();
    private volatile IndexedEvents indexed;

    private DataDir(Path root, IndexBackend backend) {
        this.root = root;
        this.store = Store.open(root.resolve("server.db"));
        this.indexes = backend != null ? backend : new Indexes(endpointsDir(root), MAX_OPEN_INDEXES);
    }

    /**
     * Sets the one listener told of newly indexed events (replacing any earlier one; null: none).
     * The server's access layer sets it, so imports and live streams raise alerts.
     */
    public void onIndexed(IndexedEvents listener) {
        this.indexed = listener;
    }

    /** The listener to tell of newly indexed events, when one wants them now. */
    java.util.Optional<IndexedEvents> indexedListener() {
        IndexedEvents l = indexed;
        return l != null && l.wanted() ? java.util.Optional.of(l) : java.util.Optional.empty();
    }

    /** Opens the folder, creating its layout and catalogue when absent. */
    public static DataDir open(Path root) throws IOException {
        return open(root, null);
    }

    /**
     * As {@link #open(Path)}, with the endpoints' events in {@code backend} (e.g. OpenSearch, which then
     * belongs to this DataDir and is closed with it) instead of the folder's local indexes; null: local.
     */
    public static DataDir open(Path root, IndexBackend backend) throws IOException {
        Path abs = root.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IOException("data folder " + abs + " is a file, not a folder");
        }
        if (!Files.exists(abs)) createPrivate(abs);
        Files.createDirectories(endpointsDir(abs));
        Files.createDirectories(abs.resolve("evidence"));
        Files.createDirectories(abs.resolve("exports"));
        Files.createDirectories(abs.resolve("sources"));
        try {
            return new DataDir(abs, backend);
        } catch (StoreException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * A new data folder is its owner's alone (rwx------): it holds every command line and user name of
     * the endpoints, the users' password hashes and the audit trail, and what is inside inherits the
     * protection whatever the umask.
     */
    static void createPrivate(Path folder) throws IOException {
        if (folder.getParent() != null) Files.createDirectories(folder.getParent());
        try {
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectory(folder);
        }
    }

    /**
     * A warning when other users of this machine may read or enter the folder (one made by an older
     * Trailhound, or opened up by hand), saying how to close it; empty when it is its owner's alone.
     */
    public Optional<String> exposure() {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(root);
            boolean open = p.stream().anyMatch(x -> x.name().startsWith("GROUP_") || x.name().startsWith("OTHERS_"));
            return open ? Optional.of("the data folder " + root + " is open to other users of this machine ("
                    + PosixFilePermissions.toString(p) + "): it holds every recorded command line and the password hashes;"
                    + " close it with: chmod 700 " + root) : Optional.empty();
        } catch (UnsupportedOperationException | IOException notPosix) {
            return Optional.empty();
        }
    }

    /**
     * Opens an existing data folder, for commands that only read: a mistyped path is an error, never
     * a new, empty folder that "verifies" clean.
     */
    public static DataDir openExisting(Path root) throws IOException {
        return openExisting(root, null);
    }

    /** As {@link #openExisting(Path)}, with the events in {@code backend} as {@link #open(Path, IndexBackend)}. */
    public static DataDir openExisting(Path root, IndexBackend backend) throws IOException {
        Path abs = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs.resolve("server.db"))) {
            throw new IOException("no data folder at " + abs + " (no server.db there): check --data, or make one with"
                    + " bin/trailhound ingest --data " + root + " FILE");
        }
        return open(root, backend);
    }

    private static Path endpointsDir(Path root) {
        return root.resolve("endpoints");
    }

    public Path root() {
        return root;
    }

    /** server.db: the catalogue, sources, users and the rest of the server's state. */
    public Store store() {
        return store;
    }

    /** The folder of one endpoint: {@code endpoints/<name>/} (a safe stand-in for a name that cannot be a folder name). */
    public Path endpointDir(String endpoint) {
        return endpointsDir(root).resolve(Indexes.folderName(endpoint));
    }

    /** Where the endpoints' events are indexed: the local per-endpoint Lucene backend, or the one given to {@link #open(Path, IndexBackend)}. */
    public IndexBackend indexes() {
        return indexes;
    }

    /** Ingests share an endpoint; a rebuild has it alone. */
    EndpointLocks endpointLocks() {
        return endpointLocks;
    }

    /**
     * The endpoint's name now: {@code name} itself, or the endpoint it was renamed or merged into when
     * it has no index of its own any more.
     */
    public String currentName(String name) {
        if (indexes.exists(name)) return name;
        return store.catalogue().aliases().getOrDefault(name, name);
    }

    /** Shorthand for {@code store().catalogue()}. */
    public Catalogue catalogue() {
        return store.catalogue();
    }

    @Override
    public void close() throws IOException {
        indexes.close();
    }
}
