package trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.UnknownEndpointException;
import trailhound.ingest.DataDir;
import trailhound.store.AuditTrail;
import trailhound.store.EndpointInfo;

class AccessTest {
    private static final String GOOD = "correct horse battery";
    private static final Caller ADMIN = Caller.commandLine();

    @TempDir Path dir;
    private DataDir data;
    private Access access;
    private final AtomicLong now = new AtomicLong(Instant.parse("2026-12-01T10:00:00Z").toEpochMilli());
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(now.get()); }
    };

    @BeforeEach
    void open() throws Exception {
        data = DataDir.open(dir);
        access = Access.over(data, clock);
        data.catalogue().upsertEndpoint("WS-FIN-01", "windows", "ws-fin-01.corp", "10.1.0.5");
        data.catalogue().upsertEndpoint("WS-HR-01", "windows", "ws-hr-01.corp", "10.2.0.5");
        data.catalogue().upsertEndpoint("srv-web", "linux", "srv-web", "192.168.1.10");
    }

    @AfterEach
    void close() throws Exception {
        data.close();
    }

    private Scope as(String user) {
        return access.scope(access.accounts().caller(user, "web", "127.0.0.1").orElseThrow());
    }

    private static List<String> names(Scope s) throws java.io.IOException {
        return s.endpoints().stream().map(EndpointInfo::name).toList();
    }

    @Test
    void analystsSeeOnlyTheirGroupsAndTheRestDoesNotExistForThem() throws Exception {
        access.groups().create(ADMIN, "finance", null, List.of("WS-FIN-01"));
        access.groups().create(ADMIN, "linux", "os:linux", List.of());
        access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of("finance", "linux"), GOOD, false);
        access.accounts().create(ADMIN, "root2", Role.ADMINISTRATOR, List.of(), GOOD, false);

        assertEquals(List.of("WS-FIN-01", "srv-web"), names(as("ana")));
        assertTrue(as("ana").sees("srv-web"));
        assertFalse(as("ana").sees("WS-HR-01"));
        assertThrows(UnknownEndpointException.class, () -> as("ana").endpoint("WS-HR-01"));
        assertThrows(UnknownEndpointException.class, () -> as("ana").snapshots("WS-HR-01"));
        assertThrows(UnknownEndpointException.class, () -> as("ana").index("WS-HR-01"));
        assertEquals(3, names(as("root2")).size());

        access.accounts().revoke(ADMIN, "ana", "linux");
        assertEquals(List.of("WS-FIN-01"), names(as("ana")));
        access.accounts().grant(ADMIN, "ana", "All endpoints");
        assertEquals(3, names(as("ana")).size());
    }

    @Test
    void dynamicGroupsFollowTags() throws Exception {
        access.groups().create(ADMIN, "vip", "tag:vip AND os:windows", List.of());
        access.accounts().create(ADMIN, "ana", Role.READ_ONLY, List.of("vip"), GOOD, false);
        assertEquals(List.of(), names(as("ana")));
        access.groups().tag(ADMIN, "WS-HR-01", List.of("vip"), List.of());
        assertEquals(List.of("WS-HR-01"), names(as("ana")));
        assertEquals(Set.of("WS-HR-01"), access.groups().members("vip"));
        assertEquals(Set.of("WS-FIN-01", "WS-HR-01"), access.groups().preview("name:WS-*", List.of()));
        AccessException bad = assertThrows(AccessException.class, () -> access.groups().setRule(ADMIN, "vip", "color:red"));
        assertTrue(bad.getMessage().contains("unknown field 'color'"), bad.getMessage());
        assertThrows(AccessException.class, () -> access.groups().delete(ADMIN, "All endpoints"));
    }

    @Test
    void rolesAllowWhatTheyShould() throws Exception {
        access.accounts().create(ADMIN, "reader", Role.READ_ONLY, List.of(), GOOD, false);
        access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of(), GOOD, false);
        assertTrue(as("reader").may(Action.VIEW));
        AccessDeniedException denied = assertThrows(AccessDeniedException.class, () -> as("reader").require(Action.EXPORT));
        assertEquals("this needs the analyst role or higher; you are read-only", denied.getMessage());
        as("ana").require(Action.EXPORT);
        assertThrows(AccessDeniedException.class, () -> as("ana").require(Action.ADMINISTER));
        assertThrows(AccessDeniedException.class, () -> as("ana").administration());
        assertEquals("access.denied", access.audit().list(AuditTrail.Filter.ALL, 0, 1).getFirst().event().action());
    }

    @Test
    void passwordsMustBeLongAndUncommon() throws Exception {
        // the last ones from a try-out: repeats, sequences, keyboard walks, l33t, the product's and the user's name
        for (String weak : new String[] {"short", "password1234", "Password2024!", "aaaaaaaaaaaaaa", "qwertyuiop123", "123456789012",
                "passwordpassword", "adminadminadmin", "qwertyuiopas", "letmeinletmein", "P@ssw0rd2026!!", "trailhound2026!",
                "ana-ana-ana-ana", "x".repeat(1_025), "trailhound-2026-ana", "password-trailhound-1", "Trailhound-Admin-2026",
                "ANA-TRAILHOUND-2026", "Tra1lh0und-Adm1n-2026", "tr4ilh0und-2026-an4"}) {
            assertThrows(AccessException.class, () -> access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of(), weak, true), weak);
        }
        AccessException told = assertThrows(AccessException.class,
                () -> access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of(), "abcdefghijklmnop", true));
        assertTrue(told.getMessage().startsWith("that password is too easy to guess (sequences like abc or 6543 are easy to guess)"),
                told.getMessage());
        String generated = access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of(), null, true);
        assertEquals(20, generated.length());
        assertTrue(access.accounts().find("ana").orElseThrow().mustChangePassword());
        Caller ana = access.accounts().caller("ana", "web", null).orElseThrow();
        assertThrows(AccessException.class, () -> access.accounts().changeOwnPassword(ana, "wrong", GOOD));
        access.accounts().changeOwnPassword(ana, generated, GOOD);
        assertFalse(access.accounts().mustChangePassword("ana"));
    }

    @Test
    void signInIsThrottledAlikeForKnownAndUnknownNames() throws Exception {
        access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of(), GOOD, false);
        for (String name : new String[] {"ana", "nobody"}) {
            for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) {
                assertInstanceOf(Accounts.SignIn.Refused.class, access.accounts().signIn(name, "wrong", "10.0.0." + i, "web"));
            }
            assertInstanceOf(Accounts.SignIn.Throttled.class, access.accounts().signIn(name, GOOD, "10.9.9.9", "web"));
        }
        now.addAndGet(Duration.ofSeconds(2).toMillis());
        assertInstanceOf(Accounts.SignIn.Ok.class, access.accounts().signIn("ana", GOOD, "10.9.9.9", "web"));

        // one address guessing many names is held back too, but later than one name: people share NATs
        for (int i = 0; i < SignInThrottle.FREE_FAILURES_PER_ADDRESS - 1; i++) access.accounts().signIn("user" + i, "x", "10.6.6.6", "web");
        assertInstanceOf(Accounts.SignIn.Ok.class, access.accounts().signIn("ana", GOOD, "10.6.6.6", "web"));
        access.accounts().signIn("one-more", "x", "10.6.6.6", "web");
        assertInstanceOf(Accounts.SignIn.Throttled.class, access.accounts().signIn("ana", GOOD, "10.6.6.6", "web"));

        access.accounts().setDisabled(ADMIN, "ana", true);
        now.addAndGet(Duration.ofHours(2).toMillis());
        assertInstanceOf(Accounts.SignIn.Refused.class, access.accounts().signIn("ana", GOOD, "10.9.9.9", "web"));
        assertTrue(access.accounts().caller("ana", "web", null).isEmpty());
    }

    @Test
    void unauthenticatedAttemptsCannotFloodTheAuditTrail() throws Exception {
        String huge = "x".repeat(900_000);
        long before = access.audit().count();
        for (int i = 0; i < 100; i++) access.accounts().signIn(huge, "wrong", "10.0.0.1", "web");
        // five failures audited, then one entry for the whole throttled run
        assertEquals(before + SignInThrottle.FREE_FAILURES + 1, access.audit().count());
        List<AuditTrail.Entry> entries = access.audit().list(AuditTrail.Filter.ALL, Long.MAX_VALUE, 10);
        for (AuditTrail.Entry e : entries) {
            assertTrue(e.event().actor().length() <= 65, "a typed name is cut to 64 characters: " + e.event().actor().length());
        }
        assertTrue(entries.get(0).event().detail().contains("throttled"), entries.get(0).event().detail());
        // the next wait after another failure is audited again, once
        now.addAndGet(Duration.ofSeconds(2).toMillis());
        access.accounts().signIn(huge, "wrong", "10.0.0.1", "web");
        for (int i = 0; i < 10; i++) access.accounts().signIn(huge, "wrong", "10.0.0.1", "web");
        assertEquals(before + SignInThrottle.FREE_FAILURES + 3, access.audit().count());

        access.audit().record(ADMIN, "search", "WS-FIN-01", AuditLog.OK, "q".repeat(100_000));
        String detail = access.audit().list(AuditTrail.Filter.ALL, Long.MAX_VALUE, 1).get(0).event().detail();
        assertTrue(detail.startsWith("q".repeat(AuditLog.MAX_DETAIL)) && detail.endsWith("(95904 more characters)"), detail.substring(4000));
        assertTrue(access.audit().verify().isEmpty());
    }

    @Test
    void aPasswordChangeOrResetEndsTheUsersSessions_theChangeIsThrottled() throws Exception {
        access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of(), GOOD, false);
        var laptop = (Accounts.SignIn.Ok) access.accounts().signIn("ana", GOOD, "10.0.0.1", "web");
        var phone = (Accounts.SignIn.Ok) access.accounts().signIn("ana", GOOD, "10.0.0.2", "web");
        assertTrue(access.accounts().caller("ana", phone.credentialStamp(), "web", null).isPresent());

        access.accounts().changeOwnPassword(laptop.caller(), GOOD, "violet tractor lantern");
        assertTrue(access.accounts().caller("ana", phone.credentialStamp(), "web", null).isEmpty(), "the other session ended");
        String renewed = access.accounts().credentialStamp("ana").orElseThrow();
        assertTrue(access.accounts().caller("ana", renewed, "web", null).isPresent());

        access.accounts().resetPassword(ADMIN, "ana", null);
        assertTrue(access.accounts().caller("ana", renewed, "web", null).isEmpty(), "a reset ends every session");

        Caller ana = access.accounts().caller("ana", "web", "10.0.0.1").orElseThrow();
        for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) {
            assertThrows(AccessException.class, () -> access.accounts().changeOwnPassword(ana, "guess", GOOD));
        }
        TooManyAttemptsException e = assertThrows(TooManyAttemptsException.class,
                () -> access.accounts().changeOwnPassword(ana, "guess", GOOD));
        assertEquals(1, e.seconds());
    }

    @Test
    void renamesAndMergesSayWhichGroupsGainOrLoseTheEndpoint() throws Exception {
        access.groups().create(ADMIN, "fin", "name:WS-FIN-*", List.of());
        access.groups().create(ADMIN, "hr", "name:WS-HR-*", List.of());
        access.groups().create(ADMIN, "early", null, List.of("ws-new"));
        Groups.AccessChange rename = access.groups().accessChange("WS-HR-01", "WS-FIN-99", false);
        assertEquals(Set.of("fin"), rename.gaining());
        assertEquals(Set.of("hr"), rename.losing());
        assertEquals("group fin gains access; group hr loses it", rename.describe());
        assertEquals(Set.of("early"), access.groups().accessChange("srv-web", "ws-new", false).gaining());
        assertEquals(Set.of(), access.groups().members("early"), "a name not seen yet is no member");
        assertEquals(Set.of("ws-new"), access.groups().notSeen("early"));
        assertTrue(access.groups().accessChange("WS-FIN-01", "WS-FIN-02", false).none(), "the same groups see it");

        Groups.AccessChange merge = access.groups().accessChange("WS-HR-01", "WS-FIN-01", true);
        assertEquals(Set.of("fin"), merge.gaining(), "fin sees the HR endpoint's events after the merge");
        assertEquals(Set.of("hr"), merge.losing());
        access.groups().tag(ADMIN, "WS-HR-01", List.of("vip"), List.of());
        access.groups().create(ADMIN, "vip", "tag:vip", List.of());
        assertEquals(Set.of("fin", "vip"), access.groups().accessChange("WS-HR-01", "WS-FIN-01", true).gaining(),
                "tags follow a merge, so vip sees the FIN endpoint's events too");
    }

    @Test
    void membersAreKeptComputed_butFollowChangesMadeByAnotherProcess() throws Exception {
        access.groups().create(ADMIN, "fin", "name:WS-FIN-* OR tag:fin", List.of());
        access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of("fin"), GOOD, false);
        assertEquals(List.of("WS-FIN-01"), names(as("ana")));
        // what a CLI command does beside a running server: the same server.db through another connection
        try (DataDir other = DataDir.openExisting(dir)) {
            other.catalogue().upsertEndpoint("WS-FIN-02", "windows", "ws-fin-02.corp", "10.1.0.6");
            other.catalogue().changeTags("srv-web", List.of("fin"), List.of());
        }
        assertEquals(List.of("WS-FIN-01", "WS-FIN-02", "srv-web"), names(as("ana")));
        try (DataDir other = DataDir.openExisting(dir)) {
            other.catalogue().changeTags("srv-web", List.of(), List.of("fin"));
        }
        assertEquals(List.of("WS-FIN-01", "WS-FIN-02"), names(as("ana")), "a removed tag takes the endpoint away at once");
    }

    @Test
    void aNameInsideAnotherWord_isNoLeaningOnTheName() throws Exception {
        access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of(), "analyst-password-1", true);
        assertThrows(AccessException.class, () -> access.accounts().create(ADMIN, "bea", Role.ANALYST, List.of(), "bea-2026-bea!", true));
    }

    @Test
    void controlCharactersAreWrittenVisibly_theSystemNameIsReserved() throws Exception {
        access.accounts().signIn("eve\u001b[2J\u0007\nforged line", "wrong", "10.0.0.1", "web");
        String actor = access.audit().list(AuditTrail.Filter.ALL, Long.MAX_VALUE, 1).get(0).event().actor();
        assertEquals("eve\\u001b[2J\\u0007\\u000aforged line", actor);
        access.accounts().signIn("FIN\u202eLIVE\u200b", "wrong", "10.0.0.1", "web");
        assertEquals("FIN\\u202eLIVE\\u200b", access.audit().list(AuditTrail.Filter.ALL, Long.MAX_VALUE, 1).get(0).event().actor());
        access.accounts().signIn("admin\uDB40\uDC20\u2028x", "wrong", "10.0.0.1", "web"); // a tag space, a line separator
        assertEquals("admin\\U000e0020\\u2028x", access.audit().list(AuditTrail.Filter.ALL, Long.MAX_VALUE, 1).get(0).event().actor());
        assertThrows(AccessException.class, () -> access.accounts().create(ADMIN, "System", Role.ANALYST, List.of(), GOOD, false));
    }

    @Test
    void userNamesDifferingOnlyInCaseAreRefused() throws Exception {
        access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of(), GOOD, false);
        AccessException e = assertThrows(AccessException.class,
                () -> access.accounts().create(ADMIN, "Ana", Role.ADMINISTRATOR, List.of(), GOOD, false));
        assertEquals("a user named 'ana' exists already: names differing only in case would be confused in the audit trail",
                e.getMessage());
    }

    @Test
    void tokensActAsTheirUserUntilRevokedOrExpired() throws Exception {
        access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of(), GOOD, false);
        Caller ana = access.accounts().caller("ana", "web", null).orElseThrow();
        Tokens.Created t = access.tokens().create(ana, "ana", "nightly", 30);
        Caller viaToken = ((Tokens.Use.Ok) access.tokens().authenticate(t.secret(), "10.0.0.1")).caller();
        assertEquals("ana", viaToken.user());
        assertEquals(Role.ANALYST, viaToken.role());
        assertEquals("token:nightly", viaToken.via());
        assertInstanceOf(Tokens.Use.Refused.class, access.tokens().authenticate(t.secret() + "x", null));
        String changed = t.secret().substring(0, t.secret().length() - 1) + (t.secret().endsWith("A") ? "B" : "A");
        assertEquals(new Tokens.Use.Refused("unknown token " + t.token().id()), access.tokens().authenticate(changed, null));
        assertThrows(AccessDeniedException.class, () -> access.tokens().create(ana, "admin", "x", 1));
        AccessDeniedException minted = assertThrows(AccessDeniedException.class,
                () -> access.tokens().create(viaToken, "ana", "longer", 366));
        assertEquals("an API token cannot create tokens: sign in to the web, or use bin/trailhound tokens create", minted.getMessage());
        Caller adminToken = new Caller("admin", Role.ADMINISTRATOR, "token:ci", "10.0.0.1");
        assertThrows(AccessDeniedException.class, () -> access.accounts().create(adminToken, "shadow", Role.ADMINISTRATOR, List.of(), GOOD, false));
        assertThrows(AccessDeniedException.class, () -> access.accounts().resetPassword(adminToken, "ana", null));
        assertThrows(AccessDeniedException.class, () -> access.accounts().changeOwnPassword(viaToken, GOOD, "violet tractor lantern"));
        // third try-out: an admin token revoked every user's tokens
        assertTrue(assertThrows(AccessException.class, () -> access.tokens().revoke(adminToken, t.token().id())).isUnknown());

        now.addAndGet(Duration.ofDays(31).toMillis());
        assertEquals(new Tokens.Use.Refused("expired token"), access.tokens().authenticate(t.secret(), null));

        Tokens.Created second = access.tokens().create(ana, "ana", "second", 30);
        assertInstanceOf(Tokens.Use.Ok.class, access.tokens().authenticate(second.secret(), null));
        access.tokens().revoke(ana, second.token().id());
        assertEquals(new Tokens.Use.Refused("revoked token"), access.tokens().authenticate(second.secret(), null));
        assertTrue(access.audit().verify().isEmpty());
    }

    @Test
    void anotherUsersTokenIsUnknown_aTokenWaitingForAPasswordChangeIsNotUsed() throws Exception {
        access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of(), GOOD, false);
        access.accounts().create(ADMIN, "bob", Role.ANALYST, List.of(), GOOD, false);
        Caller ana = access.accounts().caller("ana", "web", null).orElseThrow();
        Caller bob = access.accounts().caller("bob", "web", null).orElseThrow();
        Tokens.Created anas = access.tokens().create(ana, "ana", "nightly", 30);
        AccessException other = assertThrows(AccessException.class, () -> access.tokens().revoke(bob, anas.token().id()));
        AccessException none = assertThrows(AccessException.class, () -> access.tokens().revoke(bob, "0123456789abcdef"));
        assertTrue(other.isUnknown() && none.isUnknown());
        assertEquals(other.getMessage().replace(anas.token().id(), "0123456789abcdef"), none.getMessage());

        access.accounts().resetPassword(ADMIN, "ana", null);
        assertEquals(new Tokens.Use.PasswordChangeRequired(), access.tokens().authenticate(anas.secret(), "10.0.0.1"));
        assertEquals(null, access.tokens().list("ana").get(0).lastUsed(), "a refused use is no use");
    }

    @Test
    void guessingTokensIsThrottledPerAddress() throws Exception {
        access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of(), GOOD, false);
        Tokens.Created t = access.tokens().create(access.accounts().caller("ana", "web", null).orElseThrow(), "ana", "nightly", 30);
        long before = access.audit().count();
        for (int i = 0; i < SignInThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
            assertInstanceOf(Tokens.Use.Refused.class, access.tokens().authenticate("th_0123456789abcdef_" + "A".repeat(43), "10.6.6.6"));
        }
        for (int i = 0; i < 20; i++) {
            assertInstanceOf(Tokens.Use.Throttled.class, access.tokens().authenticate(t.secret(), "10.6.6.6"));
        }
        assertEquals(before + SignInThrottle.FREE_FAILURES_PER_ADDRESS + 1, access.audit().count(), "a throttled run is audited once");
        assertInstanceOf(Tokens.Use.Ok.class, access.tokens().authenticate(t.secret(), "10.7.7.7"));
    }

    /**
     * Agents behind one NAT share an address: a revoked agent retrying (say, restarted by systemd) must
     * not hold the others back, and guessing one agent's secret is slowed per agent id.
     */
    @Test
    void agentRefusals_revokedAgentRetrying_doesNotThrottleItsNeighbours() throws Exception {
        Agents.Created token = access.agents().create(ADMIN, null, java.time.Duration.ofHours(1), 10);
        String good = "B".repeat(43);
        for (String id : List.of("a000000000000000a", "a000000000000000b")) {
            assertInstanceOf(Agents.Admission.Admitted.class,
                    access.agents().enrol(token.secret(), "ws-" + id, "h", "Linux", id, good, "10.8.8.8"));
        }
        access.agents().revokeAgent(ADMIN, "a000000000000000a");
        for (int i = 0; i < 2 * SignInThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
            Agents.Admission a = access.agents().authenticate("a000000000000000a", good, "10.8.8.8");
            assertEquals("unknown_agent", ((Agents.Admission.Refused) a).code(), "revoked, said as such every time");
        }
        assertInstanceOf(Agents.Admission.Admitted.class, access.agents().authenticate("a000000000000000b", good, "10.8.8.8"),
                "the neighbour behind the same address still gets in");
        for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) {
            access.agents().authenticate("a000000000000000b", "C".repeat(43), "10.8.8.9");
        }
        Agents.Admission guessed = access.agents().authenticate("a000000000000000b", good, "10.8.8.10");
        assertEquals("busy", ((Agents.Admission.Refused) guessed).code(), "wrong secrets for one agent slow that agent down anywhere");
    }

    /** Try-out finding: a folder demo made (first password shown, no change asked) kept that password unchanged under serve. */
    @Test
    void serveOnAFolderDemoMade_asksForTheFirstPasswordToBeChanged() throws Exception {
        access.accounts().ensureInitialAdmin(dir, false).orElseThrow();
        assertFalse(access.accounts().mustChangePassword("admin"));
        assertTrue(access.accounts().ensureInitialAdmin(dir, true).isEmpty(), "no second first user");
        assertTrue(access.accounts().mustChangePassword("admin"), "serve asks for the demo's password to be changed");
    }

    /** Third check: with initial-admin-password deleted, serve kept the demo's printed password. */
    @Test
    void serveOnAFolderDemoMade_evenWithThePasswordFileDeleted() throws Exception {
        access.accounts().ensureInitialAdmin(dir, false).orElseThrow();
        java.nio.file.Files.delete(dir.resolve("initial-admin-password"));
        access.accounts().ensureInitialAdmin(dir, true);
        assertTrue(access.accounts().mustChangePassword("admin"), "the audit trail remembers the demo");
    }

    @Test
    void aFirstPasswordChangedSinceIsLeftAlone() throws Exception {
        String first = access.accounts().ensureInitialAdmin(dir, false).orElseThrow();
        access.accounts().changeOwnPassword(access.accounts().caller("admin", "web", null).orElseThrow(), first, GOOD);
        access.accounts().ensureInitialAdmin(dir, true);
        assertFalse(access.accounts().mustChangePassword("admin"), "changed already: nothing to ask");
    }

    @Test
    void theLastAdministratorStays() throws Exception {
        String first = access.accounts().ensureInitialAdmin(dir, true).orElseThrow();
        assertTrue(java.nio.file.Files.exists(dir.resolve("initial-admin-password")));
        access.accounts().changeOwnPassword(access.accounts().caller("admin", "web", null).orElseThrow(), first, GOOD);
        assertFalse(java.nio.file.Files.exists(dir.resolve("initial-admin-password")), "a stale password file is removed");
        assertThrows(AccessException.class, () -> access.accounts().setDisabled(ADMIN, "admin", true));
        assertThrows(AccessException.class, () -> access.accounts().setRole(ADMIN, "admin", Role.ANALYST));
        access.accounts().create(ADMIN, "second", Role.ADMINISTRATOR, List.of(), GOOD, false);
        access.accounts().setRole(ADMIN, "admin", Role.ANALYST);
        assertEquals(Role.ANALYST, access.accounts().find("admin").orElseThrow().role());
    }

    @Test
    void over_aFolderWhoseAuditTriggersWereDropped_putsThemBackWithAnEntryAndWarnsOnce() throws Exception {
        access.audit().record(ADMIN, "search", "WS-FIN-01", AuditLog.OK, "q=1");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("server.db"));
                java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("DROP TRIGGER audit_no_update");
            s.executeUpdate("DROP TRIGGER audit_no_delete");
        }
        assertTrue(access.audit().verify().orElseThrow().reason().contains("were removed"));

        List<String> warnings = new java.util.ArrayList<>();
        Access reopened = Access.over(data, clock, warnings::add); // as the server does when it starts
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().startsWith("trailhound: " + dir.resolve("server.db") + ": the audit triggers audit_no_update and"
                + " audit_no_delete were removed: re-created; entries may have been changed while they were missing (audit entry 2)"),
                warnings.getFirst());
        AuditTrail.Entry restored = reopened.audit().list(AuditTrail.Filter.ALL, 0, 1).getFirst();
        assertEquals(List.of("system", "startup", AuditTrail.TRIGGERS_RESTORED, AuditLog.OK),
                List.of(restored.event().actor(), restored.event().via(), restored.event().action(), restored.event().outcome()));
        assertTrue(reopened.audit().verify().isEmpty());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("server.db"));
                java.sql.Statement s = c.createStatement()) {
            assertThrows(java.sql.SQLException.class, () -> s.executeUpdate("DELETE FROM audit"));
        }

        Access.over(data, clock, warnings::add);
        assertEquals(1, warnings.size(), "in place again: nothing to say, nothing written");
        assertEquals(2, reopened.audit().count());
    }
}
