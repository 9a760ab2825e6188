package trailhound.store;

import java.nio.file.Path;

/**
 * server.db: the server's state, one repository per feature. The only way into that file.
 *
 * <pre>{@code
 * Store store = Store.open(dataDir.resolve("server.db"));   // creates or upgrades the schema
 * store.catalogue().endpoints();
 * store.sources().bySha256(hex);
 * }</pre>
 *
 * <p>Opening upgrades a file of an older schema version in numbered steps (each atomic) and refuses
 * one written by a newer Trailhound with a {@link StoreException} naming both versions.
 * Thread-safe; several processes may share the file (SQLite locking, WAL).
 */
public final class Store {
    private final Database db;
    private final int versionFound;
    private final Catalogue catalogue;
    private final Sources sources;
    private final UserAccounts users;
    private final Jobs jobs;
    private final Retention retention;
    private final ComputerGroups groups;
    private final ApiTokens tokens;
    private final SavedSearches savedSearches;
    private final AuditTrail audit;
    private final LiveAgents liveAgents;
    private final EvidenceFiles evidenceFiles;
    private final EvidenceItems evidenceItems;
    private final WebSessions webSessions;
    private final SnapshotCaptureLog snapshotCaptures;
    private final Iocs iocs;
    private final Alerts alerts;
    private final Policies policies;
    private final IndexBackendSetting indexBackend;

    private Store(Database db, int versionFound) {
        this.db = db;
        this.versionFound = versionFound;
        this.catalogue = new Catalogue(db);
        this.sources = new Sources(db);
        this.users = new UserAccounts(db);
        this.jobs = new Jobs(db);
        this.retention = new Retention(db);
        this.groups = new ComputerGroups(db);
        this.tokens = new ApiTokens(db);
        this.savedSearches = new SavedSearches(db);
        this.audit = new AuditTrail(db);
        this.liveAgents = new LiveAgents(db);
        this.evidenceFiles = new EvidenceFiles(db);
        this.evidenceItems = new EvidenceItems(db);
        this.webSessions = new WebSessions(db);
        this.snapshotCaptures = new SnapshotCaptureLog(db);
        this.iocs = new Iocs(db);
        this.alerts = new Alerts(db);
        this.policies = new Policies(db);
        this.indexBackend = new IndexBackendSetting(db);
    }

    /** Opens (creating when absent) and upgrades server.db. */
    public static Store open(Path serverDb) {
        Database db = new Database(serverDb);
        return new Store(db, Migrations.migrate(db));
    }

    /** The schema version this code writes. */
    public static int schemaVersion() {
        return Migrations.LATEST;
    }

    /** The schema version the file had when opened (0: new, or written before versions). */
    public int versionFound() {
        return versionFound;
    }

    /**
     * Triggers in server.db that no migration made, as "name on table", on every table but
     * {@code audit} (whose triggers {@link AuditTrail} checks and restores itself). Anyone who can
     * write server.db can add one that undoes what Trailhound writes (a revoked token un-revoked, a
     * disabled user enabled); {@code verify} reports them.
     */
    public java.util.List<String> foreignTriggers() {
        return db.read("read the triggers", Store::foreign).stream().map(ForeignTrigger::description).toList();
    }

    /** A trigger no migration made (or one of theirs changed): its name, and "name on table" as reported. */
    private record ForeignTrigger(String name, String description) {}

    /** Drops the triggers {@link #foreignTriggers} names (re-making Trailhound's own as they were); returns what was dropped. */
    public java.util.List<String> dropForeignTriggers() {
        if (foreignTriggers().isEmpty()) return java.util.List.of();
        return db.write("drop foreign triggers", c -> {
            java.util.List<ForeignTrigger> found = foreign(c);
            try (java.sql.Statement s = c.createStatement()) {
                for (ForeignTrigger t : found) s.executeUpdate("DROP TRIGGER \"" + t.name().replace("\"", "\"\"") + "\"");
                for (var mine : Migrations.TRIGGERS.entrySet()) { // a changed one of ours was dropped above: make it again
                    if (Sql.list(c, "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", rs -> 1, mine.getKey()).isEmpty()) {
                        s.executeUpdate(mine.getValue());
                    }
                }
            }
            return found.stream().map(ForeignTrigger::description).toList();
        });
    }

    private static java.util.List<ForeignTrigger> foreign(java.sql.Connection c) throws java.sql.SQLException {
        return Sql.list(c, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name <> 'audit' COLLATE NOCASE"
                + " ORDER BY name", rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}).stream()
                .filter(t -> !normalised(t[2]).equals(normalised(Migrations.TRIGGERS.get(t[0]))))
                .map(t -> new ForeignTrigger(t[0], t[0] + " on " + t[1] + (Migrations.TRIGGERS.containsKey(t[0]) ? " (changed)" : "")))
                .toList();
    }

    private static String normalised(String sql) {
        return sql == null ? "" : sql.strip().replaceAll("\\s+", " ");
    }

    public Path file() {
        return db.file();
    }

    /** Endpoints and their snapshots. */
    public Catalogue catalogue() {
        return catalogue;
    }

    /** Every input kept as a source of truth. */
    public Sources sources() {
        return sources;
    }

    /** Long work (re-index) and its progress. */
    public Jobs jobs() {
        return jobs;
    }

    /** Retention limits and what they removed. */
    public Retention retention() {
        return retention;
    }

    /** Web user accounts and the groups granted to them. */
    public UserAccounts users() {
        return users;
    }

    /** Computer groups: which endpoints a user may see. */
    public ComputerGroups groups() {
        return groups;
    }

    /** API tokens for scripts and the CLI. */
    public ApiTokens tokens() {
        return tokens;
    }

    /** Users' saved searches (query, window, endpoint or all). */
    public SavedSearches savedSearches() {
        return savedSearches;
    }

    /** Live agents: enrolment tokens, enrolled agents and their endpoints, heartbeats. */
    /** Files fetched from endpoints as evidence. */
    public EvidenceFiles evidenceFiles() {
        return evidenceFiles;
    }

    /** Saved evidence items of every kind, their notes, tags and copied events. */
    public EvidenceItems evidenceItems() {
        return evidenceItems;
    }

    public LiveAgents liveAgents() {
        return liveAgents;
    }

    /** Snapshot captures from live endpoints, kept across restarts. */
    public SnapshotCaptureLog snapshotCaptures() {
        return snapshotCaptures;
    }

    /** Signed-in browsers, kept across restarts. */
    /** IOCs: indicator trees, their authors and alert switches. */
    public Iocs iocs() {
        return iocs;
    }

    /** Alerts raised by IOCs and policies, with the events they name and their state. */
    public Alerts alerts() {
        return alerts;
    }

    public WebSessions webSessions() {
        return webSessions;
    }

    /** Protection policies: process rules the agents of their computer groups enforce. */
    public Policies policies() {
        return policies;
    }

    /** Where the folder's events are indexed. */
    public IndexBackendSetting indexBackend() {
        return indexBackend;
    }

    /** The append-only, hash-chained audit trail. */
    public AuditTrail audit() {
        return audit;
    }
}
