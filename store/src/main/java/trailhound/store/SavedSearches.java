package trailhound.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Saved searches (table {@code saved_searches}): a user's named query with its time window and its
 * endpoint, or none for every endpoint (the hunt page). Names are unique per owner, ASCII case
 * ignored. Who may see, open, rename or delete which one is module access's job; this only stores.
 * Thread-safe.
 */
public final class SavedSearches {
    /**
     * A stored search. {@code endpoint} null: all endpoints. {@code fromTs}/{@code toTs} epoch ms
     * (either null: open) for an absolute window; {@code relativeRange} a quick range id ({@code 24h})
     * instead, else null. Times epoch ms.
     */
    public record SavedSearch(long id, String owner, String name, String query, String endpoint, Long fromTs, Long toTs,
            String relativeRange, boolean shared, long createdAt, long updatedAt) {}

    /** What a change came to. */
    public enum Outcome {
        DONE,
        /** No saved search with that id. */
        MISSING,
        /** The owner has another saved search of that name. */
        DUPLICATE_NAME
    }

    private static final String COLUMNS =
            "id, owner, name, query, endpoint, from_ts, to_ts, relative_range, shared, created_at, updated_at";

    private final Database db;

    SavedSearches(Database db) {
        this.db = db;
    }

    /**
     * Stores a new search ({@code s.id()} is ignored) and answers its id; empty when its owner has a
     * search of that name already (ASCII case ignored). Fails with StoreException when the owner is no user.
     */
    public Optional<Long> insert(SavedSearch s) {
        return db.write("save search '" + s.name() + "'", c -> {
            if (named(c, s.owner(), s.name(), -1)) return Optional.empty();
            List<Long> id = Sql.list(c, "INSERT INTO saved_searches(owner, name, query, endpoint, from_ts, to_ts, relative_range,"
                    + " shared, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", rs -> rs.getLong(1),
                    s.owner(), s.name(), s.query(), s.endpoint(), s.fromTs(), s.toTs(), s.relativeRange(), s.shared() ? 1 : 0,
                    s.createdAt(), s.updatedAt());
            return Optional.of(id.getFirst());
        });
    }

    public Optional<SavedSearch> find(long id) {
        return db.read("read saved search", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM saved_searches WHERE id = ?",
                SavedSearches::row, id).stream().findFirst());
    }

    /** Every saved search, by owner then name (ASCII case ignored). */
    public List<SavedSearch> list() {
        return db.read("read saved searches", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM saved_searches ORDER BY owner, name",
                SavedSearches::row));
    }

    /** The owner's searches and everyone's shared ones, by name (ASCII case ignored) then owner. */
    public List<SavedSearch> ownAndShared(String owner) {
        return db.read("read saved searches", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM saved_searches WHERE owner = ?"
                + " OR shared = 1 ORDER BY name, owner", SavedSearches::row, owner));
    }

    /** Gives the search a new name, unless its owner has another one of that name. */
    public Outcome rename(long id, String name, long at) {
        return db.write("rename saved search", c -> {
            List<String> owner = Sql.list(c, "SELECT owner FROM saved_searches WHERE id = ?", rs -> rs.getString(1), id);
            if (owner.isEmpty()) return Outcome.MISSING;
            if (named(c, owner.getFirst(), name, id)) return Outcome.DUPLICATE_NAME;
            Sql.update(c, "UPDATE saved_searches SET name = ?, updated_at = ? WHERE id = ?", name, at, id);
            return Outcome.DONE;
        });
    }

    /** @return false when there is no such search */
    public boolean delete(long id) {
        return db.write("delete saved search", c -> Sql.update(c, "DELETE FROM saved_searches WHERE id = ?", id)) > 0;
    }

    /** True when the owner has a search of this name other than {@code except}. */
    private static boolean named(Connection c, String owner, String name, long except) throws SQLException {
        return !Sql.list(c, "SELECT 1 FROM saved_searches WHERE owner = ? AND name = ? AND id <> ?", rs -> 1, owner, name, except)
                .isEmpty();
    }

    private static SavedSearch row(ResultSet rs) throws SQLException {
        return new SavedSearch(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Sql.nullableLong(rs, 6), Sql.nullableLong(rs, 7), rs.getString(8), rs.getInt(9) == 1, rs.getLong(10), rs.getLong(11));
    }
}
