package trailhound.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Retention limits (table {@code retention}) and what applying them removed (table
 * {@code retention_applied}). A limit is set per endpoint or as the default ({@link #DEFAULT}); an
 * endpoint's own limit replaces the default. Thread-safe.
 */
public final class Retention {
    /** The scope of the default limit. */
    public static final String DEFAULT = "*";

    /** At most {@code maxDays} days before the endpoint's newest event and/or {@code maxEvents} events; null = no limit. */
    public record Limit(String scope, Integer maxDays, Long maxEvents) {
        public boolean none() {
            return maxDays == null && maxEvents == null;
        }

        /** "30 days, 1,000,000 events", "no limit". */
        public String describe() {
            if (none()) return "no limit";
            String days = maxDays == null ? null : maxDays + (maxDays == 1 ? " day" : " days");
            String events = maxEvents == null ? null : String.format("%,d events", maxEvents);
            return days == null ? events : events == null ? days : days + ", " + events;
        }
    }

    /** What retention removed from an endpoint in all, the oldest time it kept (UTC ms), when it last ran. */
    public record Applied(String endpoint, long removed, Long cutoffTs, long appliedAt) {}

    private final Database db;

    Retention(Database db) {
        this.db = db;
    }

    /** Sets the limit of an endpoint or of {@link #DEFAULT}; both null removes it. */
    public void set(String scope, Integer maxDays, Long maxEvents) {
        db.write("set retention of " + scope, c -> maxDays == null && maxEvents == null
                ? Catalogue.update(c, "DELETE FROM retention WHERE scope = ?", scope)
                : Catalogue.update(c, "INSERT INTO retention(scope, max_days, max_events) VALUES (?, ?, ?) ON CONFLICT(scope)"
                        + " DO UPDATE SET max_days = excluded.max_days, max_events = excluded.max_events", scope, maxDays, maxEvents));
    }

    /** The limit in force for the endpoint: its own, else the default, else none. */
    public Limit limitFor(String endpoint) {
        return own(endpoint).or(() -> own(DEFAULT)).orElse(new Limit(DEFAULT, null, null));
    }

    /** The limit set for exactly this scope. */
    public Optional<Limit> own(String scope) {
        return db.read("read retention", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT scope, max_days, max_events FROM retention WHERE scope = ?")) {
                ps.setString(1, scope);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    int days = rs.getInt(2);
                    Integer maxDays = rs.wasNull() ? null : days;
                    long events = rs.getLong(3);
                    Long maxEvents = rs.wasNull() ? null : events;
                    return Optional.of(new Limit(rs.getString(1), maxDays, maxEvents));
                }
            }
        });
    }

    /** Adds {@code removed} to what retention removed from the endpoint. */
    public void recordApplied(String endpoint, long removed, Long cutoffTs) {
        db.write("record retention of " + endpoint, c -> Catalogue.update(c, """
                INSERT INTO retention_applied(endpoint, removed, cutoff_ts, applied_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(endpoint) DO UPDATE SET removed = removed + excluded.removed,
                  cutoff_ts = coalesce(excluded.cutoff_ts, cutoff_ts), applied_at = excluded.applied_at""",
                endpoint, removed, cutoffTs, System.currentTimeMillis()));
    }

    public Optional<Applied> applied(String endpoint) {
        return db.read("read retention", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT endpoint, removed, cutoff_ts, applied_at FROM retention_applied WHERE endpoint = ?")) {
                ps.setString(1, endpoint);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    long cutoff = rs.getLong(3);
                    Long cutoffTs = rs.wasNull() ? null : cutoff;
                    return Optional.of(new Applied(rs.getString(1), rs.getLong(2), cutoffTs, rs.getLong(4)));
                }
            }
        });
    }
}
