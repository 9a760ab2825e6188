package trailhound.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;

/** Table {@code web_users}: name, role label, password hash (PHC string). Hashing and roles are the web module's. */
public final class UserAccounts {
    /** A stored account. */
    public record Account(String name, String role, String passwordHash, long createdAt) {}

    private final Database db;

    UserAccounts(Database db) {
        this.db = db;
    }

    public int count() {
        return db.read("count users", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM web_users")) {
                return rs.getInt(1);
            }
        });
    }

    /** Adds the account; fails with StoreException when the name is taken. */
    public void insert(String name, String role, String passwordHash) {
        db.write("create user '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO web_users(name, role, password_hash, created_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, role);
                ps.setString(3, passwordHash);
                ps.setLong(4, System.currentTimeMillis());
                return ps.executeUpdate();
            }
        });
    }

    public Optional<Account> find(String name) {
        return db.read("read user '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, role, password_hash, created_at FROM web_users WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Account(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)))
                            : Optional.empty();
                }
            }
        });
    }
}
