package trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.ingest.DataDir;

/** Web sessions in server.db: found again by another Access (a restarted server), ended by time, capped per user, id never stored. */
class SessionsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir Path dir;

    private static Sessions at(DataDir data, Instant now) {
        return Access.over(data, Clock.fixed(now, ZoneOffset.UTC)).sessions();
    }

    @Test
    void session_survivesANewAccess_endsWhenIdleOrTooOld_andOnlyItsHashIsStored() throws Exception {
        String id;
        try (DataDir data = DataDir.open(dir)) {
            Access.over(data, Clock.systemUTC()).accounts().create(Caller.commandLine(), "ana", Role.ANALYST, List.of(),
                    "correct horse battery", false);
            id = at(data, T0).open("ana", "csrf-1", "stamp-1");
        }
        try (DataDir data = DataDir.open(dir)) { // the server restarted
            Sessions.Session s = at(data, T0.plus(Duration.ofHours(11))).find(id).orElseThrow();
            assertEquals(new Sessions.Session("ana", "csrf-1", "stamp-1", T0), s);
            assertTrue(at(data, T0.plus(Duration.ofHours(22))).find(id).isPresent(), "used at 11 h: 11 h idle since");
            assertFalse(at(data, T0.plus(Duration.ofHours(24))).find(id).isPresent(), "24 h after sign-in, whatever happened");
            String idle = at(data, T0).open("ana", "csrf-2", "stamp-1");
            assertFalse(at(data, T0.plus(Duration.ofHours(12))).find(idle).isPresent(), "12 h without a request");
            assertFalse(at(data, T0).find(idle).isPresent(), "ended for good");
        }
        assertFalse(new String(Files.readAllBytes(dir.resolve("server.db")), java.nio.charset.StandardCharsets.ISO_8859_1).contains(id),
                "only the SHA-256 of the id is kept");
    }

    @Test
    void open_beyondTwentyPerUser_endsTheOldest() throws Exception {
        try (DataDir data = DataDir.open(dir)) {
            Access.over(data, Clock.systemUTC()).accounts().create(Caller.commandLine(), "ana", Role.ANALYST, List.of(),
                    "correct horse battery", false);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i <= Sessions.PER_USER; i++) ids.add(at(data, T0.plusSeconds(i)).open("ana", "c", "s"));
            Sessions now = at(data, T0.plusSeconds(60));
            assertFalse(now.find(ids.getFirst()).isPresent(), "the oldest ended");
            for (String id : ids.subList(1, ids.size())) assertTrue(now.find(id).isPresent());
        }
    }
}
