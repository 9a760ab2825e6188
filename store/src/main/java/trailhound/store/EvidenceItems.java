package trailhound.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Saved evidence items (tables {@code evidence_items}, {@code evidence_tags}, {@code evidence_events}):
 * what an analyst kept, of which {@link Kind}, from which endpoint, with a note and tags, who saved it
 * and when. Event and process items hold a copy of every field of each event (one JSON object per
 * event, written by the caller), so retention, a purge or a re-index of the endpoint never changes
 * them. A file item shares its id with its {@link EvidenceFiles} row. Who may see or change which item
 * is module access's job; this only stores. Thread-safe.
 */
public final class EvidenceItems {
    /** What an item keeps. */
    public enum Kind {
        /** One or more events, copied. */
        EVENT,
        /** A process and its history (its events), copied; {@code reference} is its process key. */
        PROCESS,
        /** A file fetched from a live endpoint ({@link EvidenceFiles}, same id). */
        FILE,
        /** A snapshot, its file copied under {@code evidence/snapshots/}; {@code reference} is the snapshot id. */
        SNAPSHOT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the kinds */
        public static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label().equals(label)) return k;
            }
            throw new IllegalArgumentException("unknown evidence kind '" + label + "': expected event, process, file or snapshot");
        }
    }

    /**
     * A saved item. {@code title} a one-line summary; {@code reference} the process key, snapshot id or
     * null; {@code tags} sorted; {@code eventCount} the events it holds; times UTC epoch ms.
     */
    public record Item(long id, Kind kind, String endpoint, String title, String reference, String note, List<String> tags,
            long eventCount, String createdBy, long createdAt, long updatedAt) {}

    /** The items {@link #list} answers: every one matching all the given (non-null) parts. */
    public record Filter(Kind kind, String endpoint, String tag, String createdBy) {
        public static final Filter ALL = new Filter(null, null, null, null);
    }

    private static final String COLUMNS = "i.id, i.kind, i.endpoint, i.title, i.reference, i.note, i.event_count, i.created_by,"
            + " i.created_at, i.updated_at";

    private final Database db;

    EvidenceItems(Database db) {
        this.db = db;
    }

    /**
     * Records an item with its events (each a JSON object of every field, in order) and tags; answers
     * its id. All of it is written in one transaction, or none.
     */
    public long save(Kind kind, String endpoint, String title, String reference, String note, List<String> tags, List<String> eventsJson,
            String createdBy, long at) {
        return save(kind, endpoint, title, reference, note, tags, eventsJson, eventsJson.size(), createdBy, at);
    }

    /** As above, with the item's event count given: a snapshot item keeps its events in its file, not here. */
    public long save(Kind kind, String endpoint, String title, String reference, String note, List<String> tags, List<String> eventsJson,
            long eventCount, String createdBy, long at) {
        if (kind == Kind.FILE) throw new IllegalArgumentException("file items are made with their file: EvidenceFiles.begin");
        return db.write("save evidence", c -> {
            long id = insert(c, kind, endpoint, title, reference, note, eventCount, createdBy, at);
            int position = 0;
            for (String json : eventsJson) {
                Sql.update(c, "INSERT INTO evidence_events(item_id, position, fields) VALUES (?, ?, ?)", id, position++, json);
            }
            setTags(c, id, tags);
            return id;
        });
    }

    static long insert(Connection c, Kind kind, String endpoint, String title, String reference, String note, long events,
            String createdBy, long at) throws SQLException {
        return Sql.list(c, "INSERT INTO evidence_items(kind, endpoint, title, reference, note, event_count, created_by, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", rs -> rs.getLong(1), kind.label(), endpoint, title,
                reference, note == null ? "" : note, events, createdBy, at, at).getFirst();
    }

    public Optional<Item> find(long id) {
        return db.read("read evidence", c -> withTags(c, Sql.list(c, "SELECT " + COLUMNS + " FROM evidence_items i WHERE i.id = ?"
                + LIVE_FILES, EvidenceItems::row, id))).stream().findFirst();
    }

    /** A file item whose file row is gone (removed by its own code) is no item any more. */
    private static final String LIVE_FILES = " AND (i.kind <> 'file' OR EXISTS (SELECT 1 FROM evidence_files f WHERE f.id = i.id))";

    /** The items matching the filter, newest first. */
    public List<Item> list(Filter filter) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.kind() != null) {
            where.append(" AND i.kind = ?");
            args.add(filter.kind().label());
        }
        if (filter.endpoint() != null) {
            where.append(" AND i.endpoint = ?");
            args.add(filter.endpoint());
        }
        if (filter.createdBy() != null) {
            where.append(" AND i.created_by = ?");
            args.add(filter.createdBy());
        }
        if (filter.tag() != null) {
            where.append(" AND EXISTS (SELECT 1 FROM evidence_tags t WHERE t.item_id = i.id AND t.tag = ?)");
            args.add(filter.tag());
        }
        return db.read("read evidence", c -> withTags(c, Sql.list(c, "SELECT " + COLUMNS + " FROM evidence_items i" + where + LIVE_FILES
                + " ORDER BY i.id DESC", EvidenceItems::row, args.toArray())));
    }

    /** The item's events as saved, each a JSON object, in the order saved. */
    public List<String> events(long id) {
        return db.read("read evidence events", c -> Sql.list(c, "SELECT fields FROM evidence_events WHERE item_id = ? ORDER BY position",
                rs -> rs.getString(1), id));
    }

    /** The item's first {@code limit} events as saved, each a JSON object. */
    public List<String> events(long id, int limit) {
        return db.read("read evidence events", c -> Sql.list(c, "SELECT fields FROM evidence_events WHERE item_id = ? ORDER BY position"
                + " LIMIT ?", rs -> rs.getString(1), id, limit));
    }

    /** The item's events {@code offset} (0-based) to {@code offset + limit - 1} as saved, each a JSON object. */
    public List<String> events(long id, int offset, int limit) {
        return db.read("read evidence events", c -> Sql.list(c, "SELECT fields FROM evidence_events WHERE item_id = ? ORDER BY position"
                + " LIMIT ? OFFSET ?", rs -> rs.getString(1), id, limit, offset));
    }

    /** Replaces the note and the tags; false when there is no such item. */
    public boolean describe(long id, String note, List<String> tags, long at) {
        return db.write("update evidence", c -> {
            if (Sql.update(c, "UPDATE evidence_items SET note = ?, updated_at = ? WHERE id = ?", note == null ? "" : note, at, id) == 0) {
                return false;
            }
            setTags(c, id, tags);
            return true;
        });
    }

    /** Removes the item, its events and tags (and for a file its row); false when there was none. */
    public boolean remove(long id) {
        return db.write("remove evidence", c -> {
            Sql.update(c, "DELETE FROM evidence_files WHERE id = ? AND EXISTS (SELECT 1 FROM evidence_items WHERE id = ? AND kind = 'file')",
                    id, id);
            return Sql.update(c, "DELETE FROM evidence_items WHERE id = ?", id) > 0;
        });
    }

    /** Every tag in use, with how many items carry it, by tag. */
    public Map<String, Long> tags() {
        Map<String, Long> out = new LinkedHashMap<>();
        db.read("read evidence tags", c -> Sql.list(c, "SELECT tag, count(*) FROM evidence_tags GROUP BY tag ORDER BY tag",
                rs -> out.put(rs.getString(1), rs.getLong(2))));
        return out;
    }

    private static void setTags(Connection c, long id, List<String> tags) throws SQLException {
        Sql.update(c, "DELETE FROM evidence_tags WHERE item_id = ?", id);
        for (String t : tags == null ? List.<String>of() : tags) {
            Sql.update(c, "INSERT OR IGNORE INTO evidence_tags(item_id, tag) VALUES (?, ?)", id, t);
        }
    }

    private static List<Item> withTags(Connection c, List<Item> items) throws SQLException {
        if (items.isEmpty()) return items;
        Map<Long, List<String>> tags = new java.util.HashMap<>();
        String ids = String.join(",", items.stream().map(i -> Long.toString(i.id())).toList());
        Sql.list(c, "SELECT item_id, tag FROM evidence_tags WHERE item_id IN (" + ids + ") ORDER BY tag",
                rs -> tags.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2)));
        return items.stream().map(i -> new Item(i.id(), i.kind(), i.endpoint(), i.title(), i.reference(), i.note(),
                List.copyOf(tags.getOrDefault(i.id(), List.of())), i.eventCount(), i.createdBy(), i.createdAt(), i.updatedAt())).toList();
    }

    private static Item row(ResultSet rs) throws SQLException {
        return new Item(rs.getLong(1), Kind.valueOf(rs.getString(2).toUpperCase(java.util.Locale.ROOT)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), List.of(), rs.getLong(7), rs.getString(8), rs.getLong(9), rs.getLong(10));
    }
}
