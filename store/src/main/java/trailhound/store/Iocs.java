package trailhound.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * IOCs (table {@code iocs}): a named tree of indicator items, kept as JSON text this module does not
 * read, with its author, origin and alert switch. Who may see or change which is module access's job;
 * this only stores. Thread-safe.
 */
public final class Iocs {
    /**
     * A stored IOC. {@code origin}: {@code evidence}, {@code api}, {@code openioc} or {@code stix};
     * {@code createdAt} epoch ms; {@code tree} the JSON of the tree.
     */
    /**
     * A stored IOC; {@code endpoints} are those whose saved evidence it was made from (its items hold
     * their paths and command lines), empty for one typed, posted or imported.
     */
    public record Ioc(long id, String name, String author, long createdAt, String origin, boolean alert, String tree, List<String> endpoints) {
        public Ioc {
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        }

        public Ioc(long id, String name, String author, long createdAt, String origin, boolean alert, String tree) {
            this(id, name, author, createdAt, origin, alert, tree, List.of());
        }
    }

    private static final String COLUMNS = "id, name, author, created_at, origin, alert, tree, endpoints";

    private final Database db;

    Iocs(Database db) {
        this.db = db;
    }

    /** Stores a new IOC ({@code ioc.id()} ignored) and answers its id. */
    public long insert(Ioc ioc) {
        return db.write("save IOC '" + ioc.name() + "'", c -> Sql.list(c, "INSERT INTO iocs(name, author, created_at, origin, alert, tree,"
                + " endpoints) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", rs -> rs.getLong(1), ioc.name(), ioc.author(), ioc.createdAt(),
                ioc.origin(), ioc.alert() ? 1 : 0, ioc.tree(), ioc.endpoints().isEmpty() ? null : String.join("\n", ioc.endpoints()))
                .getFirst());
    }

    public Optional<Ioc> find(long id) {
        return db.read("read IOC", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM iocs WHERE id = ?", Iocs::row, id).stream().findFirst());
    }

    /** Every IOC, newest first. */
    public List<Ioc> list() {
        return db.read("read IOCs", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM iocs ORDER BY id DESC", Iocs::row));
    }

    /** The IOCs set to alert, oldest first. */
    public List<Ioc> alerting() {
        return db.read("read alerting IOCs", c -> Sql.list(c, "SELECT " + COLUMNS + " FROM iocs WHERE alert = 1 ORDER BY id", Iocs::row));
    }

    /** @return false when there is no such IOC */
    public boolean setAlert(long id, boolean alert) {
        return db.write("set IOC alert", c -> Sql.update(c, "UPDATE iocs SET alert = ? WHERE id = ?", alert ? 1 : 0, id)) > 0;
    }

    /** @return false when there is no such IOC */
    public boolean delete(long id) {
        return db.write("delete IOC", c -> Sql.update(c, "DELETE FROM iocs WHERE id = ?", id)) > 0;
    }

    private static Ioc row(ResultSet rs) throws SQLException {
        return new Ioc(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getInt(6) == 1, rs.getString(7),
                rs.getString(8) == null ? List.of() : List.of(rs.getString(8).split("\n")));
    }
}
