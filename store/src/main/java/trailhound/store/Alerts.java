package trailhound.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Alerts (tables {@code alerts} and {@code alert_events}): what a rule found on an endpoint, with the
 * events it names and its state. An event is named once per rule and endpoint, whatever raises it
 * again (a re-index, an import read twice). Who may see or change which is module access's job.
 * Thread-safe.
 */
public final class Alerts {
    /**
     * A stored alert. {@code ruleKind} {@code ioc} or {@code policy}; {@code state} {@code new},
     * {@code acknowledged} or {@code closed}; {@code events} how many events it names; times epoch ms;
     * {@code updatedBy} who last changed its state (null: nobody yet).
     */
    public record Alert(long id, String endpoint, String ruleKind, long ruleId, String ruleName, String state, long events,
            long createdAt, long updatedAt, String updatedBy) {}

    private static final String COLUMNS = "id, endpoint, rule_kind, rule_id, rule_name, state, events, created_at, updated_at, updated_by";

    private final Database db;

    Alerts(Database db) {
        this.db = db;
    }

    /**
     * Raises an alert in state {@code new} naming those of {@code eventUids} no earlier alert of the
     * same rule on the endpoint names; empty (and nothing stored) when none is new.
     */
    public Optional<Alert> raise(String endpoint, String ruleKind, long ruleId, String ruleName, List<String> eventUids, long at) {
        return db.write("raise alert", c -> {
            List<String> fresh = new ArrayList<>();
            for (String uid : new java.util.LinkedHashSet<>(eventUids)) {
                if (Sql.list(c, "SELECT 1 FROM alert_events WHERE rule_kind = ? AND rule_id = ? AND endpoint = ? AND event_uid = ?",
                        rs -> 1, ruleKind, ruleId, endpoint, uid).isEmpty()) fresh.add(uid);
            }
            if (fresh.isEmpty()) return Optional.<Alert>empty();
            long id = Sql.list(c, "INSERT INTO alerts(endpoint, rule_kind, rule_id, rule_name, state, events, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, 'new', ?, ?, ?) RETURNING id", rs -> rs.getLong(1), endpoint, ruleKind, ruleId, ruleName,
                    fresh.size(), at, at).getFirst();
            for (String uid : fresh) {
                Sql.update(c, "INSERT INTO alert_events(rule_kind, rule_id, endpoint, event_uid, alert_id) VALUES (?, ?, ?, ?, ?)",
                        ruleKind, ruleId, endpoint, uid, id);
            }
            return Optional.of(new Alert(id, endpoint, ruleKind, ruleId, ruleName, "new", fresh.size(), at, at, null));
        });
    }

    public Optional<Alert> find(long id) {
        return db.read("read alert", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM alerts WHERE id = ?", Alerts::row, id).stream().findFirst());
    }

    /** Every alert, newest first. */
    public List<Alert> list() {
        return db.read("read alerts", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM alerts ORDER BY id DESC", Alerts::row));
    }

    /** The uids of the events the alert names, in the order raised. */
    public List<String> events(long id) {
        return db.read("read alert events", c -> Sql.list(c, "SELECT event_uid FROM alert_events WHERE alert_id = ? ORDER BY rowid",
                rs -> rs.getString(1), id));
    }

    /** @return false when there is no such alert */
    public boolean setState(long id, String state, String by, long at) {
        return db.write("change alert state", c -> Sql.update(c, "UPDATE alerts SET state = ?, updated_by = ?, updated_at = ? WHERE id = ?",
                state, by, at, id)) > 0;
    }

    private static Alert row(ResultSet rs) throws SQLException {
        return new Alert(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6), rs.getLong(7),
                rs.getLong(8), rs.getLong(9), rs.getString(10));
    }
}
