package trailhound.store;

import java.nio.charset.StandardCharsets;
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
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The audit trail (table {@code audit}): append-only and tamper-evident. Every entry carries
 * {@code hash = SHA-256(prev_hash || "\n" || content)} in lower-case hex, where {@code prev_hash} is the
 * previous entry's hash (64 zeros for the first) and {@code content} is each of seq, at, actor, via,
 * action, endpoint, address, outcome and detail as {@code <length>:<value>;} ({@code -;} for null), so
 * changing, removing or reordering an entry breaks every link after it. Triggers refuse UPDATE and
 * DELETE; the chain catches edits made around them (another SQLite client, a hex editor), and
 * {@link #verify} reports the triggers themselves when they are missing or changed. Removing the newest
 * entries is caught by comparing the last seq with SQLite's AUTOINCREMENT counter and with
 * {@code audit-head}, a file next to server.db that every append updates with its seq and hash (see
 * AuditHead), so lowering the counter inside server.db does not hide it.
 * Appends are serialised by SQLite's write lock, across processes too. Thread-safe.
 */
public final class AuditTrail {
    static final String GENESIS = "0".repeat(64);
    /** The action of the entry {@link #restoreTriggers} appends. */
    public static final String TRIGGERS_RESTORED = "audit.restore-triggers";

    /* The triggers exactly as migration 8 made them (a released step: never change them here alone). */
    private record Trigger(String name, String sql) {}
    private static final List<Trigger> TRIGGERS = List.of(
            new Trigger("audit_no_update",
                    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"),
            new Trigger("audit_no_delete",
                    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"));

    /** What happened: {@code at} in epoch ms (UTC); endpoint, address and detail may be null. */
    public record Event(long at, String actor, String via, String action, String endpoint, String address, String outcome,
            String detail) {}

    /** A stored entry. */
    public record Entry(long seq, Event event, String prevHash, String hash) {}

    /** Which entries to list; null fields match everything; times in epoch ms, {@code until} exclusive. */
    public record Filter(String actor, String action, String endpoint, Long since, Long until) {
        public static final Filter ALL = new Filter(null, null, null, null, null);
    }

    /**
     * The first entry whose link does not hold, and why. When the chain holds but the triggers are
     * missing or changed, {@code seq} is 1: any entry may have been changed (and the chain recomputed).
     */
    public record Break(long seq, String reason) {}

    /** The newest entry as {@code audit-head} (next to server.db) keeps it. */
    public record Head(long seq, String hash) {}

    private static final String COLUMNS = "seq, at, actor, via, action, endpoint, address, outcome, detail, prev_hash, hash";

    private final Database db;
    private final AuditHead head;

    AuditTrail(Database db) {
        this.db = db;
        this.head = new AuditHead(db.file().toAbsolutePath().resolveSibling(AuditHead.FILE));
    }

    /*
     * Group commit: each append is a transaction with an fsync, and audit-head's rename after it, so
     * one at a time this trail took a few hundred appends a second at most, and 200 live agents with
     * analysts searching beside them waited on server.db's lock (bench --live). An append that finds
     * another thread writing waits; the writer then takes every append queued meanwhile into its
     * next transaction. Every caller still returns only once its own entry is committed.
     */
    private static final int MAX_GROUP = 512;
    private final java.util.ArrayDeque<Queued> queue = new java.util.ArrayDeque<>();
    private boolean writing;

    private static final class Queued {
        final Event event;
        Entry entry;
        RuntimeException failure;
        boolean done;

        Queued(Event event) {
            this.event = event;
        }
    }

    /** Appends the event, chained to the newest entry; returns it as stored, once committed. */
    public Entry append(Event e) {
        Queued mine = new Queued(e);
        synchronized (queue) {
            queue.add(mine);
        }
        while (true) {
            List<Queued> group;
            synchronized (queue) {
                while (!mine.done && writing) {
                    try {
                        queue.wait();
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt(); // still recorded: the writer commits it; wait on
                    }
                }
                if (mine.done) break;
                writing = true;
                group = new ArrayList<>(Math.min(queue.size(), MAX_GROUP));
                while (!queue.isEmpty() && group.size() < MAX_GROUP) group.add(queue.poll());
            }
            try {
                writeUninterrupted(group);
            } finally {
                synchronized (queue) {
                    writing = false;
                    for (Queued q : group) q.done = true;
                    queue.notifyAll();
                }
            }
        }
        if (mine.failure != null) throw mine.failure;
        return mine.entry;
    }

    /*
     * The caller's interrupt must not cost an entry its head: audit-head is written through a FileChannel,
     * which closes when its thread is interrupted (ClosedByInterruptException), and a server stopping
     * interrupts the threads of transfers and captures just as they audit it. So the group is written on
     * the trail's own thread, which nothing interrupts, and the caller waits for it uninterruptibly,
     * keeping its interrupt for after.
     */
    private static final java.util.concurrent.ExecutorService WRITER = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "audit-trail-writer");
        t.setDaemon(true);
        return t;
    });

    private void writeUninterrupted(List<Queued> group) {
        java.util.concurrent.Future<?> done = WRITER.submit(() -> write(group));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void write(List<Queued> group) {
        try {
            Appended last = db.write("write the audit trail", c -> {
                Appended a = null;
                for (Queued q : group) {
                    a = a == null ? append(c, q.event) : new Appended(insert(c, q.event), a.anchored());
                    q.entry = a.entry();
                }
                return a;
            });
            last.writeHead(head);
        } catch (RuntimeException ex) {
            for (Queued q : group) {
                q.entry = null;
                q.failure = ex;
            }
        }
    }

    /** An entry just committed, and whether the table still holds the entry audit-head names (or there is none). */
    private record Appended(Entry entry, boolean anchored) {
        /*
         * After the commit, never before (see AuditHead). Not over a head the table no longer holds: that is
         * the trace of removed newest entries, which the next entries would otherwise overwrite.
         */
        void writeHead(AuditHead head) {
            if (anchored) head.write(entry.seq(), entry.hash());
        }
    }

    private Appended append(Connection c, Event e) throws SQLException {
        Optional<Head> kept = head.read(); // under the write lock: no other append commits meanwhile
        boolean anchored = kept.isEmpty()
                || !Sql.list(c, "SELECT 1 FROM audit WHERE seq = ? AND hash = ?", rs -> 1, kept.get().seq(), kept.get().hash()).isEmpty();
        return new Appended(insert(c, e), anchored);
    }

    private static Entry insert(Connection c, Event e) throws SQLException {
        List<String[]> last = Sql.list(c, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
                rs -> new String[] {rs.getString(1), rs.getString(2)});
        // seq is fixed here, not by AUTOINCREMENT, since it is part of the hashed content; the counter still
        // moves with it and tells when newest entries were removed
        long seq = Math.max(last.isEmpty() ? 0 : Long.parseLong(last.getFirst()[0]), counter(c)) + 1;
        String prev = last.isEmpty() ? GENESIS : last.getFirst()[1];
        String hash = hash(prev, seq, e);
        int written = Sql.update(c, "INSERT INTO audit(" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", seq, e.at(),
                e.actor(), e.via(), e.action(), e.endpoint(), e.address(), e.outcome(), e.detail(), prev, hash);
        if (written != 1 || Sql.list(c, "SELECT 1 FROM audit WHERE seq = ? AND hash = ?", rs -> 1, seq, hash).isEmpty()) {
            // a trigger added to the table (RAISE(IGNORE), or one rewriting the row) must not drop entries unnoticed
            throw new SQLException("the audit entry was not stored as written: something in server.db changes or drops audit"
                    + " entries (bin/trailhound audit verify names it; a server restart removes foreign triggers)");
        }
        return new Entry(seq, e, prev, hash);
    }

    /**
     * Re-creates the triggers that are missing or changed, and in the same transaction appends
     * {@code note}, given what was wrong (e.g. "the audit trigger audit_no_delete was removed").
     * Answers that entry; empty (and nothing written) when both triggers were in place.
     */
    public Optional<Entry> restoreTriggers(Function<String, Event> note) {
        if (db.read("read the audit triggers", AuditTrail::triggerDamage).isEmpty()) return Optional.empty();
        Optional<Appended> restored = db.write("restore the audit triggers", c -> {
            Optional<String> damage = triggerDamage(c); // again under the write lock: another process may have restored them
            if (damage.isEmpty()) return Optional.<Appended>empty();
            List<String> found = triggers(c);
            try (Statement s = c.createStatement()) {
                for (String foreign : foreignTriggers(c)) s.executeUpdate("DROP TRIGGER \"" + foreign.replace("\"", "\"\"") + "\"");
                for (Trigger t : TRIGGERS) {
                    if (found.contains(normalised(t.sql()))) continue;
                    s.executeUpdate("DROP TRIGGER IF EXISTS " + t.name());
                    s.executeUpdate(t.sql());
                }
            }
            return Optional.of(append(c, note.apply(damage.get())));
        });
        restored.ifPresent(a -> a.writeHead(head));
        return restored.map(Appended::entry);
    }

    /**
     * The newest entry as kept in {@code audit-head}; empty when that file is missing or unreadable
     * (a data folder from before it was kept; written again with the next entry).
     */
    public Optional<Head> head() {
        return head.read();
    }

    /** Entries matching the filter, newest first, at most {@code limit}, only those with seq below {@code beforeSeq} (0: from the newest). */
    public List<Entry> list(Filter f, long beforeSeq, int limit) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (beforeSeq > 0) { where.append(" AND seq < ?"); args.add(beforeSeq); }
        if (f.actor() != null) { where.append(" AND actor = ?"); args.add(f.actor()); }
        if (f.action() != null) { where.append(" AND action = ?"); args.add(f.action()); }
        if (f.endpoint() != null) { where.append(" AND endpoint = ?"); args.add(f.endpoint()); }
        if (f.since() != null) { where.append(" AND at >= ?"); args.add(f.since()); }
        if (f.until() != null) { where.append(" AND at < ?"); args.add(f.until()); }
        args.add(limit);
        return db.read("read the audit trail", c -> Sql.list(c,
                "SELECT " + COLUMNS + " FROM audit" + where + " ORDER BY seq DESC LIMIT ?", AuditTrail::entry, args.toArray()));
    }

    /** Every entry oldest first, one at a time (for exports and verification of long trails). */
    public void forEach(Consumer<Entry> each) {
        db.read("read the audit trail", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit ORDER BY seq");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) each.accept(entry(rs));
            }
            return null;
        });
    }

    public long count() {
        return db.read("count the audit trail", c -> Sql.list(c, "SELECT count(*) FROM audit", rs -> rs.getLong(1)).getFirst());
    }

    /**
     * Walks the chain from the first entry, then checks that none of the newest entries is gone (SQLite's
     * counter, {@code audit-head}) and that both triggers are in place; empty when all of it holds.
     */
    public Optional<Break> verify() {
        // the head file and the counter are read before the entries: an append meanwhile only puts the entries
        // ahead of them, which is accepted, never behind (a false "entries are gone")
        Optional<Head> kept = head.read();
        return db.read("verify the audit trail", c -> {
            long counter = counter(c);
            Optional<String> damage = triggerDamage(c);
            Optional<Break> found = walk(c, counter, kept);
            if (found.isPresent()) {
                return Optional.of(damage.map(d -> new Break(found.get().seq(), found.get().reason() + "; and " + d))
                        .orElse(found.get()));
            }
            return damage.map(d -> new Break(1, d + ": entries may have been changed since; the chain holds, which rules out only"
                    + " changes made without recomputing it (compare the newest hash with a copy kept elsewhere); the server"
                    + " re-creates the triggers when it starts"));
        });
    }

    private static Optional<Break> walk(Connection c, long counter, Optional<Head> kept) throws SQLException {
        String expectedPrev = GENESIS;
        long lastSeq = 0;
        String hashAtHead = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit ORDER BY seq");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Entry e = entry(rs);
                if (e.seq() != lastSeq + 1) {
                    return Optional.of(new Break(lastSeq + 1, gone(lastSeq + 1, e.seq() - 1)));
                }
                if (!e.prevHash().equals(expectedPrev)) {
                    return Optional.of(new Break(e.seq(), lastSeq == 0 ? "the first entry does not start the chain"
                            : "its link to entry " + lastSeq + " does not hold: an entry before it was removed or changed"));
                }
                if (!hash(e.prevHash(), e.seq(), e.event()).equals(e.hash())) {
                    return Optional.of(new Break(e.seq(), "its content does not match its hash: the entry was changed"));
                }
                if (kept.isPresent() && kept.get().seq() == e.seq()) hashAtHead = e.hash();
                expectedPrev = e.hash();
                lastSeq = e.seq();
            }
        }
        if (counter > lastSeq) {
            return Optional.of(new Break(lastSeq + 1, gone(lastSeq + 1, counter) + ": SQLite's counter is at " + counter
                    + ", so the newest entries were removed"));
        }
        if (kept.isEmpty()) return Optional.empty();
        // the file may lag behind the table (written after each commit), never lead it
        Head h = kept.get();
        if (h.seq() > lastSeq) {
            return Optional.of(new Break(lastSeq + 1, gone(lastSeq + 1, h.seq()) + ": " + AuditHead.FILE + " names entry " + h.seq()
                    + " as written, the newest entries were removed (and SQLite's counter lowered to match)"));
        }
        if (!h.hash().equals(hashAtHead)) {
            return Optional.of(new Break(h.seq(), "its hash is not the one " + AuditHead.FILE + " keeps for it: entries up to it"
                    + " were rewritten, or removed and others written in their place"));
        }
        return Optional.empty();
    }

    private static String gone(long from, long to) {
        return from == to ? "entry " + from + " is gone" : "entries " + from + " to " + to + " are gone";
    }

    /** What is wrong with the triggers, as a phrase ("the audit trigger audit_no_delete was removed"); empty when nothing. */
    private static Optional<String> triggerDamage(Connection c) throws SQLException {
        List<String> found = triggers(c);
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Trigger t : TRIGGERS) {
            if (found.contains(normalised(t.sql()))) continue;
            boolean exists = !Sql.list(c, "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ? COLLATE NOCASE", rs -> 1, t.name()).isEmpty();
            (exists ? changed : removed).add(t.name());
        }
        List<String> parts = new ArrayList<>();
        if (!removed.isEmpty()) parts.add(triggerNames(removed) + (removed.size() == 1 ? " was" : " were") + " removed");
        if (!changed.isEmpty()) parts.add(triggerNames(changed) + (changed.size() == 1 ? " was" : " were") + " changed");
        List<String> added = foreignTriggers(c);
        if (!added.isEmpty()) {
            parts.add(triggerNames(added) + (added.size() == 1 ? " was" : " were") + " added (a trigger can drop or alter new entries)");
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of("the audit " + String.join(" and ", parts));
    }

    private static String triggerNames(List<String> names) {
        return (names.size() == 1 ? "trigger " : "triggers ") + String.join(" and ", names);
    }

    /** Triggers on table audit other than the two of migration 8, by name. */
    private static List<String> foreignTriggers(Connection c) throws SQLException {
        List<String> ours = TRIGGERS.stream().map(t -> t.name().toLowerCase(java.util.Locale.ROOT)).toList();
        return Sql.list(c, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit' COLLATE NOCASE",
                rs -> rs.getString(1)).stream().filter(n -> !ours.contains(n.toLowerCase(java.util.Locale.ROOT))).toList();
    }

    /** The definitions of the triggers on table audit, whitespace normalised. */
    private static List<String> triggers(Connection c) throws SQLException {
        return Sql.list(c, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit' COLLATE NOCASE", rs -> normalised(rs.getString(1)));
    }

    private static String normalised(String sql) {
        return sql == null ? "" : sql.strip().replaceAll("\\s+", " ");
    }

    private static long counter(Connection c) throws SQLException {
        List<Long> v = Sql.list(c, "SELECT seq FROM sqlite_sequence WHERE name = 'audit'", rs -> rs.getLong(1));
        return v.isEmpty() ? 0 : v.getFirst();
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        Event e = new Event(rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getString(8), rs.getString(9));
        return new Entry(rs.getLong(1), e, rs.getString(10), rs.getString(11));
    }

    static String hash(String prev, long seq, Event e) {
        StringBuilder content = new StringBuilder(prev).append('\n');
        for (Object v : new Object[] {seq, e.at(), e.actor(), e.via(), e.action(), e.endpoint(), e.address(), e.outcome(), e.detail()}) {
            if (v == null) {
                content.append("-;");
            } else {
                String s = v.toString();
                content.append(s.length()).append(':').append(s).append(';');
            }
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
