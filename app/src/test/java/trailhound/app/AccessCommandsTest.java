package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Access;
import trailhound.access.Accounts;
import trailhound.ingest.DataDir;
import trailhound.ingest.WriterLock;
import trailhound.web.WebOptions;
import trailhound.web.WebServer;

/**
 * users, groups, endpoints tag, tokens and audit as an administrator runs them on a real data folder,
 * checked against the access layer itself (a generated password signs in, a token authenticates).
 */
class AccessCommandsTest {
    private static final String CLI_USER = "cli:" + System.getProperty("user.name", "unknown");
    private static final Pattern PASSWORD = Pattern.compile("(?m)^password: (\\S+)$");
    private static final Pattern SECRET = Pattern.compile("(?m)^secret: (th_\\S+)$");

    @TempDir
    Path tmp;
    Path data;

    @BeforeEach
    void folderWithEndpoints() throws Exception {
        data = tmp.resolve("data");
        try (DataDir dir = DataDir.open(data)) {
            dir.catalogue().upsertEndpoint("WS-FIN-01", "windows", "ws-fin-01.corp", "10.0.0.11");
            dir.catalogue().upsertEndpoint("WS-FIN-02", "windows", "ws-fin-02.corp", "10.0.0.12");
            dir.catalogue().upsertEndpoint("SRV-01", "linux", "srv-01.corp", "10.0.1.1");
        }
    }

    private Cli run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        int at = args.length >= 2 && !args[1].startsWith("-") ? 2 : 1;
        all.addAll(at, List.of("--data", data.toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    private static Cli ok(Cli c) {
        assertEquals(0, c.status(), c.out() + c.err());
        return c;
    }

    private static Cli refused(Cli c, String says) {
        assertEquals(2, c.status(), c.out() + c.err());
        assertTrue(c.err().contains(says), c.err());
        return c;
    }

    private JsonNode json(String... args) throws Exception {
        return new ObjectMapper().readTree(ok(run(args)).out());
    }

    private Accounts.SignIn signIn(String user, String password) throws Exception {
        try (DataDir dir = DataDir.openExisting(data)) {
            return Access.over(dir, Clock.systemUTC()).accounts().signIn(user, password, "127.0.0.1", "web");
        }
    }

    private static String group(Pattern p, String out) {
        Matcher m = p.matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    @Test
    void users_addListSetRoleGrantDisableReset_generatedAndFilePasswords() throws Exception {
        ok(run("groups", "add", "--name", "Finance", "--endpoints", "WS-FIN-01,WS-FIN-02"));

        Cli added = ok(run("users", "add", "--name", "ana", "--role", "analyst", "--groups", "Finance"));
        String generated = group(PASSWORD, added.out());
        assertTrue(added.out().contains("ana must change it at first sign-in"), added.out());
        Accounts.SignIn.Ok ok = (Accounts.SignIn.Ok) signIn("ana", generated);
        assertEquals(new trailhound.access.Caller("ana", trailhound.access.Role.ANALYST, "web", "127.0.0.1"), ok.caller());
        assertTrue(ok.mustChangePassword());

        Path file = tmp.resolve("bob.pw");
        Files.writeString(file, "violet tractor lantern\nsecond line ignored\n");
        Cli bob = ok(run("users", "add", "--name", "bob", "--role", "read-only", "--password-file", file.toString()));
        assertFalse(PASSWORD.matcher(bob.out()).find(), "a given password is not printed: " + bob.out());
        assertInstanceOf(Accounts.SignIn.Ok.class, signIn("bob", "violet tractor lantern"));

        Files.writeString(file, "Password2024!\n");
        refused(run("users", "add", "--name", "carl", "--role", "analyst", "--password-file", file.toString()), "too common");
        Files.writeString(file, "short\n");
        refused(run("users", "add", "--name", "carl", "--role", "analyst", "--password-file", file.toString()), "at least 12 characters");
        refused(run("users", "add", "--name", "carl", "--role", "analyst", "--groups", "Nope"), "unknown group 'Nope'");
        refused(run("users", "add", "--name", "carl", "--role", "boss"), "expected administrator, analyst or read-only");
        refused(run("users", "add", "--name", "ana", "--role", "analyst"), "exists already");

        JsonNode users = json("users", "--format", "json");
        assertEquals(2, users.size(), users.toString());
        JsonNode ana = users.get(0);
        assertEquals("ana", ana.get("name").asText());
        assertEquals("analyst", ana.get("role").asText());
        assertEquals("[\"Finance\"]", ana.get("groups").toString());
        assertTrue(ana.get("must_change_password").asBoolean());
        assertFalse(ana.get("disabled").asBoolean());

        ok(run("users", "set-role", "--name", "bob", "--role", "analyst"));
        ok(run("users", "grant", "--name", "bob", "--group", "Finance"));
        refused(run("users", "grant", "--name", "bob", "--group", "Nope"), "unknown group 'Nope'");
        ok(run("users", "revoke", "--name", "ana", "--group", "Finance"));
        refused(run("users", "revoke", "--name", "ana", "--group", "Finance"), "was not granted");
        ok(run("users", "disable", "--name", "bob"));
        assertInstanceOf(Accounts.SignIn.Refused.class, signIn("bob", "violet tractor lantern"));
        refused(run("users", "disable", "--name", "nobody"), "unknown user 'nobody'");

        Cli table = ok(run("users"));
        assertTrue(table.out().lines().anyMatch(l -> l.matches("bob\\s+analyst\\s+yes\\s+yes\\s+Finance")), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.matches("ana\\s+analyst\\s+no\\s+yes\\s+-")), table.out());
        ok(run("users", "add", "--name", "a.rather.long.service.account@example.org", "--role", "read-only"));
        assertAligned(ok(run("users")).out(), "ROLE", "DISABLED", "MUST CHANGE", "GROUPS");

        ok(run("users", "enable", "--name", "bob"));
        assertInstanceOf(Accounts.SignIn.Ok.class, signIn("bob", "violet tractor lantern"));

        String reset = group(PASSWORD, ok(run("users", "reset-password", "--name", "ana")).out());
        assertInstanceOf(Accounts.SignIn.Refused.class, signIn("ana", generated));
        assertInstanceOf(Accounts.SignIn.Ok.class, signIn("ana", reset));
        Files.writeString(file, "amber orchard whistle\n");
        Cli fromFile = ok(run("users", "reset-password", "--name", "ana", "--password-file", file.toString()));
        assertFalse(PASSWORD.matcher(fromFile.out()).find(), fromFile.out());
        assertInstanceOf(Accounts.SignIn.Ok.class, signIn("ana", "amber orchard whistle"));
    }

    @Test
    void users_noChangeRequired_keepsThePassword() throws Exception {
        Path file = tmp.resolve("svc.pw");
        Files.writeString(file, "granite pelican umbrella\n");
        ok(run("users", "add", "--name", "svc", "--role", "read-only", "--password-file", file.toString(), "--no-change-required"));
        assertFalse(json("users", "--format", "json").get(0).get("must_change_password").asBoolean());
        assertEquals(false, ((Accounts.SignIn.Ok) signIn("svc", "granite pelican umbrella")).mustChangePassword());
    }

    @Test
    void groups_ruleAndEndpoints_membersAndPreviewFollowTags() throws Exception {
        Cli windows = ok(run("groups", "add", "--name", "Windows", "--rule", "os:windows"));
        assertTrue(windows.out().contains("2 endpoints now"), windows.out());
        assertEquals("WS-FIN-01\nWS-FIN-02\n", ok(run("groups", "members", "--name", "Windows")).out().replace("\r", ""));

        Cli bad = refused(run("groups", "add", "--name", "Broken", "--rule", "os:windows AND"), "bad rule");
        assertTrue(bad.err().contains("column"), bad.err());
        refused(run("groups", "preview", "--rule", "colour:red"), "bad rule");
        Cli bare = refused(run("groups", "add", "--name", "Bare", "--rule", "WS-FIN-*"), "(e.g. name:WS-FIN-*)");
        assertFalse(bare.err().contains("process_name"), "rules test endpoints, not events: " + bare.err());
        assertEquals("WS-FIN-01\nWS-FIN-02\n", ok(run("groups", "preview", "--rule", "name:WS-FIN-*")).out().replace("\r", ""),
                "the suggested rule works");

        assertEquals("", ok(run("groups", "preview", "--rule", "tag:finance")).out());
        Cli tagged = ok(run("endpoints", "tag", "--endpoint", "SRV-01", "--add", "finance,prod"));
        assertTrue(tagged.out().contains("SRV-01 tags: finance, prod"), tagged.out());
        assertEquals("SRV-01\n", ok(run("groups", "preview", "--rule", "tag:finance")).out().replace("\r", ""));

        ok(run("groups", "add", "--name", "Finance", "--rule", "tag:finance", "--endpoints", "WS-FIN-01"));
        assertEquals("SRV-01\nWS-FIN-01\n", ok(run("groups", "members", "--name", "Finance")).out().replace("\r", ""));
        ok(run("endpoints", "tag", "--endpoint", "SRV-01", "--remove", "finance"));
        assertEquals("WS-FIN-01\n", ok(run("groups", "members", "--name", "Finance")).out().replace("\r", ""));
        refused(run("endpoints", "tag", "--endpoint", "NO-SUCH", "--add", "x"), "unknown endpoint 'NO-SUCH'");
        refused(run("endpoints", "tag", "--endpoint", "SRV-01", "--add", "bad tag"), "a tag is");

        JsonNode groups = json("groups", "--format", "json");
        JsonNode finance = null;
        for (JsonNode g : groups) if (g.get("name").asText().equals("Finance")) finance = g;
        assertEquals("tag:finance", finance.get("rule").asText());
        assertEquals("[\"WS-FIN-01\"]", finance.get("endpoints").toString());
        assertEquals(1, finance.get("members").asInt());
        assertTrue(groups.get(0).get("builtin").asBoolean(), "All endpoints first: " + groups);
        assertEquals(3, groups.get(0).get("members").asInt());

        ok(run("groups", "add-endpoint", "--name", "Finance", "--endpoint", "WS-FIN-02"));
        ok(run("groups", "set-rule", "--name", "Finance", "--rule", "name:SRV-*"));
        assertEquals("SRV-01\nWS-FIN-01\nWS-FIN-02\n", ok(run("groups", "members", "--name", "Finance")).out().replace("\r", ""));
        ok(run("groups", "set-rule", "--name", "Finance", "--rule", ""));
        ok(run("groups", "remove-endpoint", "--name", "Finance", "--endpoint", "WS-FIN-01"));
        refused(run("groups", "remove-endpoint", "--name", "Finance", "--endpoint", "WS-FIN-01"), "is not named in group");
        assertEquals("WS-FIN-02\n", ok(run("groups", "members", "--name", "Finance")).out().replace("\r", ""));
        Cli table = ok(run("groups"));
        assertTrue(table.out().lines().anyMatch(l -> l.matches("Finance\\s+1\\s+-\\s+WS-FIN-02")), table.out());

        ok(run("groups", "remove", "--name", "Finance"));
        refused(run("groups", "members", "--name", "Finance"), "unknown group 'Finance'");
        refused(run("groups", "remove", "--name", "All endpoints"), "built in");
    }

    @Test
    void groups_setToStream_listedAndAudited_andSetBack() throws Exception {
        ok(run("groups", "add", "--name", "Servers", "--rule", "os:linux", "--stream", "always")); // as set-stream takes it
        Cli flag = run("groups", "add", "--name", "Others", "--stream", "yes");
        assertEquals(2, flag.status(), "add and set-stream take the same words");
        assertTrue(flag.err().contains("always, connected"), flag.err());
        assertTrue(ok(run("groups")).out().contains("Streaming live events always (set-stream): Servers"));
        assertTrue(ok(run("groups", "--format", "json")).out().contains("\"name\":\"Servers\",\"rule\":\"os:linux\",\"builtin\":false,"
                + "\"endpoints\":[],\"stream\":true"));
        assertTrue(ok(run("groups", "set-stream", "--name", "Servers", "--stream", "connected")).out()
                .contains("Servers: its endpoints stream only while an analyst is connected"));
        assertFalse(ok(run("groups")).out().contains("Streaming live events always"));
        refused(run("groups", "set-stream", "--name", "All endpoints", "--stream", "always"), "All endpoints");
        String audit = ok(run("audit", "--format", "csv")).out();
        assertTrue(audit.contains("group.stream") && audit.contains("Servers: streams always")
                && audit.contains("Servers: streams only when connected"), audit);
    }

    @Test
    void groups_namedEndpointsNotSeenYet_countedApartFromMembers() throws Exception {
        Cli added = ok(run("groups", "add", "--name", "Finance", "--endpoints", "WS-FIN-01,WS-FIN-09,WS-FIN-10"));
        assertTrue(added.out().contains("Finance: 1 endpoint now (+2 named, not seen yet)"), added.out());
        Cli named = ok(run("groups", "add-endpoint", "--name", "Finance", "--endpoint", "WS-FIN-11"));
        assertTrue(named.out().contains("added WS-FIN-11 to Finance (not seen yet"), named.out());
        ok(run("groups", "add-endpoint", "--name", "Finance", "--endpoint", "WS-FIN-02"));
        Cli rule = ok(run("groups", "set-rule", "--name", "Finance", "--rule", "name:SRV-*"));
        assertTrue(rule.out().contains("Finance: 3 endpoints now (+3 named, not seen yet)"), rule.out());
        ok(run("groups", "add", "--name", "Linux", "--rule", "os:linux"));

        Cli table = ok(run("groups"));
        assertTrue(table.out().lines().anyMatch(l -> l.matches("Finance\\s+3 \\(\\+3 named, not seen yet\\)\\s+name:SRV-\\*\\s+"
                + "WS-FIN-01, WS-FIN-02, WS-FIN-09, WS-FIN-10, WS-FIN-11")), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.matches("Linux\\s+1\\s+os:linux\\s+-")), table.out());
        assertAligned(table.out(), "MEMBERS", "RULE", "NAMED ENDPOINTS");

        JsonNode finance = json("groups", "--format", "json").get(1);
        assertEquals(3, finance.get("members").asInt(), finance.toString());
        assertEquals("[\"WS-FIN-09\",\"WS-FIN-10\",\"WS-FIN-11\"]", finance.get("not_seen").toString());
    }

    @Test
    void counts_oneAndMany_useTheRightWord() throws Exception {
        assertTrue(ok(run("groups", "add", "--name", "One", "--rule", "name:SRV-*")).out().contains("One: 1 endpoint now"));
        assertTrue(ok(run("groups", "add", "--name", "None")).out().contains("None: 0 endpoints now"));
        assertTrue(ok(run("users", "add", "--name", "ana", "--role", "analyst", "--groups", "One")).out()
                .contains("added user ana (analyst), group One\n".replace("\n", System.lineSeparator())));
        assertTrue(ok(run("users", "add", "--name", "bob", "--role", "analyst", "--groups", "One,None")).out()
                .contains("groups One, None"));
        assertEquals("audit trail: 4 entries, chain intact", ok(run("audit", "verify")).out().strip());
        Path single = tmp.resolve("single");
        try (DataDir dir = DataDir.open(single)) {
            Access.over(dir, Clock.systemUTC()).groups().create(trailhound.access.Caller.commandLine(), "G", null, List.of());
        }
        assertEquals("audit trail: 1 entry, chain intact", ok(Cli.run("audit", "verify", "--data", single.toString())).out().strip());
    }

    /** Every row has a value starting exactly where each of these headings starts: the columns line up. */
    static void assertAligned(String table, String... headings) {
        List<String> lines = table.lines().toList();
        String header = lines.getFirst();
        for (String heading : headings) {
            int at = header.indexOf("  " + heading) + 2;
            assertTrue(at >= 2, heading + " in " + header);
            for (String line : lines.subList(1, lines.size())) {
                assertTrue(line.length() > at && line.charAt(at - 1) == ' ' && line.charAt(at) != ' ',
                        "column " + heading + " at " + at + " in\n" + table);
            }
        }
    }

    @Test
    void tokens_createListRevoke_theSecretAuthenticatesUntilRevoked() throws Exception {
        Cli added = ok(run("users", "add", "--name", "ana", "--role", "analyst"));
        Cli created = ok(run("tokens", "create", "--user", "ana", "--name", "nightly export", "--days", "30"));
        String secret = group(SECRET, created.out());
        assertTrue(created.out().contains("shown once"), created.out());
        assertFalse(authenticates(secret), "no token works until ana changed the generated password");
        try (DataDir dir = DataDir.openExisting(data)) {
            Access access = Access.over(dir, Clock.systemUTC());
            access.accounts().changeOwnPassword(access.accounts().caller("ana", "web", null).orElseThrow(),
                    group(PASSWORD, added.out()), "amber orchard whistle");
        }
        assertTrue(authenticates(secret));

        JsonNode tokens = json("tokens", "--format", "json", "--user", "ana");
        assertEquals(1, tokens.size());
        JsonNode t = tokens.get(0);
        assertEquals("nightly export", t.get("name").asText());
        assertEquals("active", t.get("state").asText());
        assertTrue(secret.startsWith("th_" + t.get("id").asText() + "_"), secret);
        assertFalse(ok(run("tokens")).out().contains(secret.substring(20)), "the secret is never listed");
        assertEquals(0, json("tokens", "--format", "json", "--user", "bob").size());

        refused(run("tokens", "create", "--user", "ana", "--name", "nightly export"), "has a token named");
        refused(run("tokens", "create", "--user", "ana", "--name", "x", "--days", "0"), "1 to 366 days");
        refused(run("tokens", "create", "--user", "nobody", "--name", "x"), "unknown user 'nobody'");

        ok(run("tokens", "revoke", "--id", t.get("id").asText()));
        assertFalse(authenticates(secret));
        assertEquals("revoked", json("tokens", "--format", "json").get(0).get("state").asText());
        refused(run("tokens", "revoke", "--id", t.get("id").asText()), "revoked already");
        refused(run("tokens", "revoke", "--id", "0000"), "unknown token");
        ok(run("tokens", "create", "--user", "ana", "--name", "a token with a name longer than its column in the table"));
        assertAligned(ok(run("tokens")).out(), "USER", "NAME", "STATE", "CREATED", "EXPIRES", "LAST USED");
    }

    private boolean authenticates(String secret) throws Exception {
        try (DataDir dir = DataDir.openExisting(data)) {
            return Access.over(dir, Clock.systemUTC()).tokens().authenticate(secret, "127.0.0.1")
                    instanceof trailhound.access.Tokens.Use.Ok;
        }
    }

    @Test
    void audit_listsTheChangesNewestFirst_tableJsonCsv() throws Exception {
        String hostile = "=HYPERLINK(\"http://x\")\u001b[31m";
        try (DataDir dir = DataDir.open(data)) {
            dir.catalogue().upsertEndpoint(hostile, "windows", null, null);
        }
        ok(run("groups", "add", "--name", "Finance", "--endpoints", "WS-FIN-01"));
        ok(run("users", "add", "--name", "ana", "--role", "analyst", "--groups", "Finance"));
        ok(run("users", "set-role", "--name", "ana", "--role", "read-only"));
        ok(run("endpoints", "tag", "--endpoint", hostile, "--add", "finance"));

        JsonNode all = json("audit", "--format", "json");
        List<String> actions = new ArrayList<>();
        all.forEach(e -> actions.add(e.get("action").asText()));
        assertEquals(List.of("endpoint.tag", "user.role", "user.create", "group.create"), actions);
        for (JsonNode e : all) {
            assertEquals(CLI_USER, e.get("user").asText());
            assertEquals("cli", e.get("via").asText());
            assertEquals("ok", e.get("outcome").asText());
        }
        assertEquals("ana: analyst -> read-only", all.get(1).get("detail").asText());
        assertEquals(hostile, all.get(0).get("endpoint").asText());
        assertEquals(4, all.get(0).get("seq").asLong());

        JsonNode creates = json("audit", "--action", "user.create", "--format", "json");
        assertEquals(1, creates.size());
        assertTrue(creates.get(0).get("detail").asText().startsWith("ana (analyst)"), creates.toString());
        assertEquals(2, json("audit", "--limit", "2", "--format", "json").size());
        assertEquals(1, json("audit", "--endpoint", hostile, "--format", "json").size());
        assertEquals(0, json("audit", "--user", "someone-else", "--format", "json").size());
        assertEquals(4, json("audit", "--since", "1h", "--format", "json").size());
        assertEquals(4, json("audit", "--since", "2000-01-01", "--until", "2999-01-01T00:00Z", "--format", "json").size());
        assertEquals(0, json("audit", "--until", "2000-01-01T10:00Z", "--format", "json").size());
        refused(run("audit", "--since", "yesterday"), "--since 'yesterday' is no time");

        Cli table = ok(run("audit"));
        assertFalse(table.out().contains("\u001b"), "no escape reaches the terminal: " + table.out());
        assertTrue(table.out().contains("\\x1b[31m"), table.out());
        assertTrue(table.out().lines().skip(1).allMatch(l -> l.contains(CLI_USER)), table.out());
        assertEquals(5, table.out().lines().count(), table.out());

        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(ok(run("audit", "--format", "csv")).out())).getRecords();
        assertEquals(4, rows.size());
        assertEquals("endpoint.tag", rows.get(0).get("action"));
        assertEquals("'" + hostile, rows.get(0).get("endpoint"), "a formula is shown as text");
        assertEquals(CLI_USER, rows.get(3).get("user"));
        assertEquals("group.create", rows.get(3).get("action"));
    }

    @Test
    void audit_table_longValues_cutWithAnEllipsisColumnsAligned() throws Exception {
        String longName = "WS-" + "X".repeat(60);
        try (DataDir dir = DataDir.open(data)) {
            dir.catalogue().upsertEndpoint(longName, "windows", null, null);
        }
        ok(run("endpoints", "tag", "--endpoint", longName, "--add", "finance"));
        ok(run("groups", "add", "--name", "A group with a rather long name for its table", "--rule", "tag:finance"));
        ok(run("endpoints", "tag", "--endpoint", "SRV-01", "--add", "prod"));

        String table = ok(run("audit")).out();
        assertAligned(table, "TIME (UTC)", "USER", "VIA", "ACTION", "ENDPOINT", "ADDRESS", "OUTCOME", "DETAIL");
        assertTrue(table.contains("WS-XXXXXXXXXXXXXXXXXXXXXXXXXXXX…"), "cut to its column with an ellipsis:\n" + table);
        assertFalse(table.contains(longName), table);
        assertTrue(table.contains("A group with a rather long name for its table rule tag:finance"), "the detail is never cut:\n" + table);
        assertEquals(longName, json("audit", "--format", "json").get(2).get("endpoint").asText(), "json gives it whole");
        assertTrue(ok(run("audit", "--format", "csv")).out().contains(longName), "csv gives it whole");
    }

    @Test
    void auditVerify_anEditedEntry_isNamedByAuditVerifyAndVerify() throws Exception {
        ok(run("groups", "add", "--name", "Finance"));
        ok(run("users", "add", "--name", "ana", "--role", "analyst"));
        ok(run("users", "disable", "--name", "ana"));
        Cli intact = ok(run("audit", "verify"));
        assertEquals("audit trail: 3 entries, chain intact", intact.out().strip());
        Cli clean = ok(run("verify"));
        assertTrue(clean.out().contains("3 audit entries checked: consistent"), clean.out());

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("server.db"));
                Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER audit_no_update");
            assertEquals(1, s.executeUpdate("UPDATE audit SET detail = 'x' WHERE seq = 2"));
        }
        Cli broken = run("audit", "verify");
        assertEquals(1, broken.status(), broken.out() + broken.err());
        assertTrue(broken.out().contains("BROKEN at entry 2: its content does not match its hash"), broken.out());
        Cli verify = run("verify");
        assertEquals(1, verify.status(), verify.out() + verify.err());
        assertTrue(verify.out().contains("DIFFERENCE: audit trail: entry 2: its content does not match its hash"), verify.out());
        assertEquals("x", json("audit", "--action", "user.create", "--format", "json").get(0).get("detail").asText(),
                "listing still works on a broken trail");

        // try-out finding: serve started on a broken trail without a word; it says so on stderr now
        java.io.StringWriter said = new java.io.StringWriter();
        try (DataDir dir = DataDir.openExisting(data)) {
            Serving.warnIfBroken(Access.over(dir, Clock.systemUTC()), data, new java.io.PrintWriter(said));
        }
        assertTrue(said.toString().startsWith("trailhound: the audit trail is broken at entry 2: its content does not match its hash"),
                said.toString());
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("server.db")); Statement s = c.createStatement()) {
            for (String q : statements) s.executeUpdate(q);
        }
    }

    @Test
    void auditVerify_droppedTriggers_reportedByAuditVerifyAndVerify_untilTheServerPutsThemBack() throws Exception {
        ok(run("groups", "add", "--name", "Finance"));
        sql("DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete");
        for (int i = 0; i < 2; i++) { // audit verify only reads: it does not put back what it reports
            Cli broken = run("audit", "verify");
            assertEquals(1, broken.status(), broken.out() + broken.err());
            assertTrue(broken.out().contains("BROKEN at entry 1: the audit triggers audit_no_update and audit_no_delete were removed:"
                    + " entries may have been changed since;"), broken.out());
        }
        Cli verify = run("verify");
        assertEquals(1, verify.status(), verify.out() + verify.err());
        assertTrue(verify.out().contains("DIFFERENCE: audit trail: entry 1: the audit triggers audit_no_update and audit_no_delete were"
                + " removed"), verify.out());

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(err, true));
        try (DataDir dir = DataDir.open(data);
                WriterLock serving = WriterLock.tryAcquire(data, "serve").orElseThrow();
                WebServer server = WebServer.start(dir, WebOptions.defaults().withPort(0).withTemplateSources(null).withVirusTotal(null))) {
            assertTrue(server.url().startsWith("http"));
        } finally {
            System.setErr(stderr);
        }
        String said = err.toString();
        assertEquals(1, said.split("the audit triggers audit_no_update and audit_no_delete were removed: re-created", -1).length - 1, said);
        Cli intact = ok(run("audit", "verify"));
        assertTrue(intact.out().startsWith("audit trail: 3 entries, chain intact"), intact.out()); // and the server's first admin
        assertTrue(intact.out().contains("note: entry 2 ("), intact.out());
        JsonNode restored = json("audit", "--action", "audit.restore-triggers", "--format", "json");
        assertEquals(1, restored.size(), restored.toString());
        assertEquals("system", restored.get(0).get("user").asText(), restored.toString());
    }

    @Test
    void auditVerify_newestEntryRemovedAndCounterLowered_isNamed_aFolderWithoutAuditHeadIsAccepted() throws Exception {
        ok(run("groups", "add", "--name", "Finance"));
        ok(run("users", "add", "--name", "ana", "--role", "analyst"));
        ok(run("users", "disable", "--name", "ana"));
        sql("DROP TRIGGER audit_no_delete", "DELETE FROM audit WHERE seq = 3", "UPDATE sqlite_sequence SET seq = 2 WHERE name = 'audit'",
                "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END");
        Cli broken = run("audit", "verify");
        assertEquals(1, broken.status(), broken.out() + broken.err());
        assertTrue(broken.out().contains("BROKEN at entry 3: entry 3 is gone: audit-head names entry 3 as written"), broken.out());
        Cli verify = run("verify");
        assertEquals(1, verify.status(), verify.out() + verify.err());
        assertTrue(verify.out().contains("DIFFERENCE: audit trail: entry 3: entry 3 is gone"), verify.out());

        Files.delete(data.resolve("audit-head")); // as in a folder from before the file was kept
        Cli accepted = ok(run("audit", "verify"));
        assertTrue(accepted.out().contains("chain intact\nnote: audit-head (next to server.db) is missing or unreadable"), accepted.out());
        ok(run("users", "enable", "--name", "ana"));
        assertEquals("audit trail: 3 entries, chain intact", ok(run("audit", "verify")).out().strip(), "written again by that entry");
    }

    @Test
    void changes_besideARunningServer_takeEffectThereAtOnce_noLockTaken() throws Exception {
        try (DataDir dir = DataDir.open(data);
                WriterLock serving = WriterLock.tryAcquire(data, "serve").orElseThrow(); // held as `serve` holds it
                WebServer server = WebServer.start(dir, WebOptions.defaults().withPort(0).withTemplateSources(null).withVirusTotal(null))) {
            Path file = tmp.resolve("ana.pw");
            Files.writeString(file, "copper meadow violin\n");
            ok(run("groups", "add", "--name", "Finance", "--endpoints", "WS-FIN-01"));
            Cli added = ok(run("users", "add", "--name", "ana", "--role", "analyst", "--groups", "Finance", "--password-file", file.toString(),
                    "--no-change-required"));
            assertFalse(added.err().contains("lock") || added.err().contains("waiting"), added.err());
            String secret = group(SECRET, ok(run("tokens", "create", "--user", "ana", "--name", "script")).out());
            assertEquals(200, bearer(server, secret), "the server knows the token made beside it");
            AnalystClient.signIn(server.url(), "ana", "copper meadow violin");

            ok(run("users", "disable", "--name", "ana"));
            assertEquals(401, bearer(server, secret), "disabled beside the server: refused there at once");
            ok(run("users", "enable", "--name", "ana"));
            assertEquals(200, bearer(server, secret));
            ok(run("tokens", "revoke", "--id", secret.substring(3, 19)));
            assertEquals(401, bearer(server, secret));

            JsonNode uses = json("audit", "--action", "token.use", "--format", "json");
            assertEquals(2, uses.size(), "the server's refusals, read beside it: " + uses);
            assertEquals("failed", uses.get(0).get("outcome").asText());
            assertEquals(0, ok(run("audit", "verify")).status());
        }
    }

    private static int bearer(WebServer server, String secret) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/endpoints")).header("Authorization", "Bearer " + secret)
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    @Test
    void help_everyNewCommand_exitsZero() {
        String[][] commands = {
            {"users"}, {"users", "add"}, {"users", "set-role"}, {"users", "grant"}, {"users", "revoke"}, {"users", "disable"},
            {"users", "enable"}, {"users", "reset-password"},
            {"groups"}, {"groups", "add"}, {"groups", "set-rule"}, {"groups", "add-endpoint"}, {"groups", "remove-endpoint"},
            {"groups", "remove"}, {"groups", "members"}, {"groups", "preview"},
            {"endpoints", "tag"}, {"tokens"}, {"tokens", "create"}, {"tokens", "revoke"}, {"audit"}, {"audit", "verify"}};
        for (String[] command : commands) {
            List<String> args = new ArrayList<>(List.of(command));
            args.add("--help");
            Cli help = Cli.run(args.toArray(String[]::new));
            assertEquals(0, help.status(), String.join(" ", command) + ": " + help.err());
            assertTrue(help.out().contains("Usage: trailhound " + String.join(" ", command)), help.out());
        }
    }

    @Test
    void accessCommands_aMistypedFolder_isRefusedNotMade() {
        Path missing = tmp.resolve("no-such-folder");
        Cli c = Cli.run("users", "add", "--data", missing.toString(), "--name", "ana", "--role", "analyst");
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().contains("no data folder at"), c.err());
        assertFalse(Files.exists(missing));
    }
}
