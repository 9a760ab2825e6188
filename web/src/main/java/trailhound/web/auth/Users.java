package trailhound.web.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The web users, in table {@code web_users} of {@code server.db}: name, role, Argon2id hash.
 * Thread-safe (a connection per call; SQLite serialises writers).
 */
public final class Users {
    static final String INITIAL_PASSWORD_FILE = "initial-admin-password";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final String url;
    private final PasswordHasher hasher = new PasswordHasher();

    public Users(Path serverDb) {
        this.url = "jdbc:sqlite:" + serverDb;
        try (Connection c = connect()) {
            c.createStatement().execute("""
                    CREATE TABLE IF NOT EXISTS web_users (
                      name TEXT PRIMARY KEY,
                      role TEXT NOT NULL,
                      password_hash TEXT NOT NULL,
                      created_at INTEGER NOT NULL)""");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create table web_users in " + serverDb + ": " + e.getMessage(), e);
        }
    }

    /**
     * On a data folder without users, creates {@code admin} with a random password, writes it to
     * {@code <root>/initial-admin-password} (owner read/write only) and returns it; otherwise empty.
     */
    public Optional<String> ensureInitialAdmin(Path root) {
        if (count() > 0) {
            return Optional.empty();
        }
        String password = randomPassword();
        create("admin", Role.ADMINISTRATOR, password);
        Path file = root.resolve(INITIAL_PASSWORD_FILE);
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, password + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return Optional.of(password);
    }

    public void create(String name, Role role, String password) {
        if (name == null || name.isBlank() || password == null || password.length() < 8) {
            throw new IllegalArgumentException("a user needs a name and a password of at least 8 characters");
        }
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO web_users(name, role, password_hash, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, role.label());
            ps.setString(3, hasher.hash(password));
            ps.setLong(4, System.currentTimeMillis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create user '" + name + "': " + e.getMessage(), e);
        }
    }

    /** The user's role when the password is right; empty for an unknown user or a wrong password. */
    Optional<Role> authenticate(String name, String password) {
        if (name == null || password == null) {
            return Optional.empty();
        }
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("SELECT role, password_hash FROM web_users WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    hasher.hash(password); // same work as a known user, so timing does not reveal names
                    return Optional.empty();
                }
                return hasher.verify(password, rs.getString(2)) ? Optional.of(Role.parse(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read table web_users: " + e.getMessage(), e);
        }
    }

    private int count() {
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM web_users")) {
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read table web_users: " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        c.createStatement().execute("PRAGMA busy_timeout = 5000");
        return c;
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
