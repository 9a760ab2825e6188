package trailhound.app.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.app.Main;

/** The command line of live endpoints: the agent command, and the two kinds of token kept apart. */
class LiveCommandsTest {
    @TempDir Path tmp;

    private record Cli(int status, String out, String err) {}

    private static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(status, out.toString(), err.toString());
    }

    @Test
    void agent_help_namesItsOptions() {
        Cli help = run("agent", "--help");
        assertEquals(0, help.status(), help.err());
        for (String option : new String[] {"--server", "--token", "--name", "--state", "--server-pin", "--replay", "--rate", "--store-cap"}) {
            assertTrue(help.out().contains(option), option + " in " + help.out());
        }
    }

    @Test
    void tokens_enrolmentAndApiTokens_areKeptApart() throws Exception {
        String data = tmp.resolve("data").toString();
        trailhound.ingest.DataDir.open(tmp.resolve("data")).close();
        Cli noGroup = run("tokens", "create", "--data", data, "--group", "Linux");
        assertEquals(2, noGroup.status(), "a token into a group that does not exist would enrol endpoints into none");
        assertTrue(noGroup.err().contains("no computer group 'Linux'"), noGroup.err());
        assertEquals(0, run("groups", "add", "--data", data, "--name", "Linux").status());
        Cli made = run("tokens", "create", "--data", data, "--expires", "2h", "--uses", "3", "--group", "Linux");
        assertEquals(0, made.status(), made.err());
        assertTrue(made.out().startsWith("enrolment token "), made.out());
        assertTrue(made.out().contains("secret: te_"), made.out());

        Cli listed = run("tokens", "--data", data, "--kind", "enrolment");
        assertEquals(0, listed.status(), listed.err());
        assertTrue(listed.out().contains("0/3") && listed.out().contains("Linux") && listed.out().contains("active"), listed.out());
        assertTrue(!listed.out().contains("te_"), "never the secret");
        assertEquals(0, run("tokens", "--data", data).out().lines().count() - 1, "API tokens: none (only the header)");

        Cli mixed = run("tokens", "create", "--data", data, "--user", "admin", "--name", "x", "--uses", "2");
        assertEquals(2, mixed.status());
        assertTrue(mixed.err().contains("leave out --user"), mixed.err());
        Cli badDuration = run("tokens", "create", "--data", data, "--expires", "tomorrow");
        assertEquals(2, badDuration.status());
        assertTrue(badDuration.err().contains("30s, 15m, 24h, 7d"), "the accepted forms: " + badDuration.err());
        Cli seconds = run("tokens", "create", "--data", data, "--expires", "30s");
        assertEquals(0, seconds.status(), seconds.err());
        java.util.regex.Matcher until = java.util.regex.Pattern.compile("valid until (\\S+)").matcher(seconds.out());
        assertTrue(until.find(), seconds.out());
        java.time.Instant expires = java.time.Instant.parse(until.group(1).endsWith("Z") ? until.group(1) : until.group(1) + "Z");
        assertTrue(expires.isBefore(java.time.Instant.now().plusSeconds(31)), "30 seconds, not 30 minutes: " + seconds.out());
        Cli tooShort = run("tokens", "create", "--data", data, "--expires", "10s");
        assertEquals(2, tooShort.status());
        assertTrue(tooShort.err().contains("30 seconds to"), tooShort.err());
    }

    @Test
    void tokensRevoke_enrolmentTokenById_isRevokedAndAudited_agentsListsNoneYet() throws Exception {
        String data = tmp.resolve("data").toString();
        trailhound.ingest.DataDir.open(tmp.resolve("data")).close();
        Cli made = run("tokens", "create", "--data", data);
        String id = made.out().substring("enrolment token ".length(), "enrolment token ".length() + 16);
        Cli revoked = run("tokens", "revoke", "--data", data, id);
        assertEquals(0, revoked.status(), revoked.err());
        assertTrue(revoked.out().contains("revoked enrolment token " + id), revoked.out());
        assertTrue(run("tokens", "--data", data, "--kind", "enrolment").out().lines().anyMatch(l -> l.startsWith(id) && l.contains("revoked")));
        Cli again = run("tokens", "revoke", "--data", data, "--id", id);
        assertEquals(2, again.status(), "revoked already");
        assertTrue(run("audit", "--data", data).out().contains("enrolment-token.revoke"));

        Cli agents = run("agents", "--data", data);
        assertEquals(0, agents.status(), agents.err());
        assertEquals(1, agents.out().lines().count(), "the header only: " + agents.out());
        Cli unknown = run("agents", "revoke", "--data", data, "a0000000000000000");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("no agent 'a0000000000000000' to revoke"), unknown.err());
    }
}
