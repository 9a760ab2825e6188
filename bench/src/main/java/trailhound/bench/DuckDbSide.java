package trailhound.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/*
 * DuckDB, the columnar engine an analyst might load recorder data into: a file-backed database
 * holding one table, events, with a column per canonical event field (the recorder's event columns
 * plus its process and parent fields, as the index's events carry them), so no query pays for the
 * recorder's joins. Loading copies the snapshot's two tables through DuckDB's appender (INTEGER ->
 * BIGINT, TEXT -> VARCHAR), flattens them with one join inside DuckDB, drops the copies and
 * checkpoints; all of it is the load time. No indexes beyond what DuckDB keeps by itself (zone maps
 * per row group): its ART indexes serve point lookups only, and an analyst loading data for
 * analytics makes none.
 *
 * The suite is the SQLite side's SQL (SnapshotSql) rewritten for the flat table, meaning the same:
 * the joins go and p.x / pp.x become the event's process_x / parent_x columns; LIKE becomes ILIKE
 * (SQLite's LIKE ignores ASCII case, DuckDB's does not); "x REGEXP ?" becomes
 * regexp_full_match(lower(x), ?) (the index matches the whole lower-cased value); the histogram's
 * "ts / ?" becomes integer division "ts // ?" (DuckDB's / divides as doubles).
 */
final class DuckDbSide implements Peer {
    private static final Pattern REGEXP = Pattern.compile("([\\w.]+) REGEXP \\?");

    private final SnapshotSql sql;
    private final BenchReport.PeerLoad loaded;

    private DuckDbSide(SnapshotSql sql, BenchReport.PeerLoad loaded) {
        this.sql = sql;
        this.loaded = loaded;
    }

    /**
     * Loads {@code snapshot} into a new DuckDB file {@code file} (replaced if present) using
     * {@code threads} threads and at most {@code memoryLimit} (DuckDB's syntax, e.g. "3GB").
     */
    static DuckDbSide load(Path snapshot, Path file, String host, int threads, String memoryLimit) throws SQLException {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".wal"));
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        long t0 = System.nanoTime();
        Connection duck = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
        try {
            try (Statement s = duck.createStatement()) {
                s.execute("SET threads = " + threads);
                s.execute("SET memory_limit = '" + memoryLimit + "'");
            }
            long events;
            try (Connection lite = DriverManager.getConnection("jdbc:sqlite:" + snapshot.toAbsolutePath() + "?open_mode=1")) {
                copy(lite, duck, "processes", "recorder_processes");
                events = copy(lite, duck, "events", "recorder_events");
            }
            try (Statement s = duck.createStatement()) {
                s.execute("CREATE TABLE events AS SELECT e.id AS id, " + SnapshotSql.EVENT_COLUMNS.replace(" AS user,", " AS \"user\",")
                        + SnapshotSql.EVENT_JOINS.replace(" events e", " recorder_events e").replace(" processes ", " recorder_processes "));
                s.execute("DROP TABLE recorder_events");
                s.execute("DROP TABLE recorder_processes");
                s.execute("CHECKPOINT");
            }
            double seconds = Benchmark.seconds(t0);
            long bytes = Files.size(file);
            return new DuckDbSide(new SnapshotSql(duck, host, DuckDbSide::dialect),
                    new BenchReport.PeerLoad("duckdb", events, seconds, events / seconds, bytes,
                            "file-backed, threads " + threads + ", memory_limit " + memoryLimit + ", no indexes"));
        } catch (SQLException | RuntimeException e) {
            duck.close();
            throw e;
        } catch (java.io.IOException e) {
            duck.close();
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Creates {@code into} in DuckDB with the columns of the snapshot's {@code table} and appends every row; returns the rows. */
    private static long copy(Connection lite, Connection duck, String table, String into) throws SQLException {
        List<String> names = new ArrayList<>();
        List<Boolean> integer = new ArrayList<>();
        try (Statement s = lite.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                names.add(rs.getString("name"));
                integer.add(rs.getString("type").toUpperCase(java.util.Locale.ROOT).contains("INT"));
            }
        }
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + into + " (");
        for (int i = 0; i < names.size(); i++) {
            ddl.append(i == 0 ? "" : ", ").append('"').append(names.get(i)).append("\" ").append(integer.get(i) ? "BIGINT" : "VARCHAR");
        }
        try (Statement s = duck.createStatement()) {
            s.execute(ddl.append(')').toString());
        }
        long rows = 0;
        int n = names.size();
        try (Statement s = lite.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + String.join(", ", names) + " FROM " + table);
                DuckDBAppender appender = duck.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, into)) {
            while (rs.next()) {
                appender.beginRow();
                for (int i = 0; i < n; i++) {
                    if (integer.get(i)) {
                        long v = rs.getLong(i + 1);
                        if (rs.wasNull()) appender.appendNull();
                        else appender.append(v);
                    } else {
                        String v = rs.getString(i + 1);
                        if (v == null) appender.appendNull();
                        else appender.append(v);
                    }
                }
                appender.endRow();
                rows++;
            }
        }
        return rows;
    }

    /** SQLite's spelling of the suite's SQL to DuckDB's on the flat table, meaning the same (see the class comment). */
    static String dialect(String sqlite) {
        String s = sqlite.replace(SnapshotSql.EVENT_COLUMNS, FLAT_COLUMNS)
                .replace(SnapshotSql.EVENT_JOINS, " FROM events e")
                .replace(QuerySuite.PROCESS_JOIN, " FROM events e")
                .replace(" FROM events e LEFT JOIN processes p ON p.process_key = e.process_key", " FROM events e");
        s = PARENT.matcher(s).replaceAll(r -> "e.parent_" + r.group(1)); // pp.path: parent_path
        s = PROCESS.matcher(s).replaceAll(r -> "e." + Matcher.quoteReplacement(
                r.group(1).equals("user") ? "\"user\"" : PROCESS_COLUMN.getOrDefault(r.group(1), r.group(1))));
        if (s.contains(" processes ")) throw new IllegalArgumentException("no flat spelling for the join in: " + sqlite);
        s = s.replace(" LIKE ", " ILIKE ").replace("(e.ts / ?)", "(e.ts // ?)");
        return REGEXP.matcher(s).replaceAll(r -> "regexp_full_match(lower(" + Matcher.quoteReplacement(r.group(1)) + "), ?)");
    }

    private static final Pattern PARENT = Pattern.compile("\\bpp\\.(\\w+)");
    private static final Pattern PROCESS = Pattern.compile("\\bp\\.(\\w+)");
    /** The recorder's processes columns whose canonical event field has another name. */
    private static final java.util.Map<String, String> PROCESS_COLUMN = java.util.Map.of("name", "process_name", "path", "process_path");
    /** The flat table's columns, named as EVENT_COLUMNS names them. */
    private static final String FLAT_COLUMNS = String.join(", ", java.util.Arrays.stream(SnapshotSql.EVENT_COLUMNS.split(","))
            .map(c -> c.strip().replaceAll("(?s).*\\s+AS\\s+", "").replaceAll("^e\\.", ""))
            .map(c -> "e." + (c.equals("user") ? "\"user\"" : c)).toList());

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public BenchReport.PeerLoad loaded() {
        return loaded;
    }

    @Override
    public Answer run(QueryCase q) throws Exception {
        return sql.run(q);
    }

    @Override
    public void close() throws SQLException {
        sql.close();
    }
}
