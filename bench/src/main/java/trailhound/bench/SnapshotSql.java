package trailhound.bench;

import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.sqlite.Function;
import org.sqlite.SQLiteConfig;

/*
 * The baseline: the recorder snapshot queried in place through sqlite-jdbc, read-only, with the
 * indexes the recorder format defines (events(ts), events(type, operation), events(process_key,
 * ts), processes(parent_key), processes' primary key) and nothing added. SQLite gets a 512 MB page
 * cache and memory-mapped reads so repeated runs are served from memory, as the index's are.
 *
 * Events carry their process's fields only through a join, so every condition on a process field
 * (process_name, command_line, user...) joins processes; rows read for display join the parent as
 * well, because the index event carries parent_path and parent_command_line too.
 *
 * REGEXP is a Java function registered on the connection (SQLite has none built in): the value is
 * lower-cased and must match the whole pattern, as the index's regex matches the whole lower-cased
 * value.
 */
final class SnapshotSql implements AutoCloseable {
    /** Every canonical field the recorder can fill, aliased to its canonical name. */
    static final String EVENT_COLUMNS = """
            'r' || e.id AS event_uid, e.ts AS ts, e.type AS type, e.operation AS operation,
            e.process_key AS process_key, p.pid AS pid, p.path AS process_path, p.name AS process_name,
            p.command_line AS command_line, p.user AS user, p.cwd AS cwd, p.hash_md5 AS hash_md5,
            p.hash_sha1 AS hash_sha1, p.hash_sha256 AS hash_sha256, p.signature AS signature,
            p.signature_status AS signature_status, p.parent_key AS parent_key, p.ppid AS ppid,
            pp.path AS parent_path, pp.command_line AS parent_command_line,
            e.file_path, e.file_new_path, e.local_ip, e.local_port, e.remote_ip, e.remote_port, e.protocol,
            e.direction, e.dns_query, e.dns_answer, e.registry_key, e.registry_value_name,
            e.registry_value_data, e.image_path, e.logon_type, e.target_user, e.logon_source_ip,
            e.target_process_key, e.target_process_path, e.granted_access""";
    static final String EVENT_JOINS = " FROM events e LEFT JOIN processes p ON p.process_key = e.process_key"
            + " LEFT JOIN processes pp ON pp.process_key = p.parent_key";

    private final Connection connection;
    private final String host;
    /** SQLite's SQL as this connection's engine spells it (the identity for SQLite). */
    private final UnaryOperator<String> dialect;

    /**
     * The suite's SQL on another engine's connection holding the same two tables ({@code events},
     * {@code processes}); {@code dialect} rewrites each statement for it. Closing closes the connection.
     */
    SnapshotSql(Connection connection, String host, UnaryOperator<String> dialect) {
        this.connection = connection;
        this.host = host;
        this.dialect = dialect;
    }

    SnapshotSql(Path snapshot, String host) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setCacheSize(-512 * 1024); // KiB: 512 MB page cache
        this.connection = DriverManager.getConnection("jdbc:sqlite:" + snapshot.toAbsolutePath(), config.toProperties());
        this.host = host;
        this.dialect = UnaryOperator.identity();
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA mmap_size = 4294967296");
        }
        Function.create(connection, "REGEXP", new Function() {
            private final Map<String, Pattern> patterns = new HashMap<>();

            @Override
            protected void xFunc() throws SQLException {
                String value = value_text(1);
                if (value == null) {
                    result(0);
                    return;
                }
                Pattern p = patterns.computeIfAbsent(value_text(0), Pattern::compile);
                result(p.matcher(value.toLowerCase(java.util.Locale.ROOT)).matches() ? 1 : 0);
            }
        });
    }

    Connection connection() {
        return connection;
    }

    Answer run(QueryCase q) throws Exception {
        return switch (q.kind()) {
            case COUNT -> Answer.of(longOf(q.sql(), q.params()));
            case DISTRIBUTION -> distribution(q);
            case HISTOGRAM -> histogram(q);
            case PROCESS -> {
                long total = longOf("SELECT count(*) FROM events e WHERE e.process_key = ?", q.params());
                rows(q.sql(), q.params()); // the first 100 events with their fields, as the index reads them
                yield Answer.of(total);
            }
            case PAGE -> {
                long total = longOf(q.sql(), q.params());
                rows("SELECT " + EVENT_COLUMNS + EVENT_JOINS + " ORDER BY e.ts DESC, e.id LIMIT 50", List.of());
                yield Answer.of(total);
            }
            case EXPORT -> Answer.of(ExcelExport.write(rows(q.sql(), q.params()), OutputStream.nullOutputStream()));
        };
    }

    private Answer distribution(QueryCase q) throws SQLException {
        Map<String, Long> perType = new LinkedHashMap<>();
        long total = 0;
        try (PreparedStatement p = prepare(q.sql(), q.params()); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                long n = rs.getLong(3);
                perType.merge(rs.getString(1), n, Long::sum);
                total += n;
            }
        }
        return Answer.distribution(total, perType);
    }

    /**
     * The matching events' range from the case's FROM ... WHERE part, the index's bucket size for it
     * (the ladder is the definition, not the counting), then one GROUP BY of ts to the bucket start
     * (integer division: the generated times are after 1970).
     */
    private Answer histogram(QueryCase q) throws SQLException {
        String sql = q.sql();
        String fromWhere = sql.substring(sql.indexOf(" FROM "), sql.lastIndexOf(" GROUP BY "));
        long first;
        long last;
        try (PreparedStatement p = prepare("SELECT min(e.ts), max(e.ts)" + fromWhere, q.params()); ResultSet rs = p.executeQuery()) {
            rs.next();
            first = rs.getLong(1);
            last = rs.getLong(2);
            if (rs.wasNull()) return Answer.distribution(0, Map.of());
        }
        long size = trailhound.index.Histogram.bucketMillis(first, last + 1);
        List<Object> params = new ArrayList<>(List.of(size, size));
        params.addAll(q.params());
        Map<String, Long> perBucket = new HashMap<>();
        long total = 0;
        try (PreparedStatement p = prepare(sql, params); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                perBucket.put(Long.toString(rs.getLong(1)), rs.getLong(2));
                total += rs.getLong(2);
            }
        }
        return Answer.distribution(total, perBucket);
    }

    long longOf(String sql, List<Object> params) throws SQLException {
        try (PreparedStatement p = prepare(sql, params); ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    String stringOf(String sql, List<Object> params) throws SQLException {
        try (PreparedStatement p = prepare(sql, params); ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Rows as canonical field name -> display text (ts as ISO-8601 UTC, like the index's). */
    List<Map<String, String>> rows(String sql, List<Object> params) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (PreparedStatement p = prepare(sql, params); ResultSet rs = p.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            int n = meta.getColumnCount();
            String[] names = new String[n];
            for (int i = 0; i < n; i++) names[i] = meta.getColumnLabel(i + 1);
            while (rs.next()) {
                Map<String, String> row = new HashMap<>(64);
                row.put("endpoint", host);
                for (int i = 0; i < n; i++) {
                    String v = rs.getString(i + 1);
                    if (v == null) continue;
                    row.put(names[i], names[i].equals("ts") ? Instant.ofEpochMilli(Long.parseLong(v)).toString() : v);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private PreparedStatement prepare(String sql, List<Object> params) throws SQLException {
        PreparedStatement p = connection.prepareStatement(dialect.apply(sql));
        for (int i = 0; i < params.size(); i++) p.setObject(i + 1, params.get(i));
        return p;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
