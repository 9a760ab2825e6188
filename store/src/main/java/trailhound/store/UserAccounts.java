package trailhound.store;

import java.util.List;
import java.util.Optional;

/**
 * Table {@code web_users} and the groups granted to each user ({@code user_groups}): name, role
 * label, password hash (PHC string), disabled, must change the password. Hashing and what roles
 * mean belong to module access. Thread-safe.
 */
public final class UserAccounts {
    /** A stored account; {@code groups} by name, sorted. */
    public record Account(String name, String role, String passwordHash, long createdAt, boolean disabled,
            boolean mustChangePassword, List<String> groups) {}

    private static final String COLUMNS = "name, role, password_hash, created_at, disabled, must_change_password,"
            + " (SELECT group_concat(group_name, char(10)) FROM (SELECT group_name FROM user_groups g"
            + " WHERE g.user_name = u.name ORDER BY group_name))";

    private final Database db;

    UserAccounts(Database db) {
        this.db = db;
    }

    public int count() {
        return db.read("count users", c -> Sql.list(c, "SELECT count(*) FROM web_users", rs -> rs.getInt(1)).getFirst());
    }

    /** Adds the account; fails with StoreException when the name is taken. */
    public void insert(String name, String role, String passwordHash, boolean mustChangePassword) {
        db.write("create user '" + name + "'", c -> Sql.update(c,
                "INSERT INTO web_users(name, role, password_hash, created_at, must_change_password) VALUES (?, ?, ?, ?, ?)",
                name, role, passwordHash, System.currentTimeMillis(), mustChangePassword ? 1 : 0));
    }

    public Optional<Account> find(String name) {
        return db.read("read user '" + name + "'", c -> Sql.list(c,
                "SELECT " + COLUMNS + " FROM web_users u WHERE name = ?", UserAccounts::account, name).stream().findFirst());
    }

    /** Every account, by name. */
    public List<Account> list() {
        return db.read("read users", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM web_users u ORDER BY name", UserAccounts::account));
    }

    /** @return false when there is no such user */
    public boolean setRole(String name, String role) {
        return change("set the role of '" + name + "'", "UPDATE web_users SET role = ? WHERE name = ?", role, name);
    }

    public boolean setDisabled(String name, boolean disabled) {
        return change("disable '" + name + "'", "UPDATE web_users SET disabled = ? WHERE name = ?", disabled ? 1 : 0, name);
    }

    public boolean setPassword(String name, String passwordHash, boolean mustChangePassword) {
        return change("set the password of '" + name + "'",
                "UPDATE web_users SET password_hash = ?, must_change_password = ? WHERE name = ?",
                passwordHash, mustChangePassword ? 1 : 0, name);
    }

    /** Grants a group (idempotent); fails with StoreException when the user or the group does not exist. */
    public void grant(String name, String group) {
        db.write("grant group '" + group + "' to '" + name + "'", c -> Sql.update(c,
                "INSERT INTO user_groups(user_name, group_name) VALUES (?, ?) ON CONFLICT DO NOTHING", name, group));
    }

    /** @return false when the group was not granted */
    public boolean revoke(String name, String group) {
        return change("revoke group '" + group + "' from '" + name + "'",
                "DELETE FROM user_groups WHERE user_name = ? AND group_name = ?", name, group);
    }

    private boolean change(String what, String sql, Object... args) {
        return db.write(what, c -> Sql.update(c, sql, args)) > 0;
    }

    private static Account account(java.sql.ResultSet rs) throws java.sql.SQLException {
        String groups = rs.getString(7);
        return new Account(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5) != 0,
                rs.getInt(6) != 0, groups == null ? List.of() : List.of(groups.split("\n")));
    }
}
