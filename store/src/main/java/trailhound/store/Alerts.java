package trailhound.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Alerts (tables {@code alerts} and {@code alert_events}): what a rule found on an endpoint, with the
 * events it names and its state. An event is named once per rule and endpoint, whatever raises it
 * again (a re-index, an import read twice). A rule has at most one open alert (new or acknowledged)
 * per endpoint: new events are added to it until it is closed; after that they raise a new one. Who may see or change which is module access's job.
 * Thread-safe.
 */
public final class Alerts {
    /**
     * A stored alert. {@code ruleKind} {@code ioc} or {@code policy}; {@code state} {@code new},
     * {@code acknowledged} or {@code closed}; {@code events} how many events it names; times epoch ms;
     * {@code updatedBy} who last changed its state (null: nobody yet); {@code lastSeen} when it last
     * named a new event.
     */
    public record Alert(long id, String endpoint, String ruleKind, long ruleId, String ruleName, String state, long events,
            long createdAt, long updatedAt, String updatedBy, long lastSeen) {
        /** New or acknowledged: it gathers the rule's new events on its endpoint. */
        public boolean open() {
            return !"closed".equals(state);
        }
    }

    /** What {@link #raise} did: the alert as it is now, how many events it added, and whether the alert is new. */
    public record Raised(Alert alert, int added, boolean created) {}

    private static final String COLUMNS = "id, endpoint, rule_kind, rule_id, rule_name, state, events, created_at, updated_at, updated_by,"
            + " last_seen";

    private final Database db;

    Alerts(Database db) {
        this.db = db;
    }

    /**
     * Names those of {@code eventUids} no earlier alert of the same rule on the endpoint names: in the
     * rule's open alert there (its count and last seen updated), or, when it has none, in a new alert in
     * state {@code new}. A rule known by name only ({@code ruleId} 0: a policy renamed or removed) is
     * told apart by its name. Empty (and nothing stored) when no event is new.
     */
    public Optional<Raised> raise(String endpoint, String ruleKind, long ruleId, String ruleName, List<String> eventUids, long at) {
        return db.write("raise alert", c -> {
            List<String> fresh = new ArrayList<>();
            for (String uid : new java.util.LinkedHashSet<>(eventUids)) {
                if (Sql.list(c, "SELECT 1 FROM alert_events WHERE rule_kind = ? AND rule_id = ? AND endpoint = ? AND event_uid = ?",
                        rs -> 1, ruleKind, ruleId, endpoint, uid).isEmpty()) fresh.add(uid);
            }
            if (fresh.isEmpty()) return Optional.<Raised>empty();
            Optional<Long> open = Sql.list(c, "SELECT id FROM alerts WHERE rule_kind = ? AND rule_id = ? AND endpoint = ? AND state <> 'closed'"
                    + " AND (rule_id <> 0 OR rule_name = ?) ORDER BY id DESC LIMIT 1", rs -> rs.getLong(1), ruleKind, ruleId, endpoint, ruleName)
                    .stream().findFirst();
            long id;
            if (open.isPresent()) {
                id = open.get();
                Sql.update(c, "UPDATE alerts SET events = events + ?, last_seen = ? WHERE id = ?", fresh.size(), at, id);
            } else {
                id = Sql.list(c, "INSERT INTO alerts(endpoint, rule_kind, rule_id, rule_name, state, events, created_at, updated_at, last_seen)"
                        + " VALUES (?, ?, ?, ?, 'new', ?, ?, ?, ?) RETURNING id", rs -> rs.getLong(1), endpoint, ruleKind, ruleId, ruleName,
                        fresh.size(), at, at, at).getFirst();
            }
            for (String uid : fresh) {
                Sql.update(c, "INSERT INTO alert_events(rule_kind, rule_id, endpoint, event_uid, alert_id) VALUES (?, ?, ?, ?, ?)",
                        ruleKind, ruleId, endpoint, uid, id);
            }
            Alert alert = Sql.list(c, "SELECT " + COLUMNS + " FROM alerts WHERE id = ?", Alerts::row, id).getFirst();
            return Optional.of(new Raised(alert, fresh.size(), open.isEmpty()));
        });
    }

    public Optional<Alert> find(long id) {
        return db.read("read alert", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM alerts WHERE id = ?", Alerts::row, id).stream().findFirst());
    }

    /** Every alert, the one that last named a new event first. */
    public List<Alert> list() {
        return db.read("read alerts", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM alerts ORDER BY last_seen DESC, id DESC", Alerts::row));
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

    /**
     * Moves alert {@code id} to {@code state} unless that would open it (new, acknowledged) while
     * another alert of its rule on its endpoint is open: a rule has at most one open alert per endpoint.
     * In one transaction, so a match raising an alert meanwhile cannot slip between the check and the change.
     *
     * @return empty when changed (or there is no such alert), else the id of the other open alert (nothing changed)
     */
    public Optional<Long> setStateUnlessOtherOpen(long id, String state, String by, long at) {
        return db.write("change alert state", c -> {
            if (!"closed".equals(state)) {
                Optional<Long> other = Sql.list(c, "SELECT b.id FROM alerts a JOIN alerts b ON b.rule_kind = a.rule_kind AND b.rule_id = a.rule_id"
                        + " AND b.endpoint = a.endpoint AND (a.rule_id <> 0 OR b.rule_name = a.rule_name) WHERE a.id = ? AND b.id <> a.id"
                        + " AND b.state <> 'closed' ORDER BY b.id DESC LIMIT 1", rs -> rs.getLong(1), id).stream().findFirst();
                if (other.isPresent()) return other;
            }
            Sql.update(c, "UPDATE alerts SET state = ?, updated_by = ?, updated_at = ? WHERE id = ?", state, by, at, id);
            return Optional.<Long>empty();
        });
    }

    private static Alert row(ResultSet rs) throws SQLException {
        return new Alert(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6), rs.getLong(7),
                rs.getLong(8), rs.getLong(9), rs.getString(10), rs.getLong(11));
    }
}
