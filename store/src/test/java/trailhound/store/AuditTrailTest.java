package trailhound.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the audit trail's verify catches beyond the chain itself: removed or changed triggers, and
 * newest entries removed together with SQLite's counter (found by audit-head); and what it must not
 * report: audit-head one entry behind (a crash between commit and file), missing (an older folder).
 */
class AuditTrailTest {
    @TempDir Path dir;

    private Store open() {
        return Store.open(dir.resolve("server.db"));
    }

    private static AuditTrail.Event event(String action) {
        return new AuditTrail.Event(1_700_000_000_000L, "ana", "web", action, "WS-1", "127.0.0.1", "ok", "q=user:x");
    }

    private static AuditTrail.Entry appendSome(AuditTrail trail, int n) {
        AuditTrail.Entry last = null;
        for (int i = 0; i < n; i++) last = trail.append(event("search"));
        return last;
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("server.db")); Statement s = c.createStatement()) {
            for (String q : statements) s.executeUpdate(q);
        }
    }

    /** Appends from many threads at once go into shared transactions: each caller gets its own entry, the chain holds. */
    @Test
    void concurrentAppends_eachCommittedOnce_chainHolds() throws Exception {
        AuditTrail trail = open().audit();
        int threads = 16;
        int each = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.List<java.util.concurrent.Future<java.util.List<AuditTrail.Entry>>> futures = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String action = "search-" + t;
            futures.add(pool.submit(() -> {
                java.util.List<AuditTrail.Entry> mine = new java.util.ArrayList<>();
                for (int i = 0; i < each; i++) mine.add(trail.append(event(action)));
                return mine;
            }));
        }
        java.util.Set<Long> seqs = new java.util.HashSet<>();
        for (int t = 0; t < threads; t++) {
            for (AuditTrail.Entry e : futures.get(t).get(60, java.util.concurrent.TimeUnit.SECONDS)) {
                assertEquals("search-" + t, e.event().action(), "each caller gets its own entry back");
                assertTrue(seqs.add(e.seq()), "seq " + e.seq() + " given twice");
            }
        }
        pool.shutdown();
        assertEquals(threads * each, trail.count());
        assertEquals(threads * each, seqs.size());
        assertTrue(trail.verify().isEmpty(), String.valueOf(trail.verify()));
    }

    @Test
    void verify_triggersDropped_isABreakThoughTheChainHolds() throws SQLException {
        AuditTrail trail = open().audit();
        appendSome(trail, 3);
        sql("DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete");
        AuditTrail.Break b = trail.verify().orElseThrow();
        assertEquals(1, b.seq());
        assertTrue(b.reason().startsWith("the audit triggers audit_no_update and audit_no_delete were removed: entries may have been"
                + " changed since;"), b.reason());
    }

    @Test
    void verify_oneTriggerReplacedByOneThatAllowsEverything_isABreak() throws SQLException {
        AuditTrail trail = open().audit();
        appendSome(trail, 2);
        sql("DROP TRIGGER audit_no_delete",
                "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit WHEN 0 BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END");
        AuditTrail.Break b = trail.verify().orElseThrow();
        assertTrue(b.reason().startsWith("the audit trigger audit_no_delete was changed:"), b.reason());
    }

    /** Try-out finding: an added trigger with RAISE(IGNORE) dropped a user's entries, unnoticed by appends and verify. */
    @Test
    void aForeignTriggerThatDropsEntries_failsTheAppend_isNamedByVerify_andRemovedByRestore() throws SQLException {
        AuditTrail trail = open().audit();
        appendSome(trail, 2);
        sql("CREATE TRIGGER zz_hide BEFORE INSERT ON audit WHEN NEW.actor = 'ana' BEGIN SELECT RAISE(IGNORE); END");
        StoreException dropped = assertThrows(StoreException.class, () -> trail.append(event("search")));
        assertTrue(dropped.getMessage().contains("the audit entry was not stored as written"), dropped.getMessage());
        AuditTrail.Break b = trail.verify().orElseThrow();
        assertTrue(b.reason().startsWith("the audit trigger zz_hide was added (a trigger can drop or alter new entries)"), b.reason());

        AuditTrail.Entry restored = trail.restoreTriggers(damage ->
                new AuditTrail.Event(1_700_000_001_000L, "system", "startup", AuditTrail.TRIGGERS_RESTORED, null, null, "ok", damage))
                .orElseThrow();
        assertTrue(restored.event().detail().contains("zz_hide was added"), restored.event().detail());
        assertEquals(Optional.empty(), trail.verify());
        assertEquals(4, trail.append(event("search")).seq(), "entries are stored again");
    }

    @Test
    void verify_editAfterDroppingATrigger_namesTheEntryAndTheTrigger() throws SQLException {
        AuditTrail trail = open().audit();
        appendSome(trail, 4);
        sql("DROP TRIGGER audit_no_update", "UPDATE audit SET detail = 'q=nothing' WHERE seq = 3");
        AuditTrail.Break b = trail.verify().orElseThrow();
        assertEquals(3, b.seq());
        assertTrue(b.reason().contains("the entry was changed; and the audit trigger audit_no_update was removed"), b.reason());
    }

    @Test
    void restoreTriggers_putsThemBackWithOneEntry_andNothingWhenInPlace() throws SQLException {
        AuditTrail trail = open().audit();
        appendSome(trail, 2);
        assertEquals(Optional.empty(), trail.restoreTriggers(damage -> event("never")));
        sql("DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete",
                "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit WHEN 0 BEGIN SELECT 1; END");

        List<String> said = new ArrayList<>();
        AuditTrail.Entry restored = trail.restoreTriggers(damage -> {
            said.add(damage);
            return new AuditTrail.Event(1_700_000_001_000L, "system", "startup", AuditTrail.TRIGGERS_RESTORED, null, null, "ok", damage);
        }).orElseThrow();
        assertEquals(List.of("the audit trigger audit_no_delete was removed and trigger audit_no_update was changed"), said);
        assertEquals(3, restored.seq());
        assertEquals(Optional.empty(), trail.verify());
        assertTrue(assertThrows(SQLException.class, () -> sql("UPDATE audit SET actor = 'eve'")).getMessage().contains("append-only"));
        assertThrows(SQLException.class, () -> sql("DELETE FROM audit WHERE seq = 3"));
        assertEquals(Optional.empty(), trail.restoreTriggers(damage -> event("never")));
        assertEquals(3, trail.count());
    }

    @Test
    void verify_newestEntriesRemovedAndCounterLowered_isNamedByTheHeadFile() throws Exception {
        AuditTrail trail = open().audit();
        AuditTrail.Entry fifth = appendSome(trail, 5);
        assertEquals(Optional.of(new AuditTrail.Head(5, fifth.hash())), trail.head());
        // all of it inside server.db, the triggers put back: the chain and the counter agree again
        sql("DROP TRIGGER audit_no_delete", "DELETE FROM audit WHERE seq >= 4", "UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit'",
                "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END");
        AuditTrail.Break b = trail.verify().orElseThrow();
        assertEquals(4, b.seq());
        assertTrue(b.reason().startsWith("entries 4 to 5 are gone: audit-head names entry 5 as written"), b.reason());
    }

    @Test
    void append_afterTheNewestEntriesWereRemoved_keepsTheHeadFileAsTheirTrace() throws Exception {
        AuditTrail trail = open().audit();
        AuditTrail.Entry fifth = appendSome(trail, 5);
        sql("DROP TRIGGER audit_no_delete", "DELETE FROM audit WHERE seq >= 4", "UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit'",
                "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END");
        AuditTrail restarted = open().audit(); // a new process: nothing in memory of what it wrote before
        for (int i = 0; i < 3; i++) restarted.append(event("export")); // entries 4 to 6 again, other ones
        assertEquals(Optional.of(new AuditTrail.Head(5, fifth.hash())), restarted.head());
        AuditTrail.Break b = restarted.verify().orElseThrow();
        assertEquals(5, b.seq());
        assertTrue(b.reason().startsWith("its hash is not the one audit-head keeps for it"), b.reason());

        Files.delete(dir.resolve("audit-head")); // looked into: start the head afresh
        assertEquals(Optional.empty(), restarted.verify());
        AuditTrail.Entry seventh = restarted.append(event("search"));
        assertEquals(Optional.of(new AuditTrail.Head(7, seventh.hash())), restarted.head());
    }

    @Test
    void verify_serverDbReplacedByAFreshOne_isNamedByTheHeadFile() throws Exception {
        appendSome(open().audit(), 2);
        for (String f : List.of("server.db", "server.db-wal", "server.db-shm")) Files.deleteIfExists(dir.resolve(f));
        AuditTrail.Break b = open().audit().verify().orElseThrow();
        assertEquals(1, b.seq());
        assertTrue(b.reason().startsWith("entries 1 to 2 are gone"), b.reason());
    }

    @Test
    void verify_chainRewrittenFromAnEarlierEntry_differsFromTheHeadFile() throws Exception {
        AuditTrail trail = open().audit();
        appendSome(trail, 3);
        sql("DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete", "DELETE FROM audit");
        // the same three entries again, with another detail and a correctly recomputed chain
        String prev = AuditTrail.GENESIS;
        for (long seq = 1; seq <= 3; seq++) {
            AuditTrail.Event e = new AuditTrail.Event(1_700_000_000_000L, "ana", "web", "search", "WS-1", "127.0.0.1", "ok", "q=other");
            String hash = AuditTrail.hash(prev, seq, e);
            sql("INSERT INTO audit VALUES (" + seq + ", 1700000000000, 'ana', 'web', 'search', 'WS-1', '127.0.0.1', 'ok', 'q=other', '"
                    + prev + "', '" + hash + "')");
            prev = hash;
        }
        sql("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
                "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END");
        AuditTrail.Break b = trail.verify().orElseThrow();
        assertEquals(3, b.seq());
        assertTrue(b.reason().contains("its hash is not the one audit-head keeps for it"), b.reason());
    }

    @Test
    void verify_headFileOneEntryBehind_asAfterACrashBetweenCommitAndFile_isNoBreak() throws Exception {
        AuditTrail trail = open().audit();
        appendSome(trail, 3);
        byte[] third = Files.readAllBytes(dir.resolve("audit-head"));
        trail.append(event("export"));
        Files.write(dir.resolve("audit-head"), third); // entry 4 committed, its head line never written
        assertEquals(3, trail.head().orElseThrow().seq());
        assertEquals(Optional.empty(), trail.verify());
    }

    /** Regression (#16): a server stopping interrupts a transfer's thread as it audits; the head was lost (ClosedByInterruptException). */
    @Test
    void append_byAnInterruptedThread_writesEntryAndHead_andKeepsTheInterrupt() throws Exception {
        AuditTrail trail = open().audit();
        appendSome(trail, 2);
        java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                outcome.set(trail.append(event("evidence.fetch")));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        t.start();
        t.join();
        AuditTrail.Entry third = assertInstanceOf(AuditTrail.Entry.class, outcome.get(), () -> "the append failed: " + outcome.get());
        assertEquals(3, third.seq());
        assertEquals("3 " + third.hash() + "\n", Files.readString(dir.resolve("audit-head")));
        assertEquals(Optional.empty(), trail.verify());
        assertTrue(stillInterrupted.get(), "the caller's interrupt is kept for it to act on");
    }

    @Test
    void verify_headFileMissingOrUnreadable_isNoBreak_andTheNextAppendWritesIt() throws Exception {
        Store store = open();
        AuditTrail trail = store.audit();
        appendSome(trail, 2);
        Files.delete(dir.resolve("audit-head")); // a folder from before the file existed
        assertEquals(Optional.empty(), trail.head());
        assertEquals(Optional.empty(), trail.verify());
        Files.write(dir.resolve("audit-head"), new byte[71]); // zero-filled, as some filesystems leave a file after a power loss
        assertEquals(Optional.empty(), trail.head());
        assertEquals(Optional.empty(), trail.verify());
        AuditTrail.Entry third = trail.append(event("search"));
        assertEquals("3 " + third.hash() + "\n", Files.readString(dir.resolve("audit-head")));
        assertEquals(Optional.empty(), open().audit().verify(), "another process on the folder reads the same");
    }

    @Test
    void verify_whileOthersAppend_neverReportsTheNewestEntriesAsGone() throws Exception {
        AuditTrail trail = open().audit();
        AuditTrail other = open().audit(); // another process's view: its own head writer
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> appenders = List.of(pool.submit(() -> appendSome(trail, 40)), pool.submit(() -> appendSome(other, 40)));
            while (!appenders.stream().allMatch(Future::isDone)) {
                assertEquals(Optional.empty(), trail.verify());
            }
            for (Future<?> f : appenders) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Optional.empty(), trail.verify());
        assertEquals(80, trail.count());
        AuditTrail.Entry last = trail.append(event("search"));
        assertEquals(Optional.of(new AuditTrail.Head(81, last.hash())), other.head());
    }
}
