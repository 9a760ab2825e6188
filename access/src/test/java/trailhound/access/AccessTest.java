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
        for (String weak : new String[] {"short", "password1234", "Password2024!", "aaaaaaaaaaaaaa", "qwertyuiop123"}) {
            assertThrows(AccessException.class, () -> access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of(), weak, true), weak);
        }
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
        // one address guessing many names is held back too
        for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) access.accounts().signIn("user" + i, "x", "10.6.6.6", "web");
        assertInstanceOf(Accounts.SignIn.Throttled.class, access.accounts().signIn("ana", GOOD, "10.6.6.6", "web"));

        access.accounts().setDisabled(ADMIN, "ana", true);
        now.addAndGet(Duration.ofHours(2).toMillis());
        assertInstanceOf(Accounts.SignIn.Refused.class, access.accounts().signIn("ana", GOOD, "10.9.9.9", "web"));
        assertTrue(access.accounts().caller("ana", "web", null).isEmpty());
    }

    @Test
    void tokensActAsTheirUserUntilRevokedOrExpired() throws Exception {
        access.accounts().create(ADMIN, "ana", Role.ANALYST, List.of(), GOOD, false);
        Caller ana = access.accounts().caller("ana", "web", null).orElseThrow();
        Tokens.Created t = access.tokens().create(ana, "ana", "nightly", 30);
        Caller viaToken = access.tokens().authenticate(t.secret(), "10.0.0.1").orElseThrow();
        assertEquals("ana", viaToken.user());
        assertEquals(Role.ANALYST, viaToken.role());
        assertEquals("token:nightly", viaToken.via());
        assertTrue(access.tokens().authenticate(t.secret() + "x", null).isEmpty());
        assertTrue(access.tokens().authenticate(t.secret().substring(0, t.secret().length() - 1) + "A", null).isEmpty()
                || t.secret().endsWith("A"));
        assertThrows(AccessDeniedException.class, () -> access.tokens().create(ana, "admin", "x", 1));

        now.addAndGet(Duration.ofDays(31).toMillis());
        assertTrue(access.tokens().authenticate(t.secret(), null).isEmpty());

        Tokens.Created second = access.tokens().create(ana, "ana", "second", 30);
        assertTrue(access.tokens().authenticate(second.secret(), null).isPresent());
        access.tokens().revoke(ana, second.token().id());
        assertTrue(access.tokens().authenticate(second.secret(), null).isEmpty());
        assertTrue(access.audit().verify().isEmpty());
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
}
