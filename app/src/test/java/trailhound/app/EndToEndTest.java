package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.Function;

/*
 * The differential test of issue #2: generate samples with a fixed seed, ingest them with the CLI, then
 * for every operand and field kind compare the CLI's count with a count computed directly from the
 * SQLite file with SQL. Query values are picked from the data itself, so nothing is hard-coded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {
    Path tmp;
    Path data;
    Path samples;
    Path db;
    String endpoint;

    @BeforeAll
    void generateAndIngest(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        samples = tmp.resolve("samples");
        data = tmp.resolve("data");
        Cli gen = Cli.run("samples", "--out", samples.toString(), "--endpoints", "3", "--events", "90000", "--seed", "42");
        assertEquals(0, gen.status(), gen.err());
        List<String> args = new ArrayList<>(List.of("ingest", "--data", data.toString()));
        try (Stream<Path> files = Files.list(samples)) {
            files.filter(f -> f.toString().endsWith(".db")).sorted().forEach(f -> args.add(f.toString()));
        }
        Cli ingest = Cli.run(args.toArray(String[]::new));
        assertEquals(0, ingest.status(), ingest.err());
        try (Stream<Path> files = Files.list(samples)) {
            db = files.filter(f -> f.toString().endsWith(".db")).sorted().findFirst().orElseThrow();
        }
        endpoint = sqlString("SELECT value FROM meta WHERE key = 'host'");
    }

    /** The events of the snapshot with their acting process and its parent, as the index sees them. */
    private static final String VIEW = """
        SELECT e.*, p.pid AS pid, p.ppid AS ppid, p.path AS process_path, p.name AS process_name,
               p.command_line AS command_line, p.user AS user, p.hash_sha256 AS hash_sha256,
               p.hash_md5 AS hash_md5, p.hash_sha1 AS hash_sha1, pp.path AS parent_path
        FROM events e LEFT JOIN processes p ON p.process_key = e.process_key
                      LEFT JOIN processes pp ON pp.process_key = p.parent_key""";

    @TestFactory
    Stream<DynamicTest> everyOperandAndFieldKind_cliCountEqualsSqlCount() throws Exception {
        String name = sqlString("SELECT p.name FROM events e JOIN processes p USING (process_key) GROUP BY p.name ORDER BY count(*) DESC LIMIT 1");
        String path = sqlString("SELECT p.path FROM events e JOIN processes p USING (process_key) WHERE p.path LIKE '%\\%' ESCAPE '|' OR p.path LIKE '%/%' GROUP BY p.path ORDER BY count(*) DESC LIMIT 1 OFFSET 2");
        String prefix = path.substring(0, Math.min(path.length(), Math.max(3, path.lastIndexOf(path.contains("\\") ? '\\' : '/') + 1)));
        String fileSuffix = sqlString("SELECT lower(substr(file_path, -4)) FROM events WHERE file_path IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
        String user = sqlString("SELECT p.user FROM events e JOIN processes p USING (process_key) WHERE p.user IS NOT NULL GROUP BY p.user ORDER BY count(*) DESC LIMIT 1");
        String remoteIp = sqlString("SELECT remote_ip FROM events WHERE remote_ip IS NOT NULL GROUP BY remote_ip ORDER BY count(*) DESC LIMIT 1");
        long pid = sqlLong("SELECT p.pid FROM events e JOIN processes p USING (process_key) GROUP BY p.pid ORDER BY count(*) DESC LIMIT 1");
        String sha = sqlString("SELECT p.hash_sha256 FROM events e JOIN processes p USING (process_key) WHERE p.hash_sha256 IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
        long tsMin = sqlLong("SELECT min(ts) FROM events");
        long tsMax = sqlLong("SELECT max(ts) FROM events");
        long tsFrom = tsMin + (tsMax - tsMin) / 3;
        long tsTo = tsMin + 2 * (tsMax - tsMin) / 3;
        String regKey = sqlString("SELECT registry_key FROM events WHERE registry_key IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
        String regNeedle = regKey.substring(regKey.length() / 3, regKey.length() / 3 + 6).toLowerCase();
        String cmdNeedle = "-enc";
        String dns = sqlString("SELECT dns_query FROM events WHERE dns_query IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
        String dnsTail = dns.substring(dns.indexOf('.'));

        List<Case> cases = List.of(
            new Case("keyword equals", "process_name:" + q(name), "lower(process_name) = " + s(name.toLowerCase())),
            new Case("keyword equals, other case", "process_name:" + q(name.toUpperCase()), "lower(process_name) = " + s(name.toLowerCase())),
            new Case("keyword does not equal", "NOT process_name:" + q(name), "process_name IS NULL OR lower(process_name) <> " + s(name.toLowerCase())),
            new Case("keyword contains", "command_line:*" + cmdNeedle + "*", "instr(lower(command_line), " + s(cmdNeedle) + ") > 0"),
            new Case("keyword does not contain", "NOT command_line:*" + cmdNeedle + "*", "command_line IS NULL OR instr(lower(command_line), " + s(cmdNeedle) + ") = 0"),
            new Case("keyword contains with backslashes", "registry_key:*" + esc(regNeedle) + "*", "instr(lower(registry_key), " + s(regNeedle) + ") > 0"),
            new Case("keyword starts with", "process_path:" + esc(prefix.toLowerCase()) + "*", "substr(lower(process_path), 1, " + prefix.length() + ") = " + s(prefix.toLowerCase())),
            new Case("keyword ends with", "file_path:*" + esc(fileSuffix), "substr(lower(file_path), -" + fileSuffix.length() + ") = " + s(fileSuffix)),
            new Case("keyword ends with (dns)", "dns_query:*" + esc(dnsTail.toLowerCase()), "substr(lower(dns_query), -" + dnsTail.length() + ") = " + s(dnsTail.toLowerCase())),
            new Case("keyword regex", "file_path:/.*\\\\[a-z]+\\.dll/", "regexp('.*\\\\[a-z]+\\.dll', lower(file_path))"),
            new Case("keyword user equals", "user:" + q(user), "lower(user) = " + s(user.toLowerCase())),
            new Case("hash alias", "hash:" + sha, "lower(hash_sha256) = " + s(sha.toLowerCase()) + " OR lower(hash_md5) = " + s(sha.toLowerCase()) + " OR lower(hash_sha1) = " + s(sha.toLowerCase())),
            new Case("id equals", "type:network", "type = 'network'"),
            new Case("id starts with", "operation:set*", "operation LIKE 'set%'"),
            new Case("number equals", "pid:" + pid, "pid = " + pid),
            new Case("number range", "remote_port:[1 TO 1023]", "remote_port BETWEEN 1 AND 1023"),
            new Case("number open range", "remote_port:{1023 TO *]", "remote_port > 1023"),
            new Case("time range", "ts:[" + Instant.ofEpochMilli(tsFrom) + " TO " + Instant.ofEpochMilli(tsTo) + "]", "ts BETWEEN " + tsFrom + " AND " + tsTo),
            new Case("ip equals", "remote_ip:" + q(remoteIp), "remote_ip = " + s(remoteIp)),
            new Case("ip cidr", "remote_ip:10.0.0.0/8", "remote_ip LIKE '10.%'"),
            new Case("ip alias", "ip:" + q(remoteIp), "local_ip = " + s(remoteIp) + " OR remote_ip = " + s(remoteIp) + " OR logon_source_ip = " + s(remoteIp)),
            new Case("three-clause AND", "type:network AND remote_port:443 AND NOT process_name:" + q(name),
                    "type = 'network' AND remote_port = 443 AND (process_name IS NULL OR lower(process_name) <> " + s(name.toLowerCase()) + ")"),
            new Case("OR", "type:dns OR type:registry", "type IN ('dns', 'registry')"),
            new Case("parent path contains", "parent_path:*system32*", "instr(lower(parent_path), 'system32') > 0"),
            new Case("everything", "", "1"));

        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name() + ": " + c.query(), () -> {
            long expected = sqlLong("SELECT count(*) FROM (" + VIEW + ") WHERE " + c.where());
            long actual = Cli.run("search", "--data", data.toString(), "--endpoint", endpoint, "--count", c.query()).count();
            assertEquals(expected, actual, c.query() + "  vs SQL  " + c.where());
        }));
    }

    @Test
    void searchAll_countIsTheSumOverEndpoints() throws Exception {
        long all = Cli.run("search", "--data", data.toString(), "--all", "--count", "type:process").count();
        long sum = 0;
        try (Stream<Path> files = Files.list(samples)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".db")).toList()) {
                sum += sqlLong(f, "SELECT count(*) FROM events WHERE type = 'process'");
            }
        }
        assertEquals(sum, all);
    }

    @Test
    void ingestTwice_addsNothing() {
        Cli again = Cli.run("ingest", "--data", data.toString(), db.toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("already ingested as source s"), again.out());
        assertTrue(again.out().contains("nothing added"), again.out());
    }

    @Test
    void searchJson_newestFirstWithCanonicalFields() {
        Cli json = Cli.run("search", "--data", data.toString(), "--endpoint", endpoint, "--limit", "5", "--format", "json", "type:process");
        assertEquals(0, json.status(), json.err());
        assertTrue(json.out().contains("\"process_key\""), json.out());
        assertTrue(json.out().contains("\"event_uid\""), json.out());
    }

    @Test
    void distributionJson_matchesSqlGroupBy() throws Exception {
        Cli dist = Cli.run("distribution", "--data", data.toString(), "--endpoint", endpoint, "--format", "json");
        assertEquals(0, dist.status(), dist.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dist.out());
        assertEquals(sqlLong("SELECT count(*) FROM events"), json.get("total").asLong());
        try (Connection c = connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT type, operation, count(*) FROM events GROUP BY type, operation")) {
            while (rs.next()) {
                assertEquals(rs.getLong(3), json.get("operations").get(rs.getString(1) + "/" + rs.getString(2)).asLong(),
                        rs.getString(1) + "/" + rs.getString(2));
            }
        }
    }

    @Test
    void process_showsHistoryOfTheStoryProcess() throws Exception {
        String key = sqlString("SELECT process_key FROM events WHERE type = 'process' AND operation = 'start' GROUP BY process_key ORDER BY count(*) DESC LIMIT 1");
        long history = sqlLong("SELECT count(*) FROM events WHERE process_key = " + s(key));
        Cli p = Cli.run("process", "--data", data.toString(), "--endpoint", endpoint, "--key", key, "--format", "json");
        assertEquals(0, p.status(), p.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.out());
        assertEquals(history, json.get("history_total").asLong());
        assertEquals(key, json.get("process").get("key").asText());
    }

    private record Case(String name, String query, String where) {}

    /** Quotes a value for the query language when it has characters the parser treats specially. */
    private static String q(String v) {
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Escapes query-language special characters in an unquoted term. */
    private static String esc(String v) {
        StringBuilder b = new StringBuilder();
        for (char ch : v.toCharArray()) {
            if ("\\+-!():^[]\"{}~*?|&/ ".indexOf(ch) >= 0) b.append('\\');
            b.append(ch);
        }
        return b.toString();
    }

    private static String s(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    private String sqlString(String sql) throws SQLException {
        try (Connection c = connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) throw new AssertionError("no row for " + sql);
            return rs.getString(1);
        }
    }

    private long sqlLong(String sql) throws SQLException {
        return sqlLong(db, sql);
    }

    private static long sqlLong(Path file, String sql) throws SQLException {
        try (Connection c = connect(file); PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro", new org.sqlite.SQLiteConfig().toProperties());
        Function.create(c, "regexp", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String value = value_text(1);
                result(value != null && Pattern.compile(value_text(0)).matcher(value).matches() ? 1 : 0);
            }
        });
        return c;
    }
}
