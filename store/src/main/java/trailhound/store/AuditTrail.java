package trailhound.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The audit trail (table {@code audit}): append-only and tamper-evident. Every entry carries
 * {@code hash = SHA-256(prev_hash || "\n" || content)} in lower-case hex, where {@code prev_hash} is the
 * previous entry's hash (64 zeros for the first) and {@code content} is each of seq, at, actor, via,
 * action, endpoint, address, outcome and detail as {@code <length>:<value>;} ({@code -;} for null), so
 * changing, removing or reordering an entry breaks every link after it. Triggers refuse UPDATE and
 * DELETE; the chain catches edits made around them (another SQLite client, a hex editor). Removing
 * the newest entries is caught by comparing the last seq with SQLite's AUTOINCREMENT counter.
 * Appends are serialised by SQLite's write lock, across processes too. Thread-safe.
 */
public final class AuditTrail {
    static final String GENESIS = "0".repeat(64);

    /** What happened: {@code at} in epoch ms (UTC); endpoint, address and detail may be null. */
    public record Event(long at, String actor, String via, String action, String endpoint, String address, String outcome,
            String detail) {}

    /** A stored entry. */
    public record Entry(long seq, Event event, String prevHash, String hash) {}

    /** Which entries to list; null fields match everything; times in epoch ms, {@code until} exclusive. */
    public record Filter(String actor, String action, String endpoint, Long since, Long until) {
        public static final Filter ALL = new Filter(null, null, null, null, null);
    }

    /** The first entry whose link does not hold, and why. */
    public record Break(long seq, String reason) {}

    private static final String COLUMNS = "seq, at, actor, via, action, endpoint, address, outcome, detail, prev_hash, hash";

    private final Database db;

    AuditTrail(Database db) {
        this.db = db;
    }

    /** Appends the event, chained to the newest entry; returns it as stored. */
    public Entry append(Event e) {
        return db.write("write the audit trail", c -> {
            List<String[]> last = Sql.list(c, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
                    rs -> new String[] {rs.getString(1), rs.getString(2)});
            // seq is fixed here, not by AUTOINCREMENT, since it is part of the hashed content; the counter still
            // moves with it and tells when newest entries were removed
            long seq = Math.max(last.isEmpty() ? 0 : Long.parseLong(last.getFirst()[0]), counter(c)) + 1;
            String prev = last.isEmpty() ? GENESIS : last.getFirst()[1];
            String hash = hash(prev, seq, e);
            Sql.update(c, "INSERT INTO audit(" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", seq, e.at(), e.actor(),
                    e.via(), e.action(), e.endpoint(), e.address(), e.outcome(), e.detail(), prev, hash);
            return new Entry(seq, e, prev, hash);
        });
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

    /** Walks the chain from the first entry; empty when every link holds. */
    public Optional<Break> verify() {
        return db.read("verify the audit trail", c -> {
            String expectedPrev = GENESIS;
            long lastSeq = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit ORDER BY seq");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Entry e = entry(rs);
                    if (e.seq() != lastSeq + 1) {
                        return Optional.of(new Break(lastSeq + 1, (e.seq() - 1 == lastSeq + 1 ? "entry " + (lastSeq + 1)
                                : "entries " + (lastSeq + 1) + " to " + (e.seq() - 1)) + " are gone"));
                    }
                    if (!e.prevHash().equals(expectedPrev)) {
                        return Optional.of(new Break(e.seq(), lastSeq == 0 ? "the first entry does not start the chain"
                                : "its link to entry " + lastSeq + " does not hold: an entry before it was removed or changed"));
                    }
                    if (!hash(e.prevHash(), e.seq(), e.event()).equals(e.hash())) {
                        return Optional.of(new Break(e.seq(), "its content does not match its hash: the entry was changed"));
                    }
                    expectedPrev = e.hash();
                    lastSeq = e.seq();
                }
            }
            long counter = counter(c);
            if (counter > lastSeq) {
                return Optional.of(new Break(lastSeq + 1, "entries " + (lastSeq + 1) + " to " + counter
                        + " were written and are gone: the newest entries were removed"));
            }
            return Optional.<Break>empty();
        });
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
