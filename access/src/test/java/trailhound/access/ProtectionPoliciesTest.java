package trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.ingest.DataDir;
import trailhound.protocol.Message;
import trailhound.store.AuditTrail;
import trailhound.store.Policies;
import trailhound.store.Policies.NewRule;
import trailhound.store.Policies.Policy;

class ProtectionPoliciesTest {
    private static final String GOOD = "correct horse battery";
    private static final Caller ADMIN = Caller.commandLine();
    private static final NewRule SLEEPER = new NewRule(null, "/tmp/sleeper-*", null, null, "process k1 on srv-web");

    @TempDir Path dir;
    private DataDir data;
    private Access access;
    private final AtomicInteger changes = new AtomicInteger();

    @BeforeEach
    void open() throws Exception {
        data = DataDir.open(dir);
        access = Access.over(data, Clock.systemUTC());
        data.catalogue().upsertEndpoint("srv-web", "linux", "srv-web", "192.168.1.10");
        data.catalogue().upsertEndpoint("WS-FIN-01", "windows", "ws-fin-01.corp", "10.1.0.5");
        access.groups().create(ADMIN, "linux", "os:linux", List.of());
        access.groups().create(ADMIN, "finance", null, List.of("WS-FIN-01"));
        access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of("linux"), GOOD, false);
        access.accounts().create(ADMIN, "reader", Role.READ_ONLY, List.of("linux"), GOOD, false);
        access.accounts().create(ADMIN, "chief", Role.ADMINISTRATOR, List.of(), GOOD, false);
        access.policyBook().onChange(changes::incrementAndGet);
    }

    @AfterEach
    void close() throws Exception {
        data.close();
    }

    private ProtectionPolicies as(String user) {
        return access.policies(access.scope(access.accounts().caller(user, "web", "127.0.0.1").orElseThrow()));
    }

    @Test
    void analystsPropose_administratorsEnable_readOnlyOnlyLooks() {
        assertThrows(AccessDeniedException.class, () -> as("reader").create("p", "block", false, List.of("linux"), List.of(SLEEPER)));
        assertThrows(AccessDeniedException.class, () -> as("ana").create("p", "block", true, List.of("linux"), List.of(SLEEPER)));
        assertEquals("no computer group named 'finance' among yours (linux)", assertThrows(AccessException.class,
                () -> as("ana").create("p", "block", false, List.of("finance"), List.of(SLEEPER))).getMessage(), "an analyst targets her groups");
        assertEquals(List.of("linux"), as("ana").choosableGroups());
        Policy proposed = as("ana").create("No sleepers", "block", false, List.of("linux"), List.of(SLEEPER));
        assertFalse(proposed.enabled());
        assertEquals("process k1 on srv-web", proposed.rules().getFirst().origin());
        as("ana").addRules(proposed.id(), List.of(new NewRule(null, null, "*-enc*", null, null)));
        assertThrows(AccessDeniedException.class, () -> as("ana").setEnabled(proposed.id(), true));
        assertTrue(as("chief").setEnabled(proposed.id(), true).enabled());
        assertThrows(AccessDeniedException.class, () -> as("ana").addRules(proposed.id(), List.of(SLEEPER)),
                "an enabled policy changes what agents enforce: administrators only");
        assertEquals(1, as("reader").list().size(), "everyone signed in reads policies");
        ProtectionPolicies chiefsToken = access.policies(access.scope(new Caller("chief", Role.ADMINISTRATOR, "token:script", "10.0.0.9")));
        assertThrows(AccessDeniedException.class, () -> chiefsToken.setEnabled(proposed.id(), false), "never with an API token");
        assertThrows(AccessDeniedException.class, () -> chiefsToken.create("t", "alert", true, List.of("linux"), List.of(SLEEPER)));
        assertFalse(chiefsToken.create("t", "alert", false, List.of("linux"), List.of(SLEEPER)).enabled(), "a proposal it may make");
        assertEquals(4, changes.get(), "create, add, enable and the token's proposal announced once each; refusals not at all");
    }

    @Test
    void inForce_enabledPoliciesOfTheEndpointsGroups_inTheProtocolsShape() {
        Policy linux = as("chief").create("Linux block", "block", true, List.of("linux"), List.of(SLEEPER));
        as("chief").create("Finance alert", "alert", true, List.of("finance"), List.of(new NewRule("A".repeat(64), null, null, null, null)));
        as("chief").create("Linux off", "alert", false, List.of("linux"), List.of(SLEEPER));
        List<Message.Policy> web = access.policyBook().inForce("srv-web");
        assertEquals(List.of(new Message.Policy(linux.id(), "Linux block", "block",
                List.of(new Message.Rule(linux.rules().getFirst().id(), null, "/tmp/sleeper-*", null, null)))), web);
        assertEquals("a".repeat(64), access.policyBook().inForce("WS-FIN-01").getFirst().rules().getFirst().sha256(), "stored lower case");
        assertEquals(List.of(), access.policyBook().inForce("unknown-01"));
    }

    @Test
    void badInput_isRefusedSayingWhat_andChangesAreAudited() {
        ProtectionPolicies chief = as("chief");
        assertEquals("rule 1: command line: not a regular expression (RE2 syntax): missing closing ) in /(a/",
                assertThrows(AccessException.class, () -> chief.create("p", "block", false, List.of("linux"),
                        List.of(new NewRule(null, null, "/(a/", null, null)))).getMessage());
        assertEquals("no computer group named 'nope'", assertThrows(AccessException.class,
                () -> chief.create("p", "block", false, List.of("nope"), List.of(SLEEPER))).getMessage());
        assertEquals("action must be block or alert, not 'kill'", assertThrows(AccessException.class,
                () -> chief.create("p", "kill", false, List.of("linux"), List.of(SLEEPER))).getMessage());
        assertThrows(AccessException.class, () -> chief.create("p", "block", false, List.of("linux"), List.of()));
        Policy p = chief.create("p", "block", false, List.of("linux"), List.of(SLEEPER));
        assertEquals("a policy named 'P' exists already", assertThrows(AccessException.class,
                () -> chief.create("P", "block", false, List.of("linux"), List.of(SLEEPER))).getMessage());
        chief.setEnabled(p.id(), true);
        chief.setEnabled(p.id(), false);
        List<String> audited = access.audit().list(AuditTrail.Filter.ALL, Long.MAX_VALUE, 50).stream()
                .filter(e -> e.event().action().startsWith("policy.")).map(e -> e.event().action() + " " + e.event().detail()).toList();
        assertEquals(3, audited.size(), audited.toString());
        assertTrue(audited.contains("policy.disable p (" + p.id() + ", block, groups linux)"), audited.toString());
        assertTrue(audited.stream().anyMatch(a -> a.startsWith("policy.create p (" + p.id() + "): block, disabled, groups linux, rules #")),
                audited.toString());
    }

    @Test
    void update_changesNameActionGroupsAndRules_theEndpointsSetFollows_andIsAudited() {
        Policy p = as("chief").create("Linux block", "block", true, List.of("linux"), List.of(SLEEPER,
                new NewRule(null, "/tmp/other", null, null, null)));
        long kept = p.rules().getFirst().id();
        int before = changes.get();
        Policy changed = as("chief").update(p.id(), "Linux watch", "alert", List.of("linux", "finance"), List.of(
                new Policies.EditedRule(kept, new NewRule(null, "/tmp/sleepy-*", null, null, null)),
                new Policies.EditedRule(null, new NewRule(null, null, "* -enc *", null, null))));
        assertEquals(before + 1, changes.get(), "agents are told at once");
        assertEquals("Linux watch", changed.name());
        assertEquals("alert", changed.action());
        assertTrue(changed.enabled(), "its state stays");
        assertEquals(List.of("finance", "linux"), changed.groups());
        assertEquals(2, changed.rules().size(), "one changed in place, one added, the other removed: " + changed.rules());
        assertEquals(kept, changed.rules().getFirst().id(), "a changed rule keeps its id");
        // fifth try-out: a rewritten rule still said it came from its evidence as it was; its origin says it was changed
        assertEquals("process k1 on srv-web, changed by chief", changed.rules().getFirst().origin(), "and its origin, changed");
        assertEquals("/tmp/sleepy-*", changed.rules().getFirst().path());
        assertEquals(List.of(new Message.Policy(p.id(), "Linux watch", "alert", List.of(new Message.Rule(kept, null, "/tmp/sleepy-*", null, null),
                new Message.Rule(changed.rules().get(1).id(), null, null, "* -enc *", null)))), access.policyBook().inForce("srv-web"),
                "the set an agent of the group receives is the changed one");
        assertEquals(1, access.policyBook().inForce("WS-FIN-01").size(), "a group added reaches its endpoints");

        // a field left null is kept
        assertEquals("Linux watch", as("chief").update(p.id(), null, null, null, null).name());
        assertEquals(2, as("chief").find(p.id()).orElseThrow().rules().size());
        assertEquals("process k1 on srv-web, changed by chief", as("chief").find(p.id()).orElseThrow().rules().getFirst().origin(),
                "an unchanged rule's origin stays as it is");
        assertEquals("new rule 1: command line: not a regular expression (RE2 syntax): missing closing ) in /(a/", assertThrows(AccessException.class,
                () -> as("chief").update(p.id(), null, null, null, List.of(new Policies.EditedRule(null, new NewRule(null, null, "/(a/", null, null)))))
                .getMessage());
        assertTrue(assertThrows(AccessException.class, () -> as("chief").update(p.id(), null, null, null,
                List.of(new Policies.EditedRule(999_999L, SLEEPER)))).getMessage().startsWith("rule id 999999 is not one of policy "));
        // fifth try-out: a refusal said "rule 2" where the edit form shows its rules as #14, #15
        assertEquals("rule #" + kept + ": command line: not a regular expression (RE2 syntax): missing closing ) in /(a/",
                assertThrows(AccessException.class, () -> as("chief").update(p.id(), null, null, null, List.of(
                        new Policies.EditedRule(changed.rules().get(1).id(), new NewRule(null, null, "* -enc *", null, null)),
                        new Policies.EditedRule(kept, new NewRule(null, null, "/(a/", null, null))))).getMessage());

        String audited = access.audit().list(AuditTrail.Filter.ALL, Long.MAX_VALUE, 50).stream().map(e -> e.event().action() + " "
                + e.event().detail()).filter(a -> a.startsWith("policy.update was Linux block")).findFirst().orElseThrow();
        assertTrue(audited.contains("was Linux block (" + p.id() + "): block") && audited.contains("now Linux watch (" + p.id() + "): alert"), audited);
    }

    @Test
    void updateAndDelete_takeTheRolesOfAddingRulesAndEnabling() {
        Policy proposal = as("ana").create("Proposal", "block", false, List.of("linux"), List.of(SLEEPER));
        assertThrows(AccessDeniedException.class, () -> as("reader").update(proposal.id(), "Renamed", null, null, null));
        assertThrows(AccessDeniedException.class, () -> as("reader").delete(proposal.id()));
        assertEquals("Renamed", as("ana").update(proposal.id(), "Renamed", null, null, null).name(), "an analyst changes a proposal");
        as("chief").setEnabled(proposal.id(), true);
        assertThrows(AccessDeniedException.class, () -> as("ana").update(proposal.id(), "Again", null, null, null),
                "an enabled policy changes what agents enforce");
        assertThrows(AccessDeniedException.class, () -> as("ana").delete(proposal.id()));
        ProtectionPolicies chiefsToken = access.policies(access.scope(new Caller("chief", Role.ADMINISTRATOR, "token:script", "10.0.0.9")));
        assertThrows(AccessDeniedException.class, () -> chiefsToken.delete(proposal.id()), "never with an API token");
        assertEquals(1, access.policyBook().inForce("srv-web").size());

        int before = changes.get();
        as("chief").delete(proposal.id());
        assertEquals(before + 1, changes.get(), "agents are told at once");
        assertTrue(as("chief").find(proposal.id()).isEmpty());
        assertEquals(List.of(), access.policyBook().inForce("srv-web"), "the endpoint's set no longer holds it");
        assertEquals(AccessException.class, assertThrows(AccessException.class, () -> as("chief").delete(proposal.id())).getClass());
        Policy another = as("ana").create("Another", "alert", false, List.of("linux"), List.of(SLEEPER));
        as("ana").delete(another.id());
        assertTrue(access.audit().list(AuditTrail.Filter.ALL, Long.MAX_VALUE, 50).stream()
                .anyMatch(e -> e.event().action().equals("policy.delete") && e.event().detail().startsWith("Another (" + another.id() + ")")));
    }

    @Test
    void analyst_mayTargetTheGroupsOfAnEndpointSheSees() {
        access.groups().create(ADMIN, "web servers", null, List.of("srv-web"));
        assertEquals(List.of("linux"), as("ana").choosableGroups());
        assertTrue(as("ana").choosableGroups("srv-web").containsAll(List.of("linux", "web servers")), as("ana").choosableGroups("srv-web").toString());
        assertEquals(List.of("linux"), as("ana").choosableGroups("WS-FIN-01"), "not the groups of an endpoint she does not see");
        assertEquals(List.of("web servers"), as("ana").create("Web", "alert", false, List.of("web servers"), List.of(SLEEPER)).groups());
    }

    @Test
    void aRuleTheSameAsAnother_isRefusedSayingWhich_andNothingIsSaved() {
        // fifth try-out: the same rule added twice was kept twice (agents matched it twice, the page listed it twice)
        Policy p = as("chief").create("Dups", "alert", false, List.of("linux"), List.of(SLEEPER));
        long first = p.rules().getFirst().id();
        String why = assertThrows(AccessException.class, () -> as("chief").addRules(p.id(),
                List.of(new NewRule(null, "/TMP/Sleeper-*", null, null, "again")))).getMessage();
        assertEquals("rule 1 is the same as rule #" + first + " of the policy (path=/TMP/Sleeper-*): a policy holds each rule once; nothing was saved",
                why, "compared as agents match: case-insensitively");
        assertTrue(assertThrows(AccessException.class, () -> as("chief").create("Dups 2", "alert", false, List.of("linux"),
                List.of(SLEEPER, new NewRule(null, null, "*-enc*", null, null), SLEEPER))).getMessage().startsWith("rule 3 is the same as rule 1 ("));
        assertTrue(assertThrows(AccessException.class, () -> as("chief").update(p.id(), null, null, null, List.of(
                new Policies.EditedRule(first, SLEEPER), new Policies.EditedRule(null, SLEEPER)))).getMessage()
                .startsWith("new rule 1 is the same as rule #" + first + " ("));
        assertEquals(1, as("chief").find(p.id()).orElseThrow().rules().size(), "nothing was saved");
        assertEquals(2, as("chief").addRules(p.id(), List.of(new NewRule(null, "/tmp/sleeper-*", "*-x*", null, null))).rules().size(),
                "a rule with one more condition is another rule");
    }
}
