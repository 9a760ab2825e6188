package trailhound.store;

import java.util.List;
import java.util.Optional;

/**
 * API tokens (table {@code api_tokens}): a public id, the user it acts for, a name, the SHA-256 of
 * its secret (the secret itself is never stored), creation, expiry, revocation and last use in epoch
 * ms. Making and checking secrets is module access's job. Thread-safe.
 */
public final class ApiTokens {
    /** A stored token; {@code revokedAt} and {@code lastUsedAt} null when never. */
    public record Token(String id, String user, String name, String secretSha256, long createdAt, long expiresAt,
            Long revokedAt, Long lastUsedAt) {}

    private static final String COLUMNS = "id, user_name, name, secret_sha256, created_at, expires_at, revoked_at, last_used_at";

    private final Database db;

    ApiTokens(Database db) {
        this.db = db;
    }

    /** Adds a token; fails with StoreException when the user has a token of that name or does not exist. */
    public void insert(Token t) {
        db.write("create token '" + t.name() + "'", c -> Sql.update(c, "INSERT INTO api_tokens(" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", t.id(), t.user(), t.name(), t.secretSha256(), t.createdAt(), t.expiresAt(),
                t.revokedAt(), t.lastUsedAt()));
    }

    public Optional<Token> find(String id) {
        return db.read("read token", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM api_tokens WHERE id = ?", ApiTokens::token, id)
                .stream().findFirst());
    }

    /** The user's tokens (all users' when {@code user} is null), newest first. */
    public List<Token> list(String user) {
        return db.read("read tokens", c -> user == null
                ? Sql.list(c, "SELECT " + COLUMNS + " FROM api_tokens ORDER BY created_at DESC", ApiTokens::token)
                : Sql.list(c, "SELECT " + COLUMNS + " FROM api_tokens WHERE user_name = ? ORDER BY created_at DESC", ApiTokens::token, user));
    }

    /** @return false when there is no such token or it was revoked already */
    public boolean revoke(String id, long at) {
        return db.write("revoke token", c -> Sql.update(c,
                "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at, id)) > 0;
    }

    public void used(String id, long at) {
        db.write("note token use", c -> Sql.update(c, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", at, id));
    }

    private static Token token(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Token(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                Sql.nullableLong(rs, 7), Sql.nullableLong(rs, 8));
    }
}
