package trailhound.store;

import java.util.List;
import java.util.Optional;

/**
 * Computer groups (tables {@code computer_groups}, {@code group_endpoints}): a name, the endpoints
 * named in it and an optional rule (query-language text over endpoint attributes; evaluating it is
 * module access's job). The built-in {@value #ALL_ENDPOINTS} holds every endpoint and cannot be
 * changed or removed. Thread-safe.
 */
public final class ComputerGroups {
    /** The built-in group of every endpoint. */
    public static final String ALL_ENDPOINTS = "All endpoints";

    /** A group: {@code rule} null when it has none; {@code endpoints} named in it, sorted. */
    public record Group(String name, String rule, boolean builtin, List<String> endpoints, long createdAt) {}

    private final Database db;

    ComputerGroups(Database db) {
        this.db = db;
    }

    /**
     * A number that changes whenever any group's members may have changed (an endpoint added, renamed,
     * re-addressed or removed, a tag, a rule, a named endpoint), in any process: members computed at
     * one value stay right until it moves.
     */
    public long membershipGeneration() {
        return db.read("read the membership generation", c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT n FROM membership_generation")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** Every group, the built-in one first, then by name. */
    public List<Group> list() {
        return db.read("read computer groups", c -> {
            List<Group> groups = Sql.list(c, "SELECT name, rule, builtin, created_at FROM computer_groups ORDER BY builtin DESC, name",
                    rs -> new Group(rs.getString(1), rs.getString(2), rs.getInt(3) != 0, List.of(), rs.getLong(4)));
            return groups.stream().map(g -> {
                try {
                    return new Group(g.name(), g.rule(), g.builtin(), Sql.list(c,
                            "SELECT endpoint FROM group_endpoints WHERE group_name = ? ORDER BY endpoint",
                            rs -> rs.getString(1), g.name()), g.createdAt());
                } catch (java.sql.SQLException e) {
                    throw db.failure("read computer group '" + g.name() + "'", e);
                }
            }).toList();
        });
    }

    public Optional<Group> find(String name) {
        return list().stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** Adds a group; fails with StoreException when the name is taken. */
    public void create(String name, String rule, List<String> endpoints) {
        db.write("create computer group '" + name + "'", c -> {
            Sql.update(c, "INSERT INTO computer_groups(name, rule, created_at) VALUES (?, ?, ?)", name, rule, System.currentTimeMillis());
            for (String e : endpoints) {
                Sql.update(c, "INSERT INTO group_endpoints(group_name, endpoint) VALUES (?, ?) ON CONFLICT DO NOTHING", name, e);
            }
            return null;
        });
    }

    /** @return false when there is no such (changeable) group */
    public boolean setRule(String name, String rule) {
        return db.write("set the rule of '" + name + "'", c -> Sql.update(c,
                "UPDATE computer_groups SET rule = ? WHERE name = ? AND builtin = 0", rule, name)) > 0;
    }

    /** @return false when it was already there */
    public boolean addEndpoint(String name, String endpoint) {
        return db.write("add '" + endpoint + "' to '" + name + "'", c -> Sql.update(c,
                "INSERT INTO group_endpoints(group_name, endpoint) VALUES (?, ?) ON CONFLICT DO NOTHING", name, endpoint)) > 0;
    }

    /** @return false when it was not there */
    public boolean removeEndpoint(String name, String endpoint) {
        return db.write("remove '" + endpoint + "' from '" + name + "'", c -> Sql.update(c,
                "DELETE FROM group_endpoints WHERE group_name = ? AND endpoint = ?", name, endpoint)) > 0;
    }

    /** The names of the groups set to stream (their endpoints send live events all the time), sorted. */
    public List<String> streaming() {
        return db.read("read streaming groups", c -> Sql.list(c, "SELECT name FROM computer_groups WHERE stream = 1 ORDER BY name",
                rs -> rs.getString(1)));
    }

    /** @return false when there is no such (changeable) group */
    public boolean setStream(String name, boolean stream) {
        return db.write("set streaming of '" + name + "'", c -> Sql.update(c,
                "UPDATE computer_groups SET stream = ? WHERE name = ? AND builtin = 0", stream ? 1 : 0, name)) > 0;
    }

    /** Removes a group and its grants. @return false when there is no such (removable) group */
    public boolean delete(String name) {
        return db.write("remove computer group '" + name + "'", c -> Sql.update(c,
                "DELETE FROM computer_groups WHERE name = ? AND builtin = 0", name)) > 0;
    }
}
