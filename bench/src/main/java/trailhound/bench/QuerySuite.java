package trailhound.bench;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import trailhound.bench.QueryCase.Kind;

/*
 * The fixed query suite of issue #4, with values picked from the snapshot itself so every query
 * has non-trivial hits whatever the generator puts in: the most common process name, directory,
 * user and remote address, the attack story's encoded PowerShell when present. Picking runs SQL on
 * the snapshot before any timing and is not timed.
 *
 * Each case is one logical query written twice. The rules that keep the pairs equivalent:
 *  - values are case-insensitive in the index; in SQL, LIKE is case-insensitive for ASCII and
 *    equality compares lower(column) with the lower-cased value (the data is ASCII);
 *  - LIKE patterns escape % and _ with '!', so a value is matched literally;
 *  - process fields live in processes, so conditions on them join it, as the index's
 *    denormalised event carries them;
 *  - CIDR a.b.0.0/16 is LIKE 'a.b.%' on the canonical dotted text (same set for IPv4);
 *  - regex is whole-value on the lower-cased value in both (SQL: the Java REGEXP function);
 *  - NOT includes events without the field (p.user IS NULL), as a Lucene NOT does.
 */
final class QuerySuite {
    static final String PROCESS_JOIN = " FROM events e JOIN processes p ON p.process_key = e.process_key";
    private static final String SPECIAL = "+-!():^[]\"{}~*?\\/&| ";
    /**
     * A bare word searches QueryFields.FREE_TEXT, contains on each: these are its 17 columns (process
     * fields through the process, parent_* through the parent, as the index's events carry them).
     */
    static final List<String> FREE_TEXT_COLUMNS = List.of("p.path", "pp.path", "e.file_path", "e.file_new_path", "e.image_path",
            "e.target_process_path", "p.command_line", "pp.command_line", "p.user", "e.target_user", "p.hash_md5", "p.hash_sha1",
            "p.hash_sha256", "e.registry_key", "e.registry_value_name", "e.registry_value_data", "e.dns_query");

    private QuerySuite() {}

    static List<QueryCase> build(SnapshotSql sql) throws SQLException {
        long bad = sql.longOf("SELECT count(*) FROM events WHERE ts IS NULL OR type IS NULL OR type = ''", List.of());
        if (bad > 0) {
            throw new IllegalStateException("the snapshot has " + bad + " events without time or type, which ingest"
                    + " rejects; the SQL side would count them: benchmark a clean generated snapshot");
        }
        String name = orDefault(sql.stringOf("SELECT name FROM processes WHERE name IS NOT NULL GROUP BY lower(name)"
                + " ORDER BY count(*) DESC LIMIT 1", List.of()), "svchost.exe");
        String path = orDefault(sql.stringOf("SELECT path FROM processes WHERE path IS NOT NULL GROUP BY lower(path)"
                + " ORDER BY count(*) DESC LIMIT 1", List.of()), "c:\\windows\\");
        String prefix = path.substring(0, Math.max(1, Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1));
        String user = orDefault(sql.stringOf("SELECT user FROM processes WHERE user IS NOT NULL GROUP BY lower(user)"
                + " ORDER BY count(*) DESC LIMIT 1", List.of()), "system");
        String contains = firstPresent(sql, "SELECT count(*) FROM processes WHERE command_line LIKE ? ESCAPE '!'",
                "%", "%", List.of("-enc", "powershell", "cmd", ".exe"));
        String extension = firstPresent(sql, "SELECT EXISTS (SELECT 1 FROM events WHERE file_path LIKE ? ESCAPE '!')",
                "%", "", List.of(".ps1", ".exe", ".dll", ".tmp", ".txt", ".log"));
        String ip = orDefault(sql.stringOf("SELECT remote_ip FROM events WHERE type = 'network'"
                + " AND remote_ip LIKE '%.%.%.%' GROUP BY remote_ip ORDER BY count(*) DESC LIMIT 1", List.of()), "10.0.0.1");
        String[] octets = ip.split("\\.");
        String netName = orDefault(sql.stringOf("SELECT p.name" + PROCESS_JOIN + " WHERE e.type = 'network'"
                + " AND p.name IS NOT NULL GROUP BY lower(p.name) ORDER BY count(*) DESC LIMIT 1", List.of()), name);
        String processKey = sql.stringOf("SELECT e.process_key FROM events e WHERE e.process_key IN"
                + " (SELECT process_key FROM processes WHERE command_line LIKE ? ESCAPE '!')"
                + " GROUP BY e.process_key ORDER BY count(*) DESC LIMIT 1", List.of("%" + like(contains) + "%"));
        if (processKey == null) {
            processKey = orDefault(sql.stringOf("SELECT process_key FROM processes LIMIT 1", List.of()), "none");
        }
        // the process with the most events: its oldest 100 of thousands, and its relatives (often thousands of peers)
        String busiestKey = orDefault(sql.stringOf("SELECT process_key FROM events WHERE process_key IS NOT NULL"
                + " GROUP BY process_key ORDER BY count(*) DESC LIMIT 1", List.of()), processKey);
        long first = sql.longOf("SELECT min(ts) FROM events", List.of());
        long last = sql.longOf("SELECT max(ts) FROM events", List.of());
        long from = first + (last - first) * 45 / 100;
        long to = first + (last - first) * 55 / 100;

        String lowName = lower(name);
        List<QueryCase> cases = new ArrayList<>();
        cases.add(count("equals process_name", "process_name:" + quote(name),
                "SELECT count(*)" + PROCESS_JOIN + " WHERE lower(p.name) = ?", List.of(lowName)).withTargets(5.0, null));
        cases.add(count("equals remote_ip", "remote_ip:" + ip,
                "SELECT count(*) FROM events e WHERE e.remote_ip = ?", List.of(ip)).withTargets(5.0, null));
        cases.add(count("starts-with process_path", "process_path:" + escape(prefix) + "*",
                "SELECT count(*)" + PROCESS_JOIN + " WHERE p.path LIKE ? ESCAPE '!'", List.of(like(prefix) + "%"))
                .withTargets(5.0, null));
        cases.add(count("contains command_line", "command_line:*" + escape(contains) + "*",
                "SELECT count(*)" + PROCESS_JOIN + " WHERE p.command_line LIKE ? ESCAPE '!'",
                List.of("%" + like(contains) + "%")).withTargets(20.0, 50.0));
        cases.add(count("ends-with file_path", "file_path:*" + escape(extension),
                "SELECT count(*) FROM events e WHERE e.file_path LIKE ? ESCAPE '!'", List.of("%" + like(extension)))
                .withTargets(10.0, null));
        cases.add(count("regex dns_query", "dns_query:/.*\\.(com|net)/",
                "SELECT count(*) FROM events e WHERE e.dns_query REGEXP ?", List.of(".*\\.(com|net)")));
        cases.add(count("CIDR remote_ip /16", "remote_ip:" + octets[0] + "." + octets[1] + ".0.0/16",
                "SELECT count(*) FROM events e WHERE e.remote_ip LIKE ?", List.of(octets[0] + "." + octets[1] + ".%")));
        cases.add(count("port range remote_port", "remote_port:[1 TO 1023]",
                "SELECT count(*) FROM events e WHERE e.remote_port BETWEEN 1 AND 1023", List.of()));
        cases.add(count("time range ts (10%)", "ts:[" + Instant.ofEpochMilli(from) + " TO " + Instant.ofEpochMilli(to) + "]",
                "SELECT count(*) FROM events e WHERE e.ts BETWEEN ? AND ?", List.of(from, to)));
        cases.add(count("AND of three", "type:network AND process_name:" + quote(netName) + " AND remote_port:[1 TO 1023]",
                "SELECT count(*)" + PROCESS_JOIN + " WHERE e.type = 'network' AND lower(p.name) = ?"
                        + " AND e.remote_port BETWEEN 1 AND 1023", List.of(lower(netName))));
        cases.add(count("NOT", "type:process AND NOT user:" + quote(user),
                "SELECT count(*) FROM events e LEFT JOIN processes p ON p.process_key = e.process_key"
                        + " WHERE e.type = 'process' AND (p.user IS NULL OR lower(p.user) <> ?)", List.of(lower(user))));
        String word = firstPresent(sql, "SELECT count(*) FROM processes WHERE command_line LIKE ? ESCAPE '!'", "%", "%",
                List.of("powershell", "cmd", "svchost", "exe"));
        List<Object> everyField = new ArrayList<>();
        for (int i = 0; i < FREE_TEXT_COLUMNS.size(); i++) everyField.add("%" + like(lower(word)) + "%");
        cases.add(count("free text (17 fields)", escape(word), "SELECT count(*)" + SnapshotSql.EVENT_JOINS + " WHERE "
                + String.join(" OR ", FREE_TEXT_COLUMNS.stream().map(c -> c + " LIKE ? ESCAPE '!'").toList()), everyField));
        cases.add(new QueryCase("distribution (endpoint)", Kind.DISTRIBUTION, null,
                "SELECT type, operation, count(*) FROM events GROUP BY type, operation", List.of(), 50.0, 10.0));
        cases.add(new QueryCase("distribution (under query)", Kind.DISTRIBUTION, "process_name:" + quote(name),
                "SELECT e.type, e.operation, count(*)" + PROCESS_JOIN + " WHERE lower(p.name) = ? GROUP BY e.type, e.operation",
                List.of(lowName), 100.0, null));
        cases.add(new QueryCase("histogram (endpoint)", Kind.HISTOGRAM, null,
                "SELECT (e.ts / ?) * ? AS bucket, count(*) FROM events e GROUP BY bucket", List.of(), 50.0, null));
        cases.add(new QueryCase("histogram (under query)", Kind.HISTOGRAM, "process_name:" + quote(name),
                "SELECT (e.ts / ?) * ? AS bucket, count(*)" + PROCESS_JOIN + " WHERE lower(p.name) = ? GROUP BY bucket",
                List.of(lowName), null, null));
        cases.add(new QueryCase("process history (100)", Kind.PROCESS, processKey,
                "SELECT " + SnapshotSql.EVENT_COLUMNS + SnapshotSql.EVENT_JOINS + " WHERE e.process_key = ? ORDER BY e.ts, e.id LIMIT 100",
                List.of(processKey), 10.0, null));
        cases.add(new QueryCase("process view, busiest", Kind.PROCESS, busiestKey,
                "SELECT " + SnapshotSql.EVENT_COLUMNS + SnapshotSql.EVENT_JOINS + " WHERE e.process_key = ? ORDER BY e.ts, e.id LIMIT 100",
                List.of(busiestKey), 10.0, null));
        cases.add(new QueryCase("first page newest (50)", Kind.PAGE, null, "SELECT count(*) FROM events", List.of(), 10.0, null));
        cases.add(new QueryCase("Excel export 10,000 rows", Kind.EXPORT, "type:network",
                "SELECT " + SnapshotSql.EVENT_COLUMNS + SnapshotSql.EVENT_JOINS + " WHERE e.type = 'network'"
                        + " ORDER BY e.ts DESC, e.id LIMIT " + IndexSide.EXPORT_ROWS, List.of(), null, null));
        return cases;
    }

    private static QueryCase count(String name, String index, String sql, List<Object> params) {
        return new QueryCase(name, Kind.COUNT, index, sql, params, null, null);
    }

    /** The first candidate the SQL (one LIKE parameter: before + candidate + after) finds, else the last. */
    private static String firstPresent(SnapshotSql sql, String query, String before, String after, List<String> candidates)
            throws SQLException {
        for (String c : candidates) {
            if (sql.longOf(query, List.of(before + like(c) + after)) > 0) return c;
        }
        return candidates.getLast();
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** Query-language text for a literal value: every special character backslash-escaped. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            if (SPECIAL.indexOf(c) >= 0 || Character.isWhitespace(c)) b.append('\\');
            b.append(c);
        }
        return b.toString();
    }

    /** A quoted exact value: inside quotes only " and \ need escaping. */
    static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A literal for LIKE ... ESCAPE '!'. */
    static String like(String value) {
        return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
