package trailhound.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/*
 * server.db's schema, as numbered steps. The version is SQLite's user_version (0 in a new file and in
 * every server.db written before versions existed). Each step runs in one transaction with the
 * version bump, so a crash leaves the file at the old or the new version, never between. Step 1 is
 * the schema as it was before versions ("IF NOT EXISTS": it adopts such a file as it is); never edit
 * a released step, add the next one.
 */
final class Migrations {
    interface Step {
        /** @param root the data folder (server.db's folder) */
        void apply(Connection c, Path root) throws SQLException;
    }

    record Migration(int version, String description, Step step) {}

    static final List<Migration> ALL = List.of(
            new Migration(1, "endpoints, snapshots, imports and web users (the schema before versions)", Migrations::initial),
            new Migration(2, "sources of truth: every input kept with its SHA-256, the endpoints it fed", Migrations::sources),
            new Migration(3, "jobs: bulk re-index and other long work, with per-endpoint progress", Migrations::jobs),
            new Migration(4, "endpoint aliases: names renamed or merged into another endpoint", Migrations::aliases),
            new Migration(5, "retention: at most N days and/or N events, per endpoint or by default", Migrations::retention),
            new Migration(6, "source ids never reused (AUTOINCREMENT), so a label always means one file", Migrations::sourceIdsNeverReused),
            new Migration(7, "a source's time zone: how its times without a zone were read (ingest --timezone)", Migrations::sourceTimeZone),
            new Migration(8, "access: computer groups, endpoint tags, user grants and states, API tokens, the audit trail",
                    Migrations::access),
            new Migration(9, "membership generation: a counter that moves whenever a group's members may have changed",
                    Migrations::membershipGeneration),
            new Migration(10, "saved searches: a user's named query, time window and endpoint (or all), private or shared",
                    Migrations::savedSearches),
            new Migration(11, "live agents: enrolment tokens, enrolled agents bound to their endpoint, heartbeats",
                    Migrations::liveAgents),
            new Migration(12, "streaming groups: a computer group's endpoints stream live events always, not only when connected",
                    Migrations::streamingGroups),
            new Migration(13, "agent revocation: a revoked agent's secret no longer authenticates", Migrations::agentRevocation),
            new Migration(14, "evidence files: files fetched from endpoints, with who, when, where from, size and SHA-256",
                    Migrations::evidenceFiles),
            new Migration(15, "web sessions and live connections kept across a server restart", Migrations::sessionsAndConnections),
            new Migration(16, "snapshot captures kept across a server restart, with their ids", Migrations::snapshotCaptures),
            new Migration(17, "saved evidence items: events, processes, files and snapshots kept with notes, tags and copies",
                    Migrations::evidenceItems),
            new Migration(18, "export jobs: a job's request (what an export writes), kept with it", Migrations::jobSpec),
            new Migration(19, "IOCs (an AND/OR tree of indicator items, alert on or off) and the alerts their matches raise",
                    Migrations::iocsAndAlerts),
            new Migration(20, "protection policies: process rules, computer groups, block or alert, enabled or not", Migrations::policies),
            new Migration(21, "evidence files: the exact bytes of a path that is not UTF-8", Migrations::evidencePathBytes),
            new Migration(22, "IOCs: the endpoints whose evidence an IOC was made from", Migrations::iocEndpoints),
            new Migration(23, "alerts grouped: one open alert per rule and endpoint gathers events, with when it last did",
                    Migrations::alertsGrouped),
            new Migration(24, "the index backend: where the folder's events are indexed (local, or an OpenSearch cluster)",
                    Migrations::indexBackend));

    static final int LATEST = ALL.getLast().version();

    /**
     * The triggers the steps make on tables other than audit (AuditTrail keeps audit's), by name, with
     * the statement that made them: a trigger of one of these names with another body is as foreign
     * as a new one.
     */
    static final java.util.Map<String, String> TRIGGERS = membershipTriggers();

    private static java.util.Map<String, String> membershipTriggers() {
        String bump = " BEGIN UPDATE membership_generation SET n = n + 1; END";
        java.util.Map<String, String> t = new java.util.LinkedHashMap<>();
        for (String table : List.of("endpoints", "endpoint_tags", "group_endpoints", "computer_groups")) {
            t.put(table + "_members_insert", "CREATE TRIGGER " + table + "_members_insert AFTER INSERT ON " + table + bump);
            t.put(table + "_members_delete", "CREATE TRIGGER " + table + "_members_delete AFTER DELETE ON " + table + bump);
        }
        t.put("endpoints_members_update", "CREATE TRIGGER endpoints_members_update AFTER UPDATE ON endpoints WHEN old.name IS NOT new.name"
                + " OR old.os IS NOT new.os OR old.hostname IS NOT new.hostname OR old.ip IS NOT new.ip" + bump);
        for (String table : List.of("computer_groups", "endpoint_tags", "group_endpoints")) {
            t.put(table + "_members_update", "CREATE TRIGGER " + table + "_members_update AFTER UPDATE ON " + table + bump);
        }
        return java.util.Collections.unmodifiableMap(t);
    }

    private Migrations() {}

    /** Brings the file to {@link #LATEST}; refuses a file from a newer Trailhound. Returns the version found. */
    static int migrate(Database db) {
        try (Connection c = db.connect()) {
            int found = version(c);
            if (found > LATEST) throw newer(db, found);
            for (Migration m : ALL) {
                // SQLite's way to change a table's definition (its "ALTER TABLE" procedure): rebuild it with
                // foreign keys off, which only takes effect outside a transaction, and check them before commit
                setForeignKeys(c, false);
                c.setAutoCommit(false);
                try {
                    int now = version(c); // again inside the write lock: another process may have migrated meanwhile
                    if (now > LATEST) throw newer(db, now);
                    if (now < m.version()) {
                        m.step().apply(c, db.file().toAbsolutePath().getParent());
                        try (Statement s = c.createStatement(); ResultSet broken = s.executeQuery("PRAGMA foreign_key_check")) {
                            if (broken.next()) {
                                throw new SQLException("step " + m.version() + " left a row of " + broken.getString(1)
                                        + " referring to a missing row of " + broken.getString(3));
                            }
                        }
                        try (Statement s = c.createStatement()) {
                            s.executeUpdate("PRAGMA user_version = " + m.version());
                        }
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                    setForeignKeys(c, true);
                }
            }
            return found;
        } catch (SQLException e) {
            throw db.failure("upgrade the schema", e);
        }
    }

    private static void setForeignKeys(Connection c, boolean on) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA foreign_keys = " + (on ? "ON" : "OFF"));
        }
    }

    private static StoreException newer(Database db, int found) {
        return new StoreException(db.file() + " has schema version " + found + ", but this Trailhound knows versions up to "
                + LATEST + ": it was written by a newer Trailhound; run that version (or a newer one) on this data folder", null);
    }

    static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.getInt(1);
        }
    }

    private static void initial(Connection c, Path root) throws SQLException {
        exec(c, """
            CREATE TABLE IF NOT EXISTS endpoints (
              name TEXT PRIMARY KEY, os TEXT, hostname TEXT, ip TEXT, first_seen INTEGER NOT NULL)""");
        exec(c, """
            CREATE TABLE IF NOT EXISTS snapshots (
              endpoint TEXT NOT NULL REFERENCES endpoints(name), id TEXT NOT NULL, file TEXT NOT NULL,
              taken_at INTEGER NOT NULL, first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL,
              event_count INTEGER NOT NULL, ingested_at INTEGER NOT NULL, PRIMARY KEY (endpoint, id))""");
        exec(c, """
            CREATE TABLE IF NOT EXISTS imports (
              file TEXT NOT NULL, format TEXT NOT NULL, events INTEGER NOT NULL, ingested_at INTEGER NOT NULL)""");
        exec(c, """
            CREATE TABLE IF NOT EXISTS web_users (
              name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL)""");
    }

    /*
     * sources: one row per input as received. kind: snapshot | telemetry | journal. path: where the
     * kept copy is, relative to the data folder (null when it was never kept). sha256 is unique: the
     * same bytes are one source whatever their name. endpoint_override: the endpoint named at ingest
     * (--endpoint), so a re-index reads it the same way. state: ingesting | complete | failed.
     * source_endpoints: the events a source added first, per endpoint (an event another source added
     * earlier counts for that one), and the records it rejected.
     * Rows of the old tables become sources: snapshots with the hash of their kept file (missing when
     * the file is gone), imports (remembered only by path) as "not kept".
     */
    private static void sources(Connection c, Path root) throws SQLException {
        exec(c, """
            CREATE TABLE sources (
              id INTEGER PRIMARY KEY, kind TEXT NOT NULL, original_name TEXT NOT NULL, sha256 TEXT UNIQUE,
              size INTEGER NOT NULL, path TEXT, format TEXT, endpoint_override TEXT, state TEXT NOT NULL, reason TEXT,
              ingested_by TEXT NOT NULL, ingested_at INTEGER NOT NULL, completed_at INTEGER)""");
        exec(c, """
            CREATE TABLE source_endpoints (
              source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE, endpoint TEXT NOT NULL,
              events INTEGER NOT NULL, rejected INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (source_id, endpoint))""");
        exec(c, "ALTER TABLE snapshots ADD COLUMN source_id INTEGER REFERENCES sources(id)");

        record OldSnapshot(String endpoint, String id, String file, long events, long ingestedAt) {}
        List<OldSnapshot> snapshots = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT endpoint, id, file, event_count, ingested_at FROM snapshots")) {
            while (rs.next()) snapshots.add(new OldSnapshot(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
        }
        for (OldSnapshot s : snapshots) {
            Path file = Path.of(s.file()).toAbsolutePath().normalize();
            String sha = Files.isRegularFile(file) ? sha256(file) : null;
            long size = sha == null ? 0 : size(file);
            String path = file.startsWith(root) ? root.relativize(file).toString() : file.toString();
            Long known = sha == null ? null : sourceWithSha(c, sha); // one copy ingested for two endpoints
            long id = known != null ? known : insertSource(c, "snapshot", file.getFileName().toString(), sha, size, path,
                    "recorder snapshot", s.endpoint(), sha == null ? "failed" : "complete",
                    sha == null ? "the kept copy " + s.file() + " is missing" : null, s.ingestedAt());
            update(c, "INSERT OR IGNORE INTO source_endpoints(source_id, endpoint, events) VALUES (?, ?, ?)", id, s.endpoint(),
                    s.events());
            update(c, "UPDATE snapshots SET source_id = ? WHERE endpoint = ? AND id = ?", id, s.endpoint(), s.id());
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT file, format, events, ingested_at FROM imports ORDER BY rowid")) {
            List<Object[]> imports = new ArrayList<>();
            while (rs.next()) imports.add(new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)});
            for (Object[] i : imports) {
                insertSource(c, "telemetry", (String) i[0], null, 0, null, (String) i[1], null, "complete",
                        "imported before Trailhound kept telemetry files: its events cannot be rebuilt; ingest the file"
                                + " again to keep it", (Long) i[3]);
            }
        }
        exec(c, "DROP TABLE imports");
    }

    /*
     * jobs: kind (reindex), owner (who started it), state queued | running | done | failed | cancelled,
     * progress counters, the time it started and ended, a message (why it failed). job_endpoints: each
     * endpoint's part, so a job interrupted by a crash resumes with the endpoints not yet done.
     */
    private static void jobs(Connection c, Path root) throws SQLException {
        exec(c, """
            CREATE TABLE jobs (
              id INTEGER PRIMARY KEY, kind TEXT NOT NULL, owner TEXT NOT NULL, state TEXT NOT NULL,
              created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER,
              endpoints_total INTEGER NOT NULL DEFAULT 0, endpoints_done INTEGER NOT NULL DEFAULT 0,
              events_total INTEGER NOT NULL DEFAULT 0, events_done INTEGER NOT NULL DEFAULT 0,
              message TEXT, cancel_requested INTEGER NOT NULL DEFAULT 0)""");
        exec(c, """
            CREATE TABLE job_endpoints (
              job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE, endpoint TEXT NOT NULL,
              state TEXT NOT NULL, events INTEGER NOT NULL DEFAULT 0, message TEXT, PRIMARY KEY (job_id, endpoint))""");
    }

    /* endpoint_aliases: a name events may carry (the host as recorded) and the endpoint it now belongs to. */
    private static void aliases(Connection c, Path root) throws SQLException {
        exec(c, "CREATE TABLE endpoint_aliases (alias TEXT PRIMARY KEY, endpoint TEXT NOT NULL)");
    }

    /*
     * retention: scope is an endpoint name or '*' (the default); max_days / max_events null = no limit.
     * retention_applied: per endpoint, what retention removed in all (events), the oldest time kept and when.
     */
    private static void retention(Connection c, Path root) throws SQLException {
        exec(c, "CREATE TABLE retention (scope TEXT PRIMARY KEY, max_days INTEGER, max_events INTEGER)");
        exec(c, """
            CREATE TABLE retention_applied (
              endpoint TEXT PRIMARY KEY, removed INTEGER NOT NULL, cutoff_ts INTEGER, applied_at INTEGER NOT NULL)""");
    }

    /*
     * INTEGER PRIMARY KEY alone reuses the highest id after it is deleted: `sources remove` of s7 then
     * the next ingest made another s7, and a label kept elsewhere (an audit line, a note) named another
     * file. AUTOINCREMENT never gives an id twice. The table is rebuilt with every row and id as it was.
     */
    private static void sourceIdsNeverReused(Connection c, Path root) throws SQLException {
        exec(c, """
            CREATE TABLE sources_new (
              id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, original_name TEXT NOT NULL, sha256 TEXT UNIQUE,
              size INTEGER NOT NULL, path TEXT, format TEXT, endpoint_override TEXT, state TEXT NOT NULL, reason TEXT,
              ingested_by TEXT NOT NULL, ingested_at INTEGER NOT NULL, completed_at INTEGER)""");
        exec(c, """
            INSERT INTO sources_new(id, kind, original_name, sha256, size, path, format, endpoint_override, state, reason,
              ingested_by, ingested_at, completed_at)
            SELECT id, kind, original_name, sha256, size, path, format, endpoint_override, state, reason, ingested_by, ingested_at,
              completed_at FROM sources""");
        exec(c, "DROP TABLE sources");
        exec(c, "ALTER TABLE sources_new RENAME TO sources");
    }

    /* sources.time_zone: the zone given at ingest for times written without one (NXLog's EventTime); null: UTC. */
    private static void sourceTimeZone(Connection c, Path root) throws SQLException {
        exec(c, "ALTER TABLE sources ADD COLUMN time_zone TEXT");
    }

    /*
     * Access control and the audit trail.
     * web_users: disabled (cannot sign in, tokens refused), must_change_password (the API answers 403
     * until the password is changed). computer_groups: a static list of endpoints (group_endpoints)
     * and/or a rule over the endpoint's name, hostname, os, ip and tags; builtin=1 is "All endpoints".
     * endpoint_tags: free labels an administrator sets. user_groups: the groups granted to a user.
     * api_tokens: only the SHA-256 of the secret is kept. audit: append-only (the triggers refuse
     * UPDATE and DELETE; a hash chain shows edits made around them: see AuditTrail).
     */
    private static void access(Connection c, Path root) throws SQLException {
        exec(c, "ALTER TABLE web_users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0");
        exec(c, "ALTER TABLE web_users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0");
        exec(c, "CREATE TABLE computer_groups (name TEXT PRIMARY KEY, rule TEXT, builtin INTEGER NOT NULL DEFAULT 0,"
                + " created_at INTEGER NOT NULL)");
        exec(c, """
            CREATE TABLE group_endpoints (
              group_name TEXT NOT NULL REFERENCES computer_groups(name) ON DELETE CASCADE ON UPDATE CASCADE,
              endpoint TEXT NOT NULL, PRIMARY KEY (group_name, endpoint))""");
        exec(c, """
            CREATE TABLE user_groups (
              user_name TEXT NOT NULL REFERENCES web_users(name) ON DELETE CASCADE,
              group_name TEXT NOT NULL REFERENCES computer_groups(name) ON DELETE CASCADE ON UPDATE CASCADE,
              PRIMARY KEY (user_name, group_name))""");
        exec(c, "CREATE TABLE endpoint_tags (endpoint TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (endpoint, tag))");
        exec(c, """
            CREATE TABLE api_tokens (
              id TEXT PRIMARY KEY, user_name TEXT NOT NULL REFERENCES web_users(name) ON DELETE CASCADE, name TEXT NOT NULL,
              secret_sha256 TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER,
              last_used_at INTEGER, UNIQUE (user_name, name))""");
        exec(c, """
            CREATE TABLE audit (
              seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, via TEXT NOT NULL,
              action TEXT NOT NULL, endpoint TEXT, address TEXT, outcome TEXT NOT NULL, detail TEXT,
              prev_hash TEXT NOT NULL, hash TEXT NOT NULL)""");
        exec(c, "CREATE INDEX audit_at ON audit(at)");
        exec(c, "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END");
        exec(c, "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END");
        update(c, "INSERT INTO computer_groups(name, rule, builtin, created_at) VALUES (?, NULL, 1, ?)",
                ComputerGroups.ALL_ENDPOINTS, System.currentTimeMillis());
    }

    /**
     * Groups' members follow from the endpoints (name, os, hostname, ip), their tags, the groups' rules
     * and named endpoints: triggers on those bump one counter, so a server can keep members computed
     * until it moves, whichever process (a server, a CLI command) made the change.
     */
    private static void membershipGeneration(Connection c, Path root) throws SQLException {
        exec(c, "CREATE TABLE membership_generation (n INTEGER NOT NULL)");
        exec(c, "INSERT INTO membership_generation(n) VALUES (0)");
        for (String sql : TRIGGERS.values()) exec(c, sql);
    }

    /*
     * saved_searches: owner (a web user; their searches go with them), name (unique per owner, ASCII
     * case ignored, so "Daily" and "daily" are not two entries in one list), the query text, the endpoint
     * (null: every endpoint the opener may see, the hunt page), the window either absolute (from_ts /
     * to_ts, epoch ms, either null for open) or relative (relative_range, a time picker quick range id
     * such as 24h, ending at the newest event when opened), and shared (1: listed and opened for every
     * user who may see the endpoint). The endpoint is kept by name, like group members: a rename or
     * merge is followed when it is opened.
     */
    private static void savedSearches(Connection c, Path root) throws SQLException {
        exec(c, """
            CREATE TABLE saved_searches (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              owner TEXT NOT NULL REFERENCES web_users(name) ON DELETE CASCADE ON UPDATE CASCADE,
              name TEXT NOT NULL COLLATE NOCASE, query TEXT NOT NULL, endpoint TEXT, from_ts INTEGER, to_ts INTEGER,
              relative_range TEXT, shared INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
              UNIQUE (owner, name))""");
    }

    /**
     * enrolment_tokens: one-time (or N-time) tokens an agent joins with; only the SHA-256 of the secret
     * is kept, {@code uses} counts accepted enrolments. agents: an enrolled agent, its secret's SHA-256
     * and its endpoint, UNIQUE so that no other agent can ever write into that endpoint; the last
     * heartbeat's details (addresses as JSON text) and when it was first and last seen.
     */
    private static void liveAgents(Connection c, Path root) throws SQLException {
        exec(c, """
            CREATE TABLE enrolment_tokens (
              id TEXT PRIMARY KEY, secret_sha256 TEXT NOT NULL, group_name TEXT, created_by TEXT NOT NULL,
              created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, max_uses INTEGER NOT NULL, uses INTEGER NOT NULL DEFAULT 0,
              revoked_at INTEGER)""");
        exec(c, """
            CREATE TABLE agents (
              agent_id TEXT PRIMARY KEY, secret_sha256 TEXT NOT NULL, endpoint TEXT NOT NULL UNIQUE, token_id TEXT,
              hostname TEXT, os TEXT, addresses TEXT, agent_version TEXT, store_events INTEGER, free_disk INTEGER,
              enrolled_at INTEGER NOT NULL, first_seen INTEGER, last_seen INTEGER)""");
    }

    /** computer_groups.stream: 1 when the group's endpoints send live events all the time (else only while an analyst is connected). */
    private static void streamingGroups(Connection c, Path root) throws SQLException {
        exec(c, "ALTER TABLE computer_groups ADD COLUMN stream INTEGER NOT NULL DEFAULT 0");
    }

    /** agents.revoked_at and revoked_by: set when an administrator revoked the agent (its secret no longer admits it). */
    private static void agentRevocation(Connection c, Path root) throws SQLException {
        exec(c, "ALTER TABLE agents ADD COLUMN revoked_at INTEGER");
        exec(c, "ALTER TABLE agents ADD COLUMN revoked_by TEXT");
    }

    /**
     * evidence_files: a file fetched from a live endpoint into {@code evidence/files/<id>} under the data
     * folder. {@code state} transferring, complete, failed or cancelled ({@code reason} why; no CHECK, so a
     * later state needs no migration); {@code size} and
     * {@code sha256} (hex) of the verified copy, set when complete; {@code path} the agent's resolved path.
     * Rows are kept when an endpoint is renamed or purged: evidence outlives its source.
     */
    private static void evidenceFiles(Connection c, Path root) throws SQLException {
        exec(c, """
            CREATE TABLE evidence_files (
              id INTEGER PRIMARY KEY AUTOINCREMENT, endpoint TEXT NOT NULL, path TEXT NOT NULL, name TEXT NOT NULL,
              size INTEGER, sha256 TEXT, state TEXT NOT NULL, reason TEXT, created_by TEXT NOT NULL, created_at INTEGER NOT NULL,
              completed_at INTEGER)""");
        exec(c, "CREATE INDEX evidence_files_endpoint ON evidence_files(endpoint, id)");
    }

    /**
     * evidence_files.path_bytes: on Linux a file name is bytes, and one that is not UTF-8 ({@code bad\xff.bin})
     * cannot be a text column without losing them; for such a path, {@code path} and {@code name} hold the
     * form people read ({@code \xFF} for each such byte) and {@code path_bytes} the exact bytes, from which
     * the transfer asks for the file and the ZIP's note gives the original name. NULL for every UTF-8 path.
     */
    private static void iocEndpoints(Connection c, Path root) throws SQLException {
        exec(c, "ALTER TABLE iocs ADD COLUMN endpoints TEXT"); // one name a line; NULL: made from no endpoint's events
    }

    private static void evidencePathBytes(Connection c, Path root) throws SQLException {
        exec(c, "ALTER TABLE evidence_files ADD COLUMN path_bytes BLOB");
    }

    /**
     * alerts.last_seen: when the alert last named a new event (epoch ms; an alert not closed gathers the
     * events its rule finds again on its endpoint), the Alerts page's order; and the index that finds
     * a rule's open alert on an endpoint.
     */
    private static void alertsGrouped(Connection c, Path root) throws SQLException {
        exec(c, "ALTER TABLE alerts ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0");
        exec(c, "UPDATE alerts SET last_seen = created_at");
        exec(c, "CREATE INDEX alerts_rule ON alerts(rule_kind, rule_id, endpoint, state)");
    }

    /**
     * snapshot_captures: a capture of a live endpoint's recorder database (SnapshotCaptureLog), so the
     * Snapshot captures list and its ids ("c" and the id) survive a restart; ids never reused. Written at
     * each change of state; a row still running at start is marked interrupted.
     */
    private static void snapshotCaptures(Connection c, Path root) throws SQLException {
        exec(c, """
            CREATE TABLE snapshot_captures (
              id INTEGER PRIMARY KEY AUTOINCREMENT, endpoint TEXT NOT NULL, user_name TEXT NOT NULL, started_at INTEGER NOT NULL,
              state TEXT NOT NULL, received INTEGER NOT NULL, size INTEGER NOT NULL, resumes INTEGER NOT NULL, name TEXT,
              captured_at INTEGER, snapshot_id TEXT, events INTEGER, added INTEGER, reason TEXT, ended_at INTEGER)""");
    }

    /**
     * web_sessions: a signed-in browser, by the SHA-256 of its session id (the cookie's value is never
     * stored, so a copy of server.db signs nobody in), its user, CSRF token, the credential stamp it
     * was opened with, when it started and when it was last used (for the idle and absolute limits).
     * live_connections: an analyst's live connection to an endpoint as the Live endpoints page lists it,
     * its state, since when and why, until deleted; catchup_* the endpoint's catch-up figures when it
     * was opened, so that it shows only its own catch-up's progress.
     */
    private static void sessionsAndConnections(Connection c, Path root) throws SQLException {
        exec(c, """
            CREATE TABLE web_sessions (
              id_sha256 TEXT PRIMARY KEY,
              user_name TEXT NOT NULL REFERENCES web_users(name) ON DELETE CASCADE ON UPDATE CASCADE,
              csrf_token TEXT NOT NULL, credential_stamp TEXT NOT NULL, started_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL)""");
        exec(c, "CREATE INDEX web_sessions_user ON web_sessions(user_name, started_at)");
        exec(c, """
            CREATE TABLE live_connections (
              id TEXT PRIMARY KEY, endpoint TEXT NOT NULL, user_name TEXT NOT NULL, state TEXT NOT NULL, since INTEGER NOT NULL,
              reason TEXT, opened INTEGER NOT NULL, last_activity INTEGER NOT NULL, catchup_done INTEGER, catchup_total INTEGER)""");
    }

    /**
     * iocs: an IOC's tree as JSON (trailhound.access.IocJson's shape), who made it and from what
     * (origin: evidence, api, openioc, stix), and whether matching events raise alerts.
     * alerts: what a rule (rule_kind ioc or policy, its id and name as it was then) found on an
     * endpoint in one batch of newly indexed events, and its state (new, acknowledged, closed).
     * alert_events: each event an alert names, once per rule and endpoint (the primary key), so
     * re-indexing the same events, or an import read twice, raises nothing new.
     */
    private static void iocsAndAlerts(Connection c, Path root) throws SQLException {
        exec(c, """
            CREATE TABLE iocs (
              id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, author TEXT NOT NULL, created_at INTEGER NOT NULL,
              origin TEXT NOT NULL, alert INTEGER NOT NULL DEFAULT 0, tree TEXT NOT NULL)""");
        exec(c, """
            CREATE TABLE alerts (
              id INTEGER PRIMARY KEY AUTOINCREMENT, endpoint TEXT NOT NULL, rule_kind TEXT NOT NULL, rule_id INTEGER NOT NULL,
              rule_name TEXT NOT NULL, state TEXT NOT NULL, events INTEGER NOT NULL, created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL, updated_by TEXT)""");
        exec(c, "CREATE INDEX alerts_endpoint ON alerts(endpoint, id)");
        exec(c, """
            CREATE TABLE alert_events (
              rule_kind TEXT NOT NULL, rule_id INTEGER NOT NULL, endpoint TEXT NOT NULL, event_uid TEXT NOT NULL,
              alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
              PRIMARY KEY (rule_kind, rule_id, endpoint, event_uid))""");
        exec(c, "CREATE INDEX alert_events_alert ON alert_events(alert_id)");
    }

    /**
     * evidence_items: one saved item of any kind (event, process, file, snapshot), its endpoint (kept by
     * name: an item outlives a rename or purge of its endpoint), a one-line title, a reference (the
     * process key, the snapshot id, the file's path), a free note, how many events it holds, who saved it
     * and when. A file item has its evidence_files row's id (the row is made with it, the rows before this
     * step are adopted here). evidence_tags: an item's tags, case ignored. evidence_events: each saved
     * event's every field as one JSON object, in the order saved: the copy no retention or re-index reaches.
     */
    private static void evidenceItems(Connection c, Path root) throws SQLException {
        exec(c, """
            CREATE TABLE evidence_items (
              id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, endpoint TEXT NOT NULL, title TEXT NOT NULL, reference TEXT,
              note TEXT NOT NULL DEFAULT '', event_count INTEGER NOT NULL DEFAULT 0, created_by TEXT NOT NULL,
              created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)""");
        exec(c, "CREATE INDEX evidence_items_kind ON evidence_items(kind, id)");
        exec(c, """
            CREATE TABLE evidence_tags (
              item_id INTEGER NOT NULL REFERENCES evidence_items(id) ON DELETE CASCADE, tag TEXT NOT NULL COLLATE NOCASE,
              PRIMARY KEY (item_id, tag))""");
        exec(c, """
            CREATE TABLE evidence_events (
              item_id INTEGER NOT NULL REFERENCES evidence_items(id) ON DELETE CASCADE, position INTEGER NOT NULL, fields TEXT NOT NULL,
              PRIMARY KEY (item_id, position))""");
        exec(c, "INSERT INTO evidence_items(id, kind, endpoint, title, reference, created_by, created_at, updated_at)"
                + " SELECT id, 'file', endpoint, name, path, created_by, created_at, created_at FROM evidence_files ORDER BY id");
    }

    /**
     * jobs.spec: what a job was asked to do, as JSON its kind reads (an export: endpoints, query, time
     * window, snapshot, rows chosen, row limit); null for re-index jobs, whose parts say it all.
     */
    private static void jobSpec(Connection c, Path root) throws SQLException {
        exec(c, "ALTER TABLE jobs ADD COLUMN spec TEXT");
    }

    /**
     * policies: a protection policy, its action ({@code block} or {@code alert}) and whether it is in force,
     * who made and last changed it. policy_groups: the computer groups whose endpoints' agents enforce it
     * (a group removed or renamed takes its rows along). policy_rules: its process rules, each condition
     * null when not used (hash, executable path, command-line pattern, parent), with where the rule came
     * from ({@code origin}: the process or evidence it was made from) for the summary page.
     */
    private static void policies(Connection c, Path root) throws SQLException {
        exec(c, """
            CREATE TABLE policies (
              id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE COLLATE NOCASE, action TEXT NOT NULL,
              enabled INTEGER NOT NULL, created_by TEXT NOT NULL, created_at INTEGER NOT NULL, changed_by TEXT NOT NULL,
              changed_at INTEGER NOT NULL)""");
        exec(c, """
            CREATE TABLE policy_groups (
              policy_id INTEGER NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
              group_name TEXT NOT NULL REFERENCES computer_groups(name) ON DELETE CASCADE ON UPDATE CASCADE,
              PRIMARY KEY (policy_id, group_name))""");
        exec(c, """
            CREATE TABLE policy_rules (
              id INTEGER PRIMARY KEY AUTOINCREMENT, policy_id INTEGER NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
              sha256 TEXT, path TEXT, command_line TEXT, parent TEXT, origin TEXT, created_by TEXT NOT NULL, created_at INTEGER NOT NULL)""");
        exec(c, "CREATE INDEX policy_rules_policy ON policy_rules(policy_id, id)");
    }

    private static long insertSource(Connection c, String kind, String name, String sha, long size, String path, String format,
            String endpointOverride, String state, String reason, long at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO sources(kind, original_name, sha256, size, path, format, endpoint_override, state, reason, ingested_by,
                  ingested_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'upgrade', ?, ?) RETURNING id""")) {
            Object[] args = {kind, name, sha, size, path, format, endpointOverride, state, reason, at, at};
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.getLong(1);
            }
        }
    }

    private static Long sourceWithSha(Connection c, String sha) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM sources WHERE sha256 = ?")) {
            ps.setString(1, sha);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static void indexBackend(Connection c, Path root) throws SQLException {
        exec(c, "CREATE TABLE index_backend (kind TEXT NOT NULL, url TEXT, user TEXT, password_file TEXT, ca TEXT)");
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Hex SHA-256 of the file, or null when it cannot be read. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
