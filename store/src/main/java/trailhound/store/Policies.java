package trailhound.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Protection policies (tables {@code policies}, {@code policy_groups}, {@code policy_rules}): a name, the
 * computer groups whose agents enforce it, process rules, an action ({@code block} or {@code alert}) and
 * whether it is enabled. Checking rules and who may change what is module access's job; this only
 * stores. Thread-safe.
 */
public final class Policies {
    /**
     * A process rule; each condition null when unused. {@code origin} says what it was made from (a process
     * or an evidence item), null when typed in; times epoch ms.
     */
    public record Rule(long id, String sha256, String path, String commandLine, String parent, String origin, String createdBy,
            long createdAt) {}

    /** A rule to add: the conditions and where it came from. */
    public record NewRule(String sha256, String path, String commandLine, String parent, String origin) {}

    /** A policy with its groups (sorted) and rules (oldest first); times epoch ms. */
    public record Policy(long id, String name, String action, boolean enabled, List<String> groups, List<Rule> rules, String createdBy,
            long createdAt, String changedBy, long changedAt) {}

    private final Database db;

    Policies(Database db) {
        this.db = db;
    }

    /**
     * Adds a policy with its groups and rules in one transaction; answers its id.
     *
     * @throws StoreException when the name is taken (case ignored) or a group does not exist
     */
    public long create(String name, String action, boolean enabled, List<String> groups, List<NewRule> rules, String by, long at) {
        return db.write("create policy '" + name + "'", c -> {
            long id = Sql.list(c, "INSERT INTO policies(name, action, enabled, created_by, created_at, changed_by, changed_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", rs -> rs.getLong(1), name, action, enabled ? 1 : 0, by, at, by, at).getFirst();
            for (String g : groups) Sql.update(c, "INSERT INTO policy_groups(policy_id, group_name) VALUES (?, ?)", id, g);
            for (NewRule r : rules) insertRule(c, id, r, by, at);
            return id;
        });
    }

    /** Adds rules to a policy; answers false when there is no such policy. */
    public boolean addRules(long id, List<NewRule> rules, String by, long at) {
        return db.write("add rules to policy " + id, c -> {
            if (Sql.update(c, "UPDATE policies SET changed_by = ?, changed_at = ? WHERE id = ?", by, at, id) == 0) return false;
            for (NewRule r : rules) insertRule(c, id, r, by, at);
            return true;
        });
    }

    /** A rule of an edited policy: {@code id} one of its rules, changed in place (keeping its id and origin), or null for a new one. */
    public record EditedRule(Long id, NewRule rule) {}

    /**
     * Replaces a policy's name, action, groups and rules in one transaction: rules with an id are changed in place
     * (their author and creation kept; their origin too, followed by ", changed by USER" once their conditions
     * change, so a rewritten rule no longer claims to be what its evidence made), rules without one added, its other
     * rules deleted. Answers false when
     * there is no such policy.
     *
     * @throws StoreException when the name is taken by another policy or a group does not exist
     */
    public boolean update(long id, String name, String action, List<String> groups, List<EditedRule> rules, String by, long at) {
        return db.write("change policy " + id, c -> {
            if (Sql.update(c, "UPDATE policies SET name = ?, action = ?, changed_by = ?, changed_at = ? WHERE id = ?", name, action, by, at,
                    id) == 0) {
                return false;
            }
            Sql.update(c, "DELETE FROM policy_groups WHERE policy_id = ?", id);
            for (String g : groups) Sql.update(c, "INSERT INTO policy_groups(policy_id, group_name) VALUES (?, ?)", id, g);
            List<Long> kept = rules.stream().map(EditedRule::id).filter(java.util.Objects::nonNull).toList();
            for (long old : Sql.list(c, "SELECT id FROM policy_rules WHERE policy_id = ?", rs -> rs.getLong(1), id)) {
                if (!kept.contains(old)) Sql.update(c, "DELETE FROM policy_rules WHERE id = ?", old);
            }
            for (EditedRule e : rules) {
                NewRule r = e.rule();
                if (e.id() == null) {
                    insertRule(c, id, r, by, at);
                } else {
                    List<List<String>> was = Sql.list(c, "SELECT sha256, path, command_line, parent, origin FROM policy_rules"
                            + " WHERE id = ? AND policy_id = ?", rs -> java.util.Arrays.asList(rs.getString(1), rs.getString(2),
                            rs.getString(3), rs.getString(4), rs.getString(5)), e.id(), id);
                    if (was.isEmpty()) continue;
                    String origin = was.getFirst().get(4);
                    boolean changed = !java.util.Arrays.asList(r.sha256(), r.path(), r.commandLine(), r.parent()).equals(was.getFirst().subList(0, 4));
                    if (changed && origin != null && !origin.endsWith(", changed by " + by)) origin = origin + ", changed by " + by;
                    Sql.update(c, "UPDATE policy_rules SET sha256 = ?, path = ?, command_line = ?, parent = ?, origin = ? WHERE id = ?"
                            + " AND policy_id = ?", r.sha256(), r.path(), r.commandLine(), r.parent(), origin, e.id(), id);
                }
            }
            return true;
        });
    }

    /** Deletes a policy with its groups and rules; answers false when there is no such policy. */
    public boolean delete(long id) {
        return db.write("delete policy " + id, c -> Sql.update(c, "DELETE FROM policies WHERE id = ?", id) > 0);
    }

    /** Enables or disables; answers false when there is no such policy. */
    public boolean setEnabled(long id, boolean enabled, String by, long at) {
        return db.write("change policy " + id, c -> Sql.update(c, "UPDATE policies SET enabled = ?, changed_by = ?, changed_at = ?"
                + " WHERE id = ?", enabled ? 1 : 0, by, at, id) > 0);
    }

    /** Every policy, by name. */
    public List<Policy> list() {
        return db.read("read policies", c -> {
            List<Policy> out = new java.util.ArrayList<>();
            for (long id : Sql.list(c, "SELECT id FROM policies ORDER BY name COLLATE NOCASE", rs -> rs.getLong(1))) out.add(read(c, id));
            return out;
        });
    }

    public Optional<Policy> find(long id) {
        return db.read("read policy " + id, c -> Optional.ofNullable(read(c, id)));
    }

    public Optional<Policy> findByName(String name) {
        return db.read("read policy '" + name + "'", c -> Sql.list(c, "SELECT id FROM policies WHERE name = ?", rs -> rs.getLong(1), name)
                .stream().findFirst().map(id -> {
                    try {
                        return read(c, id);
                    } catch (SQLException e) {
                        throw db.failure("read policy '" + name + "'", e);
                    }
                }));
    }

    private static Policy read(Connection c, long id) throws SQLException {
        List<String> groups = Sql.list(c, "SELECT group_name FROM policy_groups WHERE policy_id = ? ORDER BY group_name", rs -> rs.getString(1), id);
        List<Rule> rules = Sql.list(c, "SELECT id, sha256, path, command_line, parent, origin, created_by, created_at FROM policy_rules"
                + " WHERE policy_id = ? ORDER BY id", rs -> new Rule(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8)), id);
        return Sql.list(c, "SELECT id, name, action, enabled, created_by, created_at, changed_by, changed_at FROM policies WHERE id = ?",
                rs -> new Policy(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4) != 0, groups, rules, rs.getString(5),
                        rs.getLong(6), rs.getString(7), rs.getLong(8)), id).stream().findFirst().orElse(null);
    }

    private static void insertRule(Connection c, long policy, NewRule r, String by, long at) throws SQLException {
        Sql.update(c, "INSERT INTO policy_rules(policy_id, sha256, path, command_line, parent, origin, created_by, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", policy, r.sha256(), r.path(), r.commandLine(), r.parent(), r.origin(), by, at);
    }
}
